"""Meedenken: the interest list of professionals who would like to talk with colleagues and NJi
researchers. Visitors sign up once per address; researchers list, filter, mark as contacted,
export and remove entries on request. Researchers' actions are audited (never with the entry's
name, address or topic). Services flush and never commit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from forum import audit
from forum.accounts.models import Profession, User
from forum.accounts.services import normalize_email
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.research.export import LOCAL_TZ
from forum.research.models import InterestEntry
from forum.research.tables import csv_cell
from forum.research.vocabulary import BEROEP, WERKVELD, Vocabulary, code_column, term_values


@dataclass(frozen=True)
class SignUp:
    name: str
    email: str
    profession: Profession
    setting: Setting | None
    topic: str
    consent_to_contact: bool


@dataclass(frozen=True)
class Filters:
    """The researchers' filter: werkveld id, profession, contacted (True/False/None for all)."""

    setting_id: int | None = None
    profession: Profession | None = None
    contacted: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        """For the audit log: only the filter, never an entry's data."""
        return {
            "setting_id": self.setting_id,
            "profession": self.profession.value if self.profession else None,
            "contacted": self.contacted,
        }


def sign_up(info: SignUp) -> bool:
    """Store a sign-up; returns False when the address is already on the list.

    A second sign-up changes nothing, and the visitor sees the same answer either way, so the
    page does not reveal who signed up. Two sign-ups at the same moment: the unique address
    decides, the second is silently dropped.
    """
    normalized = normalize_email(info.email)
    exists = db.session.scalar(
        sa.select(InterestEntry.id).where(InterestEntry.email_normalized == normalized)
    )
    if exists is not None:
        return False
    entry = InterestEntry(
        name=info.name.strip(),
        email=info.email.strip(),
        email_normalized=normalized,
        profession=info.profession,
        setting_id=info.setting.id if info.setting else None,
        topic=info.topic.strip(),
        consent_to_contact=info.consent_to_contact,
        created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        return False
    return True


def entries_stmt(filters: Filters) -> sa.Select:
    stmt = sa.select(InterestEntry).order_by(
        InterestEntry.created_at.desc(), InterestEntry.id.desc()
    )
    if filters.setting_id is not None:
        stmt = stmt.where(InterestEntry.setting_id == filters.setting_id)
    if filters.profession is not None:
        stmt = stmt.where(InterestEntry.profession == filters.profession)
    if filters.contacted is True:
        stmt = stmt.where(InterestEntry.contacted_at.is_not(None))
    elif filters.contacted is False:
        stmt = stmt.where(InterestEntry.contacted_at.is_(None))
    return stmt


def names_of(user_ids: list[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def mark_contacted(entry: InterestEntry, actor: User) -> bool:
    """Mark an entry as contacted. Exactly one researcher wins when two press at once; the other
    gets False (``entry.contacted_by_id`` then says who was first)."""
    now = utcnow()
    changed = db.session.execute(
        sa.update(InterestEntry)
        .where(InterestEntry.id == entry.id, InterestEntry.contacted_at.is_(None))
        .values(contacted_at=now, contacted_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.refresh(entry)
        return False
    entry.contacted_at, entry.contacted_by_id = now, actor.id
    audit.record(actor, "interest.contacted", "interest_entry", entry.id)
    db.session.flush()
    return True


def remove(entry: InterestEntry, actor: User, reason: str = "") -> None:
    """Delete an entry on the person's request; the audit keeps only that it happened."""
    entry_id = entry.id
    db.session.delete(entry)
    audit.record(actor, "interest.removed", "interest_entry", entry_id, reason=reason)
    db.session.flush()


def _date(value: datetime | None) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


CSV_HEADER = (
    "naam",
    "e-mailadres",
    BEROEP,
    WERKVELD,
    "onderwerp",
    "toestemming_contact",
    "aangemeld_op",
    "benaderd_op",
    # The codes last, so the columns people read keep their place.
    code_column(BEROEP),
    code_column(WERKVELD),
)


def export_csv(actor: User, filters: Filters) -> tuple[str, int]:
    """The filtered list as CSV text (UTF-8 with BOM for spreadsheets) and its row count; the
    export itself is audited with the filter and the count. Werkveld and beroep are the Dutch
    words of the research exports, with their codes (``vocabulary``)."""
    entries = list(db.session.scalars(entries_stmt(filters)))
    words = Vocabulary()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for entry in entries:
        profession = words.profession(entry.profession)
        setting = (
            words.setting(entry.setting.slug, entry.setting.name_nl) if entry.setting else None
        )
        row = {
            "naam": entry.name,
            "e-mailadres": entry.email,
            **term_values(BEROEP, profession),
            **term_values(WERKVELD, setting),
            "onderwerp": entry.topic,
            "toestemming_contact": "ja" if entry.consent_to_contact else "nee",
            "aangemeld_op": _date(entry.created_at),
            "benaderd_op": _date(entry.contacted_at),
        }
        writer.writerow([csv_cell(row[column]) for column in CSV_HEADER])
    audit.record(
        actor,
        "interest.exported",
        "interest_list",
        None,
        data={"filters": filters.as_dict(), "count": len(entries), "format": "csv"},
    )
    db.session.flush()
    return "\ufeff" + buffer.getvalue(), len(entries)
