"""The notifications page (Meldingen): what happened to your posts, reports and account, and
for moderators what came in for them to look at.

Reading the page changes nothing; "Alles gelezen" is a separate button (a POST).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.db import db
from forum.discussions.models import Thread
from forum.forms import ActionForm
from forum.i18n import _
from forum.notifications import services
from forum.notifications.models import Notification
from forum.pagination import page_arg

bp = Blueprint("notifications", __name__)
PER_PAGE = 30
CHANGE_OPS = ("same", "added", "removed")
# Notices for moderators link to their moderation page, not to the post.
MODERATION_EVENTS = frozenset({"report_received", "removal_request_received"})


def anyone_signed_in(user: Any) -> policy.Decision:
    return policy.ALLOW  # rule_required already sent visitors to the login page


@dataclass
class Entry:
    """One notification, ready for the page: its data checked, its link and thread title."""

    notification: Notification
    data: dict[str, Any]
    url: str | None = None
    thread_title: str | None = None
    changes: list[tuple[str, str]] = field(default_factory=list)
    until: date | None = None

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def changes_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The change list of ``post_edited``; removed text is never shown (it is not stored)."""
    raw = data.get("changes")
    if not isinstance(raw, list):
        return []
    changes = []
    for item in raw:
        if isinstance(item, list | tuple) and len(item) == 2 and item[0] in CHANGE_OPS:
            text = item[1] if isinstance(item[1], str) and item[0] != "removed" else ""
            changes.append((item[0], text))
    return changes


def until_of(data: dict[str, Any]) -> date | None:
    value = data.get("until")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def moderation_url(notification: Notification, data: dict[str, Any]) -> str | None:
    """The moderation page a moderator's notice points to, at the post's or the request's place
    on it (None for someone who no longer moderates)."""
    if not policy.can_moderate(current_user):
        return None
    if notification.event == "report_received":
        return url_for("reports.reports", _anchor=f"voorgelegd-{notification.post_id}")
    request_id = data.get("request_id")
    anchor = f"verzoek-{request_id}" if isinstance(request_id, int) else None
    return url_for("reports.removal_requests", _anchor=anchor)


def entries(notifications: list[Notification]) -> list[Entry]:
    """Build the page's entries; the threads they mention come in one query."""
    thread_ids = {n.thread_id for n in notifications if n.thread_id is not None}
    threads: dict[int, Thread] = {}
    if thread_ids:
        rows = db.session.execute(sa.select(Thread).where(Thread.id.in_(thread_ids))).scalars()
        threads = {thread.id: thread for thread in rows.unique()}
    result = []
    for notification in notifications:
        data = notification.data if isinstance(notification.data, dict) else {}
        entry = Entry(notification, data, changes=changes_of(data), until=until_of(data))
        thread = threads.get(notification.thread_id) if notification.thread_id else None
        if thread is not None:
            readable = bool(policy.can_view_thread(current_user, thread))
            if readable or thread.author_id == current_user.id:
                entry.thread_title = thread.title
            if readable:
                entry.url = (
                    url_for("discussions.show_post", post_id=notification.post_id)
                    if notification.post_id
                    else url_for("discussions.thread", thread_id=thread.id)
                )
        if notification.event in MODERATION_EVENTS:
            entry.url = moderation_url(notification, data)
        result.append(entry)
    return result


@bp.get("/meldingen")
@policy.rule_required(anyone_signed_in)
def index() -> str:
    pagination = services.page_for(current_user.id, page_arg(), PER_PAGE)
    return render_template(
        "notifications/index.html",
        pagination=pagination,
        entries=entries(list(pagination.items)),
        form=ActionForm(),
    )


@bp.post("/meldingen/gelezen")
@policy.rule_required(anyone_signed_in)
def mark_read() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user.id)
    db.session.commit()
    flash(_("Alle meldingen staan op gelezen."), "success")
    return redirect(url_for("notifications.index"))
