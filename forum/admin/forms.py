"""Admin forms."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.accounts.forms import email_field
from forum.accounts.models import Role
from forum.core.site import RegistrationMode
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _l

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

    action = StringField(
        _l("Handeling"), filters=[strip_text], validators=[Optional(), Length(max=60)]
    )
    actor = StringField(
        _l("Door (naam of e-mailadres)"),
        filters=[strip_text],
        validators=[Optional(), Length(max=100)],
    )
