"""The worker streams the ``.qdpx`` a thread per batch; what a QDA tool imports from it is the
project the request makes in one go (the GUIDs differ: they are new in every export)."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa

from forum.db import db
from forum.notifications.worker import Worker
from forum.research import export_jobs
from forum.research.models import ExportRecord
from tests.refi_qda_reader import read_qdpx
from tests.test_export_jobs import (  # noqa: F401 (fixtures)
    ask_in_background,
    background,
    download_link,
    fetch,
    researcher_client,
)
from tests.test_exports import export_file

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def imported(data: bytes) -> dict[str, Any]:
    """The project as the reader imports it, without the moment of the export in it."""
    project = read_qdpx(data)
    assert project.problems == []
    found = asdict(project)
    del found["files"]  # named by GUID; their texts are in the sources and journals
    return eval(STAMP.sub("<export>", repr(found)))  # noqa: S307 (our own repr of plain data)


def test_background_qdpx_imports_as_the_one_the_request_makes(
    app,
    researcher_client,  # noqa: F811 (the fixture)
    monkeypatch,
):
    project, _page = ask_in_background(researcher_client, "qdpx")
    progress: list[dict[str, int]] = []
    original = export_jobs._progress

    def watch(job_id, builder, **values):
        progress.append(values)
        original(job_id, builder, **values)

    monkeypatch.setattr(export_jobs, "_progress", watch)
    Worker(app).run_once()
    assert progress == [
        {"threads_total": 2, "threads_done": 0},
        {"threads_done": 1},
        {"threads_done": 2},
    ]
    built = fetch(researcher_client, download_link(researcher_client, project))
    assert built.status_code == 200
    app.config["FORUM_RESEARCH_EXPORT_INLINE_POSTS"] = 2000  # the same export, in the request
    inline = export_file(researcher_client, project, "qdpx")
    assert inline.status_code == 200
    streamed, whole = imported(built.data), imported(inline.data)
    assert len(streamed["sources"]) == 2
    assert len(streamed["cases"]) == 2
    assert sum(len(source["codings"]) for source in streamed["sources"].values()) == 5
    assert streamed == whole
    with app.app_context():
        records = db.session.execute(sa.select(ExportRecord).order_by(ExportRecord.id)).scalars()
        first, second = records.all()
        assert first.counts == second.counts
        assert first.counts["threads"] == 2
        assert first.post_ids == second.post_ids
