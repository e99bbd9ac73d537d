"""Bringing posts to a moderator (voorleggen), removal requests without an account, and the
moderators' pages for both.

Each view: load → authorise (policy) → validate (form) → act (services) → commit → respond.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from forum import policy, ratelimits
from forum.db import db
from forum.discussions.models import Post
from forum.extensions import limiter, login_manager
from forum.i18n import _, _l
from forum.moderation import reports
from forum.moderation.models import RemovalRequest, RemovalStatus, ReportReason, ReportStatus
from forum.moderation.report_forms import (
    REASON_HINTS,
    REASON_LABELS,
    RemovalDecisionForm,
    RemovalRequestForm,
    ReportDecisionForm,
    ReportForm,
    post_id_from,
)
from forum.pagination import page_arg

bp = Blueprint("reports", __name__)


def per_address() -> str:
    """Removal requests are limited per network address, signed in or not."""
    return f"address:{request.remote_addr or 'unknown'}"


def post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    return post


def queue_item_url(post_id: int) -> str | None:
    """The review queue's page for a post, where a moderator edits it (None until it exists)."""
    try:
        return url_for("moderation.item", post_id=post_id)
    except BuildError:
        return None


def flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


# --- members: voorleggen aan een moderator -------------------------------------------------------


@bp.route("/bericht/<id:post_id>/voorleggen", methods=["GET", "POST"])
@limiter.limit(ratelimits.REPORTING, key_func=ratelimits.per_person, methods=["POST"])
def report_post(post_id: int) -> str | Response | tuple[str, int]:
    if not policy.signed_in(current_user):
        return login_manager.unauthorized()
    post = post_or_404(post_id)
    policy.require(policy.can_view_thread(current_user, post.thread))
    if reports.open_report_of(post, current_user) is not None:
        return render_template("reports/report.html", post=post, form=None, already=True)
    policy.require(policy.can_report_post(current_user, post))
    form = ReportForm()
    if form.validate_on_submit():
        result = reports.report_post(
            post, current_user, ReportReason(form.reason.data), form.text.data
        )
        db.session.commit()
        if not result.stored:
            return render_template("reports/report.html", post=post, form=None, already=True)
        return redirect(url_for("reports.reported", post_id=post.id))
    return render_template(
        "reports/report.html",
        post=post,
        form=form,
        already=False,
        reason_hints=REASON_HINTS,
    ), 400 if form.is_submitted() else 200


@bp.get("/bericht/<id:post_id>/voorgelegd")
def reported(post_id: int) -> str | Response:
    """The thank-you after voorleggen; only for someone who brought this post forward."""
    if not policy.signed_in(current_user):
        return login_manager.unauthorized()
    post = post_or_404(post_id)
    report = reports.latest_report_of(post, current_user)
    if report is None:
        abort(404)
    return render_template(
        "reports/reported.html",
        post=post,
        report=report,
        child_safety=report.reason is ReportReason.CHILD_SAFETY,
        can_view=bool(policy.can_view_thread(current_user, post.thread)),
    )


# --- moderators: voorgelegde berichten -----------------------------------------------------------


@bp.get("/moderatie/voorgelegd", endpoint="reports")
@policy.rule_required(policy.can_moderate)
def report_list() -> str:
    pagination, groups = reports.open_report_groups(page_arg())
    return render_template(
        "reports/list.html",
        pagination=pagination,
        groups=groups,
        form=ReportDecisionForm(),
        reason_labels=REASON_LABELS,
        queue_item_url=queue_item_url,
    )


OUTCOME_MESSAGES = {
    ReportStatus.KEPT: _l("Het bericht blijft staan. Wie het voorlegde, hoort dat."),
    ReportStatus.HIDDEN: _l("Verborgen. De schrijver en wie het voorlegde, horen dat."),
    ReportStatus.DISMISSED: _l("Afgehandeld: er was niets nodig. Wie het voorlegde, hoort dat."),
}


@bp.post("/moderatie/voorgelegd/<id:post_id>")
@policy.rule_required(policy.can_moderate)
def decide(post_id: int) -> Response:
    post = post_or_404(post_id)
    form = ReportDecisionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("reports.reports"))
    if reports.resolve_reports(post, current_user, form.outcome, form.reason.data):
        db.session.commit()
        flash(str(OUTCOME_MESSAGES[form.outcome]), "success")
    else:
        db.session.rollback()
        flash_already_handled(reports.last_report_resolver(post))
    return redirect(url_for("reports.reports"))


def flash_already_handled(resolver) -> None:
    if resolver is None:
        flash(_("Dit was al afgehandeld."), "info")
    else:
        flash(_("Dit was al afgehandeld door %(name)s.", name=resolver.display_name), "info")


# --- visitors: verwijderverzoek ------------------------------------------------------------------


@bp.route("/verwijderverzoek", methods=["GET", "POST"])
@limiter.limit(
    ratelimits.REMOVAL_REQUESTS,
    key_func=per_address,
    methods=["POST"],
    deduct_when=ratelimits.only_when_stored,
)
def removal_request() -> str | Response | tuple[str, int]:
    form = RemovalRequestForm()
    if request.method == "GET":
        asked = post_id_from(request.args.get("bericht", ""))
        if asked is not None:
            form.post.data = str(asked)
    if form.validate_on_submit():
        post_id = form.post_id
        if post_id is None:  # the form checked it; a guard that python -O keeps
            abort(400)
        reports.request_removal(post_id, form.reason.data, form.contact.data)
        db.session.commit()
        # The same answer whether or not the post exists: nothing is revealed.
        return redirect(url_for("reports.removal_received"))
    return render_template("reports/removal_request.html", form=form), (
        400 if form.is_submitted() else 200
    )


@bp.get("/verwijderverzoek/ontvangen")
def removal_received() -> str:
    return render_template("reports/removal_received.html")


# --- moderators: verwijderverzoeken --------------------------------------------------------------


@bp.get("/moderatie/verwijderverzoeken")
@policy.rule_required(policy.can_moderate)
def removal_requests() -> str:
    pagination = reports.removal_requests_page(page_arg())
    return render_template(
        "reports/removal_requests.html",
        pagination=pagination,
        resolvers=reports.names_of([item.resolved_by_id for item in pagination.items]),
        form=RemovalDecisionForm(),
        queue_item_url=queue_item_url,
    )


REMOVAL_MESSAGES = {
    RemovalStatus.REMOVED: _l("Het bericht blijft verborgen."),
    RemovalStatus.EDITED: _l("Het aangepaste bericht staat weer op het forum."),
    RemovalStatus.RESTORED: _l("Het bericht staat weer op het forum."),
}


@bp.post("/moderatie/verwijderverzoeken/<id:request_id>")
@policy.rule_required(policy.can_moderate)
def decide_removal(request_id: int) -> Response:
    item = db.session.get(RemovalRequest, request_id)
    if item is None:
        abort(404)
    form = RemovalDecisionForm()
    back = redirect(url_for("reports.removal_requests", _anchor=f"verzoek-{item.id}"))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    if reports.resolve_removal(item, current_user, form.status, form.outcome_text.data):
        db.session.commit()
        flash(str(REMOVAL_MESSAGES[form.status]), "success")
    else:
        db.session.rollback()
        resolver = reports.names_of([item.resolved_by_id]).get(item.resolved_by_id or 0)
        if resolver:
            flash(_("Dit was al afgehandeld door %(name)s.", name=resolver), "info")
        else:
            flash(_("Dit was al afgehandeld."), "info")
    return back
