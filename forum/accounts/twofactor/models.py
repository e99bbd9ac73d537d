"""The stored half of two-factor sign-in: one TOTP secret per person and their recovery codes.

Whether it is on is ``User.two_factor_since``: a secret without it is a setup not yet confirmed.
Recovery codes are stored as keyed hashes only (``services.hash_recovery_code``).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import db, utcnow


class TwoFactorSecret(db.Model):
    __tablename__ = "two_factor_secrets"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Base32, as authenticator apps read it from the QR code or typed in.
    secret: Mapped[str] = mapped_column(sa.String(64))
    # The TOTP time step (30 s) of the last code accepted: a code of that step or an earlier one
    # is refused, so a code seen over someone's shoulder cannot be used again.
    last_used_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    __tablename__ = "two_factor_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)
