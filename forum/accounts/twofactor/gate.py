"""The sign-in gate: a signed-in session has passed every step that applies to its person.

After a right password, someone with two-factor sign-in (or staff without it yet) is *held*:
the session is emptied and keeps only ``PENDING`` — who, their session version, "remember me",
where they were going and since when. They are not signed in with Flask-Login; every page but
the step itself sends them to it. The code (or the setup, for staff) completes the sign-in in a
session emptied once more, so nothing from before the password carries over (session fixation).
``PASSED`` then records that this session gave a code.

Before every request that is not served from the page cache (``init_app``), a signed-in session
without ``PASSED`` whose person has two-factor on — a "remember me" cookie, or it was turned on
in another browser — or is staff without it, is held again. The page cache may serve a plain
member's kept page before this check: such a page was made after the check, is kept for that
session alone, and turning two-factor on or getting a role changes what the page cache compares
(``forum.core.memberpages``), so the next request comes here.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user, user_logged_out
from werkzeug.wrappers import Response

from forum import policy
from forum.accounts.models import User
from forum.db import db
from forum.i18n import LANG_COOKIE, _

PENDING = "two_factor_pending"
PASSED = "two_factor_passed"
CODE = "code"
SETUP = "setup"
# The step must be taken within this time after the password.
PENDING_SECONDS = 10 * 60
STEP_ENDPOINTS = {CODE: "accounts.twofactor.code", SETUP: "accounts.twofactor.setup"}
# What a held person may still reach: the steps, giving up, language, static files, health,
# readiness and metrics (a monitor's requests must not depend on a browser session).
OPEN_ENDPOINTS = frozenset(
    {
        *STEP_ENDPOINTS.values(),
        "accounts.twofactor.cancel",
        "accounts.logout",
        "accounts.set_language",
        "accounts.choose_language",
        "core.healthz",
        "observability.readyz",
        "observability.metrics",
        "static",
    }
)


def step_for(user: User) -> str | None:
    """The step a sign-in of this person still needs after the password (None: done)."""
    if user.two_factor_since is not None:
        return CODE
    if policy.must_use_two_factor(user):
        return SETUP
    return None


def missing_step(user: User) -> str | None:
    """The step this signed-in session has not passed yet (None: nothing missing)."""
    if user.two_factor_since is not None and session.get(PASSED) == user.id:
        return None
    return step_for(user)


def hold(user: User, step: str, *, remember: bool, next_url: str | None) -> Response:
    """Put the session in the half-signed-in state and send the person to ``step``."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "version": user.session_version,
        "step": step,
        "remember": remember,
        "next": next_url,
        "since": int(time.time()),
    }
    return redirect(url_for(STEP_ENDPOINTS[step]))


def pending() -> dict[str, Any] | None:
    """The half-signed-in state, if there is one and it is still valid."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or not isinstance(data.get("since"), int):
        return None
    if time.time() - data["since"] > PENDING_SECONDS or data.get("step") not in STEP_ENDPOINTS:
        session.pop(PENDING, None)
        return None
    return data


def pending_person(step: str) -> User | None:
    """Who is halfway through signing in and has ``step`` to take (or None)."""
    data = pending()
    if data is None or data["step"] != step:
        return None
    user = db.session.get(User, data["user"])
    if user is None or not user.is_active or user.session_version != data["version"]:
        session.pop(PENDING, None)
        return None
    return user


def complete(user: User, *, code_given: bool) -> str:
    """Sign the held person in, in a new session; returns where they were going."""
    data = pending() or {}
    session.clear()
    login_user(user, remember=bool(data.get("remember")))
    if code_given:
        session[PASSED] = user.id
    return data.get("next") or url_for("core.index")


def language_cookie(response: Response, user: User) -> Response:
    """A finished sign-in switches the browser to the person's language (as the login does)."""
    response.set_cookie(LANG_COOKIE, user.locale, max_age=365 * 86400, samesite="Lax")
    return response


def signing_in_person_key() -> str:
    """Rate-limit key of the account a code is typed for (held or signed in)."""
    data = pending()
    if data is not None:
        return f"person:{data['user']}"
    if current_user.is_authenticated:
        return f"person:{current_user.id}"
    return f"address:{request.remote_addr or 'unknown'}"


def check_session() -> Response | None:
    """Before each request: hold a session that misses a step; keep a held person at theirs."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        step = missing_step(user)
        if step is None:
            return None
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        next_url = request.full_path.rstrip("?") if request.method == "GET" else None
        response = hold(user, step, remember=remember_cookie in request.cookies, next_url=next_url)
        logout_user()  # after hold(): its "forget the remember cookie" mark must stay
        flash(step_message(step), "info")
        return response
    data = pending()
    if data is not None:
        return redirect(url_for(STEP_ENDPOINTS[data["step"]]))
    return None


def step_message(step: str) -> str:
    if step == SETUP:
        return _(
            "Als moderator, onderzoeker of beheerder log je in met een tweede stap. Stel die nu in."
        )
    return _("Vul de code uit je app in om verder te gaan.")


def forget_passed(_sender: Any, **_signal: Any) -> None:
    """Signing out (or in anew) ends what the code given in this session counted for."""
    session.pop(PASSED, None)


def init_app(app: Flask) -> None:
    """Register the check; call after ``pagecache.init_app`` (see the module docstring)."""
    app.before_request(check_session)
    user_logged_out.connect(forget_passed, app)
