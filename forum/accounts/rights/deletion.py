"""Deleting an account (AVG art. 17): everything the forum holds about a person, erased in the
transaction that deletes them (the view commits once). The person asks, confirming with their
password, or an admin does it for them, confirming with their own.

What goes and what stays:

- **Their own rows**: the account, roles, links (also invitations sent to their address),
  consent history, notices, follows, read positions, notification settings, waiting edits,
  mails to them (sent or not) and their entry on the interest list (same address). Every table
  with a foreign key to ``users`` is handled from the schema itself (``ON DELETE CASCADE`` rows
  are deleted, ``SET NULL`` columns cleared), so a table added later is covered too.
- **Where they acted** (moderation decisions, reports they made, codings, memos, projects,
  exports, the audit log): the row stays and names nobody ("een oud-lid"). The audit log keeps
  the deletion without personal data, and rows about the person lose their id, address and name
  (``audit.forget_person``). Mails to others that name them are deleted when sent, scrubbed when
  still waiting.
- **Their posts**, as they chose (``PostChoice``). ``KEEP``: published and hidden posts stay,
  without a name; what never reached colleagues (waiting, returned, rejected) goes. ``REMOVE``:
  every post goes, except an opening post that others replied to: its text and title become
  ``REMOVED_BODY`` / ``REMOVED_TITLE`` and its codings and findings go, so the replies still read
  in order. Other members' words are theirs and stay (an ``@mention`` of the name included).
- **Research**: consent can only be shown and withdrawn through an account, so it ends for every
  post that stays; those posts are placeholders in later exports, and the export log lists them
  as withdrawn ("account verwijderd", ``research.projects.withdrawn_after_export``). Pseudonyms
  are a keyed hash of the id, and ids are never given twice (``users`` is ``AUTOINCREMENT`` on
  SQLite, migration 0015; a sequence on PostgreSQL), so theirs can never appear again.
- **Sessions**: every session ends, because the row they point to is gone; the view logs out
  the browser that asked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import escape
from werkzeug.security import check_password_hash

from forum import audit, policy
from forum.accounts.models import EmailToken, Role, User, UserRole
from forum.accounts.services import AccountError
from forum.db import db
from forum.discussions import services as discussions
from forum.discussions.checks import render
from forum.discussions.models import Post, PostStatus
from forum.i18n import _
from forum.moderation.models import FindingDecision, PendingEdit, RemovalRequest
from forum.notifications.outbox import OutboxMessage
from forum.research.models import InterestEntry, PassageCoding

REMOVED_BODY = "*De schrijver heeft het account verwijderd, en dit bericht ook.*"
REMOVED_TITLE = "Onderwerp verwijderd door de schrijver"
PUBLISHED = (PostStatus.APPROVED, PostStatus.HIDDEN)
# Rows that point at a person and are cleared last: the member-page triggers (migration 0012)
# note a person again whenever one of their own rows is deleted before.
LAST = ("page_versions",)


class PostChoice(enum.StrEnum):
    KEEP = "keep"
    REMOVE = "remove"


@dataclass(frozen=True)
class Deleted:
    kept: int
    removed: int
    emptied: int


@dataclass(frozen=True)
class Identity:
    """What identifies the person, kept only while their rows are being erased."""

    id: int
    email: str
    name: str

    @classmethod
    def of(cls, person: User) -> Identity:
        return cls(person.id, person.email_normalized, person.display_name)


def delete_account(person: User, actor: User, choice: PostChoice, password: str) -> Deleted:
    """Erase ``person`` (``actor`` is the person themselves or an admin, confirming with their
    own password). Raises ``AccountError`` when it may not; flushes, never commits."""
    # Admins' role rows stay locked until the commit (PostgreSQL), so two last admins deleting
    # themselves at the same moment cannot both pass the check below.
    db.session.execute(
        sa.select(UserRole.user_id).where(UserRole.role == Role.ADMIN).with_for_update()
    )
    decision = policy.can_delete_account(actor, person)
    if not decision:
        raise AccountError(str(decision.reason or _("Dit account kun je niet verwijderen.")))
    if not check_password_hash(actor.password_hash, password):
        raise AccountError(_("Dit wachtwoord klopt niet."), field="password")
    who = Identity.of(person)
    by_admin = actor.id != person.id
    result = handle_posts(who.id, choice)
    erase_rows(who)
    audit.forget_person(who.id, who.email, who.name)
    clear_references(who.id)
    db.session.expunge(person)
    db.session.execute(sa.delete(User).where(User.id == who.id))
    audit.record(
        actor if by_admin else None,
        "user.deleted",
        "user",
        None,
        data={
            **({} if by_admin else {audit.ACTOR_FIELD: audit.FORMER_MEMBER}),
            "by": "admin" if by_admin else "self",
            "posts": choice.value,
            "posts_kept": result.kept,
            "posts_removed": result.removed,
            "posts_emptied": result.emptied,
        },
    )
    db.session.flush()
    return result


def handle_posts(user_id: int, choice: PostChoice) -> Deleted:
    """Keep, remove or empty each of the person's posts (replies before opening posts, so an
    opening post knows whether anyone else is left in its thread); consent ends for what stays."""
    posts = db.session.execute(
        sa.select(Post)
        .where(Post.author_id == user_id)
        .order_by(Post.is_opening, Post.created_at, Post.id)
    ).scalars()
    kept = removed = emptied = 0
    for post in list(posts):
        if choice is PostChoice.KEEP and post.status in PUBLISHED:
            kept += 1
        elif post.is_opening and discussions.others_wrote_in(post):
            empty_opening_post(post)
            emptied += 1
        else:
            discussions.remove_post(post)
            removed += 1
    db.session.execute(
        sa.update(Post)
        .where(Post.author_id == user_id)
        .values(research_consent=False)
        .execution_options(synchronize_session=False)
    )
    return Deleted(kept, removed, emptied)


def empty_opening_post(post: Post) -> None:
    """What stays of an opening post its writer removed while others replied: a placeholder."""
    discussions.empty_post(post, render(REMOVED_BODY), REMOVED_TITLE)
    for model in (PassageCoding, FindingDecision):
        db.session.execute(sa.delete(model).where(model.post_id == post.id))


def erase_rows(who: Identity) -> None:
    """Rows about the person that the schema alone does not tie to their id."""
    db.session.execute(sa.delete(PendingEdit).where(PendingEdit.editor_id == who.id))
    db.session.execute(sa.delete(EmailToken).where(EmailToken.email_normalized == who.email))
    db.session.execute(sa.delete(InterestEntry).where(InterestEntry.email_normalized == who.email))
    db.session.execute(
        sa.update(RemovalRequest)
        .where(sa.func.lower(RemovalRequest.contact) == who.email)
        .values(contact=None)
        .execution_options(synchronize_session=False)
    )
    forget_mail(who)


def forget_mail(who: Identity) -> None:
    """Mails to the person go, sent or not; mails to others that name them (an invitation from
    them, say) go once sent and lose the name while they wait."""
    to_them = sa.or_(
        OutboxMessage.recipient_id == who.id, sa.func.lower(OutboxMessage.to_address) == who.email
    )
    db.session.execute(sa.delete(OutboxMessage).where(to_them))
    needles = [who.email, who.name, str(escape(who.name))]
    columns = (OutboxMessage.subject, OutboxMessage.body, OutboxMessage.html_body)
    naming = sa.or_(*(audit.mentions(column, needle) for column in columns for needle in needles))
    for message in db.session.execute(sa.select(OutboxMessage).where(naming)).scalars():
        if message.sent_at is not None:
            db.session.delete(message)
            continue
        message.subject = audit.replace_person(message.subject, needles)
        message.body = audit.replace_person(message.body, needles)
        if message.html_body:
            message.html_body = audit.replace_person(message.html_body, needles)
    db.session.flush()


def clear_references(user_id: int) -> None:
    """Every foreign key to ``users.id``, from the schema: delete the rows of ``CASCADE`` keys,
    clear ``SET NULL`` ones. Runs before the person's row goes, so it does not depend on the
    database enforcing its keys (SQLite only does with ``PRAGMA foreign_keys``)."""
    users_id = User.__table__.c.id
    keys = [
        (table, fk)
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column is users_id and table.name != "users"
    ]
    keys.sort(key=lambda pair: pair[0].name in LAST)
    for table, fk in keys:
        column = fk.parent
        if (fk.ondelete or "").upper() == "CASCADE":
            db.session.execute(sa.delete(table).where(column == user_id))
        elif (fk.ondelete or "").upper() == "SET NULL":
            db.session.execute(sa.update(table).where(column == user_id).values({column: None}))
        else:  # a new table must say what happens to its rows (tests check every key)
            raise RuntimeError(f"{table.name}.{column.name}: no ON DELETE rule for a person")
