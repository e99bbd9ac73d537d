"""The notifications page (Meldingen): what happened to your posts, reports and account, what
is new in what you follow, where you were named, and for moderators what came in for them to
look at. Also the notification settings (/account/meldingen) and the follow buttons.

Reading the page changes nothing; "Alles gelezen" is a separate button (a POST).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from werkzeug.wrappers import Response

from forum import policy
from forum.core.models import Setting
from forum.core.queries import active_settings
from forum.db import db
from forum.discussions.models import Post, Thread
from forum.forms import ActionForm
from forum.i18n import _
from forum.notifications import follows, preferences, reads, services
from forum.notifications.forms import (
    BACK_TO_SETTINGS,
    FollowForm,
    NotificationSettingsForm,
    ReadMarkForm,
)
from forum.notifications.models import Notification, SettingFollow, ThreadFollow
from forum.pagination import page_arg, paginate

bp = Blueprint("notifications", __name__)
PER_PAGE = 30
FOLLOWED_PER_PAGE = 25
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
    # How many unread notices this entry stands for (``services.GROUPED_EVENTS``).
    count: int = 1
    setting_name: str | None = None

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


def thread_url(notification: Notification, count: int) -> str:
    """Where a notice about a readable thread leads: a group to the first unread post, a
    notice about one post to that post, others to the thread."""
    if count > 1:
        return url_for("discussions.first_unread", thread_id=notification.thread_id)
    if notification.post_id:
        return url_for("discussions.show_post", post_id=notification.post_id)
    return url_for("discussions.thread", thread_id=notification.thread_id)


def entries(notifications: list[Notification]) -> list[Entry]:
    """Build the page's entries; the threads they mention come in one query, the sizes of the
    groups among them in one more."""
    thread_ids = {n.thread_id for n in notifications if n.thread_id is not None}
    threads: dict[int, Thread] = {}
    if thread_ids:
        rows = db.session.execute(sa.select(Thread).where(Thread.id.in_(thread_ids))).scalars()
        threads = {thread.id: thread for thread in rows.unique()}
    sizes = services.group_sizes(current_user.id, notifications)
    locale = str(get_locale() or "nl")
    result = []
    for notification in notifications:
        data = notification.data if isinstance(notification.data, dict) else {}
        entry = Entry(notification, data, changes=changes_of(data), until=until_of(data))
        entry.count = sizes.get((notification.event, notification.thread_id), 1)
        thread = threads.get(notification.thread_id) if notification.thread_id else None
        if thread is not None:
            readable = bool(policy.can_view_thread(current_user, thread))
            if policy.can_see_thread_title(current_user, thread):
                entry.thread_title = thread.title
            if readable:
                entry.setting_name = thread.setting.name(locale)
                entry.url = thread_url(notification, entry.count)
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


# --- settings ---------------------------------------------------------------------------------


def followed_threads(page: int) -> Pagination:
    """The threads you follow that you may read, newest follow first (ix_thread_follows_user_…)."""
    stmt = (
        sa.select(Thread)
        .join(ThreadFollow, ThreadFollow.thread_id == Thread.id)
        .where(ThreadFollow.user_id == current_user.id)
        .order_by(ThreadFollow.created_at.desc(), ThreadFollow.thread_id.desc())
    )
    return paginate(policy.visible_threads(stmt, current_user), page, FOLLOWED_PER_PAGE)


def followed_settings() -> list[Setting]:
    stmt = (
        sa.select(Setting)
        .join(SettingFollow, SettingFollow.setting_id == Setting.id)
        .where(SettingFollow.user_id == current_user.id, Setting.archived.is_(False))
        .order_by(Setting.position, Setting.id)
    )
    return list(db.session.execute(stmt).scalars())


@bp.route("/account/meldingen", methods=["GET", "POST"])
@policy.rule_required(anyone_signed_in)
def settings() -> tuple[str, int] | Response:
    """How you want to hear about things, and what you follow."""
    moderates = bool(policy.can_moderate(current_user))
    form = NotificationSettingsForm(obj=preferences.settings_for(current_user.id))
    if not moderates:
        del form.queue_digest
    if form.validate_on_submit():
        preferences.save(
            current_user.id,
            auto_follow=form.auto_follow.data,
            mail_replies=form.mail_replies.data,
            mail_mentions=form.mail_mentions.data,
            queue_digest=moderates and form.queue_digest.data,
        )
        db.session.commit()
        flash(_("Je instellingen voor meldingen zijn opgeslagen."), "success")
        return redirect(url_for("notifications.settings"))
    threads = followed_threads(page_arg())
    return render_template(
        "notifications/settings.html",
        form=form,
        threads=threads,
        unread_thread_ids=reads.unread_thread_ids(current_user, threads.items),
        settings=followed_settings(),
        follow_form=FollowForm(formdata=None, back=BACK_TO_SETTINGS),
    ), 400 if form.is_submitted() else 200


# --- follow buttons ---------------------------------------------------------------------------


def back_to(form: FollowForm, page: str) -> Response:
    """Back to the settings page when the button was there, else to ``page``."""
    if form.back.data == BACK_TO_SETTINGS:
        return redirect(url_for("notifications.settings"))
    return redirect(page)


def followable_thread(thread_id: int) -> Thread:
    """The thread, or 404 when it is missing or the person may not read it; 400 without a
    valid form (CSRF)."""
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    policy.require(policy.can_follow_thread(current_user, thread))
    return thread


@bp.post("/gesprek/<id:thread_id>/volgen")
@policy.rule_required(anyone_signed_in)
def follow_thread(thread_id: int) -> Response:
    thread = followable_thread(thread_id)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    follows.follow_thread(current_user.id, thread.id)
    db.session.commit()
    flash(_("Je volgt dit gesprek. Je krijgt een melding bij elke nieuwe reactie."), "success")
    return back_to(form, url_for("discussions.thread", thread_id=thread.id))


@bp.post("/gesprek/<id:thread_id>/niet-volgen")
@policy.rule_required(anyone_signed_in)
def unfollow_thread(thread_id: int) -> Response:
    thread = followable_thread(thread_id)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    follows.unfollow_thread(current_user.id, thread.id)
    db.session.commit()
    flash(_("Je volgt dit gesprek niet meer."), "success")
    return back_to(form, url_for("discussions.thread", thread_id=thread.id))


@bp.post("/gesprek/<id:thread_id>/gelezen")
@policy.rule_required(anyone_signed_in)
def read_thread(thread_id: int) -> Response:
    """Read up to a post of this thread: what the thread page's script sends (204), or its
    button without the script (back to the page)."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not policy.can_view_thread(current_user, thread):
        abort(404)
    form = ReadMarkForm()
    if not form.validate_on_submit():
        abort(400)
    post = db.session.get(Post, form.bericht.data)
    if post is None or post.thread_id != thread.id or not policy.can_view_post(current_user, post):
        abort(404)
    reads.read_up_to(current_user, thread, post, at_end=bool(form.einde.data))
    db.session.commit()
    if request.headers.get("X-Requested-With") == "fetch":
        return Response(status=204)
    return redirect(url_for("discussions.show_post", post_id=post.id))


