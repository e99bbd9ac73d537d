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

import sqlalchemy as sa
from flask import abort, g
from flask_babel.speaklater import LazyString
from flask_login import current_user

from forum.accounts.models import Role, User, UserRole
from forum.core import site
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import login_manager
from forum.i18n import _l

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


# --- named rules ------------------------------------------------------------------------------


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


# --- reading: one rule, in two forms (a predicate and a WHERE clause), tested against each other

# Statuses the author still sees of their own contribution (clearly marked as such).
AUTHOR_SEES = (PostStatus.PENDING, PostStatus.RETURNED, PostStatus.REJECTED)


def can_read_forum(user: Any) -> Decision:
    """May this person read approved discussions at all? Members always; visitors by setting."""
    if signed_in(user) or site.public_read():
        return ALLOW
    return deny(_l("Log in om de gesprekken te lezen."))


def _can_view(user: Any, status: PostStatus, author_id: int | None) -> Decision:
    if has_role(user, Role.MODERATOR):
        return ALLOW
    if status is PostStatus.APPROVED:
        return can_read_forum(user)
    if signed_in(user) and author_id == user.id and status in AUTHOR_SEES:
        return ALLOW
    return deny(None)


def can_view_thread(user: Any, thread: Thread) -> Decision:
    return _can_view(user, thread.status, thread.author_id)


def can_view_post(user: Any, post: Post) -> Decision:
    """Post content: approved for readers, waiting or rejected for its author, all for moderators.

    Within a readable thread a hidden post still takes its place, shown as removed.
    """
    return _can_view(user, post.status, post.author_id)


def _visibility_clause(user: Any, status: Any, author_id: Any) -> sa.ColumnElement[bool]:
    if has_role(user, Role.MODERATOR):
        return sa.true()
    readable = status == PostStatus.APPROVED if can_read_forum(user) else sa.false()
    if not signed_in(user):
        return readable
    own = sa.and_(author_id == user.id, status.in_(AUTHOR_SEES))
    return sa.or_(readable, own)


def visible_threads(stmt: sa.Select, user: Any) -> sa.Select:
    """``can_view_thread`` as a WHERE clause, for queries that fetch threads."""
    return stmt.where(_visibility_clause(user, Thread.status, Thread.author_id))


def visible_posts(stmt: sa.Select, user: Any) -> sa.Select:
    """``can_view_post`` as a WHERE clause."""
    return stmt.where(_visibility_clause(user, Post.status, Post.author_id))


def listed_threads(stmt: sa.Select, user: Any) -> sa.Select:
    """What werkveld pages, the home page and counts list: approved threads the person may read.

    Waiting threads are not mixed into these lists; authors find their own on their own list and
    moderators in the review queue. Keeping lists to one status lets every list use its index.
    """
    if not can_read_forum(user):
        return stmt.where(sa.false())
    return stmt.where(Thread.status == PostStatus.APPROVED)


def own_waiting_threads(stmt: sa.Select, user: Any) -> sa.Select:
    """The person's own threads that are not (yet) approved."""
    if not signed_in(user):
        return stmt.where(sa.false())
    return stmt.where(Thread.author_id == user.id, Thread.status.in_(AUTHOR_SEES))


def can_see_thread_title(user: Any, thread: Thread) -> Decision:
    """A thread's title in a notification: for whoever may read the thread, and for its author
    even when it is hidden or rejected (a notice about their own thread names it)."""
    if can_view_thread(user, thread) or (signed_in(user) and thread.author_id == user.id):
        return ALLOW
    return deny(None)


def _people_clause(status: PostStatus, author_id: int | None) -> sa.ColumnElement[bool]:
    """``_can_view`` for everyone at once: a WHERE over User rows (people who can sign in)."""
    if status is PostStatus.APPROVED:
        return sa.true()  # every signed-in person may read approved discussions
    staff = sa.exists().where(
        UserRole.user_id == User.id, UserRole.role.in_((Role.MODERATOR, Role.ADMIN))
    )
    if author_id is not None and status in AUTHOR_SEES:
        return sa.or_(staff, User.id == author_id)
    return staff


def people_who_can_view(stmt: sa.Select, post: Post) -> sa.Select:
    """WHERE form of ``can_view_thread(person, post.thread) and can_view_post(person, post)`` on a
    select over User: who may be told about ``post`` (notifications, mentions)."""
    thread = post.thread
    return stmt.where(
        User.approved.is_(True),
        _people_clause(thread.status, thread.author_id),
        _people_clause(post.status, post.author_id),
    )


