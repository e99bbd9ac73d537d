"""Forms of the review queue: filters (GET), the decisions (POST with CSRF), rejection templates."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.discussions.forms import BODY_MAX
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _, _l
from forum.screening import WaitReason

NOTE_MAX = 1000


class QueueFilterForm(ForumForm):
    """Filters by werkveld and reason: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    werkveld = SelectField(_l("Werkveld"), validators=[Optional()])
    reden = SelectField(_l("Waarom het wacht"), validators=[Optional()])


# Short names of the wait reasons for the moderators' filter.
REASON_FILTER_LABELS = {
    WaitReason.NEW_MEMBER: _l("Nieuw lid"),
    WaitReason.PREMODERATED: _l("Werkveld waarin alles wordt bekeken"),
    WaitReason.WATCHED_WORD: _l("Woord op de lijst"),
    WaitReason.PRIVACY: _l("Privacycheck vond iets"),
    WaitReason.ALWAYS_MODERATE: _l("Schrijver wordt altijd bekeken"),
    WaitReason.CHECK_UNAVAILABLE: _l("Privacycheck was niet beschikbaar"),
    WaitReason.RESUBMITTED: _l("Aangepast na terugsturen"),
}


class EditApproveForm(ForumForm):
    """Aanpassen en goedkeuren: the moderator's version of the text (and the title)."""

    title = StringField(
        _l("Titel"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Een gesprek heeft een titel nodig.")),
            Length(min=5, max=150, message=_l("Een titel heeft 5 tot 150 tekens.")),
        ],
    )
    body = TextAreaField(
        _l("Tekst van het bericht"),
        validators=[
            DataRequired(_l("Het bericht kan niet leeg zijn.")),
            Length(max=BODY_MAX, message=_l("Het bericht is te lang: hoogstens 20.000 tekens.")),
        ],
        description=_l(
            "Haal weg of vervang wat iemand herkenbaar maakt. Eerdere versies worden gewist; "
            "de schrijver ziet wat er veranderd is, maar niet de weggehaalde tekst."
        ),
    )


class ReturnForm(ForumForm):
    note = TextAreaField(
        _l("Wat moet de schrijver aanpassen?"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Schrijf erbij wat er aangepast moet worden.")),
            Length(max=NOTE_MAX, message=_l("Hoogstens 1000 tekens.")),
        ],
        description=_l("De schrijver ziet deze toelichting bij het bericht."),
    )


class RejectForm(ForumForm):
    """A reason from the admins' templates, your own words, or both (one of them is needed)."""

    template = SelectField(_l("Reden"), coerce=str, validators=[Optional()])
    reason = TextAreaField(
        _l("Toelichting in je eigen woorden"),
        filters=[strip_text],
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Hoogstens 1000 tekens."))],
        description=_l("Kies een reden, schrijf er zelf een, of allebei. De schrijver ziet dit."),
    )

    def __init__(self, *args: Any, templates: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {str(t.id): t for t in templates or []}
        self.template.choices = choice_list(
            [("", _("Kies een reden…"))] + [(str(t.id), t.title) for t in templates or []]
        )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        if not valid:
            return False
        if self.template.data and self.template.data not in self.templates:
            self.template.errors = [_("Kies een reden uit de lijst.")]
            return False
        if not self.template.data and not self.reason.data:
            self.reason.errors = [_("Kies een reden of schrijf er zelf een.")]
            return False
        if len(self.full_reason) > NOTE_MAX:
            self.reason.errors = [_("Reden en toelichting samen zijn te lang (hoogstens 1000).")]
            return False
        return True

    @property
    def full_reason(self) -> str:
        parts = []
        if self.template.data in self.templates:
            parts.append(self.templates[self.template.data].text)
        if self.reason.data:
            parts.append(self.reason.data)
        return "\n\n".join(parts)


class TemplateForm(ForumForm):
    title = StringField(
        _l("Naam van de reden"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Geef de reden een korte naam.")),
            Length(max=100, message=_l("Hoogstens 100 tekens.")),
        ],
        description=_l("Moderatoren zien deze naam in de keuzelijst."),
    )
    text = TextAreaField(
        _l("Tekst voor de schrijver"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Schrijf de tekst die de schrijver te zien krijgt.")),
            Length(max=NOTE_MAX, message=_l("Hoogstens 1000 tekens.")),
        ],
    )
