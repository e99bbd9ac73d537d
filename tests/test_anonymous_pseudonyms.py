"""Posts written without name in exports: a pseudonym of their own per thread (and no beroep), in
CSV, JSON Lines and REFI-QDA, so nobody can link them to the author's named posts; the same
person's usual pseudonym only when the project asks for it and an admin approved that (logged)."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

import pytest
import sqlalchemy as sa

from forum.accounts.models import Profession
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.notifications.worker import Worker
from forum.research.models import ResearchProject
from tests.helpers import login, set_site, submit, write_reply, write_thread
from tests.test_exports import (  # noqa: F401  (research_key is a fixture)
    csv_rows,
    export_file,
    force,
    jsonl_rows,
    new_project,
    pseudonym_of,
    research_key,
)

NAMED = "Wij nodigen ouders uit voor een startgesprek."
ANON_1 = "Eerlijk gezegd durf ik dit niet met naam te zeggen: ik vind ouders soms lastig."
ANON_2 = "Nog iets zonder naam: mijn team praat er nooit over."
BOB_OPENING = "Hoe gaan jullie om met ouders die nooit reageren?"
ANON_ELSEWHERE = "Ook hier zonder naam: wij bellen gewoon op."
DEELNEMER = re.compile(r"deelnemer-[0-9a-f]{10}")


@dataclass
class Posts:
    anna_id: int
    thread1: int
    thread2: int


def anonymous(app, post_id: int) -> None:
    with app.app_context():
        db.session.get(Post, post_id).anonymous = True
        db.session.commit()
        db.session.remove()


@pytest.fixture
def posts(app, users) -> Posts:
    set_site(app, "trust_threshold", "0")
    anna = users.make(email="anna@example.org", name="Anna Jansen", profession=Profession.GASTOUDER)
    bob = users.make(email="bob@example.org", name="Bob de Vries")
    opening = write_thread(app, anna, body=NAMED, title="Startgesprek")
    replies = [write_reply(app, anna, opening.thread_id, text) for text in (ANON_1, ANON_2)]
    other = write_thread(app, bob, body=BOB_OPENING, title="Ouders die niet reageren")
    elsewhere = write_reply(app, anna, other.thread_id, ANON_ELSEWHERE)
    for post in (opening, *replies, other, elsewhere):
        force(app, post.id, PostStatus.APPROVED, consent=True)
    for post in (*replies, elsewhere):
        anonymous(app, post.id)
    return Posts(anna.id, opening.thread_id, other.thread_id)


@pytest.fixture
def researching(client, researcher, research_key):  # noqa: F811
    login(client, researcher.email)
    return client


def by_text(rows: list[dict]) -> dict[str, dict]:
    return {row["tekst"]: row for row in rows}


def test_anonymous_posts_get_their_own_pseudonym_per_thread(app, posts, researching):
    project = new_project(researching)
    rows = by_text(jsonl_rows(export_file(researching, project, "jsonl")))
    named = pseudonym_of(research_key_value(app), posts.anna_id)
    assert rows[NAMED]["deelnemer"] == named
    assert rows[NAMED]["beroep"] == "Gastouder"
    first = rows[ANON_1]["deelnemer"]
    assert DEELNEMER.fullmatch(first)
    assert first != named  # not linkable to her named post
    assert rows[ANON_2]["deelnemer"] == first  # her anonymous posts in one thread: one person
    assert rows[ANON_ELSEWHERE]["deelnemer"] not in (first, named)  # another thread: another
    # The forum shows no beroep with a post without name; neither does the export.
    assert rows[ANON_1]["beroep"] is None
    assert rows[ANON_1]["beroep_code"] is None

    table = by_text(csv_rows(export_file(researching, project, "csv")))
    assert {text: table[text]["deelnemer"] for text in rows} == {
        text: row["deelnemer"] for text, row in rows.items()
    }
    assert table[ANON_1]["beroep"] == ""


def test_the_qdpx_uses_the_same_pseudonyms_and_says_so(app, posts, researching):
    project = new_project(researching)
    rows = jsonl_rows(export_file(researching, project, "jsonl"))
    response = export_file(researching, project, "qdpx")
    assert response.status_code == 200
    with zipfile.ZipFile(BytesIO(response.data)) as archive:
        text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert set(DEELNEMER.findall(text)) == {row["deelnemer"] for row in rows}
    assert "per gesprek een eigen schuilnaam" in text  # the project's Description says so


def research_key_value(app) -> str:
    return app.config["FORUM_RESEARCH_KEY"]


def ask_linkage(client, project: int, needed: bool = True):
    page = f"/onderzoek/projecten/{project}/bewerken"
    data = {"name": "Ouders betrekken", "question": "Hoe betrekken professionals ouders?"}
    if needed:
        data["needs_linkage"] = "y"
    response = submit(client, page, data)
    assert response.status_code == 302, response.text


def decide(client, project: int, decision: str, reason: str = "Analyse per deelnemer over tijd"):
    page = f"/onderzoek/projecten/{project}"
    return submit(
        client,
        f"{page}/koppeling",
        {"decision": decision, "reason": reason},
        form_url=page,
    )


def anonymous_pseudonym_is_named(client, project: int) -> bool:
    rows = by_text(jsonl_rows(export_file(client, project, "jsonl")))
    return rows[ANON_1]["deelnemer"] == rows[NAMED]["deelnemer"]


def linkage_entries(app) -> list[tuple[str, int | None, str | None]]:
    with app.app_context():
        entries = db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.reason)
            .where(AuditEntry.action.like("research_project.linkage%"))
            .order_by(AuditEntry.id)
        ).all()
        db.session.remove()
    return [tuple(entry) for entry in entries]


def test_linkage_needs_the_request_and_an_admins_approval(app, posts, researching, admin):
    project = new_project(researching)
    ask_linkage(researching, project)
    page = researching.get(f"/onderzoek/projecten/{project}")
    assert "een beheerder moet dat nog goedkeuren" in page.text
    assert not anonymous_pseudonym_is_named(researching, project)  # asked, not approved
    # A researcher cannot approve it, not even their own project's.
    assert decide(researching, project, "goedkeuren").status_code == 403
    assert linkage_entries(app) == []
    assert not anonymous_pseudonym_is_named(researching, project)

    client = app.test_client()
    login(client, admin.email)
    answer = decide(client, project, "goedkeuren")
    assert answer.status_code == 302
    assert linkage_entries(app) == [
        ("research_project.linkage_approved", admin.id, "Analyse per deelnemer over tijd")
    ]
    page = client.get(f"/onderzoek/projecten/{project}")
    assert "Goedgekeurd door" in page.text
    assert "Analyse per deelnemer over tijd" in page.text
    assert anonymous_pseudonym_is_named(client, project)
    rows = by_text(jsonl_rows(export_file(client, project, "jsonl")))
    assert rows[ANON_ELSEWHERE]["deelnemer"] == rows[NAMED]["deelnemer"]

    decide(client, project, "intrekken", "Niet meer nodig")
    assert linkage_entries(app)[-1] == (
        "research_project.linkage_withdrawn",
        admin.id,
        "Niet meer nodig",
    )
    assert not anonymous_pseudonym_is_named(client, project)


def test_unticking_the_request_drops_the_approval(app, posts, researching, admin):
    project = new_project(researching)
    ask_linkage(researching, project)
    with app.app_context():
        item = db.session.get(ResearchProject, project)
        item.anonymous_linkage_approved_at = item.created_at
        item.anonymous_linkage_approved_by_id = admin.id
        db.session.commit()
        db.session.remove()
    assert anonymous_pseudonym_is_named(researching, project)
    ask_linkage(researching, project, needed=False)
    assert not anonymous_pseudonym_is_named(researching, project)
    with app.app_context():
        item = db.session.get(ResearchProject, project)
        assert item.anonymous_linkage_approved_by_id is None
        db.session.remove()


@pytest.mark.usefixtures("research_key")
def test_an_admin_cannot_approve_what_nobody_asked_for(app, posts, admin, client):
    login(client, admin.email)
    project = new_project(client)
    answer = decide(client, project, "goedkeuren")
    assert answer.status_code == 302
    page = client.get(f"/onderzoek/projecten/{project}")
    assert "Dit project vraagt niet om koppeling" in page.text
    assert linkage_entries(app) == []
    assert not anonymous_pseudonym_is_named(client, project)


def background_rows(app, client, project: int, monkeypatch, tmp_path) -> dict[str, dict]:
    """The project's JSON Lines export as the worker builds it (a large export)."""
    monkeypatch.setitem(app.config, "FORUM_RESEARCH_EXPORT_INLINE_POSTS", 0)
    monkeypatch.setitem(app.config, "FORUM_RESEARCH_EXPORT_DIR", str(tmp_path / "exports"))
    assert export_file(client, project, "jsonl").status_code == 302  # left for the worker
    Worker(app).run_once()
    page = client.get(f"/onderzoek/projecten/{project}").text
    link = re.search(r'href="(/onderzoek/projecten/\d+/exports/\d+/bestand)"', page)
    assert link, page
    response = client.get(link.group(1))
    body = response.get_data()
    response.close()
    return by_text([json.loads(line) for line in body.decode("utf-8").splitlines() if line])


def test_the_worker_follows_the_same_rule(app, posts, researching, admin, monkeypatch, tmp_path):
    project = new_project(researching)
    rows = background_rows(app, researching, project, monkeypatch, tmp_path)
    assert rows[ANON_1]["deelnemer"] != rows[NAMED]["deelnemer"]
    assert rows[ANON_1]["beroep"] is None

    ask_linkage(researching, project)
    client = app.test_client()
    login(client, admin.email)
    assert decide(client, project, "goedkeuren").status_code == 302
    rows = background_rows(app, researching, project, monkeypatch, tmp_path)
    assert rows[ANON_1]["deelnemer"] == rows[NAMED]["deelnemer"]  # approved: linked
