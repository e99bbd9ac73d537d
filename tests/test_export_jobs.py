"""Large research exports built by the worker: progress on the project page, the same file as an
export in the request, the download link for researchers until it expires, the purge that keeps
the hash; and the two small fixes (the CSV charset, the instance folder)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.config import build_config
from forum.db import db, utcnow
from forum.notifications.worker import Worker
from forum.research import export_jobs
from forum.research.models import ExportJob, ExportRecord
from tests.helpers import login
from tests.test_exports import KEY, build_world, export_file, new_project

LINK = re.compile(r'href="(/onderzoek/projecten/\d+/exports/\d+/bestand)"')


@pytest.fixture
def background(app, tmp_path, monkeypatch, users, researcher):
    """Every export goes to the worker, a thread per batch, files in a folder of the test."""
    monkeypatch.setitem(app.config, "FORUM_RESEARCH_KEY", KEY)
    monkeypatch.setitem(app.config, "FORUM_RESEARCH_EXPORT_INLINE_POSTS", 0)
    monkeypatch.setitem(app.config, "FORUM_RESEARCH_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setattr(export_jobs, "THREADS_PER_BATCH", 1)
    build_world(app, users, researcher)
    return tmp_path / "exports"


@pytest.fixture
def researcher_client(client, researcher, background):
    login(client, researcher.email)
    return client


def ask_in_background(client, fmt: str) -> tuple[int, str]:
    project = new_project(client)
    response = export_file(client, project, fmt)
    assert response.status_code == 302
    page = client.get(f"/onderzoek/projecten/{project}").text
    assert "wordt op de achtergrond gemaakt" in page
    return project, page


def download_link(client, project: int) -> str:
    page = client.get(f"/onderzoek/projecten/{project}").text
    found = LINK.search(page)
    assert found, page
    return found.group(1)


def fetch(client, url: str):
    """GET and read the whole body, closing the file a download streams from."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_background_file_is_the_file_the_request_makes(app, researcher_client, fmt):
    project, page = ask_in_background(researcher_client, fmt)
    assert "wacht op de achtergrondverwerking" in page
    assert '<meta http-equiv="refresh"' in page  # the page follows the build by itself
    Worker(app).run_once()
    response = fetch(researcher_client, download_link(researcher_client, project))
    assert response.status_code == 200
    background_bytes = response.data
    app.config["FORUM_RESEARCH_EXPORT_INLINE_POSTS"] = 2000  # the same export, in the request
    inline = export_file(researcher_client, project, fmt)
    assert inline.status_code == 200
    assert inline.data == background_bytes
    assert response.headers["Content-Type"] == inline.headers["Content-Type"]
    assert "attachment" in response.headers["Content-Disposition"]
    with app.app_context():
        records = (
            db.session.execute(sa.select(ExportRecord).order_by(ExportRecord.id)).scalars().all()
        )
        assert [r.file_hash for r in records] == [hashlib.sha256(background_bytes).hexdigest()] * 2
        assert records[0].counts == records[1].counts
        assert records[0].counts["threads"] == 2
        assert records[0].post_ids == records[1].post_ids
        actions = db.session.execute(sa.select(AuditEntry.action)).scalars().all()
        assert actions.count("research_export.downloaded") == 1
    page = researcher_client.get(f"/onderzoek/projecten/{project}").text
    assert '<meta http-equiv="refresh"' not in page


def test_progress_is_committed_per_batch_and_shown(app, researcher_client, monkeypatch):
    project, _page = ask_in_background(researcher_client, "csv")
    seen: list[str] = []
    original = export_jobs._progress

    def watch(job_id, builder, **values):
        original(job_id, builder, **values)
        # Another request, as a researcher refreshing the page would see it.
        seen.append(researcher_client.get(f"/onderzoek/projecten/{project}").text)

    monkeypatch.setattr(export_jobs, "_progress", watch)
    Worker(app).run_once()
    shown = [re.search(r"bezig: (\d+) van (\d+) gesprekken", page).groups() for page in seen]
    assert shown == [("0", "2"), ("1", "2"), ("2", "2")]
    assert all('<meta http-equiv="refresh"' in page for page in seen)


def test_qdpx_in_background(app, researcher_client):
    project, _page = ask_in_background(researcher_client, "qdpx")
    Worker(app).run_once()
    response = fetch(researcher_client, download_link(researcher_client, project))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(BytesIO(response.data)) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        names = [name for name in archive.namelist() if name.startswith("sources/")]
        texts = "".join(archive.read(name).decode("utf-8") for name in names)
    assert qde.count("<TextSource ") == 2  # two threads; the other file is the project note
    assert len(names) == 3
    assert "Vertrouwen groeit door echt samen te praten" in texts
    assert qde.count("<PlainTextSelection") == 5  # 3 passages with consent, 2 thread codings


