"""Research pages: codebook, coding, memos, research views.

Every view is for researchers (and admins) only; anyone else gets a 404, visitors included.
Each view: load → authorise → validate → act (services) → commit → flash + redirect.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from forum import policy
from forum.db import db
from forum.discussions.forms import KIND_LABELS
from forum.forms import ActionForm
from forum.i18n import _
from forum.pagination import page_arg
from forum.research import codebook, coding, queries
from forum.research.forms import (
    CodeForm,
    CodeSelectForm,
    MemoForm,
    PassageForm,
    ThreadFilterForm,
    set_code_choices,
)
from forum.research.models import Code, Memo

bp = Blueprint("research", __name__, url_prefix="/onderzoek")


@bp.before_request
def researchers_first() -> None:
    """A second lock behind ``policy.researchers_only`` on every view."""
    if not policy.can_research(current_user):
        abort(404)


@bp.app_context_processor
def research_panel_helpers() -> dict[str, Any]:
    """For ``research/_panel.html`` on the normal thread page."""
    return {"research_thread_codes": panel_codes}


def panel_codes(thread_id: int) -> list[Code]:
    if not policy.can_research(current_user):
        return []
    return queries.panel_codes(thread_id)


# --- codebook ---------------------------------------------------------------------------------


@bp.get("/codes")
@policy.researchers_only
def codes() -> str:
    return render_template(
        "research/codes.html",
        codes=codebook.all_codes(),
        usage=codebook.usage_counts(),
        action_form=ActionForm(),
    )


@bp.post("/codes/startcodes")
@policy.researchers_only
def load_starters() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    added = codebook.load_starter_codes(current_user)
    db.session.commit()
    if added:
        flash(_("%(num)d startcodes toegevoegd.", num=len(added)), "success")
    else:
        flash(_("Alle startcodes staan al in het codeboek."), "info")
    return redirect(url_for("research.codes"))


def save_code(form: CodeForm, code: Code | None) -> Response | None:
    """Create or change the code; a broken rule becomes an error on its field."""
    try:
        if code is None:
            code = codebook.create_code(current_user, form.code_data())
            message = _("Code ‘%(name)s’ toegevoegd.", name=code.name)
        else:
            codebook.update_code(current_user, code, form.code_data())
            message = _("Code ‘%(name)s’ opgeslagen.", name=code.name)
    except codebook.CodebookError as error:
        db.session.rollback()
        target = getattr(form, error.field or "name")
        target.errors = [*target.errors, error.message]
        return None
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("research.code", code_id=code.id))


@bp.route("/codes/nieuw", methods=["GET", "POST"])
@policy.researchers_only
def code_new() -> str | Response | tuple[str, int]:
    form = CodeForm()
    form.set_parents(codebook.possible_parents(None))
    if form.validate_on_submit() and (done := save_code(form, None)):
        return done
    status = 400 if form.is_submitted() else 200
    return render_template("research/code_form.html", form=form, code=None), status


@bp.route("/codes/<id:code_id>/bewerken", methods=["GET", "POST"])
@policy.researchers_only
def code_edit(code_id: int) -> str | Response | tuple[str, int]:
    code = codebook.code_or_404(code_id)
    form = CodeForm(obj=code if request.method == "GET" else None)
    if request.method == "GET":
        form.parent.data = code.parent_id
    form.set_parents(codebook.possible_parents(code))
    if form.validate_on_submit() and (done := save_code(form, code)):
        return done
    status = 400 if form.is_submitted() else 200
    return render_template("research/code_form.html", form=form, code=code), status


@bp.get("/codes/<id:code_id>")
@policy.researchers_only
def code(code_id: int) -> str:
    return render_code(codebook.code_or_404(code_id))


def render_code(item: Code, memo_form: MemoForm | None = None, status: int = 200) -> Any:
    page = queries.code_page(item)
    return render_template(
        "research/code.html",
        code=item,
        page=page,
        children=codebook.children_of(item),
        in_use=codebook.in_use(item),
        memo_form=memo_form or MemoForm(prefix="notitie", formdata=None),
        edit_forms={m.id: memo_edit_form(m) for m in page.memos},
        can_edit_memo=lambda memo: policy.can_edit_memo(current_user, memo),
        action_form=ActionForm(),
        kind_labels=KIND_LABELS,
    ), status


@bp.post("/codes/<id:code_id>/<any(archiveren, terugzetten):action>")
@policy.researchers_only
def code_archive(code_id: int, action: str) -> Response:
    item = codebook.code_or_404(code_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    codebook.set_archived(current_user, item, action == "archiveren")
    db.session.commit()
    if item.archived:
        flash(_("Code ‘%(name)s’ gearchiveerd.", name=item.name), "success")
    else:
        flash(_("Code ‘%(name)s’ is weer te gebruiken.", name=item.name), "success")
    return redirect(url_for("research.code", code_id=item.id))


@bp.post("/codes/<id:code_id>/verwijderen")
@policy.researchers_only
def code_delete(code_id: int) -> Response:
    item = codebook.code_or_404(code_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        name = item.name
        codebook.delete_code(current_user, item)
    except codebook.CodebookError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("research.code", code_id=code_id))
    db.session.commit()
    flash(_("Code ‘%(name)s’ verwijderd.", name=name), "success")
    return redirect(url_for("research.codes"))


@bp.post("/codes/<id:code_id>/notitie")
@policy.researchers_only
def code_memo(code_id: int) -> Any:
    item = codebook.code_or_404(code_id)
    form = MemoForm(prefix="notitie")
    if not form.validate_on_submit():
        return render_code(item, form, 400)
    memo = coding.add_memo(current_user, form.text.data, code=item)
    db.session.commit()
    flash(_("Notitie opgeslagen."), "success")
    return redirect(url_for("research.code", code_id=item.id, _anchor=f"notitie-{memo.id}"))


# --- coding a thread --------------------------------------------------------------------------


def memo_edit_form(memo: Memo) -> MemoForm:
    return MemoForm(prefix=f"m{memo.id}", formdata=None, data={"text": memo.text})


def render_thread(thread_id: int, failed: dict[str, FlaskForm] | None = None) -> Any:
    """The coding page; ``failed`` holds a submitted form (by prefix) to show with its errors."""
    failed = failed or {}
    thread = queries.research_thread_or_404(thread_id)
    page = queries.thread_page(thread)
    active = codebook.active_codes()
    applied = {c.code_id for c in page.thread_codings}

    def keep(prefix: str, make: Any) -> Any:
        return failed.get(prefix) or make()

    def code_form() -> CodeSelectForm:
        form = CodeSelectForm(prefix="gesprek", formdata=None)
        set_code_choices(form.code, [c for c in active if c.id not in applied])
        return form

    def passage_form(post_id: int) -> PassageForm:
        form = PassageForm(prefix=f"b{post_id}", formdata=None)
        set_code_choices(form.code, active)
        return form

    memos = [*page.thread_memos, *(m for ms in page.passage_memos.values() for m in ms)]
    return render_template(
        "research/thread.html",
        thread=thread,
        page=page,
        code_form=keep("gesprek", code_form),
        memo_form=keep("notitie", lambda: MemoForm(prefix="notitie", formdata=None)),
        passage_forms={
            post.id: keep(f"b{post.id}", lambda post=post: passage_form(post.id))
            for post in page.posts
            if post.research_consent
        },
        passage_memo_forms={
            p.id: keep(f"p{p.id}", lambda p=p: MemoForm(prefix=f"p{p.id}", formdata=None))
            for group in page.passages.values()
            for p in group
        },
        edit_forms={m.id: keep(f"m{m.id}", lambda m=m: memo_edit_form(m)) for m in memos},
        can_edit_memo=lambda memo: policy.can_edit_memo(current_user, memo),
        segments=coding.segments,
        still_matches=coding.still_matches,
        action_form=ActionForm(),
        kind_labels=KIND_LABELS,
    ), 400 if failed else 200


@bp.get("/gesprek/<id:thread_id>")
@policy.researchers_only
def thread(thread_id: int) -> Any:
    return render_thread(thread_id)


def back_to_thread(thread_id: int, anchor: str) -> Response:
    return redirect(url_for("research.thread", thread_id=thread_id, _anchor=anchor))


@bp.post("/gesprek/<id:thread_id>/codes")
@policy.researchers_only
def thread_code(thread_id: int) -> Any:
    item = queries.research_thread_or_404(thread_id)
    form = CodeSelectForm(prefix="gesprek")
    set_code_choices(form.code, codebook.active_codes())
    if not form.validate_on_submit():
        return render_thread(thread_id, {"gesprek": form})
    try:
        coding.code_thread(current_user, item, codebook.code_or_404(form.code.data))
    except coding.CodingError as error:
        db.session.rollback()
        form.code.errors = [*form.code.errors, error.message]
        return render_thread(thread_id, {"gesprek": form})
    db.session.commit()
    flash(_("Code toegevoegd aan het gesprek."), "success")
    return back_to_thread(thread_id, "codes")


@bp.post("/gesprek/<id:thread_id>/codes/<id:coding_id>/weghalen")
@policy.researchers_only
def thread_uncode(thread_id: int, coding_id: int) -> Response:
    item = queries.research_thread_or_404(thread_id)
    found = coding.thread_coding_or_404(coding_id, item)
    if not ActionForm().validate_on_submit():
        abort(400)
    coding.uncode_thread(current_user, found)
    db.session.commit()
    flash(_("Code weggehaald bij het gesprek."), "success")
    return back_to_thread(thread_id, "codes")


@bp.post("/gesprek/<id:thread_id>/notitie")
@policy.researchers_only
def thread_memo(thread_id: int) -> Any:
    item = queries.research_thread_or_404(thread_id)
    form = MemoForm(prefix="notitie")
    if not form.validate_on_submit():
        return render_thread(thread_id, {"notitie": form})
    memo = coding.add_memo(current_user, form.text.data, thread=item)
    db.session.commit()
    flash(_("Notitie opgeslagen."), "success")
    return back_to_thread(thread_id, f"notitie-{memo.id}")


# --- passages ---------------------------------------------------------------------------------


@bp.post("/passage/bericht/<id:post_id>")
@policy.researchers_only
def passage_code(post_id: int) -> Any:
    post = queries.approved_post_or_404(post_id)
    prefix = f"b{post.id}"
    form = PassageForm(prefix=prefix)
    set_code_choices(form.code, codebook.active_codes())
    if not form.validate_on_submit():
        return render_thread(post.thread_id, {prefix: form})
    try:
        passage = coding.code_passage(
            current_user,
            post,
            codebook.code_or_404(form.code.data),
            form.quote.data,
            form.start.data,
            form.end.data,
        )
    except coding.CodingError as error:
        db.session.rollback()
        form.quote.errors = [*form.quote.errors, error.message]
        return render_thread(post.thread_id, {prefix: form})
    db.session.commit()
    flash(_("Passage gecodeerd."), "success")
    return back_to_thread(post.thread_id, f"passage-{passage.id}")


@bp.post("/passage/<id:passage_id>/weghalen")
@policy.researchers_only
def passage_uncode(passage_id: int) -> Response:
    passage = coding.passage_or_404(passage_id)
    thread_id = passage.post.thread_id
    if not ActionForm().validate_on_submit():
        abort(400)
    coding.uncode_passage(current_user, passage)
    db.session.commit()
    flash(_("Codering van de passage weggehaald."), "success")
    return back_to_thread(thread_id, f"bericht-{passage.post_id}")


@bp.post("/passage/<id:passage_id>/notitie")
@policy.researchers_only
def passage_memo(passage_id: int) -> Any:
    passage = coding.passage_or_404(passage_id)
    thread_id = passage.post.thread_id
    prefix = f"p{passage.id}"
    form = MemoForm(prefix=prefix)
    if not form.validate_on_submit():
        return render_thread(thread_id, {prefix: form})
    memo = coding.add_memo(current_user, form.text.data, passage=passage)
    db.session.commit()
    flash(_("Notitie opgeslagen."), "success")
    return back_to_thread(thread_id, f"notitie-{memo.id}")


# --- memos ------------------------------------------------------------------------------------


@bp.post("/memo/<id:memo_id>/bewerken")
@policy.researchers_only
def memo_edit(memo_id: int) -> Any:
    memo = coding.memo_or_404(memo_id)
    if not policy.can_edit_memo(current_user, memo):
        abort(404)
    prefix = f"m{memo.id}"
    form = MemoForm(prefix=prefix)
    thread_id = coding.memo_thread_id(memo)
    if form.validate_on_submit():
        coding.edit_memo(current_user, memo, form.text.data)
        db.session.commit()
        flash(_("Notitie opgeslagen."), "success")
        if thread_id is not None:
            return back_to_thread(thread_id, f"notitie-{memo.id}")
    elif thread_id is not None:
        return render_thread(thread_id, {prefix: form})
    else:
        flash(_("Een notitie kan niet leeg zijn."), "error")
    return redirect(url_for("research.code", code_id=memo.code_id, _anchor=f"notitie-{memo.id}"))


# --- the research list of threads -------------------------------------------------------------


@bp.get("/gesprekken")
@policy.researchers_only
def threads() -> str:
    form = ThreadFilterForm(request.args)
    form.set_choices(codebook.all_codes(), queries.all_settings(), str(get_locale() or "nl"))
    filters = form.filters() if request.args and form.validate() else queries.ThreadFilter()
    pagination = queries.research_threads(filters, page_arg())
    args = filters.as_args()

    def page_url(number: int) -> str:
        return url_for("research.threads", **args, page=number if number > 1 else None)

    return render_template(
        "research/threads.html",
        form=form,
        pagination=pagination,
        codes_of=queries.codes_by_thread([t.id for t in pagination.items]),
        page_url=page_url,
        kind_labels=KIND_LABELS,
        filtered=any(value for value in args.values()),
    )
