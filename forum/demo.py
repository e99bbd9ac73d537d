"""Demo accounts for ``make run``: one per role, passwords generated once and kept in instance/."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from forum.accounts import services as accounts
from forum.accounts.models import Profession, Role
from forum.core.queries import active_settings
from forum.db import db

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
            email, name, password, roles, settings[index % len(settings)], profession=profession
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
