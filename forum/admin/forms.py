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


# How each action in the audit log reads. Actions without a label show their raw name.
AUDIT_ACTION_LABELS = {
    "code.created": _l("Code aangemaakt"),
    "code.changed": _l("Code gewijzigd"),
    "code.archived": _l("Code gearchiveerd"),
    "code.unarchived": _l("Code teruggezet"),
    "code.deleted": _l("Code verwijderd"),
    "code.starters_loaded": _l("Startcodes geladen"),
    "coding.thread_added": _l("Gesprek gecodeerd"),
    "coding.thread_removed": _l("Code van gesprek gehaald"),
    "coding.passage_added": _l("Passage gecodeerd"),
    "coding.passage_removed": _l("Code van passage gehaald"),
    "memo.added": _l("Notitie geschreven"),
    "memo.changed": _l("Notitie gewijzigd"),
    "research_project.created": _l("Onderzoeksproject aangemaakt"),
    "research_project.changed": _l("Onderzoeksproject gewijzigd"),
    "research_export.created": _l("Onderzoeksexport gemaakt"),
    "harvest.created": _l("Kennisoogst aangemaakt"),
    "harvest.edited": _l("Kennisoogst gewijzigd"),
    "harvest.published": _l("Kennisoogst gepubliceerd"),
    "interest.contacted": _l("Meedenker benaderd"),
    "interest.removed": _l("Meedenker verwijderd"),
    "interest.exported": _l("Lijst van meedenkers geëxporteerd"),
    "post.approved": _l("Bericht goedgekeurd"),
    "post.edited_and_approved": _l("Bericht aangepast en goedgekeurd"),
    "post.returned": _l("Bericht teruggestuurd ter aanpassing"),
    "post.rejected": _l("Bericht afgewezen"),
    "post.hidden": _l("Bericht verborgen"),
    "post.restored": _l("Bericht teruggezet"),
    "post.redacted": _l("Gegevens uit bericht gehaald"),
    "post.author_revealed": _l("Schrijver van bericht zonder naam bekeken"),
    "post.flagged_by_watched_word": _l("Bericht voorgelegd door een gevolgd woord"),
    "edit.approved": _l("Wijziging goedgekeurd"),
    "edit.rejected": _l("Wijziging afgewezen"),
    "post.hidden_by_reports": _l("Bericht verborgen na voorleggingen"),
    "post.hidden_by_removal_request": _l("Bericht verborgen na verzoek tot verwijdering"),
    "reports.kept": _l("Voorlegging: bericht blijft staan"),
    "reports.hidden": _l("Voorlegging: bericht verborgen"),
    "reports.edited": _l("Voorlegging: bericht aangepast"),
    "reports.dismissed": _l("Voorlegging terzijde gelegd"),
    "removal_request.removed": _l("Verzoek tot verwijdering: bericht verwijderd"),
    "removal_request.edited": _l("Verzoek tot verwijdering: bericht aangepast"),
    "removal_request.restored": _l("Verzoek tot verwijdering: bericht teruggezet"),
    "thread.locked": _l("Gesprek gesloten"),
    "thread.unlocked": _l("Gesprek weer geopend"),
    "thread.pinned": _l("Gesprek vastgezet"),
    "thread.unpinned": _l("Gesprek losgemaakt"),
    "thread.moved": _l("Gesprek verplaatst"),
    "user.suspended": _l("Persoon geschorst"),
    "user.unsuspended": _l("Schorsing opgeheven"),
    "user.always_moderate_on": _l("Persoon altijd laten beoordelen"),
    "user.always_moderate_off": _l("Persoon niet meer altijd laten beoordelen"),
    "user.roles_changed": _l("Rollen gewijzigd"),
    "user.registration_approved": _l("Aanmelding goedgekeurd"),
    "user.trusted": _l("Schrijver vertrouwd (voortaan zonder beoordeling)"),
    "user.invited": _l("Uitgenodigd"),
    "site.settings_changed": _l("Instellingen gewijzigd"),
    "setting.added": _l("Werkveld toegevoegd"),
    "setting.renamed": _l("Werkveld hernoemd"),
    "setting.moved": _l("Werkveld verschoven"),
    "setting.archived": _l("Werkveld gearchiveerd"),
    "setting.unarchived": _l("Werkveld teruggezet"),
    "setting.premoderated_on": _l("Werkveld: elk bericht eerst beoordelen"),
    "setting.premoderated_off": _l("Werkveld: niet meer elk bericht eerst beoordelen"),
    "watched_word.added": _l("Gevolgd woord toegevoegd"),
    "watched_word.deleted": _l("Gevolgd woord verwijderd"),
    "rejection_template.added": _l("Afwijsreden toegevoegd"),
    "rejection_template.changed": _l("Afwijsreden gewijzigd"),
    "rejection_template.deleted": _l("Afwijsreden verwijderd"),
}


def audit_action_label(action: str) -> str:
    label = AUDIT_ACTION_LABELS.get(action)
    return str(label) if label is not None else action
