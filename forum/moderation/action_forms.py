"""Forms for moderator actions. Field names are part of the interface: the thread page posts to
these endpoints too."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _l
from forum.moderation.actions import Period

PERIOD_LABELS = {
    Period.DAY: _l("1 dag"),
    Period.WEEK: _l("7 dagen"),
    Period.MONTH: _l("30 dagen"),
    Period.INDEFINITE: _l("Voor onbepaalde tijd"),
}


def optional_reason() -> StringField:
    return StringField(
        _l("Reden (komt in het logboek)"),
        filters=[strip_text],
        validators=[Optional(), Length(max=500)],
    )


class HideForm(ForumForm):
    reason = TextAreaField(
        _l("Waarom verberg je dit bericht?"),
        filters=[strip_text],
        validators=[DataRequired(_l("Geef een reden op.")), Length(max=500)],
        description=_l("De schrijver krijgt deze reden te zien. Het komt ook in het logboek."),
    )


class MoveForm(ForumForm):
    setting = SelectField(_l("Naar werkveld"), coerce=int, validators=[InputRequired()])
    reason = optional_reason()


class SuspendForm(ForumForm):
    reason = TextAreaField(
        _l("Reden"),
        filters=[strip_text],
        validators=[DataRequired(_l("Geef een reden op.")), Length(max=500)],
        description=_l(
            "De persoon ziet deze reden bovenaan elke pagina. Het komt ook in het logboek."
        ),
    )
    period = SelectField(
        _l("Hoe lang?"),
        choices=choice_list((period.value, label) for period, label in PERIOD_LABELS.items()),
        default=Period.WEEK.value,
    )


class UnsuspendForm(ForumForm):
    unsuspend_reason = optional_reason()


class AlwaysModerateForm(ForumForm):
    always_moderate = BooleanField(
        _l("Altijd laten beoordelen"),
        description=_l("Elk bericht van deze persoon wacht eerst op een moderator."),
    )
    moderate_reason = optional_reason()
