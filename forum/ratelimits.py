"""Per-person rate limits for writing: posting, editing and bringing posts to a moderator.

Limits count per signed-in person (per address for visitors), so colleagues behind one school
network do not share a limit. Going over shows the friendly 429 page (``forum.errors``).
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from werkzeug.wrappers import Response

# Generous for people, tight for scripts.
POSTING = "10 per 10 minutes;60 per day"
REPORTING = "10 per hour;30 per day"
REMOVAL_REQUESTS = "5 per hour;20 per day"
# The second sign-in step (and turning it off): wrong codes only, per account and per address.
# A code has a million values; 20 wrong ones a day leave a guesser about 1 chance in 16,000.
TWO_FACTOR_PER_ACCOUNT = "5 per 5 minutes;20 per day"
TWO_FACTOR_PER_ADDRESS = "30 per hour;100 per day"


def per_person() -> str:
    if current_user.is_authenticated:
        return f"person:{current_user.id}"
    return f"address:{request.remote_addr or 'unknown'}"


def only_when_stored(response: Response) -> bool:
    """Count a submission only when it was stored (a redirect), not a preview or a form error."""
    return response.status_code in (302, 303)


def only_when_refused(response: Response) -> bool:
    """Count an attempt only when it was refused (a wrong code), not a page view or a success."""
    return response.status_code == 400
