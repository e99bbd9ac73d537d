"""What the accounts room holds about a person, for their data download: the profile, every
research-consent choice, the links mailed to them, earlier downloads and the actions the audit log
records them doing.

Left out on purpose: the password (only a one-way hash is stored, which tells nobody anything),
the session counter, and invitations the person sent (they hold someone else's address). Audit
entries show what was done to which object and when; their free text and details stay out, as
they may be about other people.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from forum.accounts.forms import PROFESSION_LABELS
from forum.accounts.models import ConsentRecord, EmailToken, User
from forum.accounts.rights.archive import Section
from forum.accounts.rights.download import DataDownload
from forum.audit import AuditEntry
from forum.db import db
from forum.i18n import _


def profile(user: User) -> dict[str, Any]:
    locale = str(get_locale() or "nl")
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "email_verified_at": user.email_verified_at,
        "profession": user.profession.value,
        "profession_label": str(PROFESSION_LABELS.get(user.profession, user.profession.value)),
        "main_werkveld": user.main_setting.name(locale) if user.main_setting else None,
        "language": user.locale,
        "research_consent_for_new_posts": user.research_consent,
        "guidelines_accepted_at": user.guidelines_accepted_at,
        "registered_at": user.created_at,
        "roles": sorted(role.value for role in user.roles),
        "approved": user.approved,
        "suspended_until": user.suspended_until,
        "suspended_indefinitely": user.suspended_indefinitely,
        "suspension_reason": user.suspension_reason,
        # Moderators' choices about this person's posts (the author reads the first one as "a
        # moderator looks at your posts first for now" on every waiting post).
        "posts_always_reviewed": user.always_moderate,
        "trusted_since": user.trusted_at,
    }


def consent_history(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(ConsentRecord)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.created_at, ConsentRecord.id)
    )
    return [
        {
            "created_at": row.created_at,
            "granted": row.granted,
            "scope": row.scope,
            "post_id": row.post_id,
            "text_version": row.text_version,
        }
        for row in rows
    ]


def mail_links(user: User) -> list[dict[str, Any]]:
    """Verification and password links sent to the person (never the token itself)."""
    rows = db.session.scalars(
        sa.select(EmailToken).where(EmailToken.user_id == user.id).order_by(EmailToken.id)
    )
    return [
        {
            "purpose": row.purpose.value,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
            "used_at": row.used_at,
        }
        for row in rows
    ]


def downloads(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(DataDownload).where(DataDownload.user_id == user.id).order_by(DataDownload.id)
    )
    return [
        {"requested_at": row.requested_at, "built_at": row.built_at, "expires_at": row.expires_at}
        for row in rows
    ]


def actions(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(
            AuditEntry.action, AuditEntry.target_type, AuditEntry.target_id, AuditEntry.created_at
        )
        .where(AuditEntry.actor_id == user.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return [
        {"action": action, "object": target_type, "object_id": target_id, "at": created_at}
        for action, target_type, target_id, created_at in rows
    ]


def sections(user: User) -> Iterable[Section]:
    yield Section(
        key="account",
        title=_("Je account"),
        template="accounts/rights/sections/account.html",
        files={
            "profile": profile(user),
            "consent": consent_history(user),
            "mail_links": mail_links(user),
            "data_downloads": downloads(user),
            "actions": actions(user),
        },
    )
