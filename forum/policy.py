"""Who may see and do what. Every permission rule of the forum lives in this module.

Views call ``require(can_…(…))``, templates ask ``can('…', …)``, and queries use the ``visible_…``
filters, so a rule is written once. A ``Decision`` is truthy when allowed; a denial may carry a
reason a person can act on (shown on a 403 page). A denial without reason becomes a 404, so the
existence of something hidden is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user

from forum.accounts.models import Role, User
from forum.db import utcnow
from forum.extensions import login_manager
from forum.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str | None = None) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    """Stop the request unless allowed: 403 with the reason, or 404 when there is none."""
    if not decision:
        g.denial_reason = decision.reason
        abort(403 if decision.reason else 404)


def signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def has_role(user: Any, role: Role) -> bool:
    """Admins hold every privilege; other roles only their own."""
    if not signed_in(user):
        return False
    return role in user.roles or Role.ADMIN in user.roles


def is_suspended(user: User) -> bool:
    if user.suspended_indefinitely:
        return True
    return user.suspended_until is not None and user.suspended_until > utcnow()


# --- named rules ------------------------------------------------------------------------------


def can_manage_people(user: Any) -> Decision:
    return ALLOW if has_role(user, Role.ADMIN) else deny(_("Alleen beheerders kunnen dit."))


def can_moderate(user: Any) -> Decision:
    return ALLOW if has_role(user, Role.MODERATOR) else deny(_("Alleen moderatoren kunnen dit."))


def can_research(user: Any) -> Decision:
    return ALLOW if has_role(user, Role.RESEARCHER) else deny(_("Alleen onderzoekers kunnen dit."))


def can_write(user: Any) -> Decision:
    """May this person start threads and post? Signed in, address verified, not suspended."""
    if not signed_in(user):
        return deny(_("Log in om te schrijven."))
    if not user.email_verified:
        return deny(
            _("Bevestig eerst je e-mailadres via de link in je mail. Daarna kun je schrijven.")
        )
    if is_suspended(user):
        return deny(_("Je account is geschorst. Je kunt lezen, maar niet schrijven."))
    return ALLOW


RULES: dict[str, Callable[..., Decision]] = {
    "manage_people": can_manage_people,
    "moderate": can_moderate,
    "research": can_research,
    "write": can_write,
}


def can(rule: str, *args: Any) -> bool:
    """Template helper: ``can('moderate')`` asks the rule for the current person."""
    return bool(RULES[rule](current_user, *args))


def rule_required(rule: Callable[[Any], Decision]) -> Callable[[F], F]:
    """View decorator: log in first (visitors are sent to the login page), then apply ``rule``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not signed_in(current_user):
                return login_manager.unauthorized()
            require(rule(current_user))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
