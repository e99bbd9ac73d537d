"""What research holds about a person, for their data download (``forum.accounts.rights``): their
entry on the Meedenken interest list (the entry with their verified e-mail address), and for
researchers the memos they wrote.

Codes and codings are not included: members never see them (DESIGN §4), and their consent history
(in the account part) says which of their posts research may use. Who marked an interest entry as
contacted is not named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from forum import policy
from forum.accounts.forms import PROFESSION_LABELS
from forum.accounts.models import User
from forum.accounts.rights.archive import Section
from forum.db import db
from forum.i18n import _
from forum.research.models import InterestEntry, Memo


def interest(user: User) -> dict[str, Any] | None:
    if not user.email_verified:
        return None
    entry = db.session.execute(
        sa.select(InterestEntry).where(InterestEntry.email_normalized == user.email_normalized)
    ).scalar_one_or_none()
    if entry is None:
        return None
    return {
        "name": entry.name,
        "email": entry.email,
        "profession": entry.profession.value,
        "profession_label": str(PROFESSION_LABELS.get(entry.profession, entry.profession.value)),
        "werkveld": entry.setting.name(str(get_locale() or "nl")) if entry.setting else None,
        "topic": entry.topic,
        "may_be_contacted": entry.consent_to_contact,
        "signed_up_at": entry.created_at,
        "contacted_at": entry.contacted_at,
    }


def memos(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(Memo).where(Memo.author_id == user.id).order_by(Memo.created_at, Memo.id)
    )
    return [
        {
            "on": "thread" if row.thread_id else "passage" if row.passage_id else "code",
            "on_id": row.thread_id or row.passage_id or row.code_id,
            "text": row.text,
            "written_at": row.created_at,
            "changed_at": row.updated_at,
        }
        for row in rows
    ]


def sections(user: User) -> Iterable[Section]:
    files: dict[str, Any] = {"interest_list": interest(user)}
    if policy.can_research(user):
        files["memos"] = memos(user)
    yield Section(
        key="research",
        title=_("Onderzoek"),
        template="accounts/rights/sections/research.html",
        files=files,
    )
