"""Research projects, exports and their accountability (researchers and admins only; anyone
else gets a 404)."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import audit, policy
from forum.db import db, utcnow
from forum.discussions.forms import KIND_LABELS
from forum.i18n import _
from forum.pagination import page_arg, paginate
from forum.research import export_jobs, projects
from forum.research.export import ExportRefused
from forum.research.export_forms import FORMAT_LABELS, ExportForm, ProjectForm
from forum.research.models import ExportFormat, ExportJob, ExportRecord, ResearchProject

bp = Blueprint("research_exports", __name__, url_prefix="/onderzoek")


def key_missing() -> bool:
    key = current_app.config.get("FORUM_RESEARCH_KEY") or ""
    return not key or key == current_app.config.get("SECRET_KEY")


@bp.get("/projecten", endpoint="projects")
@policy.researchers_only
def projects_index() -> str:
    return render_template(
        "research/projects.html",
        projects=projects.all_projects(),
        export_counts=projects.export_counts(),
    )


@bp.route("/projecten/nieuw", methods=["GET", "POST"])
@policy.researchers_only
def project_new() -> str | Response | tuple[str, int]:
    form = ProjectForm(projects.all_settings(), projects.all_codes())
    if form.validate_on_submit():
        project = projects.create_project(current_user, form.project_data())
        db.session.commit()
        flash(_("Het project is aangemaakt."), "success")
        return redirect(url_for("research_exports.project", project_id=project.id))
    status = 400 if form.is_submitted() else 200
    return render_template("research/project_form.html", form=form, project=None), status


@bp.get("/projecten/<id:project_id>")
@policy.researchers_only
def project(project_id: int) -> str:
    item = projects.project_or_404(project_id)
    exports = projects.project_exports(item)
    now = utcnow()
    jobs = [(job, export_jobs.state(job, now)) for job in export_jobs.project_jobs(item)]
    return render_template(
        "research/project.html",
        project=item,
        criteria=projects.criteria_view(item),
        exports=exports,
        withdrawn=projects.withdrawn_after_export(exports),
        form=ExportForm(),
        key_missing=key_missing(),
        kind_labels=KIND_LABELS,
        format_labels=FORMAT_LABELS,
        jobs=jobs,
        in_progress=any(state in BUSY for _job, state in jobs),
    )


BUSY = (export_jobs.WAITING, export_jobs.BUILDING)


@bp.route("/projecten/<id:project_id>/bewerken", methods=["GET", "POST"])
@policy.researchers_only
def project_edit(project_id: int) -> str | Response | tuple[str, int]:
    item = projects.project_or_404(project_id)
    form = ProjectForm(projects.all_settings(), projects.all_codes(), project=item)
    if form.validate_on_submit():
        projects.update_project(current_user, item, form.project_data())
        db.session.commit()
        flash(_("Het project is opgeslagen."), "success")
        return redirect(url_for("research_exports.project", project_id=item.id))
    status = 400 if form.is_submitted() else 200
    return render_template("research/project_form.html", form=form, project=item), status


@bp.post("/projecten/<id:project_id>/export")
@policy.researchers_only
def export(project_id: int) -> Response:
    item = projects.project_or_404(project_id)
    form = ExportForm()
    back = redirect(url_for("research_exports.project", project_id=item.id))
    if not form.validate_on_submit():
        flash(_("Kies een bestandsvorm en probeer het opnieuw."), "error")
        return back
    fmt = ExportFormat(form.format.data)
    try:
        if not export_jobs.builds_at_once(item):
            return in_background(item, fmt, back)
        record, payload = projects.export_project(current_user, item, fmt)
    except ExportRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return back
    db.session.commit()
    response = send_file(
        io.BytesIO(payload),
        mimetype=projects.MIMETYPES[fmt],
        as_attachment=True,
        download_name=projects.download_name(item, record),
        etag=False,
        last_modified=None,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def in_background(item: ResearchProject, fmt: ExportFormat, back: Response) -> Response:
    """A large export: the worker builds it, the project page shows how far it is."""
    export_jobs.ask(current_user, item, fmt, utcnow())
    db.session.commit()
    flash(
        _(
            "Deze export is groot en wordt op de achtergrond gemaakt. Op deze pagina zie je hoe "
            "ver hij is; daarna staat hier de downloadlink."
        ),
        "success",
    )
    return back


@bp.get("/projecten/<id:project_id>/exports/<id:job_id>/bestand")
@policy.researchers_only
def job_file(project_id: int, job_id: int) -> Response:
    """A background export's file, for any researcher (each may see the project and make the
    same export), while its download time lasts; every download is in the audit log."""
    item = projects.project_or_404(project_id)
    job = db.session.get(ExportJob, job_id)
    ours = job is not None and job.project_id == item.id
    path = export_jobs.ready_file(job) if job is not None and ours else None
    record = db.session.get(ExportRecord, job.record_id) if path and job and job.record_id else None
    if job is None or path is None or record is None:  # expired, or purged with its job
        flash(_("Deze export is niet meer te downloaden. Maak zo nodig een nieuwe."), "error")
        return redirect(url_for("research_exports.project", project_id=item.id), code=303)
    audit.record(
        current_user,
        "research_export.downloaded",
        "research_export",
        record.id,
        data={"project_id": item.id, "file_hash": record.file_hash},
    )
    db.session.commit()
    response = send_file(
        path,
        mimetype=projects.MIMETYPES[job.format],
        as_attachment=True,
        download_name=projects.download_name(item, record),
        conditional=False,
        etag=False,
        last_modified=None,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/exports")
@policy.researchers_only
def exports() -> str:
    pagination = paginate(projects.all_exports_stmt(), page_arg(), 50)
    return render_template(
        "research/exports.html",
        pagination=pagination,
        format_labels=FORMAT_LABELS,
    )
