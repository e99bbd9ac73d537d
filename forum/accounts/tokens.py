"""Single-use, expiring e-mail tokens (verify address, reset password, invitation)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from forum.accounts.models import EmailToken, TokenPurpose, User
from forum.db import db, utcnow


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def issue(
    purpose: TokenPurpose,
    email_normalized: str,
    user: User | None = None,
    created_by: User | None = None,
) -> str:
    """Store a new token and return the raw value to put in a link (it is not stored)."""
    raw = secrets.token_urlsafe(32)
    hours = current_app.config["FORUM_TOKEN_HOURS"][purpose.value]
    db.session.add(
        EmailToken(
            purpose=purpose,
            token_hash=hash_token(raw),
            user_id=user.id if user else None,
            email_normalized=email_normalized,
            created_by_id=created_by.id if created_by else None,
            created_at=utcnow(),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    db.session.flush()
    return raw


def find_valid(raw: str, purpose: TokenPurpose) -> EmailToken | None:
    """The unused, unexpired token for this link, or None."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.execute(
        db.select(EmailToken).where(
            EmailToken.token_hash == hash_token(raw), EmailToken.purpose == purpose
        )
    ).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def consume(token: EmailToken) -> bool:
    """Mark the token used. False when another request used it first (a guarded UPDATE)."""
    result = db.session.execute(
        db.update(EmailToken)
        .where(EmailToken.id == token.id, EmailToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
