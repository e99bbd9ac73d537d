"""Retention: the purge removes exactly what is older than its FORUM_RETAIN_* period and nothing
else, a dry run changes nothing, ``flask purge`` says what it did per kind, the worker purges once
a day however many workers run, and the privacy statement shows the periods the purge uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from forum.accounts.models import EmailToken, TokenPurpose
from forum.accounts.rights import retention
from forum.audit import AuditEntry
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, PostStatus, Thread
from forum.notifications.daily import JobMark
from forum.notifications.outbox import MAX_ATTEMPTS, OutboxMessage
from forum.notifications.worker import Worker
from forum.research.models import ExportFormat, ExportRecord, ResearchProject
from tests.accounts.rights.support import post_row
from tests.helpers import set_site, write_reply, write_thread
from tests.notifications.test_mail_workers import side_by_side
from tests.test_exports import force

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
KINDS = ["rejected_posts", "redacted_originals", "expired_tokens", "sent_mails", "research_exports"]


def ago(days: int, extra: timedelta = timedelta(0), now: datetime = NOW) -> datetime:
    return now - timedelta(days=days) - extra


def rejected(app, author, thread_id: int, at: datetime, text: str) -> int:
    post = write_reply(app, author, thread_id, text)
    force(app, post.id, PostStatus.REJECTED)
    with app.app_context():
        db.session.get(Post, post.id).handled_at = at
        db.session.commit()
        db.session.remove()
    return post.id


def a_bit_of_everything(app, users, now: datetime = NOW) -> dict[str, int]:
    """For each kind: one row just past its period at ``now`` ("…_old"), one exactly at it
    ("…_edge") and one within it; returns their ids."""

    def ago(days: int, extra: timedelta = timedelta(0)) -> datetime:
        return now - timedelta(days=days) - extra

    set_site(app, "trust_threshold", "0")
    writer = users.make()
    opening = write_thread(app, writer, body="Een gesprek dat blijft.")
    ids = {"thread": opening.thread_id, "opening": opening.id}
    ids["post_old"] = rejected(app, writer, opening.thread_id, ago(90, SECOND), "Weg ermee.")
    ids["post_edge"] = rejected(app, writer, opening.thread_id, ago(90), "Precies 90 dagen.")
    ids["post_new"] = rejected(app, writer, opening.thread_id, ago(10), "Net afgewezen.")
    lonely = write_thread(app, writer, title="Afgewezen gesprek", body="Nooit gepubliceerd.")
    force(app, lonely.id, PostStatus.REJECTED)
    with app.app_context():
        db.session.get(Post, lonely.id).handled_at = ago(91)
        ids["lonely_thread"], ids["lonely"] = lonely.thread_id, lonely.id
        project = ResearchProject(name="Project", question="Vraag?")
        db.session.add(project)
        db.session.flush()
        rows = {
            "token_old": EmailToken(expires_at=ago(7, SECOND)),
            "token_edge": EmailToken(expires_at=ago(7)),
            "token_valid": EmailToken(expires_at=now + timedelta(hours=1)),
            "mail_old": OutboxMessage(sent_at=ago(30, SECOND), created_at=ago(31)),
            "mail_edge": OutboxMessage(sent_at=ago(30), created_at=ago(31)),
            "mail_trying": OutboxMessage(created_at=ago(60), attempts=MAX_ATTEMPTS - 1),
            "mail_gave_up": OutboxMessage(created_at=ago(30, SECOND), attempts=MAX_ATTEMPTS),
            "mail_gave_up_new": OutboxMessage(created_at=ago(29), attempts=MAX_ATTEMPTS),
            "export_old": ExportRecord(created_at=ago(365, SECOND)),
            "export_edge": ExportRecord(created_at=ago(365)),
        }
        for number, (name, row) in enumerate(rows.items()):
            if isinstance(row, EmailToken):
                row.purpose, row.token_hash = TokenPurpose.RESET, f"{number:064d}"
                row.email_normalized, row.created_at = "lid@example.org", ago(400)
            elif isinstance(row, OutboxMessage):
                row.to_address, row.subject, row.body = "lid@example.org", name, "Tekst"
            else:
                row.project_id, row.format, row.file_hash = project.id, ExportFormat.CSV, "0" * 64
            db.session.add(row)
        db.session.flush()
        ids.update({name: row.id for name, row in rows.items()})
        db.session.commit()
        db.session.remove()
    return ids


def surviving(app, ids: dict[str, int]) -> set[str]:
    models = {"token": EmailToken, "mail": OutboxMessage, "export": ExportRecord, "post": Post}
    found = set()
    with app.app_context():
        for name, row_id in ids.items():
            model = models.get(name.split("_")[0], Post)
            if name.endswith("thread"):
                model = Thread
            if db.session.get(model, row_id) is not None:
                found.add(name)
        db.session.remove()
    return found


def run_purge(app, dry_run: bool = False, now: datetime = NOW) -> dict[str, int]:
    with app.app_context():
        counts = retention.purge(now, dry_run=dry_run)
        db.session.commit()
        db.session.remove()
    return counts


def test_the_purge_removes_exactly_what_is_past_its_period(app, users):
    ids = a_bit_of_everything(app, users)
    counts = run_purge(app)
    assert counts == {
        "rejected_posts": 2,
        "redacted_originals": 0,
        "expired_tokens": 1,
        "sent_mails": 2,
        "research_exports": 1,
    }
    gone = {"post_old", "lonely", "lonely_thread", "token_old", "mail_old", "mail_gave_up"}
    assert surviving(app, ids) == set(ids) - gone - {"export_old"}
    assert post_row(app, ids["opening"])["status"] == "approved"
    assert run_purge(app) == dict.fromkeys(KINDS, 0)  # nothing left to do
    with app.app_context():
        [entry] = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "retention.purged")
        ).all()
        assert entry.data == {"purged": counts}
        db.session.remove()


def test_a_rejected_opening_post_with_someone_elses_post_stays(app, users):
    set_site(app, "trust_threshold", "0")
    writer, other = users.make(), users.make()
    lonely = write_thread(app, writer, title="Afgewezen", body="Nooit gepubliceerd.")
    theirs = write_reply(app, other, lonely.thread_id, "Toch een reactie.")
    force(app, lonely.id, PostStatus.REJECTED)
    with app.app_context():
        db.session.get(Post, lonely.id).handled_at = ago(100)
        db.session.commit()
        db.session.remove()
    assert run_purge(app)["rejected_posts"] == 0
    assert post_row(app, lonely.id) is not None
    assert post_row(app, theirs.id) is not None


def test_a_dry_run_counts_the_same_and_changes_nothing(app, users):
    ids = a_bit_of_everything(app, users)
    with app.app_context():
        tables = [table for table in db.metadata.sorted_tables]
        before = {t.name: db.session.execute(sa.select(t)).all() for t in tables}
        db.session.remove()
    dry = run_purge(app, dry_run=True)
    with app.app_context():
        after = {t.name: db.session.execute(sa.select(t)).all() for t in tables}
        db.session.remove()
    assert after == before
    assert dry == run_purge(app)
    assert surviving(app, ids) != set(ids)


def test_the_command_says_what_it_purged_per_kind(app, users):
    # Made just before the command runs: by then the rows exactly at their period are past it.
    a_bit_of_everything(app, users, now=utcnow())
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "expired_tokens: would purge 2 (kept 7 days)" in dry.output
    assert "research_exports: would purge 2 (kept 365 days)" in dry.output
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert [line.split(":")[0] for line in lines] == KINDS
    assert "rejected_posts: purged 3 (kept 90 days)" in lines
    assert "sent_mails: purged 3 (kept 30 days)" in lines
    assert "redacted_originals: purged 0 (kept 30 days)" in lines
    again = runner.invoke(args=["purge"])
    assert "expired_tokens: purged 0 (kept 7 days)" in again.output


def test_search_index_traces_are_merged_once_a_redaction_is_past_its_period(app):
    def redaction(at: datetime) -> None:
        with app.app_context():
            db.session.add(AuditEntry(action="post.redacted", target_type="post", created_at=at))
            db.session.commit()
            db.session.remove()

    redaction(ago(30, SECOND))
    redaction(ago(5))
    assert run_purge(app, dry_run=True)["redacted_originals"] == 2
    assert run_purge(app)["redacted_originals"] == 2  # merged: the old one and the new one
    assert run_purge(app)["redacted_originals"] == 0
    later = NOW + timedelta(hours=1)  # a redaction after the merge
    redaction(later)
    assert run_purge(app, now=later + timedelta(days=30))["redacted_originals"] == 0  # not yet
    assert run_purge(app, now=later + timedelta(days=30, seconds=1))["redacted_originals"] == 1


def test_the_merge_leaves_no_trace_of_removed_words_in_the_sqlite_index(app, users):
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        db.session.remove()
    if not sqlite:
        pytest.skip("PostgreSQL keeps no segments: its index rows go with their post")
    set_site(app, "trust_threshold", "0")
    writer = users.make()
    opening = write_thread(app, writer, body="Een woord als xylofoonkwartet komt zelden voor.")
    with app.app_context():
        services.delete_waiting_post(db.session.get(Post, opening.id))
        db.session.add(AuditEntry(action="post.redacted", target_type="post", created_at=ago(31)))
        db.session.commit()

        def in_index() -> bool:
            blocks = db.session.execute(sa.text("SELECT block FROM search_index_data")).scalars()
            return any(b"foonkwartet" in bytes(block) for block in blocks)

        assert in_index()  # deleted, yet still in an old segment
        db.session.remove()
    assert run_purge(app)["redacted_originals"] == 1
    with app.app_context():
        assert not in_index()
        db.session.remove()


def test_the_worker_purges_once_a_day_however_many_workers_run(app, users):
    day = NOW.replace(hour=8)  # 9:00 in Amsterdam
    ids = a_bit_of_everything(app, users, now=day)
    results = []
    side_by_side(
        lambda: results.append(Worker(app, name="een", clock=lambda: day).run_once()),
        lambda: results.append(Worker(app, name="twee", clock=lambda: day).run_once()),
    )
    lines = [line for result in results for line in result.daily]
    assert len(lines) == 1
    assert lines[0].startswith("retention: purged rejected_posts 2")
    assert "token_old" not in surviving(app, ids)
    later = Worker(app, clock=lambda: day + timedelta(hours=10)).run_once()
    assert later.daily == []  # the same day in Amsterdam
    with app.app_context():
        db.session.add(AuditEntry(action="post.redacted", target_type="post", created_at=ago(40)))
        db.session.commit()
        db.session.remove()
    tomorrow = Worker(app, clock=lambda: day + timedelta(days=1)).run_once()
    [line] = tomorrow.daily
    assert "redacted_originals 1" in line
    assert "token_edge" not in surviving(app, ids)  # a day later, the edge is past too
    with app.app_context():
        mark = db.session.get(JobMark, "daily:retention")
        assert mark.value == "2026-12-04"
        db.session.remove()


def test_a_failing_purge_is_tried_again_in_the_next_round(app, users, monkeypatch):
    ids = a_bit_of_everything(app, users)

    def broken(now, dry_run):
        raise RuntimeError("de database hikt")

    steps = [retention.PurgeStep("broken", "FORUM_RETAIN_MAIL_DAYS", broken), *retention.STEPS]
    monkeypatch.setattr(retention, "STEPS", steps)
    failed = Worker(app, clock=lambda: NOW).run_once()
    assert (failed.daily, failed.failures) == ([], 1)
    assert "token_old" in surviving(app, ids)  # rolled back with the claim
    monkeypatch.setattr(retention, "STEPS", steps[1:])
    assert len(Worker(app, clock=lambda: NOW).run_once().daily) == 1
    assert "token_old" not in surviving(app, ids)


STATEMENT = {
    "nl": ("{} dagen</strong> na het afwijzen", "{} dagen</strong> nadat ze verlopen", "1 dag<"),
    "en": ("{} days</strong> after rejection", "{} days</strong> after they expire", "1 day<"),
}


def statement(client) -> str:
    return " ".join(client.get("/privacy").text.split())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_statement_shows_the_periods_the_purge_uses(app, client, language):
    rejected_text, token_text, one_day = STATEMENT[language]
    client.get(f"/account/taal?lang={language}")
    page = statement(client)
    assert rejected_text.format(90) in page
    assert token_text.format(7) in page
    names = ("FORUM_RETAIN_REJECTED_DAYS", "FORUM_RETAIN_TOKEN_DAYS")
    old = {name: app.config[name] for name in names}
    app.config.update(FORUM_RETAIN_REJECTED_DAYS=45, FORUM_RETAIN_TOKEN_DAYS=1)
    try:
        page = statement(client)
        assert run_cli_periods(app)["rejected_posts"] == 45  # the same setting
    finally:
        app.config.update(old)
    assert rejected_text.format(45) in page
    assert rejected_text.format(90) not in page
    assert one_day in page


def run_cli_periods(app) -> dict[str, int]:
    output = app.test_cli_runner().invoke(args=["purge", "--dry-run"]).output
    return {
        line.split(":")[0]: int(line.rsplit("kept ", 1)[1].split()[0])
        for line in output.splitlines()
    }
