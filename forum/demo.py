"""Demo accounts and content for ``make run``: one account per role plus a new member, passwords
generated once and kept in instance/; threads written through the real writing and moderation
services, so the queue shows what screening and moderators really decided."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyotp
import sqlalchemy as sa
from flask import current_app

from forum.accounts import services as accounts
from forum.accounts.models import Profession, Role, User
from forum.audit import AuditEntry
from forum.core.queries import active_settings
from forum.db import db, utcnow

if TYPE_CHECKING:
    from forum.discussions.models import Post

# Demo members who gave research consent in their profile (their demo posts carry it).
CONSENTING = {"lid@example.org", "pm@example.org"}

DEMO_ACCOUNTS = [
    ("beheer@example.org", "Beheerder Bram", [Role.ADMIN], Profession.ANDERS),
    (
        "moderator@example.org",
        "Moderator Mila",
        [Role.MODERATOR],
        Profession.PEDAGOGISCH_MEDEWERKER,
    ),
    ("onderzoek@example.org", "Onderzoeker Omar", [Role.RESEARCHER], Profession.ANDERS),
    ("lid@example.org", "Leerkracht Lotte", [], Profession.LEERKRACHT),
    ("pm@example.org", "Pedagogisch medewerker Pim", [], Profession.PEDAGOGISCH_MEDEWERKER),
    ("jongerenwerk@example.org", "Jongerenwerker Jay", [], Profession.JONGERENWERKER),
    # Joins at the end of the demo weeks: her posts show why a new member's posts wait.
    ("gastouder@example.org", "Gastouder Gea", [], Profession.GASTOUDER),
]
# Decides on the demo posts that screening holds, as the data asks.
DEMO_MODERATOR = "moderator@example.org"
DEMO_WEEKS = timedelta(days=40)


def demo_passwords_file() -> Path:
    return Path(current_app.instance_path) / "demo-accounts.json"


def demo_two_factor_file() -> Path:
    """The demo staff's authenticator keys, beside their passwords (only on this machine)."""
    return demo_passwords_file().with_name("demo-two-factor.json")


