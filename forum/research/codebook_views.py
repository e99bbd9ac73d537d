"""The codebook as a REFI-QDA codebook (.qdc): download it, or merge one in (researchers and
admins only; anyone else gets a 404)."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.db import db
from forum.i18n import _
from forum.research import codebook_exchange
from forum.research.codebook import CodebookError
from forum.research.forms import CodebookImportForm

bp = Blueprint("research_codebook", __name__, url_prefix="/onderzoek")

# The site takes 1 MB per request; an upload may be 2 MB, and a little more (the form's fields)
# still reaches the form, so a file just over 2 MB gets the form's own message, not a 413 page.
UPLOAD_REQUEST_MAX = codebook_exchange.MAX_BYTES + 512 * 1024


@bp.url_value_preprocessor
def allow_codebook_upload(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Raise the request limit for this upload only, and only for researchers. Runs before any
    before_request function: the CSRF check reads the form, and with it the body."""
    if endpoint == "research_codebook.import_qdc" and policy.can_research(current_user):
        request.max_content_length = UPLOAD_REQUEST_MAX


@bp.before_request
def researchers_first() -> None:
    if not policy.can_research(current_user):
        abort(404)


@bp.get("/codes/codeboek.qdc")
@policy.researchers_only
def export_qdc() -> Response:
    try:
        payload = codebook_exchange.render_qdc()
    except CodebookError as error:
        flash(error.message, "info")
        return redirect(url_for("research.codes"))
    response = send_file(
        io.BytesIO(payload),
        mimetype="application/xml",
        as_attachment=True,
        download_name="dorpsplein-codeboek.qdc",
        etag=False,
        last_modified=None,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/codes/importeren", methods=["GET", "POST"])
@policy.researchers_only
def import_qdc() -> str | Response | tuple[str, int]:
    form = CodebookImportForm()
    if form.validate_on_submit():
        # One byte more than allowed is enough to tell "too large".
        payload = form.file.data.read(codebook_exchange.MAX_BYTES + 1)
        try:
            result = codebook_exchange.import_codes(
                current_user, codebook_exchange.read_qdc(payload)
            )
        except CodebookError as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, error.message]
        else:
            db.session.commit()
            flash(
                _(
                    "Codeboek ingelezen: %(added)d codes toegevoegd, %(existing)d bestonden al.",
                    added=len(result.added),
                    existing=result.existing,
                ),
                "success",
            )
            if result.described:
                flash(
                    _(
                        "%(num)d bestaande codes zonder beschrijving kregen die uit het bestand.",
                        num=result.described,
                    ),
                    "info",
                )
            return redirect(url_for("research.codes"))
    status = 400 if form.is_submitted() else 200
    return render_template("research/codebook_import.html", form=form), status
