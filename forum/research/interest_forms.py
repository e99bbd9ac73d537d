"""Forms for Meedenken: the public sign-up, the researchers' filter and the removal confirmation."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum.accounts.forms import PROFESSION_LABELS, email_field, profession_field
from forum.accounts.models import Profession
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _l
from forum.research.interest import Filters

NAME_MAX = 100
TOPIC_MAX = 2000


class InterestForm(ForumForm):
    name = StringField(
        _l("Je naam"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Vul je naam in.")),
            Length(max=NAME_MAX, message=_l("Een naam heeft hoogstens 100 tekens.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    profession = profession_field()
    setting = SelectField(
        _l("Je werkveld"), coerce=int, validators=[InputRequired(_l("Kies je werkveld."))]
    )
    topic = TextAreaField(
        _l("Waarover zou je willen praten?"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Schrijf kort waarover je zou willen praten.")),
            Length(max=TOPIC_MAX, message=_l("Hoogstens 2000 tekens.")),
        ],
        description=_l(
            "Bijvoorbeeld: ‘Hoe je samen met ouders een overstap naar school voorbereidt.’ "
            "Noem geen namen van kinderen of ouders."
        ),
        render_kw={"rows": 5},
    )
    consent = BooleanField(
        _l("Ja, het NJi mag contact met me opnemen om mee te denken"),
        validators=[
            DataRequired(_l("Zonder deze toestemming kunnen we geen contact met je opnemen."))
        ],
    )


CONTACTED_CHOICES = {"": None, "ja": True, "nee": False}


class InterestFilterForm(ForumForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    werkveld = SelectField(_l("Werkveld"), validators=[Optional()])
    beroep = SelectField(
        _l("Beroep"),
        choices=choice_list(
            [("", _l("Alle beroepen")), *((p.value, lbl) for p, lbl in PROFESSION_LABELS.items())]
        ),
        validators=[Optional()],
    )
    benaderd = SelectField(
        _l("Benaderd"),
        choices=choice_list(
            [("", _l("Iedereen")), ("ja", _l("Al benaderd")), ("nee", _l("Nog niet benaderd"))]
        ),
        validators=[Optional()],
    )

    def filters(self) -> Filters:
        """The chosen filter (call after ``validate``)."""
        return Filters(
            setting_id=int(self.werkveld.data) if self.werkveld.data else None,
            profession=Profession(self.beroep.data) if self.beroep.data else None,
            contacted=CONTACTED_CHOICES.get(self.benaderd.data or ""),
        )


class RemoveEntryForm(ForumForm):
    confirm = BooleanField(
        _l("Ja, verwijder deze aanmelding helemaal"),
        validators=[DataRequired(_l("Vink aan dat je de aanmelding wilt verwijderen."))],
    )
    reason = StringField(
        _l("Hoe kwam het verzoek binnen? (mag leeg blijven)"),
        filters=[strip_text],
        validators=[Length(max=500, message=_l("Hoogstens 500 tekens."))],
        description=_l(
            "Bijvoorbeeld: ‘per mail aan privacy@nji.nl’. Dit komt in het logboek; schrijf er "
            "geen naam of e-mailadres in."
        ),
    )