def write_private(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    path.chmod(0o600)


def load_demo(echo: Callable[[str], None] = print) -> None:
    path = demo_passwords_file()
    passwords: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    settings = active_settings()
    for index, (email, name, roles, profession) in enumerate(DEMO_ACCOUNTS):
        if accounts.user_by_email(email) is not None:
            continue
        password = passwords.get(email) or secrets.token_urlsafe(9)
        accounts.create_user(
            email,
            name,
            password,
            roles,
            settings[index % len(settings)],
            profession=profession,
            research_consent=email in CONSENTING,
        )
        passwords[email] = password
    keys = enrol_demo_staff()
    db.session.commit()
    write_private(path, passwords)
    echo("Demo accounts (only for trying the forum out on this machine):")
    for email, name, roles, _profession in DEMO_ACCOUNTS:
        role_text = ", ".join(role.value for role in roles) or "member"
        echo(
            f"  {role_text:<11} {email:<28} password: {passwords.get(email, '(set elsewhere)')}"
            f"   ({name})"
        )
    echo_two_factor(keys, echo)


def enrol_demo_staff() -> dict[str, str]:
    """Staff sign in with a second step: the demo staff get an authenticator key, made once and
    kept in instance/, unless they set up two-factor sign-in of their own since."""
    from forum.accounts.twofactor import services as twofactor

    path = demo_two_factor_file()
    keys: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    for email, _name, roles, _profession in DEMO_ACCOUNTS:
        user = accounts.user_by_email(email)
        if not roles or user is None:
            continue
        if user.two_factor_since is None:
            keys[email] = keys.get(email) or pyotp.random_base32()
            twofactor.enrol(user, keys[email])
        elif keys.get(email) != getattr(twofactor.secret_of(user), "secret", None):
            keys.pop(email, None)  # set up with their own app: not ours to show
    write_private(path, keys)
    return keys


def echo_two_factor(keys: dict[str, str], echo: Callable[[str], None]) -> None:
    if not keys:
        return
    echo("")
    echo("Staff accounts sign in with a second step, a 6-digit code. Add a key below to an")
    echo("authenticator app (type: time-based), or see the current codes with:")
    echo("  .venv/bin/flask --app forum demo-codes")
    for email, key in keys.items():
        echo(f"  {email:<28} key: {key}")


def demo_codes() -> dict[str, str]:
    """The code each demo staff account's app would show now (from the keys in instance/)."""
    path = demo_two_factor_file()
    keys: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    return {email: pyotp.TOTP(key).now() for email, key in keys.items()}


class DemoDataError(RuntimeError):
    """The demo data asks for what the real rules do not give: fix the data, not the rules."""


def load_demo_content(echo: Callable[[str], None] = print) -> None:
    """Demo threads and replies (once: nothing is added when threads exist already).

    Each post is written by its author through the writing service, in time order, so screening
    decides whether it waits and stores why. The demo moderator then does what the data says
    (``status``) through the queue's services: approve what screening held, return with a
    ``note``, reject with a ``reason``; ``always_moderate`` (a reason) sets the author to always
    moderate after that decision. A post the data wants waiting that screening publishes is an
    error in the data. Times are moved back over the past weeks afterwards (``stamp``).
    """
    from forum import privacy
    from forum.demo_content import DEMO_THREADS
    from forum.discussions import services
    from forum.discussions.models import PostStatus, Thread, ThreadKind

    if db.session.execute(db.select(Thread.id).limit(1)).first() is not None:
        echo("Demo content: threads exist already, nothing added.")
        return
    # Without the privacy check every post would wait as "check unavailable": load it first.
    privacy.load_model()
    # Watched words screen the posts below, so they exist before the first post is written.
    load_moderation_examples()
    db.session.flush()
    moderator = demo_user(DEMO_MODERATOR)
    settings = {setting.slug: setting for setting in active_settings()}
    step = DEMO_WEEKS / (sum(1 + len(item.get("replies", [])) for item in DEMO_THREADS) + 1)
    moment = utcnow() - DEMO_WEEKS
    pinned: set[str] = set()
    for item in DEMO_THREADS:
        moment += step
        opening = services.start_thread(
            demo_user(item["author"]),
            settings[item["setting"]],
            ThreadKind(item["kind"]),
            item["title"],
            item["body"],
            anonymous=item.get("anonymous", False),
        )
        decide(opening, item, moderator, moment, step)
        if item["setting"] not in pinned and opening.status is PostStatus.APPROVED:
            opening.thread.pinned = True
            pinned.add(item["setting"])
        if item.get("replies") and opening.status is not PostStatus.APPROVED:
            raise DemoDataError(f"{item['title']!r}: replies to a thread that is not published")
        for answer in item.get("replies", []):
            moment += step
            post = services.reply(
                opening.thread,
                demo_user(answer["author"]),
                answer["body"],
                anonymous=answer.get("anonymous", False),
            )
            decide(post, answer, moderator, moment, step)
    db.session.flush()
    services.recount()
    load_starter_codes()
    db.session.commit()
    echo(f"Demo content: {len(DEMO_THREADS)} threads loaded.")


def demo_user(email: str) -> User:
    user = accounts.user_by_email(email)
    if user is None:
        raise DemoDataError(f"{email}: not a demo account")
    return user


def decide(
    post: Post, item: dict[str, Any], moderator: User, moment: datetime, step: timedelta
) -> None:
    """Give a screened demo post the outcome the data asks for, through the queue's services."""
    from forum.discussions.models import PostStatus
    from forum.moderation import actions, queue

    wanted = PostStatus(item.get("status", PostStatus.APPROVED.value))
    decisions = {
        PostStatus.APPROVED: lambda: queue.approve(post, moderator),
        PostStatus.RETURNED: lambda: queue.return_post(post, moderator, item["note"]),
        PostStatus.REJECTED: lambda: queue.reject(post, moderator, item["reason"]),
    }
    if wanted is not PostStatus.PENDING and wanted not in decisions:
        raise DemoDataError(f"{wanted.value}: not an outcome the demo data can ask for")
    if post.status is PostStatus.APPROVED and wanted is not PostStatus.APPROVED:
        raise DemoDataError(
            f"{post.body_text[:60]!r}: screening publishes this post; give it a reason to wait"
        )
    if post.status is PostStatus.PENDING and wanted in decisions and not decisions[wanted]().done:
        raise DemoDataError(f"{post.body_text[:60]!r}: the moderator's decision was not taken")
    # The moderator decides a while after the post was written, before the next one comes in.
    decided = moment + step / 2
    if item.get("always_moderate"):
        author = post.author
        actions.set_always_moderate(author, moderator, True, item["always_moderate"])
        stamp_records(decided, AuditEntry.target_type == "user", AuditEntry.target_id == author.id)
    stamp(post, moment, decided)


def load_starter_codes() -> None:
    from forum.research.codebook import load_starter_codes as load

    load()


def load_moderation_examples() -> None:
    """Rejection templates and watched words, so the moderation pages have something to show."""
    from forum.demo_content import DEMO_REJECTION_TEMPLATES, DEMO_WATCHED_WORDS
    from forum.moderation.models import RejectionTemplate, WatchedWord
    from forum.screening import WatchedAction

    for position, (title, text) in enumerate(DEMO_REJECTION_TEMPLATES):
        db.session.add(RejectionTemplate(title=title, text=text, position=position))
    for phrase, action in DEMO_WATCHED_WORDS:
        db.session.add(WatchedWord(phrase=phrase, whole_word=True, action=WatchedAction(action)))


def stamp(post: Post, moment: datetime, decided: datetime) -> None:
    """Move a demo post back in time (``recount`` then rebuilds the activity times): written at
    ``moment``, and a moderator's decision on it, with what it recorded, at ``decided``."""
    from forum.notifications.models import Notification

    by_moderator = post.handled_at is not None
    post.created_at = moment
    if post.approved_at is not None:
        post.approved_at = decided if by_moderator else moment
    if by_moderator:
        post.handled_at = decided
    if post.is_opening:
        post.thread.created_at = moment
        post.thread.last_activity_at = moment
    stamp_records(decided, AuditEntry.target_type == "post", AuditEntry.target_id == post.id)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.post_id == post.id)
        .values(created_at=decided)
        .execution_options(synchronize_session=False)
    )


def stamp_records(moment: datetime, *where: sa.ColumnElement[bool]) -> None:
    """The audit entries of a demo decision happened when the decision did, not today."""
    db.session.execute(
        sa.update(AuditEntry)
        .where(*where)
        .values(created_at=moment)
        .execution_options(synchronize_session=False)
    )
