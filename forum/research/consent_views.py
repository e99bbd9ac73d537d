"""Research consent per post: the author gives or withdraws it for one post, for all their posts
at once, and sees every change they made.

Each view: load → authorise (policy) → validate (form) → act (services) → commit → respond.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policy
from forum.accounts.forms import ConsentChoiceForm
from forum.accounts.models import ConsentRecord
from forum.db import db
from forum.discussions import queries
from forum.i18n import _
from forum.pagination import page_arg, paginate
from forum.research import consent

bp = Blueprint("consent", __name__)


@bp.post("/bericht/<id:post_id>/toestemming")
def post_consent(post_id: int) -> Response:
    post = queries.post_or_404(post_id)
    policy.require(policy.can_change_post_consent(current_user, post))
    form = ConsentChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    consent.set_post_consent(current_user, post, form.granted)
    db.session.commit()
    if form.granted:
        flash(_("Dit bericht mag gebruikt worden voor onderzoek. Dank je!"), "success")
    else:
        flash(
            _("Je toestemming is ingetrokken. Dit bericht wordt niet gebruikt voor onderzoek."),
            "success",
        )
    return redirect(url_for("discussions.show_post", post_id=post.id))


@bp.post("/account/toestemming/alles")
@login_required
def all_posts() -> Response:
    form = ConsentChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    consent.set_all_posts_consent(current_user, form.granted)
    db.session.commit()
    if form.granted:
        flash(_("Al je berichten mogen nu gebruikt worden voor onderzoek. Dank je!"), "success")
    else:
        flash(
            _(
                "Je toestemming is ingetrokken voor al je berichten. Ze worden niet gebruikt "
                "voor onderzoek."
            ),
            "success",
        )
    return redirect(url_for("accounts.profile", _anchor="toestemming"))


@bp.get("/account/toestemming")
@login_required
def history() -> str:
    """Every grant and withdrawal of the signed-in person, newest first."""
    pagination = paginate(
        sa.select(ConsentRecord)
        .where(ConsentRecord.user_id == current_user.id)
        .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc()),
        page_arg(),
        50,
    )
    return render_template(
        "research/consent_history.html",
        pagination=pagination,
        summary=consent.summary(current_user),
    )
