"""Rules by role: who manages, moderates, researches and writes, and who may act on whom."""

from __future__ import annotations

from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from forum.accounts.models import Role, User, UserRole
from forum.db import db
from forum.i18n import _l
from forum.policy.decisions import ALLOW, Decision, F, deny, has_role, is_suspended, signed_in


def can_manage_people(user: Any) -> Decision:
    return ALLOW if has_role(user, Role.ADMIN) else deny(_l("Alleen beheerders kunnen dit."))


# Roles whose pages show what members wrote before anyone checked it, who wrote without name,
# and research data: signing in to them takes a second step (forum.accounts.twofactor.gate).
STAFF_ROLES = frozenset({Role.MODERATOR, Role.RESEARCHER, Role.ADMIN})


def must_use_two_factor(user: User) -> bool:
    """Moderators, researchers and admins sign in with a second step; for others it is a choice."""
    return not STAFF_ROLES.isdisjoint(user.roles)


def can_moderate(user: Any) -> Decision:
    return ALLOW if has_role(user, Role.MODERATOR) else deny(_l("Alleen moderatoren kunnen dit."))


def moderators(stmt: sa.Select) -> sa.Select:
    """WHERE form of ``can_moderate`` on a select over User: who may moderate (admins too; only
    approved people can sign in)."""
    staff = sa.exists().where(
        UserRole.user_id == User.id, UserRole.role.in_((Role.MODERATOR, Role.ADMIN))
    )
    return stmt.where(User.approved.is_(True), staff)


def moderator_ids(excluding: int | None = None) -> sa.Select:
    """The ids of everyone who may moderate, but ``excluding`` (who acted themselves)."""
    stmt = moderators(sa.select(User.id))
    return stmt if excluding is None else stmt.where(User.id != excluding)


def can_research(user: Any) -> Decision:
    return ALLOW if has_role(user, Role.RESEARCHER) else deny(_l("Alleen onderzoekers kunnen dit."))


def can_write(user: Any) -> Decision:
    """May this person start threads and post? Signed in, address verified, not suspended."""
    if not signed_in(user):
        return deny(_l("Log in om te schrijven."))
    if not user.email_verified:
        return deny(
            _l("Bevestig eerst je e-mailadres via de link in je mail. Daarna kun je schrijven.")
        )
    if is_suspended(user):
        return deny(_l("Je account is geschorst. Je kunt lezen, maar niet schrijven."))
    return ALLOW


def can_manage_settings(user: Any) -> Decision:
    return can_manage_people(user)


def can_act_on_person(user: Any, person: User) -> Decision:
    """Suspend, unsuspend, set "always moderate": moderators for members, admins for anyone
    but themselves."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if person.id == user.id:
        return deny(_l("Dit kun je niet bij jezelf doen."))
    staff = (Role.MODERATOR, Role.ADMIN)
    if any(role in person.roles for role in staff) and Role.ADMIN not in user.roles:
        return deny(_l("Alleen een beheerder kan dit bij een moderator of beheerder doen."))
    return ALLOW


def admins(stmt: sa.Select) -> sa.Select:
    """WHERE form of "is an admin" on a select over UserRole: approved people with the role."""
    approved = sa.select(User.id).where(User.id == UserRole.user_id, User.approved.is_(True))
    return stmt.where(UserRole.role == Role.ADMIN, approved.exists())


def can_reset_two_factor(user: Any, person: User) -> Decision:
    """Take away someone's second step (a lost phone and lost recovery codes): admins, for
    someone else; their own they turn off with a code like everyone."""
    allowed = can_manage_people(user)
    if not allowed:
        return allowed
    if person.id == user.id:
        return deny(_l("Je eigen tweede stap zet je uit bij Mijn profiel, met een code."))
    return ALLOW


def can_delete_account(user: Any, person: User) -> Decision:
    """Delete an account (``forum.accounts.rights.deletion``): your own, or anyone's as an admin.
    The last admin cannot go, or nobody could manage the forum any more; they make someone else
    admin first. (An admin deleting another admin always leaves one: themselves.)"""
    if not signed_in(user) or (person.id != user.id and Role.ADMIN not in user.roles):
        return deny(None)
    if Role.ADMIN in person.roles:
        others = admins(sa.select(sa.func.count())).where(UserRole.user_id != person.id)
        if not db.session.execute(others).scalar():
            return deny(
                _l(
                    "Je bent de enige beheerder. Maak eerst iemand anders beheerder; daarna kun "
                    "je je account verwijderen."
                )
            )
    return ALLOW


def can_manage_moderation_settings(user: Any) -> Decision:
    """Watched words, rejection templates, trust threshold, report limit: admins."""
    return can_manage_people(user)


def researchers_only(view: F) -> F:
    """View decorator for every research page: anyone but a researcher (or admin) gets a 404, so
    visitors, members and moderators do not even learn that the page exists."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not has_role(current_user, Role.RESEARCHER):
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
