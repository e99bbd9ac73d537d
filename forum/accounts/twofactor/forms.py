"""Two-factor forms: shape and length only; whether a code is right is for the services."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from forum.forms import ForumForm, strip_text
from forum.i18n import _l


def code_field(recovery: bool = True) -> StringField:
    hint = (
        _l("De 6 cijfers uit je app. Geen telefoon bij de hand? Gebruik een van je herstelcodes.")
        if recovery
        else _l("De 6 cijfers die je app nu laat zien.")
    )
    return StringField(
        _l("Code"),
        filters=[strip_text],
        validators=[InputRequired(_l("Vul de code in.")), Length(max=40)],
        description=hint,
        # One-time-code lets a phone offer the code it just received; no spell check on a code.
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "text" if recovery else "numeric",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


class CodeForm(ForumForm):
    """The second sign-in step, and new recovery codes: a code from the app or a recovery code."""

    code = code_field()


class SetupForm(ForumForm):
    """Confirming the setup: the app shows the code, so a recovery code makes no sense here."""

    code = code_field(recovery=False)


class DisableForm(ForumForm):
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[InputRequired(_l("Vul je wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = code_field()
