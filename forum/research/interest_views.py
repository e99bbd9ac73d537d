"""The Meedenken interest list: the public sign-up page and the researchers' pages.

Each view: load → authorise (policy) → validate (form) → act (services) → commit → respond.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy, ratelimits
from forum.accounts.forms import PROFESSION_LABELS
from forum.accounts.models import Profession
from forum.core.models import Setting
from forum.core.queries import active_settings, setting_choices
from forum.db import db, utcnow
from forum.extensions import limiter
from forum.forms import ActionForm, choice_list
from forum.i18n import _
from forum.pagination import page_arg, paginate
from forum.research import interest
from forum.research.interest_forms import InterestFilterForm, InterestForm, RemoveEntryForm
from forum.research.models import InterestEntry

bp = Blueprint("interest", __name__)
PER_PAGE = 50


def locale() -> str:
    return str(get_locale() or "nl")


# --- visitors: sign up ----------------------------------------------------------------------------


@bp.route("/meedenken", methods=["GET", "POST"])
@limiter.limit(
    ratelimits.REMOVAL_REQUESTS,
    key_func=ratelimits.per_person,
    methods=["POST"],
    deduct_when=ratelimits.only_when_stored,
)
def signup() -> str | Response | tuple[str, int]:
    form = InterestForm()
    form.setting.choices = setting_choices()
    if form.validate_on_submit():
        setting = next((s for s in active_settings() if s.id == form.setting.data), None)
        if setting is None:
            abort(400)
        interest.sign_up(
            interest.SignUp(
                name=form.name.data,
                email=form.email.data,
                profession=Profession(form.profession.data),
                setting=setting,
                topic=form.topic.data,
                consent_to_contact=form.consent.data,
            )
        )
        db.session.commit()
        # The same answer for a new and a known address: nothing is revealed.
        return redirect(url_for("interest.thanks"))
    return render_template("research/interest_signup.html", form=form), (
        400 if form.is_submitted() else 200
    )


@bp.get("/meedenken/bedankt")
def thanks() -> str:
    return render_template("research/interest_thanks.html")


# --- researchers: the list ------------------------------------------------------------------------


def filter_form() -> InterestFilterForm:
    form = InterestFilterForm(request.args)
    settings = db.session.scalars(sa.select(Setting).order_by(Setting.position, Setting.id))
    form.werkveld.choices = choice_list(
        [("", _("Alle werkvelden")), *((str(s.id), s.name(locale())) for s in settings)]
    )
    return form


@bp.get("/onderzoek/meedenkers")
@policy.researchers_only
def entries() -> tuple[str, int]:
    form = filter_form()
    valid = form.validate()
    stmt = interest.entries_stmt(form.filters() if valid else interest.Filters())
    if not valid:
        stmt = stmt.where(sa.false())  # a filter that does not exist shows nothing, not all
    pagination = paginate(stmt, page_arg(), PER_PAGE)
    return render_template(
        "research/interest_entries.html",
        form=form,
        pagination=pagination,
        contacted_by=interest.names_of([e.contacted_by_id for e in pagination.items]),
        profession_labels=PROFESSION_LABELS,
        action_form=ActionForm(),
        export_args={k: v for k, v in request.args.items() if k != "page"},
        locale=locale(),
    ), (200 if valid else 400)


@bp.get("/onderzoek/meedenkers.csv")
@policy.researchers_only
def export() -> Response:
    form = filter_form()
    if not form.validate():
        abort(400)
    text, _count = interest.export_csv(current_user, form.filters())
    db.session.commit()
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    filename = f"meedenkers-{utcnow().date().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def entry_or_404(entry_id: int) -> InterestEntry:
    entry = db.session.get(InterestEntry, entry_id)
    if entry is None:
        abort(404)
    return entry


def back_to_list() -> Response:
    return redirect(url_for("interest.entries"))


@bp.post("/onderzoek/meedenkers/<id:entry_id>/benaderd")
@policy.researchers_only
def mark_contacted(entry_id: int) -> Response:
    entry = entry_or_404(entry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if interest.mark_contacted(entry, current_user):
        db.session.commit()
        flash(_("Gemarkeerd als benaderd."), "success")
    else:
        db.session.rollback()
        name = interest.names_of([entry.contacted_by_id]).get(entry.contacted_by_id or 0)
        if name:
            flash(_("Dit was al gemarkeerd als benaderd door %(name)s.", name=name), "info")
        else:
            flash(_("Dit was al gemarkeerd als benaderd."), "info")
    return redirect(url_for("interest.entries", _anchor=f"meedenker-{entry.id}"))


@bp.route("/onderzoek/meedenkers/<id:entry_id>/verwijderen", methods=["GET", "POST"])
@policy.researchers_only
def remove(entry_id: int) -> str | Response | tuple[str, int]:
    entry = entry_or_404(entry_id)
    form = RemoveEntryForm()
    if form.validate_on_submit():
        interest.remove(entry, current_user, form.reason.data or "")
        db.session.commit()
        flash(_("De aanmelding is verwijderd."), "success")
        return back_to_list()
    return render_template(
        "research/interest_remove.html",
        form=form,
        entry=entry,
        profession_labels=PROFESSION_LABELS,
        locale=locale(),
    ), (400 if form.is_submitted() else 200)
