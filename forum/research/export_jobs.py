"""Research exports built in the background by the worker: the request, the build, the file and
its expiry.

A researcher asks on the project page. A selection of at most
``FORUM_RESEARCH_EXPORT_INLINE_POSTS`` approved posts (default 2000; 0 sends every export to the
worker) is made in the request itself (``projects.export_project``). A larger one waits as an
``ExportJob`` for the worker (``flask --app forum worker``), which claims it with
``forum.db.claim_rows`` (two workers never build one twice) and writes the file in
``FORUM_RESEARCH_EXPORT_DIR`` under a random name:

- CSV and JSON Lines are streamed: the selected threads go through ``export.collect`` a batch of
  ``THREADS_PER_BATCH`` at a time, each batch is written and forgotten, so memory holds one batch
  (and the list of thread ids and exported post ids), however large the forum. The file is the
  same, byte for byte, as the one the request would have made.
- REFI-QDA (``.qdpx``) is streamed the same way: ``qdpx.write`` takes the batches, writes each
  thread's text into the zip at once and keeps only the participants and counts it needs for
  ``project.qde``, which it writes at the end. Item for item it is the file the request would
  have made (the GUIDs are new in every export).

After every batch the worker records its progress (threads done of the total) in a short
transaction of its own; that also renews its claim, so a build that stops reporting for
``FORUM_MAIL_CLAIM_MINUTES`` is taken over by another worker (up to ``MAX_ATTEMPTS`` tries). When
the file is complete the export log gets its ``ExportRecord`` (hash, counts, post ids) and audit
entry, as an export in the request does. The file can be downloaded by any researcher (every
researcher sees every project and may make the same export) for ``FORUM_RESEARCH_EXPORT_HOURS``
(default 72) after the build; then ``purge_expired`` deletes the file and the job, and the export
log keeps the hash.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import Flask, current_app

from forum.accounts.models import User
from forum.core import kept_files
from forum.db import claim_rows, db, utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.research import export, projects, qdpx, tables
from forum.research.models import ExportFormat, ExportJob, ResearchProject

MAX_ATTEMPTS = 3
THREADS_PER_BATCH = 200
WAITING, BUILDING, FAILED, READY, EXPIRED = "waiting", "building", "failed", "ready", "expired"
# Only files of this shape are ever deleted from the folder, whatever else is put there.
FILE_NAME = re.compile(r"[0-9a-f]{32}\.(csv|jsonl|qdpx)(\.part)?")


class TakenOver(Exception):
    """Another worker took this build over (this one was silent too long): stop, keep nothing."""


def state(job: ExportJob, now: datetime) -> str:
    if job.built_at is None:
        stale = now - timedelta(minutes=current_app.config["FORUM_MAIL_CLAIM_MINUTES"])
        silent = job.claimed_at is None or job.claimed_at < stale
        if job.attempts >= MAX_ATTEMPTS and silent:
            return FAILED
        return BUILDING if job.claimed_by and not silent else WAITING
    if job.expires_at is not None and job.expires_at > now and job.file_name:
        return READY
    return EXPIRED


def export_folder(make: bool = False) -> Path:
    folder = Path(current_app.config["FORUM_RESEARCH_EXPORT_DIR"])
    if make:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def posts_selected(project: ResearchProject) -> int:
    """How many approved posts the project's export holds (with text or as a placeholder)."""
    stmt = sa.select(sa.func.count(Post.id)).where(
        Post.thread_id.in_(projects.selected_threads(project)),
        Post.status == PostStatus.APPROVED,
    )
    return db.session.execute(stmt).scalar_one()


def builds_at_once(project: ResearchProject) -> bool:
    limit = current_app.config["FORUM_RESEARCH_EXPORT_INLINE_POSTS"]
    return limit > 0 and posts_selected(project) <= limit


def ask(actor: User, project: ResearchProject, fmt: ExportFormat, now: datetime) -> ExportJob:
    """Leave an export for the worker; the one already waiting for this project and format when
    there is one (a second click adds nothing). Raises ``export.ExportRefused`` without a key,
    at once rather than in the worker. Flushes."""
    export.research_key()
    waiting = db.session.execute(
        sa.select(ExportJob).where(
            ExportJob.project_id == project.id,
            ExportJob.format == fmt,
            ExportJob.built_at.is_(None),
            ExportJob.attempts < MAX_ATTEMPTS,
        )
    ).scalar_one_or_none()
    if waiting is not None:
        return waiting
    job = ExportJob(project_id=project.id, requester_id=actor.id, format=fmt, requested_at=now)
    db.session.add(job)
    db.session.flush()
    return job


