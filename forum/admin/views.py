"""Admin pages: people and roles, invitations, site settings, the audit log."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from forum import policy
from forum.accounts import services as accounts
from forum.accounts.models import Role, User, UserRole
from forum.accounts.rights import deletion_views
from forum.accounts.rights.deletion_forms import DeleteAccountForm
from forum.accounts.twofactor import services as twofactor
from forum.admin import services
from forum.admin.audit_details import describe_all
from forum.admin.audit_labels import ACTION_LABELS, action_label, target_label
from forum.admin.forms import (
    AuditFilterForm,
    InviteForm,
    PeopleFilterForm,
    ResetTwoFactorForm,
    RolesForm,
    SiteSettingsForm,
)
from forum.audit import AuditEntry
from forum.core import site
from forum.db import db
from forum.extensions import limiter
from forum.forms import ActionForm, choice_list
from forum.i18n import _, local_day_start
from forum.pagination import page_arg, paginate

bp = Blueprint("admin", __name__, url_prefix="/beheer")
PEOPLE_PER_PAGE = 50
AUDIT_PER_PAGE = 50


@bp.before_request
@policy.rule_required(policy.can_manage_people)
def admins_only() -> None:
    """Every page here is for admins; visitors are sent to log in, others get a 403."""


def like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@bp.get("/mensen")
def people() -> str:
    form = PeopleFilterForm(request.args)
    stmt = (
        db.select(User)
        .options(selectinload(User.role_grants))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    if form.validate():
        if form.q.data:
            pattern = like_pattern(form.q.data)
            stmt = stmt.where(
                db.or_(
                    db.func.lower(User.display_name).like(pattern, escape="\\"),
                    User.email_normalized.like(pattern, escape="\\"),
                )
            )
        if form.role.data:
            stmt = stmt.where(
                User.id.in_(
                    db.select(UserRole.user_id).where(UserRole.role == Role(form.role.data))
                )
            )
        if form.waiting.data:
            stmt = stmt.where(User.approved.is_(False))
    return render_template(
        "admin/people.html",
        form=form,
        pagination=paginate(stmt, page_arg(), PEOPLE_PER_PAGE),
        invite_form=InviteForm(),
        action_form=ActionForm(),
    )


def current_roles(user: User) -> list[str]:
    return [role.value for role in user.roles if role != Role.MEMBER]


def user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/mensen/<id:user_id>", methods=["GET", "POST"])
def person(user_id: int) -> str | Response:
    user = user_or_404(user_id)
    form = RolesForm()
    if request.method == "GET":
        form.roles.data = current_roles(user)
    if form.validate_on_submit():
        wanted = {Role(value) for value in form.roles.data}
        if user.id == current_user.id and Role.ADMIN not in wanted:
            form.roles.errors = [_("Je kunt je eigen beheerdersrol niet afnemen.")]
        else:
            accounts.set_roles(user, wanted, actor=current_user, reason=form.reason.data)
            db.session.commit()
            flash(_("De rollen van %(name)s zijn opgeslagen.", name=user.display_name), "success")
            return redirect(url_for("admin.person", user_id=user.id))
    status = 400 if form.is_submitted() else 200
    return render_person(user, form=form), status


def render_person(
    user: User, form: RolesForm | None = None, reset_form: ResetTwoFactorForm | None = None
) -> str:
    if form is None:
        form = RolesForm(formdata=None)
        form.roles.data = current_roles(user)
    return render_template(
        "admin/person.html",
        person=user,
        form=form,
        reset_form=reset_form or ResetTwoFactorForm(formdata=None),
        action_form=ActionForm(),
    )


@bp.post("/mensen/<id:user_id>/tweede-stap-weghalen")
def reset_two_factor(user_id: int) -> Response | tuple[str, int]:
    """Someone lost their phone and their recovery codes: take the second step away, so they
    can sign in with the password and (staff) set it up again. Every session of theirs ends."""
    user = user_or_404(user_id)
    policy.require(policy.can_reset_two_factor(current_user, user))
    form = ResetTwoFactorForm()
    if not form.validate_on_submit():
        return render_person(user, reset_form=form), 400
    if user.two_factor_since is None:
        flash(_("%(name)s heeft geen tweede stap aanstaan.", name=user.display_name), "info")
    else:
        twofactor.reset(user, reason=form.reason.data, actor=current_user)
        db.session.commit()
        flash(
            _(
                "De tweede stap van %(name)s is weggehaald. Deze persoon is overal uitgelogd.",
                name=user.display_name,
            ),
            "success",
        )
    return redirect(url_for("admin.person", user_id=user.id))


@bp.route("/mensen/<id:user_id>/verwijderen", methods=["GET", "POST"])
@limiter.limit(deletion_views.TRIES, methods=["POST"])
def delete_person(user_id: int) -> str | Response | tuple[str, int]:
    """Delete someone's account for them (a request by mail): the same form and service as
    deleting your own, confirmed with the admin's own password."""
    user = user_or_404(user_id)
    if user.id == current_user.id:
        return redirect(url_for("account_deletion.delete_own"))
    form = DeleteAccountForm()
    if deletion_views.delete_with_form(form, user, current_user):
        flash(_("Het account is verwijderd."), "success")
        return redirect(url_for("admin.people"))
    return deletion_views.render_form(form, user, for_self=False)