def thread_posts(stmt: sa.Select, user: Any) -> sa.Select:
    """Posts shown on a thread page: what the person may view, plus hidden posts as placeholders."""
    if has_role(user, Role.MODERATOR):
        return stmt
    return stmt.where(
        sa.or_(
            _visibility_clause(user, Post.status, Post.author_id), Post.status == PostStatus.HIDDEN
        )
    )


# --- writing ----------------------------------------------------------------------------------


def can_start_thread(user: Any) -> Decision:
    return can_write(user)


def can_reply(user: Any, thread: Thread) -> Decision:
    allowed = can_write(user)
    if not allowed:
        return allowed
    if thread.locked:
        return deny(_l("Dit gesprek is gesloten. Je kunt niet meer reageren."))
    if thread.status is not PostStatus.APPROVED:
        return deny(_l("Je kunt pas reageren als het gesprek is goedgekeurd."))
    return ALLOW


def can_edit_post(user: Any, post: Post) -> Decision:
    allowed = can_write(user)
    if not allowed:
        return allowed
    if post.author_id != user.id:
        return deny(_l("Je kunt alleen je eigen berichten bewerken."))
    if post.status in (PostStatus.REJECTED, PostStatus.HIDDEN):
        return deny(_l("Dit bericht kan niet meer worden bewerkt."))
    if post.thread.locked and not post.is_waiting:
        return deny(_l("Dit gesprek is gesloten."))
    return ALLOW


def can_delete_post(user: Any, post: Post) -> Decision:
    if not signed_in(user) or post.author_id != user.id:
        return deny(_l("Je kunt alleen je eigen berichten verwijderen."))
    if not post.is_waiting:
        return deny(
            _l("Je kunt een bericht alleen verwijderen zolang het nog niet is goedgekeurd.")
        )
    return ALLOW


def can_see_author(user: Any, post: Post | Thread) -> bool:
    """Names show, except for posts without name: then only their author sees who wrote it.

    Moderators are never kept from it, but must ask (``can_reveal_author``), which is logged.
    """
    return not post.anonymous or (signed_in(user) and post.author_id == user.id)


def can_reveal_author(user: Any, post: Post | Thread) -> Decision:
    if not post.anonymous:
        return deny(None)
    return can_moderate(user)


def can_follow_thread(user: Any, thread: Thread) -> Decision:
    """Follow a thread (notices of its replies): anyone signed in who may read it."""
    if not signed_in(user):
        return deny(_l("Log in om gesprekken te volgen."))
    return can_view_thread(user, thread)


def can_follow_setting(user: Any) -> Decision:
    """Follow a werkveld (notices of its new threads): anyone signed in."""
    return ALLOW if signed_in(user) else deny(_l("Log in om een werkveld te volgen."))


def can_manage_settings(user: Any) -> Decision:
    return can_manage_people(user)


# --- moderation -------------------------------------------------------------------------------

# Statuses a moderator decides on in the review queue.
DECIDABLE = (PostStatus.PENDING,)


def can_decide_post(user: Any, post: Post) -> Decision:
    """Approve, edit-and-approve, return or reject a waiting post (the review queue)."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status not in DECIDABLE:
        return deny(_l("Dit bericht wacht niet op een beoordeling."))
    return ALLOW


def can_mark_finding(user: Any, post: Post, edit: Any = None) -> Decision:
    """Mark a privacy finding "not identifying" (or undo that) while the post, or ``edit``, a
    waiting edit of it, is in the review queue. A note for the team: it decides nothing."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if edit is not None:
        return ALLOW if edit.post_id == post.id else deny(None)
    if post.status not in DECIDABLE:
        return deny(_l("Dit bericht wacht niet meer op een beoordeling."))
    return ALLOW


def can_review_finding_decisions(user: Any) -> Decision:
    """The list of findings marked not identifying, and its download: moderators and admins."""
    return can_moderate(user)


def can_hide_post(user: Any, post: Post) -> Decision:
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status is not PostStatus.APPROVED:
        return deny(_l("Alleen een geplaatst bericht kan worden verborgen."))
    return ALLOW


