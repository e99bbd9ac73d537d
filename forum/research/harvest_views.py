"""Kennisoogst and insights.

Researchers (and admins): the insights page with charts, and writing, editing and publishing
kennisoogst under /onderzoek/… (everyone else gets a 404). Members, and visitors when reading is
public: published kennisoogst under /kennisoogst.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_percent, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.db import db
from forum.discussions.forms import KIND_LABELS
from forum.extensions import login_manager
from forum.forms import ActionForm
from forum.i18n import _, ngettext
from forum.pagination import page_arg
from forum.research import charts, harvest
from forum.research import insights as numbers
from forum.research.harvest_forms import HarvestForm
from forum.research.models import Harvest

bp = Blueprint("harvest", __name__)
PER_PAGE = 20


# --- insights ---------------------------------------------------------------------------------


def month_label(year: int, month: int) -> str:
    return format_date(date(year, month, 1), "MMM yyyy")


def insight_charts(data: numbers.Insights) -> list[charts.Chart]:
    threads, posts = _("Gesprekken"), _("Berichten")

    def counts(chart_id: str, title: str, desc: str, header: str, rows: list[numbers.Count]):
        return charts.bar_chart(
            chart_id,
            title,
            desc,
            header,
            [row.label for row in rows],
            [
                charts.Series(threads, [row.threads for row in rows]),
                charts.Series(posts, [row.posts for row in rows]),
            ],
        )

    uncoded = data.threads_total - data.threads_coded
    share = format_percent(data.coded_share)
    return [
        counts(
            "per-werkveld",
            _("Gesprekken en berichten per werkveld"),
            _("Goedgekeurde gesprekken en berichten in elk werkveld."),
            _("Werkveld"),
            data.settings,
        ),
        counts(
            "per-soort",
            _("Gesprekken en berichten per soort"),
            _("Goedgekeurde gesprekken en berichten per soort gesprek."),
            _("Soort"),
            data.kinds,
        ),
        counts(
            "per-maand",
            _("Gesprekken en berichten per maand"),
            _("Nieuwe goedgekeurde gesprekken en berichten in elk van de laatste 12 maanden."),
            _("Maand"),
            data.months,
        ),
        charts.bar_chart(
            "per-code",
            _("Hoe vaak elke code is gebruikt"),
            _(
                "Per code: in hoeveel gesprekken de code voorkomt (op het gesprek of op een "
                "passage) en hoeveel passages de code hebben."
            ),
            _("Code"),
            [
                code.name + (" " + _("(gearchiveerd)") if code.archived else "")
                for code in data.codes
            ],
            [
                charts.Series(threads, [code.threads for code in data.codes]),
                charts.Series(_("Passages"), [code.passages for code in data.codes]),
            ],
        ),
        charts.bar_chart(
            "gecodeerd",
            _("Gecodeerde gesprekken"),
            _(
                "%(share)s van de %(total)d goedgekeurde gesprekken is gecodeerd.",
                share=share,
                total=data.threads_total,
            ),
            _("Codering"),
            [_("Gecodeerd"), _("Niet gecodeerd")],
            [charts.Series(threads, [data.threads_coded, uncoded])],
            extra_columns=[
                (
                    _("Aandeel"),
                    [
                        share,
                        format_percent(uncoded / data.threads_total if data.threads_total else 0),
                    ],
                )
            ],
        ),
    ]


@bp.get("/onderzoek/inzichten")
@policy.researchers_only
def insights() -> str:
    data = numbers.collect(KIND_LABELS, str(get_locale() or "nl"), month_label)
    return render_template(
        "research/insights.html",
        data=data,
        charts=insight_charts(data),
        share=format_percent(data.coded_share),
    )


# --- kennisoogst for researchers ------------------------------------------------------------------


@bp.get("/onderzoek/kennisoogst")
@policy.researchers_only
def manage() -> str:
    pagination = harvest.all_page(page_arg(), PER_PAGE)
    return render_template(
        "harvest/manage.html",
        pagination=pagination,
        thread_counts=harvest.thread_counts(pagination.items),
        action_form=ActionForm(),
    )


def save_form(form: HarvestForm, item: Harvest | None) -> Response | None:
    """Validate and save; ``None`` when the form has errors (shown on the page)."""
    if not form.validate_on_submit():
        return None
    keep = harvest.linked_ids(item) if item is not None else []
    try:
        threads = harvest.threads_for(form.thread_ids, keep=keep)
    except harvest.UnknownThreads as unknown:
        form.threads.errors.append(
            _(
                "Deze gesprekken bestaan niet of zijn niet goedgekeurd: %(ids)s.",
                ids=", ".join(unknown.refs),
            )
        )
        return None
    if item is None:
        item = harvest.create(current_user, form.title.data, form.body.data, threads)
        flash(_("De kennisoogst is opgeslagen als concept."), "success")
    else:
        harvest.edit(current_user, item, form.title.data, form.body.data, threads)
        flash(_("Je wijzigingen zijn opgeslagen."), "success")
    db.session.commit()
    return redirect(url_for("harvest.edit", harvest_id=item.id))


@bp.route("/onderzoek/kennisoogst/nieuw", methods=["GET", "POST"])
@policy.researchers_only
def new() -> str | Response:
    form = HarvestForm()
    if request.method == "GET" and request.args.get("gesprekken"):
        ids = harvest.parse_thread_refs(request.args["gesprekken"]) or []
        form.threads.data = ", ".join(str(i) for i in ids)
    saved = save_form(form, None)
    if saved is not None:
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template("harvest/form.html", form=form, item=None), status


@bp.route("/onderzoek/kennisoogst/<id:harvest_id>/bewerken", methods=["GET", "POST"])
@policy.researchers_only
def edit(harvest_id: int) -> str | Response:
    item = harvest.get_or_404(harvest_id)
    form = HarvestForm()
    if request.method == "GET":
        form.title.data = item.title
        form.body.data = item.body_source
        form.threads.data = ", ".join(str(i) for i in harvest.linked_ids(item))
    saved = save_form(form, item)
    if saved is not None:
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template(
        "harvest/form.html",
        form=form,
        item=item,
        threads=harvest.visible_threads(item, current_user),
        action_form=ActionForm(),
    ), status


@bp.post("/onderzoek/kennisoogst/<id:harvest_id>/publiceren")
@policy.researchers_only
def publish(harvest_id: int) -> Response:
    item = harvest.get_or_404(harvest_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    told = harvest.publish(current_user, item)
    db.session.commit()
    if told is None:
        flash(_("Deze kennisoogst was al gepubliceerd. Er is niemand opnieuw ingelicht."), "info")
    else:
        flash(
            ngettext(
                "De kennisoogst is gepubliceerd. %(num)d deelnemer aan de gesprekken ziet het bij "
                "de meldingen.",
                "De kennisoogst is gepubliceerd. %(num)d deelnemers aan de gesprekken zien het bij "
                "hun meldingen.",
                told,
            ),
            "success",
        )
    return redirect(url_for("harvest.show", harvest_id=item.id))


# --- kennisoogst for members ------------------------------------------------------------------


def require_reader() -> Response | None:
    if not policy.can_read_forum(current_user):
        return login_manager.unauthorized()
    return None


@bp.get("/kennisoogst")
def index() -> str | Response:
    if (login := require_reader()) is not None:
        return login
    return render_template(
        "harvest/index.html", pagination=harvest.published_page(page_arg(), PER_PAGE)
    )


@bp.get("/kennisoogst/<id:harvest_id>")
def show(harvest_id: int) -> str | Response:
    if (login := require_reader()) is not None:
        return login
    item = harvest.published_or_404(harvest_id, current_user)
    return render_template(
        "harvest/show.html",
        item=item,
        threads=harvest.visible_threads(item, current_user),
        action_form=ActionForm(),
    )
