"""The seed's accounts and research codes, and the check that no real person is in the way.

Seed accounts have addresses at ``SEED_DOMAIN``; each gets a member role grant (plus its own
role) and a profile consent record, as ``accounts.services.register`` gives a new person.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from forum.accounts.models import ConsentRecord, Profession, Role, User, UserRole
from forum.accounts.services import CONSENT_TEXT_VERSION
from forum.core.models import Setting
from forum.db import db
from forum.research.models import Code
from forum.seeding import SEED_DOMAIN, text
from forum.seeding.store import Writer, next_id

MEMBERS_PER_50K_POSTS = 200
# Accounts joined before the first seeded thread.
JOINED_BEFORE = timedelta(days=730)
CODES = [
    ("Samenwerking met ouders", "#0d6259"),
    ("Grenzen stellen", "#7a3e00"),
    ("Pesten", "#8a1538"),
    ("Overdracht", "#2f4b7c"),
    ("Werkdruk", "#5c5c00"),
    ("Veiligheid", "#6b2d5c"),
    ("Taal en communicatie", "#1f5f3a"),
    ("Rol van de wijk", "#4b3f72"),
    ("Professionele twijfel", "#704214"),
    ("Goede praktijk", "#00576b"),
]


def refusal(force: bool) -> str | None:
    """Why the seed must not run on this database, or None. ``force`` overrides both reasons."""
    if force:
        return None
    seed_address = User.email_normalized.like(f"%@{SEED_DOMAIN}")
    people = db.session.execute(
        sa.select(sa.func.count(User.id)).where(sa.not_(seed_address))
    ).scalar_one()
    if people:
        return (
            f"Refusing: this database holds {people} account(s) the seed did not make (seed "
            f"accounts end in @{SEED_DOMAIN}). Seeding mixes generated posts with real ones; "
            "use --force only on a database you mean to fill for tests."
        )
    if db.session.execute(sa.select(User.id).where(seed_address).limit(1)).first():
        return "Refusing: this database is already seeded; use --force to add another forum."
    return None


def make_users(rng: random.Random, writer: Writer, posts: int, password_hash: str, now: datetime):
    """Seed accounts: members, a few moderators, researchers and one admin. Returns the ids per
    role and the members' research consent."""
    count = max(12, round(posts * MEMBERS_PER_50K_POSTS / 50_000))
    first = next_id(User.id)
    settings = [s.id for s in db.session.execute(sa.select(Setting)).scalars()]
    users, roles, consents = [], [], []
    by_role: dict[Role, list[int]] = {role: [] for role in Role}
    consent: dict[int, bool] = {}
    for offset in range(count):
        user_id = first + offset
        role = (
            Role.ADMIN
            if offset == 0
            else Role.MODERATOR
            if offset % 40 == 1
            else Role.RESEARCHER
            if offset % 60 == 2
            else Role.MEMBER
        )
        joined = now - JOINED_BEFORE - timedelta(days=rng.randint(1, 400))
        consent[user_id] = rng.random() < 0.6
        address = f"{role.value}-{user_id}@{SEED_DOMAIN}"
        users.append(
            {
                "id": user_id,
                "email": address,
                "email_normalized": address,
                "display_name": text.display_name(rng),
                "password_hash": password_hash,
                "profession": rng.choice(list(Profession)).value,
                "main_setting_id": rng.choice(settings),
                "research_consent": consent[user_id],
                "locale": "nl",
                "guidelines_accepted_at": joined,
                "email_verified_at": joined,
                "approved": True,
                "suspended_indefinitely": False,
                "always_moderate": False,
                "session_version": 1,
                "created_at": joined,
            }
        )
        by_role[role].append(user_id)
        roles.append({"user_id": user_id, "role": Role.MEMBER.value, "granted_at": joined})
        if role is not Role.MEMBER:
            roles.append({"user_id": user_id, "role": role.value, "granted_at": joined})
        consents.append(
            {
                "user_id": user_id,
                "granted": consent[user_id],
                "scope": "profile",
                "post_id": None,
                "text_version": CONSENT_TEXT_VERSION,
                "created_at": joined,
            }
        )
    writer.insert(User.__table__, users)
    writer.insert(UserRole.__table__, roles)
    writer.insert(ConsentRecord.__table__, consents)
    return by_role, consent


def ensure_codes(writer: Writer, researcher: int, now: datetime) -> list[int]:
    """The codebook's seed codes (kept when a previous seed made them)."""
    existing = {name: id_ for name, id_ in db.session.execute(sa.select(Code.name, Code.id))}
    first = next_id(Code.id)
    rows = [
        {"id": first + i, "name": name, "definition": f"Gesprekken over {name.lower()}.",
         "use_when": "", "not_when": "", "example": "", "colour": colour, "parent_id": None,
         "archived": False, "created_by_id": researcher, "created_at": now}
        for i, (name, colour) in enumerate(c for c in CODES if c[0] not in existing)
    ]  # fmt: skip
    writer.insert(Code.__table__, rows)
    return [*(existing[n] for n, _ in CODES if n in existing), *(row["id"] for row in rows)]
