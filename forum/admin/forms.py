"""Admin forms."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.accounts.forms import email_field
from forum.accounts.models import Role
from forum.core.site import RegistrationMode
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _l
from forum.screening import WatchedAction

ROLE_LABELS = {
    Role.MEMBER: _l("Lid"),
    Role.MODERATOR: _l("Moderator"),
    Role.RESEARCHER: _l("Onderzoeker"),
    Role.ADMIN: _l("Beheerder"),
}

REGISTRATION_LABELS = {
    RegistrationMode.OPEN: _l("Open: iedereen kan zich aanmelden"),
    RegistrationMode.APPROVAL: _l("Met goedkeuring: een beheerder keurt elke aanmelding goed"),
    RegistrationMode.INVITE: _l("Alleen op uitnodiging"),
}


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def reason_field() -> StringField:
    return StringField(
        _l("Reden (komt in het logboek)"),
        filters=[strip_text],
        validators=[Length(max=500)],
    )


class RolesForm(ForumForm):
    roles = CheckboxListField(
        _l("Rollen"),
        choices=choice_list(
            (role.value, label) for role, label in ROLE_LABELS.items() if role != Role.MEMBER
        ),
        validate_choice=True,
    )
    reason = reason_field()


class ResetTwoFactorForm(ForumForm):
    reason = StringField(
        _l("Waarom? (komt in het logboek)"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Schrijf op waarom, bijvoorbeeld: telefoon en herstelcodes kwijt.")),
            Length(max=500),
        ],
    )


class InviteForm(ForumForm):
    email = email_field()


class SiteSettingsForm(ForumForm):
    registration_mode = SelectField(
        _l("Aanmelden"),
        choices=choice_list((mode.value, label) for mode, label in REGISTRATION_LABELS.items()),
    )
    public_read = SelectField(
        _l("Wie kan goedgekeurde gesprekken lezen?"),
        choices=choice_list(
            [("0", _l("Alleen leden (ingelogd)")), ("1", _l("Iedereen, ook zonder account"))]
        ),
    )
    trust_threshold = IntegerField(
        _l("Aantal goedgekeurde berichten voordat iemand zonder beoordeling plaatst"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("Kies een getal van 0 tot en met 100.")),
        ],
        description=_l(
            "Tot iemand zoveel goedgekeurde berichten heeft, bekijkt een moderator elk bericht "
            "eerst. Bij 0 plaatst iedereen meteen (de privacycheck blijft werken)."
        ),
    )
    report_limit = IntegerField(
        _l("Aantal voorleggingen waarna een bericht verborgen wordt"),
        validators=[
            Optional(),
            NumberRange(min=1, max=50, message=_l("Kies een getal van 1 tot en met 50.")),
        ],
        description=_l(
            "Als zoveel leden een bericht aan een moderator voorleggen, is het verborgen tot een "
            "moderator ernaar gekeken heeft."
        ),
    )
    reason = reason_field()


class PeopleFilterForm(ForumForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        _l("Zoek op naam of e-mailadres"),
        filters=[strip_text],
        validators=[Optional(), Length(max=100)],
    )
    role = SelectField(
        _l("Rol"),
        choices=choice_list(
            [("", _l("Alle rollen")), *((r.value, label) for r, label in ROLE_LABELS.items())]
        ),
        validators=[Optional()],
    )
    waiting = SelectField(
        _l("Status"),
        choices=choice_list([("", _l("Iedereen")), ("1", _l("Wacht op goedkeuring"))]),
        validators=[Optional()],
    )


class AuditFilterForm(ForumForm):
    class Meta:
        csrf = False

    # A list of the known actions; any other text still filters on the start of the raw name
    # (``site.``), so links with a typed filter keep working.
    action = SelectField(
        _l("Handeling"),
        filters=[strip_text],
        validators=[Optional(), Length(max=60)],
        validate_choice=False,
    )
    actor = StringField(
        _l("Door (naam of e-mailadres)"),
        filters=[strip_text],
        validators=[Optional(), Length(max=100)],
    )
    since = DateField(_l("Vanaf (datum)"), validators=[Optional()])
    until = DateField(_l("Tot en met (datum)"), validators=[Optional()])

    def validate_since(self, field: DateField) -> None:
        if field.data and not 2000 <= field.data.year <= 2999:
            raise ValidationError(_l("Kies een datum tussen 2000 en 2999."))

    def validate_until(self, field: DateField) -> None:
        self.validate_since(field)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("Deze datum ligt voor de begindatum."))


WATCHED_ACTION_LABELS = {
    WatchedAction.BLOCK: _l("Weigeren (met uitleg aan de schrijver)"),
    WatchedAction.REQUIRE_APPROVAL: _l("Eerst laten beoordelen"),
    WatchedAction.FLAG: _l("Voorleggen aan een moderator"),
}


class WatchedWordForm(ForumForm):
    phrase = StringField(
        _l("Woord of zinsdeel"),
        filters=[strip_text],
        validators=[DataRequired(_l("Vul een woord of zinsdeel in.")), Length(max=100)],
        description=_l("Hoofdletters en accenten maken niet uit: ‘cafe’ vindt ook ‘Café’."),
    )
    whole_word = BooleanField(
        _l("Alleen hele woorden"),
        default=True,
        description=_l("Aan: ‘school’ vindt niet ‘schoolplein’. Uit: ook delen van woorden."),
    )
    action = SelectField(
        _l("Wat gebeurt er?"),
        choices=choice_list((a.value, label) for a, label in WATCHED_ACTION_LABELS.items()),
    )
    reason = reason_field()
