"""Forms for writing. Two buttons on each: preview (no JavaScript needed) and post."""

from __future__ import annotations

import secrets

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from forum.discussions.models import ThreadKind
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _l

BODY_MAX = 20_000

KIND_LABELS = {
    ThreadKind.EXAMPLE: _l("Voorbeeld"),
    ThreadKind.QUESTION: _l("Vraag"),
    ThreadKind.DILEMMA: _l("Dilemma"),
}
KIND_HINTS = {
    ThreadKind.EXAMPLE: _l(
        "Dit werkte (of juist niet): wat was de situatie, wat deed je en wat leverde het op?"
    ),
    ThreadKind.QUESTION: _l("Wat wil je weten? Vertel er wat context bij."),
    ThreadKind.DILEMMA: _l("Wat speelt er, welke belangen botsen en wat weeg je af?"),
}
# The guiding prompt the composer shows for each kind (DESIGN §2).
KIND_PROMPTS = {
    ThreadKind.EXAMPLE: _l("De situatie: …\n\nWat ik deed: …\n\nWat het opleverde: …"),
    ThreadKind.QUESTION: _l("Wat ik wil weten: …\n\nDe context: …"),
    ThreadKind.DILEMMA: _l("Wat er speelt: …\n\nWelke belangen botsen: …\n\nWat ik afweeg: …"),
}


def new_submission_key() -> str:
    return secrets.token_hex(16)


def body_field(label: str = "") -> TextAreaField:
    return TextAreaField(
        label or _l("Je bericht"),
        validators=[
            DataRequired(_l("Schrijf eerst je bericht.")),
            Length(max=BODY_MAX, message=_l("Je bericht is te lang: hoogstens 20.000 tekens.")),
        ],
        description=_l(
            "Je kunt *schuin*, **vet**, lijstjes, citaten (>) en links gebruiken. "
            "Geen namen of andere details waaraan iemand een kind of ouder herkent."
        ),
    )


def title_field() -> StringField:
    return StringField(
        _l("Titel"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Geef je gesprek een titel.")),
            Length(min=5, max=150, message=_l("Een titel heeft 5 tot 150 tekens.")),
        ],
    )


class WritingForm(ForumForm):
    anonymous = BooleanField(
        _l("Zonder naam plaatsen"),
        description=_l(
            "Collega's zien dan ‘een collega uit’ het werkveld. Moderatoren kunnen "
            "zien wie het schreef."
        ),
    )
    research_consent = BooleanField(
        _l("Dit bericht mag gebruikt worden voor onderzoek"),
        description=_l(
            "Onderzoekers van het NJi gebruiken alleen bijdragen met toestemming, zonder je naam. "
            "Staat al klaar zoals in je profiel; je kunt het later bij je bericht veranderen."
        ),
    )
    submission_key = HiddenField(
        validators=[InputRequired(), Regexp(r"^[0-9a-f]{32}$")], default=new_submission_key
    )
    preview = SubmitField(_l("Bekijk voorbeeld"))
    submit = SubmitField(_l("Plaatsen"))

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class ThreadForm(WritingForm):
    setting = SelectField(_l("Werkveld"), coerce=int, validators=[InputRequired()])
    kind = RadioField(
        _l("Soort bijdrage"),
        choices=choice_list((kind.value, label) for kind, label in KIND_LABELS.items()),
        validators=[InputRequired(_l("Kies wat voor bijdrage het is."))],
    )
    title = title_field()
    body = body_field()


class ReplyForm(WritingForm):
    body = body_field(_l("Je reactie"))


class EditPostForm(ForumForm):
    title = title_field()
    body = body_field()
    preview = SubmitField(_l("Bekijk voorbeeld"))
    submit = SubmitField(_l("Opslaan"))

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)