def can_restore_post(user: Any, post: Post) -> Decision:
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status is not PostStatus.HIDDEN:
        return deny(_l("Dit bericht is niet verborgen."))
    return ALLOW


def can_redact_post(user: Any, post: Post) -> Decision:
    """Edit identifying details out of a published or hidden post (after a report or request)."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status not in (PostStatus.APPROVED, PostStatus.HIDDEN):
        return deny(_l("Een bericht dat wacht, pas je aan in de wachtrij."))
    return ALLOW


def can_manage_thread(user: Any, thread: Thread) -> Decision:
    """Lock, unlock, pin, unpin and move a thread."""
    return can_moderate(user)


def can_report_post(user: Any, post: Post) -> Decision:
    """Bring a post to a moderator (voorleggen): members, on posts of others they can read."""
    allowed = can_write(user)
    if not allowed:
        return allowed
    if post.status is not PostStatus.APPROVED:
        return deny(None)
    if post.author_id == user.id:
        return deny(_l("Je kunt je eigen bericht niet voorleggen. Je kunt het wel bewerken."))
    return ALLOW


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


# --- research ---------------------------------------------------------------------------------


def can_change_post_consent(user: Any, post: Post) -> Decision:
    """Only the author gives or withdraws research consent for their post."""
    if not signed_in(user) or post.author_id != user.id:
        return deny(None)
    return ALLOW


def can_edit_memo(user: Any, memo: Any) -> Decision:
    """Researchers edit their own memos only."""
    if not has_role(user, Role.RESEARCHER) or memo.author_id != user.id:
        return deny(None)
    return ALLOW


def researchers_only(view: F) -> F:
    """View decorator for every research page: anyone but a researcher (or admin) gets a 404, so
    visitors, members and moderators do not even learn that the page exists."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not has_role(current_user, Role.RESEARCHER):
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


# --- own data (AVG right of access) -------------------------------------------------------------


def can_ask_own_data(user: Any) -> Decision:
    """Download everything the forum holds about you: anyone signed in, a suspended member too
    (the right of access does not depend on how someone behaved)."""
    return ALLOW if signed_in(user) else deny(_l("Log in om je gegevens te downloaden."))


def can_download_own_data(user: Any, download: Any) -> Decision:
    """A download's link works for the person it was made for only; to anyone else it does not
    exist, staff included."""
    if signed_in(user) and download.user_id == user.id:
        return ALLOW
    return deny(None)


def own_post_text_in_download(user: Any, post: Post) -> bool:
    """A post's text (and its earlier versions) goes in its author's download when the forum
    shows it to them: approved, waiting, returned or rejected; a hidden post's text only for
    moderators, as on the forum. Every post of theirs is listed, with its status and dates."""
    return signed_in(user) and post.author_id == user.id and bool(can_view_post(user, post))


def can_manage_moderation_settings(user: Any) -> Decision:
    """Watched words, rejection templates, trust threshold, report limit: admins."""
    return can_manage_people(user)


RULES: dict[str, Callable[..., Decision]] = {
    "manage_people": can_manage_people,
    "manage_settings": can_manage_settings,
    "moderate": can_moderate,
    "read_forum": can_read_forum,
    "research": can_research,
    "write": can_write,
    "start_thread": can_start_thread,
    "reply": can_reply,
    "edit_post": can_edit_post,
    "delete_post": can_delete_post,
    "view_post": can_view_post,
    "reveal_author": can_reveal_author,
    "see_author": lambda user, post: Decision(can_see_author(user, post)),
    "see_thread_title": can_see_thread_title,
    "follow_thread": can_follow_thread,
    "follow_setting": can_follow_setting,
    "decide_post": can_decide_post,
    "mark_finding": can_mark_finding,
    "review_finding_decisions": can_review_finding_decisions,
    "hide_post": can_hide_post,
    "restore_post": can_restore_post,
    "redact_post": can_redact_post,
    "manage_thread": can_manage_thread,
    "report_post": can_report_post,
    "act_on_person": can_act_on_person,
    "delete_account": can_delete_account,
    "manage_moderation_settings": can_manage_moderation_settings,
    "change_post_consent": can_change_post_consent,
}


def can(rule: str, *args: Any) -> bool:
    """Template helper: ``can('moderate')`` asks the rule for the current person."""
    # The person once, not a proxy look-up in every rule it passes through (hundreds a page).
    return bool(RULES[rule](current_user._get_current_object(), *args))


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