def project_jobs(project: ResearchProject) -> list[ExportJob]:
    """The project's background exports that are not purged yet, newest first."""
    return list(
        db.session.execute(
            sa.select(ExportJob)
            .where(ExportJob.project_id == project.id)
            .order_by(ExportJob.requested_at.desc(), ExportJob.id.desc())
        ).scalars()
    )


def claim_next(builder: str, now: datetime) -> int | None:
    stale = now - timedelta(minutes=current_app.config["FORUM_MAIL_CLAIM_MINUTES"])
    condition = sa.and_(
        ExportJob.built_at.is_(None),
        ExportJob.attempts < MAX_ATTEMPTS,
        sa.or_(ExportJob.claimed_at.is_(None), ExportJob.claimed_at < stale),
    )
    values = {"claimed_at": now, "claimed_by": builder, "attempts": ExportJob.attempts + 1}
    claimed = claim_rows(ExportJob, condition, values, limit=1)
    return claimed[0] if claimed else None


def build_next(builder: str, now: datetime) -> str | None:
    """The worker's round step: claim one waiting export and build it (one a round, so the
    round's mail is not held up long). Commits its claim and its progress as it goes."""
    job_id = claim_next(builder, now)
    if job_id is None:
        return None
    db.session.commit()
    job = db.session.get(ExportJob, job_id)
    if job is None:
        return None
    try:
        build(job, builder)
    except TakenOver:
        db.session.rollback()
        return f"export {job_id} was taken over by another worker"
    except Exception:
        _release(job_id, builder)
        raise
    return f"export {job_id} built"


def _release(job_id: int, builder: str) -> None:
    """A failed build gives its claim back, so it is tried again next round (or shows failed)."""
    db.session.rollback()
    db.session.execute(
        sa.update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.claimed_by == builder)
        .values(claimed_at=None, claimed_by=None, threads_done=0)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _progress(job_id: int, builder: str, **values: Any) -> None:
    """Record how far the build is, in its own short transaction; renews the claim."""
    done = db.session.execute(
        sa.update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.claimed_by == builder)
        .values(claimed_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not done:
        raise TakenOver


def build(job: ExportJob, builder: str) -> None:
    """Write the job's file, then record the export and give the job its file and expiry."""
    job_id, fmt = job.id, job.format
    project = db.session.get(ResearchProject, job.project_id)
    if project is None:  # the job cascades with its project, so only a race gets here
        raise LookupError(f"export job {job_id}: project gone")
    key = export.research_key()
    selection = projects.selected_threads(project).order_by(Thread.created_at, Thread.id)
    thread_ids = list(db.session.execute(selection).scalars())
    _progress(job_id, builder, threads_total=len(thread_ids), threads_done=0)
    name = f"{secrets.token_hex(16)}.{fmt.value}"
    part = export_folder(make=True) / f"{name}.part"
    digest = hashlib.sha256()
    try:
        with part.open("wb") as handle:
            sink = _Hashing(handle, digest)
            if fmt == ExportFormat.QDPX:
                counts, post_ids = qdpx.write(
                    sink,
                    project,
                    _collected(key, project.links_anonymous_posts, thread_ids, job_id, builder),
                    utcnow(),
                    job.requester_id,
                )
            else:
                counts, post_ids = _stream_table(
                    sink, fmt, key, project.links_anonymous_posts, thread_ids, job_id, builder
                )
        part.rename(part.with_name(name))
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _finish(job_id, builder, (fmt, key, counts, post_ids, digest), name)


class _Hashing:
    """A file that hashes what is written to it, and counts it."""

    def __init__(self, handle: BinaryIO, digest: Any) -> None:
        self.handle, self.digest, self.size = handle, digest, 0

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)  # zipfile counts its offsets with it

    def flush(self) -> None:  # zipfile flushes what it wrote
        self.handle.flush()