@bp.post("/mensen/<id:user_id>/goedkeuren")
def approve(user_id: int) -> Response:
    user = user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    accounts.approve_registration(user, actor=current_user)
    db.session.commit()
    flash(_("De aanmelding van %(name)s is goedgekeurd.", name=user.display_name), "success")
    return redirect(url_for("admin.person", user_id=user.id))


@bp.post("/uitnodigen")
def invite() -> str | Response:
    form = InviteForm()
    if form.validate_on_submit():
        try:
            accounts.invite(form.email.data, actor=current_user)
        except accounts.AccountError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("De uitnodiging is verstuurd naar %(email)s.", email=form.email.data), "success"
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("admin.people"))


@bp.route("/instellingen", methods=["GET", "POST"])
def settings() -> str | Response:
    form = SiteSettingsForm(data=site.all_values() if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {
            "registration_mode": form.registration_mode.data,
            "public_read": form.public_read.data,
        }
        # A number left empty keeps its value.
        for number in (form.trust_threshold, form.report_limit):
            if number.data is not None:
                values[number.name] = str(number.data)
        services.update_site_settings(
            values,
            actor=current_user,
            reason=form.reason.data,
        )
        db.session.commit()
        flash(_("De instellingen zijn opgeslagen."), "success")
        return redirect(url_for("admin.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/settings.html", form=form), status


def audit_action_choices() -> list:
    """Every action with a label, plus any other action already in the log, by label."""
    logged = db.session.execute(db.select(AuditEntry.action).distinct()).scalars()
    names = set(ACTION_LABELS) | set(logged)
    pairs = sorted(((name, action_label(name)) for name in names), key=lambda p: p[1].lower())
    return choice_list([("", _("Alle handelingen")), *pairs])


def filtered_audit(form: AuditFilterForm):
    stmt = db.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if not form.validate():
        return stmt
    if form.action.data:
        if form.action.data in {choice.value for choice in form.action.choices}:
            stmt = stmt.where(AuditEntry.action == form.action.data)
        else:
            stmt = stmt.where(AuditEntry.action.like(like_pattern(form.action.data), escape="\\"))
    if form.actor.data:
        pattern = like_pattern(form.actor.data)
        stmt = stmt.where(
            AuditEntry.actor_id.in_(
                db.select(User.id).where(
                    db.or_(
                        db.func.lower(User.display_name).like(pattern, escape="\\"),
                        User.email_normalized.like(pattern, escape="\\"),
                    )
                )
            )
        )
    if form.since.data:
        stmt = stmt.where(AuditEntry.created_at >= local_day_start(form.since.data))
    if form.until.data:
        stmt = stmt.where(
            AuditEntry.created_at < local_day_start(form.until.data + timedelta(days=1))
        )
    return stmt


@bp.get("/logboek")
def audit_log() -> str:
    form = AuditFilterForm(request.args)
    form.action.choices = audit_action_choices()
    pagination = paginate(filtered_audit(form), page_arg(), AUDIT_PER_PAGE)
    return render_template(
        "admin/audit.html",
        form=form,
        pagination=pagination,
        details=describe_all(list(pagination.items)),
        action_label=action_label,
        known_action=ACTION_LABELS.__contains__,
        target_label=target_label,
    )
