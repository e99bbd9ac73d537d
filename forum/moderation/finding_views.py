"""Findings marked "niet herleidbaar": the mark and its undo in the review queue, and the team's
list of marks with its download as corpus lines.

A blueprint nested in ``moderation`` (URLs under /moderatie, endpoints ``moderation.findings.*``).
Each view: load → authorise (policy) → validate (form, CSRF) → act (moderation.findings) → commit
→ flash and redirect back to where the moderator was. Marking decides nothing about the post.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from forum import policy
from forum.db import db, utcnow
from forum.discussions.models import Post
from forum.discussions.queries import post_or_404
from forum.forms import ForumForm, strip_text
from forum.i18n import _, _l
from forum.moderation import findings, queries
from forum.moderation.models import PendingEdit
from forum.pagination import page_arg
from forum.privacy import Kind
from forum.security import safe_next_url

bp = Blueprint("findings", __name__)

moderators_only = policy.rule_required(policy.can_moderate)
reviewers_only = policy.rule_required(policy.can_review_finding_decisions)

NOTE_MAX = 200


def small_number(value: object) -> int | None:
    """Hidden id and offset fields: anything but a small whole number is None (then refused)."""
    text = "" if value is None else str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


class BackForm(ForumForm):
    # The page the button was on (queue with its filters and page, or an item), to go back to.
    next = HiddenField()


class MarkFindingForm(BackForm):
    edit = HiddenField(filters=[small_number])
    start = HiddenField(filters=[small_number], validators=[InputRequired()])
    end = HiddenField(filters=[small_number], validators=[InputRequired()])
    kind = HiddenField(validators=[AnyOf([kind.value for kind in Kind])])
    note = StringField(
        _l("Toelichting (niet verplicht)"),
        filters=[strip_text],
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Hoogstens 200 tekens."))],
    )

    @property
    def hidden_values_valid(self) -> bool:
        """Offsets that make a span, and an edit id that is a number when one is given."""
        start, end = self.start.data, self.end.data
        edit_given = bool(self.edit.raw_data and self.edit.raw_data[0])
        return (start is not None and end is not None and start < end) and (
            self.edit.data is not None or not edit_given
        )


def back(form: BackForm, anchor: str | None = None) -> Response:
    """Back to the moderation page the form was on; the review queue otherwise."""
    target = safe_next_url(form.next.data)
    if target is None or not target.startswith("/moderatie/"):
        target = url_for("moderation.queue")
    return redirect(f"{target}#{anchor}" if anchor else target)


def anchor_of(post: Post, edit: PendingEdit | None) -> str:
    """The id of the item's list of findings in the queue templates."""
    return f"vondsten-edit-{edit.id}" if edit is not None else f"vondsten-post-{post.id}"


def edit_gone(form: BackForm) -> Response:
    flash(_("Deze wijziging wacht niet meer op een beoordeling."), "info")
    return back(form)


@bp.post("/bericht/<id:post_id>/niet-herleidbaar")
@moderators_only
def mark(post_id: int) -> Response:
    post = post_or_404(post_id)
    form = MarkFindingForm()
    if not form.validate_on_submit():
        hidden = ("edit", "start", "end", "kind", "csrf_token")
        if any(name in form.errors for name in hidden):
            abort(400)
        for error in form.note.errors:
            flash(error, "error")
        return back(form)
    if not form.hidden_values_valid:
        abort(400)
    edit = queries.edit_or_none(form.edit.data) if form.edit.data else None
    if form.edit.data and edit is None:
        return edit_gone(form)
    policy.require(policy.can_mark_finding(current_user, post, edit))
    try:
        findings.mark_not_identifying(
            current_user,
            post,
            edit,
            form.start.data,
            form.end.data,
            form.kind.data,
            form.note.data,
        )
    except findings.FindingGone:
        db.session.rollback()
        flash(_("Deze vondst staat niet meer in de tekst. Bekijk de tekst opnieuw."), "info")
        return back(form)
    db.session.commit()
    flash(
        _("De vondst is gemarkeerd als niet herleidbaar. Het bericht wacht nog op een moderator."),
        "success",
    )
    return back(form, anchor_of(post, edit))


@bp.post("/vondsten/<id:decision_id>/ongedaan")
@moderators_only
def undo(decision_id: int) -> Response:
    form = BackForm()
    if not form.validate_on_submit():
        abort(400)
    decision = findings.decision_or_none(decision_id)
    if decision is None:
        flash(_("Deze markering is al ongedaan gemaakt."), "info")
        return back(form)
    post = post_or_404(decision.post_id)
    edit = queries.edit_or_none(decision.edit_id) if decision.edit_id is not None else None
    if decision.edit_id is not None and edit is None:
        return edit_gone(form)
    policy.require(policy.can_mark_finding(current_user, post, edit))
    findings.undo(current_user, decision)
    db.session.commit()
    flash(
        _("De markering is ongedaan gemaakt: de vondst telt weer als mogelijk herleidbaar."),
        "success",
    )
    return back(form, anchor_of(post, edit))


@bp.get("/vondsten")
@reviewers_only
def review() -> str:
    return render_template(
        "moderation/findings.html",
        pagination=findings.review_page(page_arg()),
        kind_label=findings.kind_label,
    )


@bp.get("/vondsten.tsv")
@reviewers_only
def download() -> Response:
    text = "\n".join(findings.corpus_lines()) + "\n"
    response = Response(text, mimetype="text/tab-separated-values")
    response.headers["Content-Type"] = "text/tab-separated-values; charset=utf-8"
    filename = f"niet-herleidbaar-{utcnow().date().isoformat()}.tsv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