def active_setting_or_404(slug: str) -> Setting:
    for setting in active_settings():
        if setting.slug == slug:
            return setting
    abort(404)


@bp.post("/werkveld/<slug>/volgen")
@policy.rule_required(policy.can_follow_setting)
def follow_setting(slug: str) -> Response:
    setting = active_setting_or_404(slug)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    follows.follow_setting(current_user.id, setting.id)
    db.session.commit()
    flash(_("Je volgt dit werkveld. Je krijgt een melding bij elk nieuw gesprek."), "success")
    return back_to(form, url_for("discussions.setting", slug=setting.slug))


@bp.post("/werkveld/<slug>/niet-volgen")
@policy.rule_required(policy.can_follow_setting)
def unfollow_setting(slug: str) -> Response:
    setting = active_setting_or_404(slug)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    follows.unfollow_setting(current_user.id, setting.id)
    db.session.commit()
    flash(_("Je volgt dit werkveld niet meer."), "success")
    return back_to(form, url_for("discussions.setting", slug=setting.slug))


# --- for the thread lists ---------------------------------------------------------------------


@bp.app_template_global()
def unread_threads(threads: list[Any]) -> set[int]:
    """Ids of the listed threads with posts the signed-in person has not read (one query)."""
    return reads.unread_thread_ids(current_user, threads)


@bp.app_template_global()
def following_setting(setting: Setting) -> bool:
    """Does the signed-in person follow this werkveld? (One query; none for visitors.)"""
    return policy.signed_in(current_user) and follows.follows_setting(current_user.id, setting.id)
