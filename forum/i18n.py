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
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import flask_babel
from babel import dates
from babel.support import NullTranslations
from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import get_timezone
from flask_babel.speaklater import LazyString
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


def translations() -> NullTranslations:
    """The catalog of this request's language, looked up once per request and language.

    Flask-Babel finds it again for every string (about 10 µs each); a page has hundreds. The
    entry is keyed on the locale object Flask-Babel holds, which ``force_locale`` replaces (and
    puts back), so a mail in another language inside a request still gets its own catalog.
    """
    if not has_app_context():
        return flask_babel.get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None) if state is not None else None
    cached = g.get("_forum_catalog")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    catalog = flask_babel.get_translations()
    g._forum_catalog = (g._flask_babel.babel_locale, catalog)
    return catalog


def gettext(string: str, **variables: Any) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    return LazyString(gettext, string, **variables)


_ = gettext
_l = lazy_gettext

__all__ = [
    "DATE_FORMATS",
    "LANGUAGES",
    "LANG_COOKIE",
    "_",
    "_l",
    "format_datetime",
    "init_app",
    "local_day_start",
    "ngettext",
    "select_locale",
]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the language choice below and the one date format above."""
    babel.init_app(app, locale_selector=select_locale)
    babel.date_formats.update(DATE_FORMATS)
    # Templates use the same quick look-ups as the code (Flask-Babel installs slower ones).
    app.jinja_env.install_gettext_callables(
        lambda string: translations().ugettext(string),
        lambda singular, plural, num: translations().ungettext(singular, plural, num),
        newstyle=True,
    )
    app.jinja_env.filters["datetimeformat"] = format_datetime


def format_datetime(moment: datetime, format: str | None = None) -> str:
    """A moment in the reader's language and the site's time zone (``|datetimeformat`` too).

    The same moments come back on every page view, so each is formatted once per language.
    """
    width = format or "medium"
    pattern = DATE_FORMATS.get(f"datetime.{width}", width)
    return _formatted(moment, pattern, str(flask_babel.get_locale()), get_timezone())


@lru_cache(maxsize=8192)
def _formatted(moment: datetime, pattern: str, locale: str, zone: Any) -> str:
    return dates.format_datetime(moment, pattern, tzinfo=zone, locale=locale)


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
