"""The audit log: who did what, to what, why and when. Services write it; admins read it.

A new action or target type needs its label in ``forum.admin.audit_labels`` (a test reads every
``audit.record`` call and fails without one); data fields read best with an entry in
``forum.admin.audit_details.FIELDS``. Keep personal data out of ``data``: the page shows it all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import db, utcnow


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
