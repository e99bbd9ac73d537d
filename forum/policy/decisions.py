"""A rule's answer (``Decision``) and the helpers every rule is built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_babel.speaklater import LazyString
from flask_login import current_user

from forum.accounts.models import Role, User
from forum.db import utcnow
from forum.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Decision:
    """``reason`` is translated only when shown: templates ask hundreds of rules per page and
    most answers are denials nobody reads."""

    allowed: bool
    reason: str | LazyString | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str | LazyString | None = None) -> Decision:
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
