"""The notification settings form (/account/meldingen), the follow buttons and the read mark."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange

from forum.forms import ForumForm, choice_list
from forum.i18n import _l
from forum.notifications.models import MailFrequency

MAIL_CHOICES = choice_list(
    [
        (MailFrequency.IMMEDIATELY.value, _l("Meteen, in een aparte mail")),
        (MailFrequency.DAILY.value, _l("In een dagelijks overzicht")),
        (MailFrequency.WEEKLY.value, _l("In een wekelijks overzicht")),
        (MailFrequency.NEVER.value, _l("Nooit")),
    ]
)
# Where a follow button sends you back to, besides the page it is on.
BACK_TO_SETTINGS = "instellingen"


class NotificationSettingsForm(ForumForm):
    auto_follow = BooleanField(
        _l("Volg een gesprek vanzelf als je het begint of erop reageert"),
        description=_l(
            "Je krijgt dan een melding bij elke nieuwe reactie. Reageer je op een gesprek dat je "
            "niet meer volgde, dan volg je het weer."
        ),
    )
    mail_replies = RadioField(
        _l("Mail over nieuwe reacties in gesprekken die je volgt"),
        choices=MAIL_CHOICES,
        validators=[InputRequired(_l("Kies hoe vaak je mail wilt."))],
    )
    mail_mentions = RadioField(
        _l("Mail als iemand je noemt in een bericht"),
        choices=MAIL_CHOICES,
        validators=[InputRequired(_l("Kies hoe vaak je mail wilt."))],
    )
    # Removed from the form for anyone who does not moderate (``settings`` view).
    queue_digest = BooleanField(
        _l("Stuur me elke dag een overzicht van wat er in ‘Te beoordelen’ wacht"),
    )


class ReadMarkForm(ForumForm):
    """A thread page's "read up to here" (sent by static/js/reading.js, or pressed)."""

    bericht = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    einde = BooleanField()


class FollowForm(ForumForm):
    """A follow or unfollow button: only the CSRF token, and where to go back to."""

    back = HiddenField()
