"""Linking anonymous posts to their author in a project's exports: off unless asked and approved.

By default a post written without name gets a pseudonym of its own per thread in every export
(``export.anonymous_pseudonym``). A researcher can say a project needs the link (the checkbox on
the project form); only an admin can approve that, with a reason, and it is audit-logged. Turning
the checkbox off drops the approval (``ResearchProject.set_linkage_needed``); asking again needs a
new one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from forum import audit, policy
from forum.db import db, utcnow
from forum.forms import ForumForm, strip_text
from forum.i18n import _, _l
from forum.research.projects import project_or_404

bp = Blueprint("research_linkage", __name__, url_prefix="/onderzoek")


class LinkageForm(ForumForm):
    decision = HiddenField(validators=[AnyOf(("goedkeuren", "intrekken"))])
    reason = TextAreaField(
        _l("Reden"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Schrijf op waarom.")),
            Length(max=2000, message=_l("Hoogstens 2000 tekens.")),
        ],
        description=_l("Waarom dit project bijdragen zonder naam aan de schrijver moet koppelen."),
    )


@bp.app_context_processor
def linkage_helpers() -> dict[str, Any]:
    return {"linkage_form": LinkageForm, "can_approve_linkage": can_approve}


def can_approve(user: Any) -> bool:
    return bool(policy.can_manage_people(user))


@bp.post("/projecten/<id:project_id>/koppeling")
@policy.researchers_only
def decide(project_id: int) -> Response:
    """An admin approves (or withdraws) linking anonymous posts in this project's exports."""
    if not can_approve(current_user):
        abort(403)
    project = project_or_404(project_id)
    back = redirect(url_for("research_exports.project", project_id=project.id) + "#koppeling")
    form = LinkageForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
        return back
    if form.decision.data == "intrekken":
        project.anonymous_linkage_approved_at = None
        project.anonymous_linkage_approved_by_id = None
        project.anonymous_linkage_reason = None
        action = "research_project.linkage_withdrawn"
        message = _(
            "De koppeling is ingetrokken: bijdragen zonder naam krijgen een eigen schuilnaam."
        )
    elif not project.anonymous_linkage_needed:
        flash(_("Dit project vraagt niet om koppeling; er is niets goed te keuren."), "error")
        return back
    else:
        project.anonymous_linkage_approved_at = utcnow()
        project.anonymous_linkage_approved_by_id = current_user.id
        project.anonymous_linkage_reason = form.reason.data
        action = "research_project.linkage_approved"
        message = _(
            "Goedgekeurd: in exports van dit project houden bijdragen zonder naam de gewone "
            "schuilnaam."
        )
    audit.record(current_user, action, "research_project", project.id, reason=form.reason.data)
    db.session.commit()
    flash(message, "success")
    return back