def batches(thread_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(thread_ids), THREADS_PER_BATCH):
        yield thread_ids[start : start + THREADS_PER_BATCH]


def _collected(
    key: str, link_anonymous: bool, thread_ids: list[int], job_id: int, builder: str
) -> Iterator[export.ExportData]:
    """The selected threads a batch at a time, for the ``.qdpx`` writer; records the progress
    once the writer has taken each batch in."""
    done = 0
    for batch in batches(thread_ids):
        yield export.collect(sa.select(Thread.id).where(Thread.id.in_(batch)), key, link_anonymous)
        done += len(batch)
        _progress(job_id, builder, threads_done=done)


def _stream_table(
    sink: _Hashing,
    fmt: ExportFormat,
    key: str,
    link_anonymous: bool,
    thread_ids: list[int],
    job_id: int,
    builder: str,
) -> tuple[dict[str, int], list[int]]:
    """CSV or JSON Lines, a batch of threads at a time; the totals and the exported post ids."""
    empty = export.ExportData([], {}, [])
    header = tables.render_csv(empty) if fmt == ExportFormat.CSV else b""
    sink.write(header)  # the byte-order mark and the column names, once
    counts: dict[str, int] = {"threads": 0} | dict.fromkeys(export.COUNTED, 0)
    post_ids: list[int] = []
    done = 0
    for batch in batches(thread_ids):
        batch_ids = sa.select(Thread.id).where(Thread.id.in_(batch))
        data = export.collect(batch_ids, key, link_anonymous)
        if fmt == ExportFormat.CSV:
            sink.write(tables.render_csv(data).removeprefix(header))
        else:
            sink.write(tables.render_jsonl(data))
        for name, value in data.counts.items():
            counts[name] = counts.get(name, 0) + value
        post_ids.extend(data.post_ids)
        done += len(batch)
        del data  # with the commit in _progress, nothing of the batch stays in memory
        _progress(job_id, builder, threads_done=done)
    return counts, post_ids


def _finish(
    job_id: int,
    builder: str,
    made: tuple[ExportFormat, str, dict[str, int], list[int], Any],
    name: str,
) -> None:
    """Record the export and give the job its file, as long as ``builder`` still holds it."""
    fmt, key, counts, post_ids, digest = made
    path = export_folder() / name
    built = utcnow()
    job = db.session.get(ExportJob, job_id)
    project = db.session.get(ResearchProject, job.project_id) if job else None
    if job is None or project is None:
        path.unlink(missing_ok=True)
        raise TakenOver
    requester = db.session.get(User, job.requester_id) if job.requester_id else None
    record = projects.record_export(requester, project, fmt, key, counts, post_ids, digest, built)
    finished = db.session.execute(
        sa.update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.claimed_by == builder)
        .values(
            built_at=built,
            expires_at=built + timedelta(hours=current_app.config["FORUM_RESEARCH_EXPORT_HOURS"]),
            file_name=name,
            file_size=path.stat().st_size,
            record_id=record.id,
            threads_done=ExportJob.threads_total,
            claimed_at=None,
            claimed_by=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not finished:
        path.unlink(missing_ok=True)
        raise TakenOver


def ready_file(job: ExportJob, now: datetime | None = None) -> Path | None:
    """The file of a job whose download still works, or None (expired, purged, never built)."""
    if state(job, now or utcnow()) != READY or not job.file_name:
        return None
    path = export_folder() / job.file_name
    return path if path.is_file() else None


def purge_expired(builder: str, now: datetime) -> str | None:
    """The worker's round step: delete the files (and jobs) whose download time is over, jobs
    that failed that long ago, and our files no job names once they are an hour old (a build
    that crashed). The export log keeps each file's hash. Flushes; the worker commits."""
    lifetime = timedelta(hours=current_app.config["FORUM_RESEARCH_EXPORT_HOURS"])
    gone = kept_files.purge_expired(ExportJob, export_folder(), lifetime, now, FILE_NAME)
    return f"{gone} export file(s) purged" if gone else None


def register(app: Flask) -> None:
    """Have the worker build waiting exports and purge expired ones every round."""
    from forum.notifications import worker

    worker.register_step(app, "research_exports", build_next)
    worker.register_step(app, "research_export_purge", purge_expired)
