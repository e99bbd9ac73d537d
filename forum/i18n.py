"""Language choice and how moments read. Strings are written in Dutch (the source language);
English is a catalog.

Order: the person's saved choice, then the ``lang`` cookie, then Dutch. The browser's language is
deliberately not consulted: the forum is Dutch first, and English is a choice a person makes.

Dates: one pattern per kind for both languages, in the forum's time zone (BABEL_DEFAULT_TIMEZONE);
CLDR supplies the month names, so a moment reads "2 dec 2026, 13:00" in Dutch and
"2 Dec 2026, 13:00" in English, never the US "12/2/26, 1:00 PM" that English "short" gives. Every
width maps to the same pattern, so ``|datetimeformat("short")``, ``|datetimeformat`` and
``format_datetime(moment)`` in Python all agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask, has_request_context, request
from flask_babel import get_timezone, gettext, lazy_gettext, ngettext
from flask_login import current_user

from forum.extensions import babel

LANGUAGES = {"nl": "Nederlands", "en": "English"}
LANG_COOKIE = "lang"

MOMENT_PATTERN = "d MMM y, HH:mm"
DAY_PATTERN = "d MMM y"
LONG_DAY_PATTERN = "d MMMM y"  # "2 december 2026": for a single date that stands on its own
TIME_PATTERN = "HH:mm"
WIDTHS = ("short", "medium", "long", "full")
DATE_FORMATS: dict[str, str] = {
    "datetime": "medium",
    "date": "medium",
    "time": "short",
    **{f"datetime.{width}": MOMENT_PATTERN for width in WIDTHS},
    **{f"time.{width}": TIME_PATTERN for width in WIDTHS},
    "date.short": DAY_PATTERN,
    "date.medium": DAY_PATTERN,
    "date.long": LONG_DAY_PATTERN,
    "date.full": LONG_DAY_PATTERN,
}

_ = gettext
_l = lazy_gettext

__all__ = [
    "DATE_FORMATS",
    "LANGUAGES",
    "LANG_COOKIE",
    "_",
    "_l",
    "init_app",
    "local_day_start",
    "ngettext",
    "select_locale",
]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the language choice below and the one date format above."""
    babel.init_app(app, locale_selector=select_locale)
    babel.date_formats.update(DATE_FORMATS)


def select_locale() -> str:
    if not has_request_context():
        return "nl"  # mails and commands choose their language with force_locale
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return "nl"


def local_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone, as a UTC moment."""
    zone = ZoneInfo(str(get_timezone()))
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
