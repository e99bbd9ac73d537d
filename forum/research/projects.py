"""Research projects: purpose limitation for exports, and the accountability that follows them.

A project names a question, a period and selection criteria (werkvelden, kinds, codes; an empty
list means "all"). Every export belongs to one. After an export, the project's page lists the posts
that were in it and that may no longer be used: consent withdrawn, hidden, rejected or deleted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort

from forum import audit
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from forum.research import export, qdpx, tables
from forum.research.models import (
    Code,
    ExportFormat,
    ExportRecord,
    PassageCoding,
    ResearchProject,
    ThreadCoding,
)

MIMETYPES = {
    # Flask adds "; charset=utf-8" to text/ types itself; naming it here too doubled it.
    ExportFormat.CSV: "text/csv",
    ExportFormat.JSONL: "application/x-ndjson; charset=utf-8",
    ExportFormat.QDPX: "application/zip",
}


@dataclass
class ProjectData:
    """What a researcher fills in for a project (from the form)."""

    name: str
    question: str
    period_start: date | None = None
    period_end: date | None = None
    settings: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    needs_linkage: bool = False  # anonymous posts linked to their author (``linkage``)

    def criteria(self) -> dict[str, Any]:
        return {
            "settings": sorted(set(self.settings)),
            "kinds": sorted({ThreadKind(kind).value for kind in self.kinds}),
            "codes": sorted(set(self.codes)),
        }


def project_or_404(project_id: int) -> ResearchProject:
    project = db.session.get(ResearchProject, project_id)
    if project is None:
        abort(404)
    return project


def all_projects() -> list[ResearchProject]:
    return list(
        db.session.execute(
            sa.select(ResearchProject).order_by(
                ResearchProject.created_at.desc(), ResearchProject.id.desc()
            )
        ).scalars()
    )


def export_counts() -> dict[int, int]:
    """Number of exports per project id."""
    rows = db.session.execute(
        sa.select(ExportRecord.project_id, sa.func.count()).group_by(ExportRecord.project_id)
    )
    return {project_id: count for project_id, count in rows}


def _apply(project: ResearchProject, data: ProjectData) -> dict[str, Any]:
    project.name = data.name
    project.question = data.question
    project.period_start = data.period_start
    project.period_end = data.period_end
    project.criteria = data.criteria()
    project.set_linkage_needed(data.needs_linkage)
    return {
        "period_start": data.period_start.isoformat() if data.period_start else None,
        "period_end": data.period_end.isoformat() if data.period_end else None,
        **project.criteria,
        "anonymous_linkage_needed": data.needs_linkage,
    }


def create_project(actor: Any, data: ProjectData) -> ResearchProject:
    project = ResearchProject(created_by_id=actor.id, created_at=utcnow())
    summary = _apply(project, data)
    db.session.add(project)
    db.session.flush()
    audit.record(actor, "research_project.created", "research_project", project.id, data=summary)
    return project


def update_project(actor: Any, project: ResearchProject, data: ProjectData) -> None:
    summary = _apply(project, data)
    db.session.flush()
    audit.record(actor, "research_project.changed", "research_project", project.id, data=summary)


# --- reading the criteria back ------------------------------------------------------------------


def all_settings() -> list[Setting]:
    """Every werkveld, archived ones last (old threads stay selectable)."""
    return list(
        db.session.execute(
            sa.select(Setting).order_by(Setting.archived, Setting.position, Setting.id)
        ).scalars()
    )


def all_codes() -> list[Code]:
    """The whole codebook, archived codes included (their codings still count)."""
    return list(db.session.execute(sa.select(Code).order_by(Code.archived, Code.name)).scalars())


@dataclass
class CriteriaView:
    """The criteria as names, for the project page and the export record."""

    settings: list[Setting]
    kinds: list[ThreadKind]
    codes: list[Code]


def criteria_view(project: ResearchProject) -> CriteriaView:
    criteria = project.criteria or {}
    setting_ids = criteria.get("settings") or []
    code_ids = criteria.get("codes") or []
    settings = (
        list(
            db.session.execute(
                sa.select(Setting).where(Setting.id.in_(setting_ids)).order_by(Setting.position)
            ).scalars()
        )
        if setting_ids
        else []
    )
    codes = (
        list(
            db.session.execute(
                sa.select(Code).where(Code.id.in_(code_ids)).order_by(Code.name)
            ).scalars()
        )
        if code_ids
        else []
    )
    known = {kind.value for kind in ThreadKind}
    kinds = [ThreadKind(kind) for kind in criteria.get("kinds") or [] if kind in known]
    return CriteriaView(settings=settings, kinds=kinds, codes=codes)


# --- accountability -----------------------------------------------------------------------------


def project_exports(project: ResearchProject) -> list[ExportRecord]:
    return list(
        db.session.execute(
            sa.select(ExportRecord)
            .where(ExportRecord.project_id == project.id)
            .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc())
        ).scalars()
    )


@dataclass
class Withdrawn:
    """A post that was in an export and may no longer be used, and why."""

    post_id: int
    reason: str  # "consent" | "account" (its writer deleted their account) | "removed"


@dataclass(frozen=True)
class PostState:
    shown: bool  # still approved, in an approved thread
    consent: bool
    writer_left: bool  # the writer deleted their account (only they leave posts without one)
    created_at: datetime


def withdrawn_after_export(exports: list[ExportRecord]) -> dict[int, list[Withdrawn]]:
    """Per export id: the exported posts whose consent is now withdrawn, whose writer deleted
    their account, or that were hidden, rejected or deleted since (also when their whole thread
    was). A post made after the export is not the one exported under that id, whatever the
    database did with ids since: the exported one is gone."""
    all_ids = sorted({post_id for record in exports for post_id in record.post_ids or []})
    state: dict[int, PostState] = {}
    for chunk_start in range(0, len(all_ids), 500):
        chunk = all_ids[chunk_start : chunk_start + 500]
        rows = db.session.execute(
            sa.select(
                Post.id,
                Post.status,
                Post.research_consent,
                Post.author_id,
                Post.created_at,
                Thread.status,
            )
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.id.in_(chunk))
        )
        for post_id, status, consent, author_id, created_at, thread_status in rows:
            shown = status == PostStatus.APPROVED and thread_status == PostStatus.APPROVED
            state[post_id] = PostState(shown, bool(consent), author_id is None, created_at)
    result: dict[int, list[Withdrawn]] = {}
    for record in exports:
        items: list[Withdrawn] = []
        for post_id in record.post_ids or []:
            post = state.get(post_id)
            if post is None or post.created_at > record.created_at or not post.shown:
                items.append(Withdrawn(post_id, "removed"))
            elif post.writer_left:
                items.append(Withdrawn(post_id, "account"))
            elif not post.consent:
                items.append(Withdrawn(post_id, "consent"))
        result[record.id] = items
    return result


def all_exports_stmt() -> sa.Select:
    """Every export, newest first (paginated by the view)."""
    return sa.select(ExportRecord).order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc())


# --- the selection ------------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), export.LOCAL_TZ).astimezone(UTC)


def selected_threads(project: ResearchProject) -> sa.Select:
    """The ids of the approved threads the project selects: started in its period (local dates,
    both ends included), in its werkvelden and kinds, and with any of its codes, by a thread
    coding or by a coded passage in an approved post with consent."""
    criteria = project.criteria or {}
    stmt = sa.select(Thread.id).where(Thread.status == PostStatus.APPROVED)
    if project.period_start:
        stmt = stmt.where(Thread.created_at >= _local_midnight(project.period_start))
    if project.period_end:
        end = _local_midnight(project.period_end + timedelta(days=1))
        stmt = stmt.where(Thread.created_at < end)
    if criteria.get("settings"):
        stmt = stmt.where(Thread.setting_id.in_(criteria["settings"]))
    if criteria.get("kinds"):
        stmt = stmt.where(Thread.kind.in_(criteria["kinds"]))
    if criteria.get("codes"):
        by_thread = sa.select(ThreadCoding.thread_id).where(
            ThreadCoding.code_id.in_(criteria["codes"])
        )
        by_passage = (
            sa.select(Post.thread_id)
            .join(PassageCoding, PassageCoding.post_id == Post.id)
            .where(
                PassageCoding.code_id.in_(criteria["codes"]),
                Post.status == PostStatus.APPROVED,
                Post.research_consent.is_(True),
            )
        )
        stmt = stmt.where(sa.or_(Thread.id.in_(by_thread), Thread.id.in_(by_passage)))
    return stmt


def export_filters(project: ResearchProject, key: str) -> dict[str, Any]:
    """What the export record keeps about the selection (and which key made the pseudonyms)."""
    criteria = project.criteria or {}
    return {
        "period_start": project.period_start.isoformat() if project.period_start else None,
        "period_end": project.period_end.isoformat() if project.period_end else None,
        "settings": criteria.get("settings") or [],
        "kinds": criteria.get("kinds") or [],
        "codes": criteria.get("codes") or [],
        "key": export.key_fingerprint(key),
    }


# --- making an export ---------------------------------------------------------------------------


def export_project(
    actor: Any, project: ResearchProject, fmt: ExportFormat
) -> tuple[ExportRecord, bytes]:
    """Make the file in memory (a small export, in the request), record it (with the SHA-256 of
    its bytes) and audit it. Large ones are built by the worker: ``export_jobs``.

    Raises ``export.ExportRefused`` when there is no research key."""
    key = export.research_key()
    data = export.collect(selected_threads(project), key, project.links_anonymous_posts)
    now = utcnow()
    payload = render(project, data, fmt, now, getattr(actor, "id", None))
    record = record_export(
        actor, project, fmt, key, data.counts, data.post_ids, hashlib.sha256(payload), now
    )
    return record, payload


def render(
    project: ResearchProject,
    data: export.ExportData,
    fmt: ExportFormat,
    now: datetime,
    researcher_id: int | None = None,
) -> bytes:
    if fmt == ExportFormat.CSV:
        return tables.render_csv(data)
    if fmt == ExportFormat.JSONL:
        return tables.render_jsonl(data)
    return qdpx.render(project, data, now, researcher_id)


def record_export(
    actor: Any,
    project: ResearchProject,
    fmt: ExportFormat,
    key: str,
    counts: dict[str, int],
    post_ids: list[int],
    digest: Any,
    now: datetime,
) -> ExportRecord:
    """The export log's record of a file made (``digest``: its hashlib SHA-256), and its audit
    entry; the same for an export made in the request and one the worker built."""
    record = ExportRecord(
        project_id=project.id,
        requester_id=getattr(actor, "id", None),
        format=fmt,
        filters=export_filters(project, key),
        counts=counts,
        post_ids=post_ids,
        file_hash=digest.hexdigest(),
        created_at=now,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor,
        "research_export.created",
        "research_export",
        record.id,
        data={
            "project_id": project.id,
            "format": fmt.value,
            "counts": counts,
            "file_hash": record.file_hash,
        },
    )
    return record


def download_name(project: ResearchProject, record: ExportRecord) -> str:
    stamp = record.created_at.astimezone(export.LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
    return f"dorpsplein-project-{project.id}-{stamp}.{record.format.value}"
