"""The review queue (Te beoordelen): waiting posts and edits, and the decisions on them.

Each view: load → authorise (policy) → validate (form, CSRF) → act (moderation.queue) → commit →
flash + redirect. A decision that another moderator already made changes nothing: the second one
is told who was first.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.core.queries import setting_choices
from forum.db import db
from forum.discussions.forms import KIND_LABELS
from forum.discussions.models import Post, PostStatus
from forum.discussions.queries import post_or_404
from forum.forms import ActionForm, choice_list
from forum.i18n import _
from forum.moderation import queries, queue
from forum.moderation.finding_views import bp as findings_bp
from forum.moderation.forms import (
    REASON_FILTER_LABELS,
    EditApproveForm,
    QueueFilterForm,
    RejectForm,
    ReturnForm,
    TemplateForm,
)
from forum.moderation.models import RejectionTemplate
from forum.pagination import page_arg

bp = Blueprint("moderation", __name__, url_prefix="/moderatie")
# Findings marked "niet herleidbaar" (moderation.findings.*), under the same /moderatie prefix.
bp.register_blueprint(findings_bp)

moderators_only = policy.rule_required(policy.can_moderate)


def filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    form.werkveld.choices = choice_list([("", _("Alle werkvelden"))]) + setting_choices()
    form.reden.choices = choice_list(
        [("", _("Alle redenen"))] + [(r.value, label) for r, label in REASON_FILTER_LABELS.items()]
    )
    return form


def setting_arg() -> int | None:
    raw = request.args.get("werkveld", "")
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        abort(404)
    return int(raw)


@bp.get("/", endpoint="queue")
@moderators_only
def queue_page() -> str:
    pagination = queries.queue_page(
        setting_arg(), queries.valid_reason(request.args.get("reden")), page_arg()
    )
    return render_template(
        "moderation/queue.html",
        pagination=pagination,
        filters=filter_form(),
        action_form=ActionForm(),
        kind_labels=KIND_LABELS,
    )


def item_forms(post: Post, items: list[queries.QueueItem]) -> dict:
    templates = queries.rejection_templates()
    edit_form = EditApproveForm()
    if not post.is_opening:
        del edit_form.title
    elif request.method == "GET":
        edit_form.title.data = post.thread.title
    if request.method == "GET":
        edit_form.body.data = post.body_source
    return {
        "edit_form": edit_form,
        "return_form": ReturnForm(),
        "reject_form": RejectForm(templates=templates),
        "edit_reject_form": RejectForm(templates=templates),
    }


def render_item(post: Post, status: int = 200, **forms) -> tuple[str, int]:
    items = queries.items_for_post(post)
    context = item_forms(post, items)
    context.update(forms)
    return render_template(
        "moderation/item.html",
        post=post,
        items=items,
        handled_by=queries.moderator_name(post.handled_by_id),
        action_form=ActionForm(),
        kind_labels=KIND_LABELS,
        **context,
    ), status


@bp.get("/bericht/<id:post_id>")
@moderators_only
def item(post_id: int) -> tuple[str, int]:
    return render_item(post_or_404(post_id))


def to_queue() -> Response:
    return redirect(url_for("moderation.queue"))


def already_handled(name: str | None, edit: bool = False) -> Response:
    if name and edit:
        flash(_("Deze wijziging is al behandeld door %(name)s.", name=name), "info")
    elif name:
        flash(_("Dit bericht is al behandeld door %(name)s.", name=name), "info")
    else:
        flash(_("Dit bericht wacht niet meer op een beoordeling."), "info")
    return to_queue()


def decide(post_id: int, form, act: Callable[[Post], queue.Outcome], done: str) -> Response | tuple:
    """The shared steps of every decision on a waiting post."""
    post = post_or_404(post_id)
    if post.status is not PostStatus.PENDING:
        return already_handled(queries.moderator_name(post.handled_by_id))
    policy.require(policy.can_decide_post(current_user, post))
    if not form.validate_on_submit():
        if isinstance(form, ActionForm):
            abort(400)
        return render_item(post, 400, **{form_name(form): form})
    outcome = act(post)
    if not outcome.done:
        db.session.rollback()
        return already_handled(outcome.handled_by)
    db.session.commit()
    flash(done, "success")
    return to_queue()


def form_name(form) -> str:
    return {
        EditApproveForm: "edit_form",
        ReturnForm: "return_form",
        RejectForm: "reject_form",
    }[type(form)]


@bp.post("/bericht/<id:post_id>/goedkeuren")
@moderators_only
def approve(post_id: int) -> Response | tuple:
    return decide(
        post_id,
        ActionForm(),
        lambda post: queue.approve(post, current_user),
        _("Het bericht is goedgekeurd."),
    )


@bp.post("/bericht/<id:post_id>/vertrouwen")
@moderators_only
def approve_and_trust(post_id: int) -> Response | tuple:
    return decide(
        post_id,
        ActionForm(),
        lambda post: queue.approve_and_trust(post, current_user),
        _(
            "Het bericht is goedgekeurd en de schrijver wordt vertrouwd. Andere berichten die "
            "alleen wachtten omdat de schrijver nieuw is, zijn ook goedgekeurd."
        ),
    )


@bp.post("/bericht/<id:post_id>/aanpassen")
@moderators_only
def edit_and_approve(post_id: int) -> Response | tuple:
    post = post_or_404(post_id)
    form = EditApproveForm()
    if not post.is_opening:
        del form.title
    return decide(
        post_id,
        form,
        lambda post: queue.edit_and_approve(
            post, current_user, form.body.data, form.title.data if post.is_opening else None
        ),
        _("Het bericht is aangepast en goedgekeurd. Eerdere versies zijn gewist."),
    )


@bp.post("/bericht/<id:post_id>/gegevens-weghalen")
@moderators_only
def redact(post_id: int) -> Response | tuple:
    """Aanpassen of a published or hidden post: edit identifying details out, status unchanged."""
    post = post_or_404(post_id)
    policy.require(policy.can_redact_post(current_user, post))
    form = EditApproveForm()
    if not post.is_opening:
        del form.title
    if not form.validate_on_submit():
        return render_item(post, 400, edit_form=form)
    queue.redact(post, current_user, form.body.data, form.title.data if post.is_opening else None)
    db.session.commit()
    flash(_("Het bericht is aangepast. Eerdere versies zijn gewist."), "success")
    return redirect(url_for("discussions.show_post", post_id=post.id))


@bp.post("/bericht/<id:post_id>/terugsturen")
@moderators_only
def return_post(post_id: int) -> Response | tuple:
    form = ReturnForm()
    return decide(
        post_id,
        form,
        lambda post: queue.return_post(post, current_user, form.note.data),
        _("Het bericht is teruggestuurd. De schrijver ziet je toelichting."),
    )


@bp.post("/bericht/<id:post_id>/afwijzen")
@moderators_only
def reject(post_id: int) -> Response | tuple:
    form = RejectForm(templates=queries.rejection_templates())
    return decide(
        post_id,
        form,
        lambda post: queue.reject(post, current_user, form.full_reason),
        _("Het bericht is afgewezen. De schrijver ziet de reden."),
    )


def decide_edit(post_id: int, edit_id: int, form, act, done: str) -> Response | tuple:
    post = post_or_404(post_id)
    edit = queries.edit_or_none(edit_id)
    if edit is None or edit.post_id != post.id:
        return already_handled(queries.moderator_name(post.handled_by_id), edit=True)
    if not form.validate_on_submit():
        if isinstance(form, ActionForm):
            abort(400)
        return render_item(post, 400, edit_reject_form=form)
    outcome = act(edit)
    if not outcome.done:
        db.session.rollback()
        return already_handled(outcome.handled_by, edit=True)
    db.session.commit()
    flash(done, "success")
    return to_queue()


@bp.post("/bericht/<id:post_id>/wijziging/<id:edit_id>/goedkeuren")
@moderators_only
def approve_edit(post_id: int, edit_id: int) -> Response | tuple:
    return decide_edit(
        post_id,
        edit_id,
        ActionForm(),
        lambda edit: queue.approve_edit(edit, current_user),
        _("De wijziging is goedgekeurd en staat nu in het bericht."),
    )


@bp.post("/bericht/<id:post_id>/wijziging/<id:edit_id>/afwijzen")
@moderators_only
def reject_edit(post_id: int, edit_id: int) -> Response | tuple:
    form = RejectForm(templates=queries.rejection_templates())
    return decide_edit(
        post_id,
        edit_id,
        form,
        lambda edit: queue.reject_edit(edit, current_user, form.full_reason),
        _("De wijziging is afgewezen. De eerdere versie blijft staan."),
    )


# --- rejection templates (admins) -------------------------------------------------------------

admins_only = policy.rule_required(policy.can_manage_moderation_settings)


@bp.route("/afwijsredenen", methods=["GET", "POST"])
@admins_only
def rejection_templates() -> str | Response | tuple:
    form = TemplateForm()
    if form.validate_on_submit():
        queue.add_template(current_user, form.title.data, form.text.data)
        db.session.commit()
        flash(_("De reden is toegevoegd."), "success")
        return redirect(url_for("moderation.rejection_templates"))
    return render_template(
        "moderation/rejection_templates.html",
        templates=queries.rejection_templates(),
        form=form,
        editing=None,
        action_form=ActionForm(),
    ), 400 if form.is_submitted() else 200


def template_or_404(template_id: int) -> RejectionTemplate:
    template = db.session.get(RejectionTemplate, template_id)
    if template is None:
        abort(404)
    return template


@bp.route("/afwijsredenen/<id:template_id>", methods=["GET", "POST"])
@admins_only
def rejection_template(template_id: int) -> str | Response | tuple:
    template = template_or_404(template_id)
    form = TemplateForm(obj=template if request.method == "GET" else None)
    if form.validate_on_submit():
        queue.update_template(current_user, template, form.title.data, form.text.data)
        db.session.commit()
        flash(_("De reden is opgeslagen."), "success")
        return redirect(url_for("moderation.rejection_templates"))
    return render_template(
        "moderation/rejection_templates.html",
        templates=[],
        form=form,
        editing=template,
        action_form=ActionForm(),
    ), 400 if form.is_submitted() else 200


@bp.post("/afwijsredenen/<id:template_id>/verwijderen")
@admins_only
def delete_rejection_template(template_id: int) -> Response:
    template = template_or_404(template_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    queue.delete_template(current_user, template)
    db.session.commit()
    flash(_("De reden is verwijderd."), "success")
    return redirect(url_for("moderation.rejection_templates"))
