"""Discussion pages: home, werkveld, thread; writing, editing, deleting, approving.

Each view: load → authorise (policy) → validate (form) → act (services) → commit → respond.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy, ratelimits
from forum.accounts.models import Role
from forum.core.pagecache import cached_page
from forum.core.queries import active_settings, setting_choices
from forum.core.replica import replica_read
from forum.db import db
from forum.discussions import checks, queries, services
from forum.discussions.forms import (
    KIND_HINTS,
    KIND_LABELS,
    KIND_PROMPTS,
    EditPostForm,
    ReplyForm,
    ThreadForm,
)
from forum.discussions.models import KIND_SLUGS, Post, PostStatus, Thread, ThreadKind
from forum.extensions import limiter, login_manager
from forum.forms import ActionForm
from forum.i18n import _
from forum.notifications import reads
from forum.pagination import page_arg

bp = Blueprint("discussions", __name__)
posting_limit = limiter.shared_limit(
    ratelimits.POSTING,
    scope="posting",
    key_func=ratelimits.per_person,
    methods=["POST"],
    deduct_when=ratelimits.only_when_stored,
)


def require_reader() -> Response | None:
    """Visitors go to the login page when reading is for members only."""
    if not policy.can_read_forum(current_user):
        return login_manager.unauthorized()
    return None


def kind_from_arg() -> ThreadKind | None:
    slug = request.args.get("soort")
    if not slug:
        return None
    if slug not in KIND_SLUGS:
        abort(404)
    return KIND_SLUGS[slug]


@bp.get("/")
@replica_read
@cached_page
def home() -> str:
    readable = bool(policy.can_read_forum(current_user))
    settings = active_settings() if readable else []
    own_id = current_user.main_setting_id if policy.signed_in(current_user) else None
    return render_template(
        "discussions/home.html",
        # A member's own werkveld first (a stable sort keeps the others in their order).
        settings=sorted(settings, key=lambda setting: setting.id != own_id),
        own_setting_id=own_id,
        latest=queries.latest_threads(current_user) if readable else [],
        readable=readable,
        kind_labels=KIND_LABELS,
    )


@bp.get("/werkveld/<slug>")
@replica_read
@cached_page
def setting(slug: str) -> str | Response:
    if (login := require_reader()) is not None:
        return login
    werkveld = queries.setting_by_slug_or_404(slug)
    kind = kind_from_arg()
    page = page_arg()
    return render_template(
        "discussions/setting.html",
        setting=werkveld,
        kind=kind,
        pagination=queries.setting_threads(werkveld, current_user, kind, page),
        waiting=queries.own_waiting_threads(current_user, werkveld) if page == 1 else [],
        kind_labels=KIND_LABELS,
        kind_slugs=KIND_SLUGS,
    )


@bp.get("/gesprek/<id:thread_id>")
@cached_page
def thread(thread_id: int) -> str | Response:
    if (login := require_reader()) is not None:
        return login
    item = queries.thread_or_404(thread_id, current_user)
    pagination = queries.thread_posts(item, current_user, page_arg())
    form = ReplyForm() if policy.can_reply(current_user, item) else None
    if form is not None:
        form.research_consent.data = current_user.research_consent
    reading = reads.visit(current_user, item, pagination)
    return render_template(
        "discussions/thread.html",
        thread=item,
        pagination=pagination,
        form=form,
        # Only for people signed in: building the form makes a CSRF token, and so a session.
        action_form=ActionForm() if policy.signed_in(current_user) else None,
        kind_labels=KIND_LABELS,
        waiting_edits=queries.own_waiting_edits(pagination.items, current_user),
        reading=reading,
    )


@bp.get("/gesprek/<id:thread_id>/nieuwste")
@bp.get("/gesprek/<id:thread_id>/ongelezen", endpoint="first_unread", defaults={"unread": True})
def newest(thread_id: int, unread: bool = False) -> Response:
    if (login := require_reader()) is not None:
        return login
    item = queries.thread_or_404(thread_id, current_user)
    return redirect_to_post(item, queries.newest_or_first_unread(item, current_user, unread))


@bp.get("/bericht/<id:post_id>")
def show_post(post_id: int) -> Response:
    """A post's own address: its place in the thread (used in notifications and the queue)."""
    if (login := require_reader()) is not None:
        return login
    post = queries.post_or_404(post_id)
    policy.require(policy.can_view_thread(current_user, post.thread))
    if not policy.can_view_post(current_user, post) and post.status is not PostStatus.HIDDEN:
        abort(404)
    return redirect_to_post(post.thread, post)


