"""Admin pages for werkvelden: add, rename, reorder, archive."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from forum import policy
from forum.core import services
from forum.core.models import Setting
from forum.db import db
from forum.forms import ActionForm, ForumForm, strip_text
from forum.i18n import _, _l

bp = Blueprint("werkvelden", __name__, url_prefix="/beheer/werkvelden")


class SettingNamesForm(ForumForm):
    name_nl = StringField(
        _l("Naam (Nederlands)"),
        filters=[strip_text],
        validators=[DataRequired(), Length(min=2, max=80)],
    )
    name_en = StringField(
        _l("Naam (Engels)"),
        filters=[strip_text],
        validators=[DataRequired(), Length(min=2, max=80)],
    )


class NewSettingForm(SettingNamesForm):
    slug = StringField(
        _l("Korte naam in de webadressen"),
        filters=[strip_text],
        validators=[DataRequired(), Length(min=2, max=40)],
        description=_l("Bijvoorbeeld ‘jeugdzorg’: kleine letters, cijfers en -."),
    )


class PremoderationForm(ForumForm):
    premoderated = BooleanField(
        _l("Elk bericht eerst laten beoordelen"),
        description=_l("Ook berichten van vertrouwde leden wachten dan eerst op een moderator."),
    )


@bp.before_request
@policy.rule_required(policy.can_manage_settings)
def admins_only() -> None:
    """Only admins manage werkvelden."""


def setting_or_404(setting_id: int) -> Setting:
    setting = db.session.get(Setting, setting_id)
    if setting is None:
        abort(404)
    return setting


@bp.route("/", methods=["GET", "POST"])
def index() -> str | Response:
    form = NewSettingForm(prefix="new")
    if form.validate_on_submit():
        try:
            services.add_setting(
                form.slug.data, form.name_nl.data, form.name_en.data, actor=current_user
            )
        except services.SettingError as error:
            form.slug.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Het werkveld is toegevoegd."), "success")
            return redirect(url_for("werkvelden.index"))
    settings = services.all_settings()
    rename_forms = {
        s.id: SettingNamesForm(prefix=f"s{s.id}", data={"name_nl": s.name_nl, "name_en": s.name_en})
        for s in settings
    }
    premoderation_forms = {
        s.id: PremoderationForm(prefix=f"p{s.id}", data={"premoderated": s.premoderated})
        for s in settings
    }
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/werkvelden.html",
        form=form,
        settings=settings,
        rename_forms=rename_forms,
        premoderation_forms=premoderation_forms,
        action_form=ActionForm(),
    ), status


@bp.post("/<id:setting_id>/beoordelen")
def premoderation(setting_id: int) -> Response:
    setting = setting_or_404(setting_id)
    form = PremoderationForm(prefix=f"p{setting.id}")
    if not form.validate_on_submit():
        abort(400)
    on = bool(form.premoderated.data)
    if services.set_premoderated(setting, on, actor=current_user):
        db.session.commit()
        flash(
            _("In %(name)s wacht nu elk bericht eerst op een moderator.", name=setting.name_nl)
            if on
            else _(
                "In %(name)s wachten berichten niet meer allemaal op een moderator.",
                name=setting.name_nl,
            ),
            "success",
        )
    else:
        flash(_("Er is niets veranderd."), "info")
    return redirect(url_for("werkvelden.index", _anchor=f"werkveld-{setting.id}"))


@bp.post("/<id:setting_id>/naam")
def rename(setting_id: int) -> Response:
    setting = setting_or_404(setting_id)
    form = SettingNamesForm(prefix=f"s{setting.id}")
    if not form.validate_on_submit():
        flash(_("Vul beide namen in (2 tot 80 tekens)."), "error")
        return redirect(url_for("werkvelden.index"))
    services.rename_setting(setting, form.name_nl.data, form.name_en.data, actor=current_user)
    db.session.commit()
    flash(_("De naam is opgeslagen."), "success")
    return redirect(url_for("werkvelden.index"))


@bp.post("/<id:setting_id>/<any(omhoog, omlaag, archiveren, terugzetten):action>")
def change(setting_id: int, action: str) -> Response:
    setting = setting_or_404(setting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if action in ("omhoog", "omlaag"):
            services.move_setting(setting, -1 if action == "omhoog" else 1, actor=current_user)
        else:
            services.set_archived(setting, action == "archiveren", actor=current_user)
    except services.SettingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Opgeslagen."), "success")
    return redirect(
        url_for("werkvelden.index", _anchor=f"werkveld-{setting.id}")
        if request.method == "POST"
        else url_for("werkvelden.index")
    )
