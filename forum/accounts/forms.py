"""Account forms: shape and length rules only; the rules about people live in services."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, InputRequired, Length

from forum.accounts.models import Profession
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import LANGUAGES, _l

PASSWORD_MIN = 10

PROFESSION_LABELS = {
    Profession.LEERKRACHT: _l("Leerkracht"),
    Profession.DOCENT: _l("Docent"),
    Profession.INTERN_BEGELEIDER: _l("Intern begeleider"),
    Profession.PEDAGOGISCH_MEDEWERKER: _l("Pedagogisch medewerker"),
    Profession.GASTOUDER: _l("Gastouder"),
    Profession.JONGERENWERKER: _l("Jongerenwerker"),
    Profession.OPBOUWWERKER: _l("Opbouwwerker"),
    Profession.ANDERS: _l("Anders"),
}


def email_field(label: str = "") -> EmailField:
    return EmailField(
        label or _l("E-mailadres"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Vul je e-mailadres in.")),
            Length(max=254),
            Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label: str = "") -> PasswordField:
    return PasswordField(
        label or _l("Wachtwoord"),
        validators=[
            InputRequired(_l("Kies een wachtwoord.")),
            Length(
                min=PASSWORD_MIN,
                max=200,
                message=_l("Een wachtwoord heeft minstens 10 en hoogstens 200 tekens."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def display_name_field() -> StringField:
    return StringField(
        _l("Naam die anderen zien"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Vul een naam in.")),
            Length(min=2, max=60, message=_l("Een naam heeft 2 tot 60 tekens.")),
        ],
        description=_l(
            "Bijvoorbeeld je voornaam, of je voornaam en de eerste letter van je achternaam."
        ),
        render_kw={"autocomplete": "nickname"},
    )


def profession_field() -> SelectField:
    return SelectField(
        _l("Beroep"),
        choices=choice_list((p.value, label) for p, label in PROFESSION_LABELS.items()),
        validators=[InputRequired()],
    )


def setting_field() -> SelectField:
    # Choices are filled by the view from the werkvelden in the database.
    return SelectField(_l("Je belangrijkste werkveld"), coerce=int, validators=[InputRequired()])


def consent_field() -> BooleanField:
    return BooleanField(
        _l("Ja, NJi mag mijn bijdragen gebruiken voor onderzoek"),
        description=_l(
            "Niet verplicht. Onderzoekers van het Nederlands Jeugdinstituut (NJi) gebruiken "
            "berichten om te leren hoe professionals met ouders samenwerken. Ze gebruiken alleen "
            "berichten waarvoor je toestemming geeft, zonder je naam of e-mailadres. Je kunt dit "
            "altijd aanpassen, ook per bericht."
        ),
    )


class RegisterForm(ForumForm):
    email = email_field()
    display_name = display_name_field()
    password = new_password_field()
    profession = profession_field()
    main_setting = setting_field()
    accept_guidelines = BooleanField(
        _l("Ik heb de gespreksregels gelezen en houd me eraan"),
        validators=[DataRequired(_l("Je kunt alleen meedoen als je de gespreksregels volgt."))],
    )
    research_consent = consent_field()


class LoginForm(ForumForm):
    email = email_field()
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[InputRequired(_l("Vul je wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))


class ResetRequestForm(ForumForm):
    email = email_field()


class ResetForm(ForumForm):
    password = new_password_field(_l("Nieuw wachtwoord"))
    confirm = PasswordField(
        _l("Herhaal je nieuwe wachtwoord"),
        validators=[EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[InputRequired(_l("Vul je huidige wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(ForumForm):
    display_name = display_name_field()
    profession = profession_field()
    main_setting = setting_field()
    locale = SelectField(_l("Taal"), choices=choice_list(LANGUAGES.items()))
    research_consent = consent_field()


class ConsentChoiceForm(ForumForm):
    """One button that gives ("1") or withdraws ("0") research consent: for one post, or for all
    of someone's posts at once. Withdrawing takes exactly as much as giving."""

    consent = HiddenField(validators=[AnyOf(["1", "0"])])

    @property
    def granted(self) -> bool:
        return self.consent.data == "1"


class LanguageForm(ForumForm):
    """The language switch in the footer."""

    lang = SelectField(_l("Taal"), choices=choice_list(LANGUAGES.items()))
