"""Demo accounts for ``make run``: one per role, passwords generated once and kept in instance/."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from forum.accounts import services as accounts
from forum.accounts.models import Profession, Role
from forum.core.queries import active_settings
from forum.db import db, utcnow

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
]


def demo_passwords_file() -> Path:
    return Path(current_app.instance_path) / "demo-accounts.json"


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
    db.session.commit()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(passwords, indent=2))
    path.chmod(0o600)
    echo("Demo accounts (only for trying the forum out on this machine):")
    for email, name, roles, _profession in DEMO_ACCOUNTS:
        role_text = ", ".join(role.value for role in roles) or "member"
        echo(
            f"  {role_text:<11} {email:<28} password: {passwords.get(email, '(set elsewhere)')}"
            f"   ({name})"
        )


def load_demo_content(echo: Callable[[str], None] = print) -> None:
    """Demo threads and replies (once: nothing is added when threads exist already).

    Statuses are set as the demo data says, and times are spread over the past weeks, so the
    lists, the counters and the moderators' queue look like a forum in use.
    """
    from forum.demo_content import DEMO_THREADS
    from forum.discussions import services
    from forum.discussions.models import PostStatus, Thread, ThreadKind

    if db.session.execute(db.select(Thread.id).limit(1)).first() is not None:
        echo("Demo content: threads exist already, nothing added.")
        return
    settings = {setting.slug: setting for setting in active_settings()}
    start = utcnow() - timedelta(days=40)
    step = timedelta(days=40) / (len(DEMO_THREADS) * 4 + 1)
    moment = start
    pinned: set[str] = set()
    for item in DEMO_THREADS:
        author = accounts.user_by_email(item["author"])
        opening = services.start_thread(
            author,
            settings[item["setting"]],
            ThreadKind(item["kind"]),
            item["title"],
            item["body"],
            anonymous=item.get("anonymous", False),
        )
        moment += step
        services.set_status(opening, PostStatus(item.get("status", "approved")))
        stamp(opening, moment)
        if item["setting"] not in pinned and opening.status is PostStatus.APPROVED:
            opening.thread.pinned = True
            pinned.add(item["setting"])
        for answer in item.get("replies", []):
            post = services.reply(
                opening.thread,
                accounts.user_by_email(answer["author"]),
                answer["body"],
                anonymous=answer.get("anonymous", False),
            )
            moment += step
            services.set_status(post, PostStatus(answer.get("status", "approved")))
            stamp(post, moment)
    db.session.flush()
    services.recount()
    load_moderation_examples()
    load_starter_codes()
    db.session.commit()
    echo(f"Demo content: {len(DEMO_THREADS)} threads loaded.")


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


def stamp(post, moment: datetime) -> None:
    """Move a demo post back in time (``recount`` then rebuilds the activity times)."""
    post.created_at = moment
    if post.approved_at is not None:
        post.approved_at = moment
    if post.is_opening:
        post.thread.created_at = moment
        post.thread.last_activity_at = moment