def redirect_to_post(thread: Thread, post: Post | None) -> Response:
    if post is None:
        return redirect(url_for("discussions.thread", thread_id=thread.id))
    page = queries.page_of_post(thread, post, current_user)
    return redirect(
        url_for(
            "discussions.thread",
            thread_id=thread.id,
            page=page if page > 1 else None,
            _anchor=f"bericht-{post.id}",
        )
    )


def write(
    form, setting, title: str | None, save: Callable[[], Response]
) -> checks.Preview | Response | None:
    """What every writing form does once it validates: show the checked preview when asked,
    otherwise save. A watched word that blocks becomes an error on the text."""
    try:
        if form.wants_preview:
            return checks.preview(current_user, setting, form.body.data, title)
        return save()
    except checks.Blocked as blocked:
        form.body.errors.append(
            _(
                "Je bericht bevat ‘%(phrase)s’. Dat kan hier niet geplaatst worden; pas je tekst "
                "aan. Zie de gespreksregels.",
                phrase=blocked.phrase,
            )
        )
        return None


class AfterSaving(enum.StrEnum):
    """What saving will do, as the preview tells it (``preview_block``)."""

    WAITS = "waits"  # a moderator looks first; the reasons are listed
    AT_ONCE = "at_once"
    MODERATOR = "moderator"  # at once: the author is a moderator, their posts never wait
    ADMIN = "admin"  # the same, for an admin
    PENDING = "pending"  # an edit of a post that waits anyway
    RETURNED = "returned"  # an edit of a returned post: it goes back to a moderator


def after_saving(preview: checks.Preview, post: Post | None = None) -> AfterSaving:
    """What saving will do. Read from the screening the save runs too (``preview.screening``),
    so the preview never promises a moderator's look that will not happen; the author's standing
    only chooses the words. A waiting post's edit waits whatever the text (``edit_post``)."""
    if post is not None and post.status is PostStatus.RETURNED:
        return AfterSaving.RETURNED
    if post is not None and post.status is PostStatus.PENDING:
        return AfterSaving.PENDING
    if preview.screening.waits:
        return AfterSaving.WAITS
    if checks.author_standing(current_user).is_moderator:
        return (
            AfterSaving.ADMIN
            if policy.has_role(current_user, Role.ADMIN)
            else AfterSaving.MODERATOR
        )
    return AfterSaving.AT_ONCE


@bp.route("/gesprek/nieuw", methods=["GET", "POST"])
@policy.rule_required(policy.can_start_thread)
@posting_limit
def new_thread() -> str | Response:
    form = ThreadForm()
    form.setting.choices = setting_choices()
    if request.method == "GET":
        form.research_consent.data = current_user.research_consent
        chosen = (
            queries.setting_by_slug_or_404(request.args["werkveld"])
            if (request.args.get("werkveld"))
            else None
        )
        form.setting.data = (chosen or current_user.main_setting or active_settings()[0]).id
        if request.args.get("soort") in KIND_SLUGS:
            form.kind.data = KIND_SLUGS[request.args["soort"]].value
    preview = None
    if form.validate_on_submit():
        werkveld = queries.active_setting(form.setting.data)
        if werkveld is None:
            abort(400)

        def save() -> Response:
            post = services.start_thread(
                current_user,
                werkveld,
                ThreadKind(form.kind.data),
                form.title.data,
                form.body.data,
                anonymous=form.anonymous.data,
                submission_key=form.submission_key.data,
                research_consent=form.research_consent.data,
            )
            db.session.commit()
            flash_written(post)
            return redirect(url_for("discussions.thread", thread_id=post.thread_id))

        preview = write(form, werkveld, form.title.data, save)
        if isinstance(preview, Response):
            return preview
    status = 400 if form.is_submitted() and preview is None else 200
    return render_template(
        "discussions/new_thread.html",
        form=form,
        preview=preview,
        after=after_saving(preview) if preview else None,
        kind_labels=KIND_LABELS,
        kind_hints=KIND_HINTS,
        kind_prompts=KIND_PROMPTS,
    ), status


