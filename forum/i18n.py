"""Language choice. Strings are written in Dutch (the source language); English is a catalog.

Order: the person's saved choice, then the ``lang`` cookie, then Dutch. The browser's language is
deliberately not consulted: the forum is Dutch first, and English is a choice a person makes.
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

LANGUAGES = {"nl": "Nederlands", "en": "English"}
LANG_COOKIE = "lang"

_ = gettext
_l = lazy_gettext

__all__ = ["LANGUAGES", "LANG_COOKIE", "_", "_l", "ngettext", "select_locale"]


def select_locale() -> str:
    if not has_request_context():
        return "nl"  # mails and commands choose their language with force_locale
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return "nl"
