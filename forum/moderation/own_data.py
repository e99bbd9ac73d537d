"""What moderation holds about a person, for their data download (``forum.accounts.rights``): the
posts they brought to a moderator, removal requests they made, and their edits that wait.

Removal requests are made without an account; one is theirs when its contact field is their
verified e-mail address (exactly, case aside), because that is whom a moderator would write to.
Never included: who handled a report or request (members read "a moderator", as on the forum),
the moderator's internal note on a removal request, reports other people made about their posts,
and findings moderators marked "not identifying" (notes for the team).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from forum import policy
from forum.accounts.models import User
from forum.accounts.rights.archive import Section
from forum.db import db
from forum.i18n import _
from forum.moderation.models import (
    PendingEdit,
    RemovalRequest,
    RemovalStatus,
    Report,
    ReportStatus,
)
from forum.moderation.report_forms import REASON_LABELS
from forum.screening import REASON_LABELS as WAIT_REASON_LABELS


def report_labels() -> dict[ReportStatus, str]:
    return {
        ReportStatus.OPEN: _("Een moderator kijkt er nog naar"),
        ReportStatus.KEPT: _("De moderator vond dat het bericht kan blijven staan."),
        ReportStatus.HIDDEN: _("De moderator heeft het bericht verborgen."),
        ReportStatus.EDITED: _("De moderator heeft het bericht aangepast."),
        ReportStatus.DISMISSED: _("De moderator vond dat er niets hoefde te gebeuren."),
    }


def removal_labels() -> dict[RemovalStatus, str]:
    return {
        RemovalStatus.OPEN: _("Een moderator kijkt er nog naar"),
        RemovalStatus.REMOVED: _("Het bericht is verwijderd"),
        RemovalStatus.EDITED: _("Het bericht is aangepast"),
        RemovalStatus.RESTORED: _("Het bericht is teruggezet"),
    }


def reports(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(Report)
        .where(Report.reporter_id == user.id)
        .order_by(Report.created_at, Report.id)
    )
    labels = report_labels()
    return [
        {
            "post_id": row.post_id,
            "thread_title": row.post.thread.title
            if policy.can_see_thread_title(user, row.post.thread)
            else None,
            "reason": row.reason.value,
            "reason_label": str(REASON_LABELS[row.reason]),
            "explanation": row.text,
            "status": row.status.value,
            "status_label": labels[row.status],
            "brought_at": row.created_at,
            "handled_at": row.resolved_at,
        }
        for row in rows
    ]


def removal_requests(user: User) -> list[dict[str, Any]]:
    if not user.email_verified:
        return []
    rows = db.session.scalars(
        sa.select(RemovalRequest)
        .where(sa.func.lower(RemovalRequest.contact) == user.email_normalized)
        .order_by(RemovalRequest.created_at, RemovalRequest.id)
    )
    labels = removal_labels()
    return [
        {
            "post_id": row.post_id,
            "reason": row.reason,
            "contact": row.contact,
            "status": row.status.value,
            "status_label": labels[row.status],
            "asked_at": row.created_at,
            "handled_at": row.resolved_at,
        }
        for row in rows
    ]


def waiting_edits(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(PendingEdit)
        .where(PendingEdit.editor_id == user.id)
        .order_by(PendingEdit.created_at, PendingEdit.id)
    )
    return [
        {
            "post_id": row.post_id,
            "title": row.title,
            "text_markdown": row.body_source,
            "waiting_reasons": [
                {"code": code, "label": str(WAIT_REASON_LABELS.get(code, code))}
                for code in row.wait_reasons or []
            ],
            "saved_at": row.created_at,
        }
        for row in rows
    ]


def sections(user: User) -> Iterable[Section]:
    yield Section(
        key="moderation",
        title=_("Voorgelegd, verwijderverzoeken en wachtende wijzigingen"),
        template="accounts/rights/sections/moderation.html",
        files={
            "reports": reports(user),
            "removal_requests": removal_requests(user),
            "waiting_edits": waiting_edits(user),
        },
    )
