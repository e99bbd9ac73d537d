"""Deleting your own account (``/account/verwijderen``); admins use the same form and service
from a person's page (``forum.admin.views.delete_person``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from forum import policy
from forum.accounts.models import User
from forum.accounts.rights import deletion
from forum.accounts.rights.deletion_forms import DeleteAccountForm
from forum.accounts.services import AccountError
from forum.db import db
from forum.extensions import limiter
from forum.i18n import _

bp = Blueprint("account_deletion", __name__, url_prefix="/account")
# Each try checks a password: as tight as signing in.
TRIES = "10 per 15 minutes"


def delete_with_form(form: DeleteAccountForm, person: User, actor: User) -> bool:
    """Delete ``person`` when the form is valid and the service agrees, and commit; False (with
    the reason on the form) otherwise."""
    if not form.validate_on_submit():
        return False
    try:
        deletion.delete_account(person, actor, form.choice, form.password.data)
    except AccountError as refused:
        db.session.rollback()
        target = form.password if refused.field == "password" else form.posts
        target.errors = [*target.errors, refused.message]
        return False
    db.session.commit()
    return True


def render_form(form: DeleteAccountForm, person: User, for_self: bool) -> tuple[str, int]:
    decision = policy.can_delete_account(current_user, person)
    status = 400 if form.is_submitted() else 200
    if not decision:
        status = 403
    return render_template(
        "accounts/rights/delete.html",
        form=form,
        person=person,
        for_self=for_self,
        refusal=None if decision else decision.reason,
    ), status


@bp.route("/verwijderen", methods=["GET", "POST"])
@login_required
@limiter.limit(TRIES, methods=["POST"])
def delete_own() -> str | Response | tuple[str, int]:
    person = current_user._get_current_object()  # the real object: it leaves the session
    form = DeleteAccountForm()
    if delete_with_form(form, person, person):
        logout_user()
        session.clear()
        flash(_("Je account is verwijderd. Bedankt dat je meedeed."), "success")
        return redirect(url_for("core.index"))
    return render_form(form, person, for_self=True)
