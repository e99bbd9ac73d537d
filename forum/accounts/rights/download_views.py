"""Download your data: the page that explains it and asks for it, and the download itself.

A blueprint nested in ``accounts`` (URLs under /account/gegevens, endpoints
``accounts.download.*``). Visitors are sent to the login page, also from a link in a mail, and
come back to it after signing in. A link is only ever served to the person it was made for; for
anyone else it does not exist (404). The file is never kept by the page cache (no view here is a
``cached_page``) nor by the browser or a proxy (``Cache-Control: no-store``).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.accounts.rights import download
from forum.db import db, utcnow
from forum.extensions import limiter
from forum.forms import ActionForm
from forum.i18n import _

bp = Blueprint("download", __name__, url_prefix="/gegevens")

members_only = policy.rule_required(policy.can_ask_own_data)


@bp.get("")
@members_only
def page() -> str:
    latest = download.latest(current_user)
    return render_template(
        "accounts/rights/download.html",
        latest=latest,
        state=latest.state(utcnow()) if latest else None,
        at_once=download.builds_at_once(current_user),
        hours=current_app.config["FORUM_DATA_DOWNLOAD_HOURS"],
        form=ActionForm(),
    )


@bp.post("/aanvragen")
@members_only
@limiter.limit("10 per hour")
def ask() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        token = download.ask(current_user)
    except download.AlreadyWaiting:
        db.session.rollback()
        flash(
            _("We zijn je gegevens al aan het klaarmaken. Je krijgt een mail als ze klaarstaan."),
            "info",
        )
        return redirect(url_for(".page"))
    db.session.commit()
    if token is not None:
        # Built at once: the browser starts the download and stays on the page it came from.
        return redirect(url_for(".file", token=token), code=303)
    flash(
        _("We maken je gegevens klaar. Je krijgt een mail zodra je ze kunt downloaden."), "success"
    )
    return redirect(url_for(".page"))


@bp.get("/download/<token>")
@members_only
def file(token: str) -> Response | tuple[str, int]:
    row = download.find(token)
    if row is None:
        abort(404)
    policy.require(policy.can_download_own_data(current_user, row))
    path = download.ready_file(row)
    if path is None:
        return link_expired()
    words = _("dorpsplein-gegevens")  # the file's name in the member's language
    name = f"{words}-{row.built_at or utcnow():%Y-%m-%d}.zip"
    try:
        response = send_file(
            path,
            mimetype="application/zip",
            as_attachment=True,
            download_name=name,
            conditional=False,
            etag=False,
            last_modified=None,
            max_age=0,
        )
    except FileNotFoundError:  # purged between the look-up and now
        return link_expired()
    response.headers["Cache-Control"] = "no-store"
    return response


def link_expired() -> tuple[str, int]:
    return render_template("accounts/rights/link_expired.html"), 410
