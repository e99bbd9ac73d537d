"""How much memory and time the worker's build of a research export takes on a large forum.

    .venv/bin/python bench/export_memory.py [--size 1m|50k|5k] [--engine sqlite|postgresql]
                                            [--format csv|jsonl|qdpx]

Seeds the dataset once (``flask seed``, as ``make bench`` does: ``bench/http_data.py``), works on
a fresh copy of it, makes a project that selects every thread, leaves its export for the worker
and runs the worker's build step (``export_jobs.build_next``) in this process, then prints the
peak resident memory (``getrusage``: the whole process, the app included) next to the memory
before the build, the time, and the file's size. The export must stay under 300 MB (issue 14).

Figures on 2026-12-04 (2 shared cores, SQLite): 1m (940,599 posts in 77,223 threads), csv:
358 MB file in 138 s, peak 155 MB (103 MB before the build). 50k: csv 124 MB, jsonl 125 MB,
qdpx 197 MB peak while the ``.qdpx`` was built whole in memory. Streamed (``qdpx.write``): 50k
qdpx 4.5 MB file in 3.2 s, peak 125 MB (108 before); 1m qdpx 87 MB file in 69 s, peak 214 MB
(108 before).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

# The project root, not bench/ (its http.py would shadow the standard library's http).
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import http_data  # noqa: E402

LIMIT_MB = 300
# The datasets of `make bench` (bench/http.py's SIZES, same arguments, so they are shared).
SIZES = {
    "5k": ["--threads", "400", "--posts", "5000", "--seed", "1"],
    "50k": ["--threads", "4000", "--posts", "50000", "--seed", "1"],
    "1m": ["--threads", "80000", "--posts", "1000000", "--seed", "1"],
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def current_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def build(url: str, fmt: str, folder: str) -> dict[str, float | int | str]:
    os.environ.update(
        FORUM_DATABASE_URL=url,
        FORUM_SECRET_KEY="bench-secret",  # noqa: S106 (a throwaway bench database)
        FORUM_RESEARCH_KEY="bench-research-key",
        FORUM_RESEARCH_EXPORT_DIR=folder,
    )
    import sqlalchemy as sa

    from forum import create_app
    from forum.accounts.models import User
    from forum.db import db, utcnow
    from forum.research import export_jobs
    from forum.research.models import ExportFormat, ExportJob, ExportRecord, ResearchProject

    app = create_app()
    with app.app_context():
        actor = db.session.execute(sa.select(User).order_by(User.id).limit(1)).scalar_one()
        project = ResearchProject(name="bench", question="Alles", criteria={}, created_at=utcnow())
        db.session.add(project)
        db.session.flush()
        job = export_jobs.ask(actor, project, ExportFormat(fmt), utcnow())
        db.session.commit()
        job_id = job.id
        db.session.expunge_all()
        before, started = current_mb(), time.monotonic()
        line = export_jobs.build_next("bench", utcnow())
        db.session.commit()
        seconds = time.monotonic() - started
        job = db.session.get(ExportJob, job_id)
        record = db.session.get(ExportRecord, job.record_id)
        return {
            "result": line or "nothing built",
            "threads": job.threads_total,
            "posts": record.counts["posts"] + record.counts["placeholders"],
            "file_mb": (job.file_size or 0) / 1024 / 1024,
            "seconds": seconds,
            "before_mb": before,
            "peak_mb": peak_mb(),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="1m")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--format", choices=["csv", "jsonl", "qdpx"], default="csv")
    args = parser.parse_args()
    dataset = http_data.Dataset(args.size, args.engine, SIZES[args.size])
    http_data.ensure(dataset)
    url = http_data.work_copy(dataset)
    with tempfile.TemporaryDirectory() as folder:
        figures = build(url, args.format, folder)
    print(
        f"{args.size} on {args.engine}, {args.format}: {figures['result']}: "
        f"{figures['threads']} threads, {figures['posts']} posts, "
        f"{figures['file_mb']:.1f} MB file in {figures['seconds']:.1f} s; "
        f"memory {figures['before_mb']:.0f} MB before the build, "
        f"peak {figures['peak_mb']:.0f} MB (limit {LIMIT_MB} MB)"
    )
    return 0 if figures["peak_mb"] < LIMIT_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
