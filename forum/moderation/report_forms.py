"""Forms for bringing a post to a moderator, for removal requests and for the moderators'
decisions on both."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _l
from forum.moderation.models import RemovalStatus, ReportReason, ReportStatus

REASON_LABELS = {
    ReportReason.IDENTIFIABLE: _l("Bevat herleidbare gegevens"),
    ReportReason.CHILD_SAFETY: _l("Zorg over de veiligheid van een kind"),
    ReportReason.DISRESPECTFUL: _l("Niet respectvol"),
    ReportReason.OFF_TOPIC: _l("Hoort hier niet"),
    ReportReason.SPAM: _l("Reclame of spam"),
    ReportReason.OTHER: _l("Iets anders"),
}
REASON_HINTS = {
    ReportReason.IDENTIFIABLE: _l(
        "Een naam, school, woonplaats of ander detail waaraan iemand een kind of ouder herkent."
    ),
    ReportReason.CHILD_SAFETY: _l(
        "Dit forum is geen meldpunt. Volg bij zorgen de meldcode van je organisatie."
    ),
}
REPORT_TEXT_MAX = 1000
MAX_ID = 2**31 - 1


class ReportForm(ForumForm):
    reason = RadioField(
        _l("Waarom leg je dit bericht voor?"),
        choices=choice_list((reason.value, label) for reason, label in REASON_LABELS.items()),
        validators=[InputRequired(_l("Kies een reden."))],
    )
    text = TextAreaField(
        _l("Toelichting (mag leeg blijven, behalve bij ‘Iets anders’)"),
        filters=[strip_text],
        validators=[
            Length(max=REPORT_TEXT_MAX, message=_l("Hoogstens 1000 tekens.")),
        ],
        description=_l("Alleen moderatoren lezen dit. De schrijver ziet niet dat jij het was."),
    )

    def validate_text(self, field: TextAreaField) -> None:
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError(_l("Schrijf kort wat er aan de hand is."))


# --- removal requests -----------------------------------------------------------------------------

PLAIN_ID = re.compile(r"#?\s*(\d{1,10})")
PATH_ID = re.compile(r"(?:.*/)?bericht/(\d{1,10})(?:/voorleggen)?/?")
FRAGMENT_ID = re.compile(r"bericht-(\d{1,10})")
CONTACT_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CONTACT_PHONE = re.compile(r"\+?[\d\s().-]{6,30}")


def post_id_from(text: str) -> int | None:
    """The post a link or number points to: ``34``, ``#34``, ``/bericht/34``,
    ``https://…/gesprek/12#bericht-34``. None when it is not such a reference."""
    text = text.strip()
    if len(text) > 500:
        return None
    match = PLAIN_ID.fullmatch(text)
    if match is None:
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        match = FRAGMENT_ID.fullmatch(parts.fragment) or PATH_ID.fullmatch(parts.path)
    if match is None:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= MAX_ID else None


class RemovalRequestForm(ForumForm):
    post = StringField(
        _l("Om welk bericht gaat het?"),
        filters=[strip_text],
        validators=[DataRequired(_l("Vul de link of het nummer van het bericht in."))],
        description=_l(
            "Plak de link van het bericht (bijvoorbeeld https://…/bericht/34), of vul het nummer "
            "in. Je vindt de link onder het bericht, bij ‘Vraag om verwijdering’."
        ),
    )
    reason = TextAreaField(
        _l("Waarom moet het bericht weg?"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Schrijf kort waarom het bericht weg moet.")),
            Length(max=2000, message=_l("Hoogstens 2000 tekens.")),
        ],
        description=_l(
            "Bijvoorbeeld: ‘Ik herken mijn zoon in dit verhaal.’ Je hoeft geen namen te noemen."
        ),
    )
    contact = StringField(
        _l("Je e-mailadres of telefoonnummer (mag leeg blijven)"),
        filters=[strip_text],
        validators=[Length(max=254, message=_l("Hoogstens 254 tekens."))],
        description=_l(
            "Alleen als je wilt dat een moderator contact met je kan opnemen. Alleen moderatoren "
            "zien dit."
        ),
    )

    def validate_post(self, field: StringField) -> None:
        if field.data and post_id_from(field.data) is None:
            raise ValidationError(
                _l(
                    "Dit is geen link of nummer van een bericht. Plak de link die bij het bericht "
                    "staat, of vul alleen het nummer in."
                )
            )

    def validate_contact(self, field: StringField) -> None:
        value = field.data or ""
        if not value:
            return
        if not (CONTACT_EMAIL.fullmatch(value) or CONTACT_PHONE.fullmatch(value)):
            raise ValidationError(_l("Vul een e-mailadres of telefoonnummer in, of laat dit leeg."))
        if "@" not in value and sum(char.isdigit() for char in value) < 6:
            raise ValidationError(_l("Vul een e-mailadres of telefoonnummer in, of laat dit leeg."))

    @property
    def post_id(self) -> int | None:
        return post_id_from(self.post.data or "")


# --- moderators' decisions ------------------------------------------------------------------------

REPORT_ACTIONS = {
    "keep": ReportStatus.KEPT,
    "hide": ReportStatus.HIDDEN,
    "dismiss": ReportStatus.DISMISSED,
}
REMOVAL_ACTIONS = {
    "removed": RemovalStatus.REMOVED,
    "edited": RemovalStatus.EDITED,
    "restored": RemovalStatus.RESTORED,
}


class ReportDecisionForm(ForumForm):
    """The pressed button (``action``) and an optional note for the author when hiding."""

    action = StringField(validators=[AnyOf(list(REPORT_ACTIONS))])
    reason = TextAreaField(
        _l("Toelichting voor de schrijver (bij verbergen, mag leeg blijven)"),
        filters=[strip_text],
        validators=[Length(max=1000, message=_l("Hoogstens 1000 tekens."))],
    )

    @property
    def outcome(self) -> ReportStatus:
        return REPORT_ACTIONS[self.action.data]


class RemovalDecisionForm(ForumForm):
    action = StringField(validators=[AnyOf(list(REMOVAL_ACTIONS))])
    outcome_text = TextAreaField(
        _l("Uitkomst (verplicht bij terugzetten)"),
        filters=[strip_text],
        validators=[Length(max=1000, message=_l("Hoogstens 1000 tekens."))],
        description=_l("Wat je besloot en waarom. Dit komt bij het verzoek en in het logboek."),
    )

    def validate_outcome_text(self, field: TextAreaField) -> None:
        if self.action.data == "restored" and not field.data:
            raise ValidationError(_l("Schrijf kort waarom het bericht terug kan."))

    @property
    def status(self) -> RemovalStatus:
        return REMOVAL_ACTIONS[self.action.data]