def flash_written(post: Post) -> None:
    if post.status is PostStatus.APPROVED:
        flash(_("Je bericht is geplaatst."), "success")
    else:
        flash(
            _(
                "Dank je! Je bericht wacht op goedkeuring door een moderator. Tot die tijd zie "
                "alleen jij het. Waarom het wacht, staat bij je bericht."
            ),
            "info",
        )


@bp.post("/gesprek/<id:thread_id>/reageren")
@posting_limit
def reply(thread_id: int) -> str | Response:
    if (login := require_reader()) is not None:
        return login
    item = queries.thread_or_404(thread_id, current_user)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    policy.require(policy.can_reply(current_user, item))
    form = ReplyForm()
    preview = None
    if form.validate_on_submit():

        def save() -> Response:
            post = services.reply(
                item,
                current_user,
                form.body.data,
                anonymous=form.anonymous.data,
                submission_key=form.submission_key.data,
                research_consent=form.research_consent.data,
            )
            db.session.commit()
            flash_written(post)
            return redirect_to_post(item, post)

        preview = write(form, item.setting, None, save)
        if isinstance(preview, Response):
            return preview
    pagination = queries.thread_posts(item, current_user, 1)
    status = 400 if preview is None else 200
    return render_template(
        "discussions/thread.html",
        thread=item,
        pagination=pagination,
        form=form,
        preview=preview,
        after=after_saving(preview) if preview else None,
        action_form=ActionForm(),
        kind_labels=KIND_LABELS,
        waiting_edits=queries.own_waiting_edits(pagination.items, current_user),
        show_reply_form_first=True,
    ), status


@bp.route("/bericht/<id:post_id>/bewerken", methods=["GET", "POST"])
@policy.rule_required(policy.can_write)
@posting_limit
def edit_post(post_id: int) -> str | Response:
    post = queries.post_or_404(post_id)
    policy.require(policy.can_view_post(current_user, post))
    policy.require(policy.can_edit_post(current_user, post))
    form = EditPostForm()
    if not post.is_opening:
        del form.title
    waiting = queries.waiting_edit(post)
    if request.method == "GET":
        # Go on from the version that waits, if there is one: that is what the author last wrote.
        form.body.data = waiting.body_source if waiting else post.body_source
        if post.is_opening:
            form.title.data = (waiting.title if waiting else None) or post.thread.title
    preview = None
    if form.validate_on_submit():
        title = form.title.data if post.is_opening else None

        def save() -> Response:
            result = services.edit_post(post, current_user, form.body.data, title=title)
            db.session.commit()
            if result is services.EditResult.WAITING:
                flash(
                    _(
                        "Je wijziging wacht op goedkeuring door een moderator. Tot die tijd "
                        "blijft de eerdere versie staan."
                    ),
                    "info",
                )
            else:
                flash(_("Je wijziging is opgeslagen."), "success")
            return redirect_to_post(post.thread, post)

        preview = write(form, post.thread.setting, title, save)
        if isinstance(preview, Response):
            return preview
    status = 400 if form.is_submitted() and preview is None else 200
    return render_template(
        "discussions/edit_post.html",
        form=form,
        post=post,
        preview=preview,
        after=after_saving(preview, post) if preview else None,
        waiting=waiting,
    ), status


@bp.post("/bericht/<id:post_id>/verwijderen")
def delete_post(post_id: int) -> Response:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    post = queries.post_or_404(post_id)
    policy.require(policy.can_view_post(current_user, post))
    policy.require(policy.can_delete_post(current_user, post))
    if not ActionForm().validate_on_submit():
        abort(400)
    remaining = services.delete_waiting_post(post)
    db.session.commit()
    flash(_("Je bericht is verwijderd."), "success")
    if remaining is None:
        return redirect(url_for("discussions.home"))
    return redirect(url_for("discussions.thread", thread_id=remaining.id))


@bp.post("/bericht/<id:post_id>/schrijver")
@policy.rule_required(policy.can_moderate)
def reveal_author(post_id: int) -> Response:
    post = queries.post_or_404(post_id)
    policy.require(policy.can_reveal_author(current_user, post))
    if not ActionForm().validate_on_submit():
        abort(400)
    author = services.reveal_author(post, current_user)
    db.session.commit()
    flash(
        _(
            "Dit bericht zonder naam is geschreven door %(name)s. Deze inzage staat in het "
            "logboek.",
            name=author.display_name if author else _("een oud-lid"),
        ),
        "info",
    )
    return redirect_to_post(post.thread, post)
