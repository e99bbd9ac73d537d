"""The audit log: who did what, to what, why and when. Services write it; admins read it.

A new action or target type needs its label in ``forum.admin.audit_labels`` (a test reads every
``audit.record`` call and fails without one); data fields read best with an entry in
``forum.admin.audit_details.FIELDS``. Keep personal data out of ``data``: the page shows it all.

When an account is deleted, ``forget_person`` takes the person out of the log: the entries stay
(what was done, when, why), but none of them names them any more (``FORMER_MEMBER``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import db, utcnow

# What the log says where it named a person whose account is gone.
FORMER_MEMBER = "oud-lid"
# Data fields that hold a person's id (``forum.admin.audit_details.REFERS_TO``: "person").
PERSON_FIELDS = frozenset({"coder_id"})
# The data field that says an entry was made by a person whose account is gone (its actor is
# empty then, as for what the forum did itself).
ACTOR_FIELD = "actor"


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))
    target_type: Mapped[str] = mapped_column(sa.String(30))
    target_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")

    __table_args__ = (
        sa.Index("ix_audit_log_created_at", "created_at"),
        sa.Index("ix_audit_log_action_created_at", "action", "created_at"),
        sa.Index("ix_audit_log_actor_created_at", "actor_id", "created_at"),
    )


def record(
    actor: Any,
    action: str,
    target_type: str,
    target_id: int | None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (flushed with the change it describes)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason or None,
        data=data or {},
        created_at=utcnow(),
    )
    db.session.add(entry)
    return entry


def mentions(column: Any, needle: str) -> sa.ColumnElement[bool]:
    """WHERE form: the column's text holds ``needle`` (any case); a first, rough filter."""
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(sa.cast(column, sa.Text)).like(f"%{escaped}%", escape="\\")


def replace_person(text: str, needles: Iterable[str]) -> str:
    """``text`` with every whole-word occurrence of a needle (any case) made ``FORMER_MEMBER``."""
    for needle in sorted(set(needles), key=len, reverse=True):
        if needle:
            text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", FORMER_MEMBER, text, flags=re.I)
    return text


def _forget_in(value: Any, user_id: int, needles: list[str], key: str = "") -> Any:
    if key in PERSON_FIELDS and value == user_id:
        return FORMER_MEMBER
    if isinstance(value, str):
        return replace_person(value, needles)
    if isinstance(value, list):
        return [_forget_in(item, user_id, needles, key) for item in value]
    if isinstance(value, dict):
        return {name: _forget_in(item, user_id, needles, name) for name, item in value.items()}
    return value


def forget_person(user_id: int, email: str, name: str) -> int:
    """Take a person out of the log (their account is being deleted; the caller flushes).

    Entries about them lose the target id; their address and name become ``FORMER_MEMBER`` in
    reasons and data, and so do their id in ``PERSON_FIELDS``. Entries they made are marked
    (``ACTOR_FIELD``) and lose their actor when their row goes (``ON DELETE SET NULL``). Returns
    how many entries changed."""
    needles = [email, name]
    about = sa.or_(
        AuditEntry.actor_id == user_id,
        sa.and_(AuditEntry.target_type == "user", AuditEntry.target_id == user_id),
    )
    naming = sa.or_(
        *(
            mentions(column, needle)
            for column in (AuditEntry.reason, AuditEntry.data)
            for needle in needles
        ),
        *(mentions(AuditEntry.data, f'"{field}"') for field in PERSON_FIELDS),
    )
    changed = 0
    for entry in db.session.execute(sa.select(AuditEntry).where(sa.or_(about, naming))).scalars():
        reason = replace_person(entry.reason, needles) if entry.reason else entry.reason
        data = _forget_in(entry.data or {}, user_id, needles)
        if entry.actor_id == user_id:
            data = {**data, ACTOR_FIELD: FORMER_MEMBER}
        target = (
            None if entry.target_type == "user" and entry.target_id == user_id else entry.target_id
        )
        if (reason, data, target) != (entry.reason, entry.data, entry.target_id):
            entry.reason, entry.data, entry.target_id = reason, data, target
            changed += 1
    return changed