def test_link_for_researchers_only_until_it_expires_then_purged(
    app, researcher_client, users, background
):
    project, _page = ask_in_background(researcher_client, "jsonl")
    Worker(app).run_once()
    link = download_link(researcher_client, project)
    [file] = list(background.iterdir())
    other = app.test_client()
    login(other, users.make(email="lid2@example.org", name="Lid Twee").email)
    assert other.get(link).status_code == 404
    colleague = app.test_client()
    login(colleague, users.make(email="o2@example.org", name="Ot Twee", roles=["researcher"]).email)
    assert fetch(colleague, link).status_code == 200  # any researcher: they see every project
    with app.app_context():
        job = db.session.execute(sa.select(ExportJob)).scalar_one()
        assert job.expires_at - job.built_at == timedelta(hours=72)
        assert export_jobs.ready_file(job, job.expires_at - timedelta(seconds=1)) is not None
        assert export_jobs.ready_file(job, job.expires_at) is None
        job.expires_at = utcnow() - timedelta(seconds=1)  # its time is up, not purged yet
        db.session.commit()
    for _purged in (False, True):
        response = researcher_client.get(link)
        assert response.status_code == 303
        page = researcher_client.get(response.headers["Location"]).text
        assert "niet meer te downloaden" in page
        assert file.exists() is not _purged
        Worker(app).run_once()
    with app.app_context():
        assert db.session.execute(sa.select(ExportJob)).first() is None
        record = db.session.execute(sa.select(ExportRecord)).scalar_one()
        assert record.file_hash
        assert len(record.file_hash) == 64


def test_failed_build_leaves_no_file_and_shows_failed(app, researcher_client, background):
    project, _page = ask_in_background(researcher_client, "csv")
    app.config["FORUM_RESEARCH_KEY"] = ""  # the worker cannot pseudonymise without it
    for _round in range(export_jobs.MAX_ATTEMPTS + 1):
        assert Worker(app).run_once().failures == 1 or _round == export_jobs.MAX_ATTEMPTS
    app.config["FORUM_RESEARCH_KEY"] = KEY
    assert not background.exists() or list(background.iterdir()) == []
    page = researcher_client.get(f"/onderzoek/projecten/{project}").text
    assert "mislukt" in page
    assert '<meta http-equiv="refresh"' not in page
    with app.app_context():
        assert db.session.execute(sa.select(ExportRecord)).first() is None


def test_small_export_still_in_the_request(app, researcher_client):
    app.config["FORUM_RESEARCH_EXPORT_INLINE_POSTS"] = 5  # the world's export: 5 approved posts
    project = new_project(researcher_client)
    response = export_file(researcher_client, project, "csv")
    assert response.status_code == 200
    # Once, not "text/csv; charset=utf-8; charset=utf-8".
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    app.config["FORUM_RESEARCH_EXPORT_INLINE_POSTS"] = 4
    assert export_file(researcher_client, project, "csv").status_code == 302
    with app.app_context():
        assert len(db.session.execute(sa.select(ExportJob)).all()) == 1


def test_default_sqlite_gets_its_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FORUM_SECRET_KEY", "a-secret-from-the-environment")
    monkeypatch.delenv("FORUM_DATABASE_URL", raising=False)
    instance = tmp_path / "fresh-clone" / "instance"
    config = build_config(instance)
    assert instance.is_dir()
    engine = sa.create_engine(config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as connection:  # "unable to open database file" before the fix
        connection.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    assert Path(instance / "forum.db").is_file()


def test_a_silent_build_is_taken_over_and_its_old_builder_keeps_nothing(app, researcher_client):
    project, _page = ask_in_background(researcher_client, "jsonl")
    long_ago = utcnow() - timedelta(minutes=app.config["FORUM_MAIL_CLAIM_MINUTES"] + 1)
    with app.app_context():
        job_id = export_jobs.claim_next("died", long_ago)  # a worker that claimed it and died
        db.session.commit()
        soon = long_ago + timedelta(minutes=1)
        assert export_jobs.claim_next("other", soon) is None  # while its claim is fresh
    Worker(app, name="alive").run_once()
    with app.app_context():
        with pytest.raises(export_jobs.TakenOver):
            export_jobs._progress(job_id, "died", threads_done=1)
        job = db.session.get(ExportJob, job_id)
        assert (job.attempts, job.threads_done, job.threads_total) == (2, 2, 2)
    assert fetch(researcher_client, download_link(researcher_client, project)).status_code == 200
