"""The moderation, admin and research lists that have no query-count test of their own: each
page runs as many SQL queries with 12 rows as with 2 (no query per row)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forum.accounts.models import Profession
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus
from forum.moderation.models import RejectionTemplate, RemovalRequest, WatchedWord
from forum.research.models import (
    ExportFormat,
    ExportRecord,
    Harvest,
    InterestEntry,
    ResearchProject,
)
from forum.screening import WatchedAction
from tests.helpers import count_queries, login, set_site, write_thread


def add_removal_requests(app, people, n: int) -> None:
    for _ in range(n):
        ref = write_thread(app, people["author"])
        with app.app_context():
            post = db.session.get(Post, ref.id)
            post.status = PostStatus.HIDDEN
            post.thread.status = PostStatus.HIDDEN
            db.session.add(
                RemovalRequest(
                    post_id=ref.id, reason="Ik herken mijn kind.", previous_status="approved"
                )
            )
            db.session.commit()
            db.session.remove()


def add_rows(make: Callable[[int, dict], object]) -> Callable:
    def add(app, people, n: int) -> None:
        with app.app_context():
            start = people.setdefault("made", 0)
            for i in range(start, start + n):
                db.session.add(make(i, people))
            people["made"] = start + n
            db.session.commit()
            db.session.remove()

    return add


def project(i: int, people: dict) -> ResearchProject:
    return ResearchProject(
        name=f"Project {i}", question="Hoe?", criteria={}, created_by_id=people["admin"].id
    )


def export(i: int, people: dict) -> ExportRecord:
    if "project" not in people:
        with db.session.no_autoflush:
            first = ResearchProject(name="Basis", question="Wat?", criteria={})
            db.session.add(first)
            db.session.flush()
            people["project"] = first.id
    return ExportRecord(
        project_id=people["project"],
        requester_id=people["admin"].id,
        format=ExportFormat.CSV,
        counts={"threads": 1, "posts": 1, "placeholders": 0},
        file_hash="0" * 64,
    )


def interest(i: int, people: dict) -> InterestEntry:
    return InterestEntry(
        name=f"Naam {i}",
        email=f"m{i}@example.org",
        email_normalized=f"m{i}@example.org",
        profession=Profession.LEERKRACHT,
        setting_id=1,
        topic="Oudergesprekken",
        consent_to_contact=True,
    )


def harvest(i: int, people: dict) -> Harvest:
    return Harvest(
        title=f"Oogst {i}",
        body_source="Tekst",
        body_html="<p>Tekst</p>",
        author_id=people["admin"].id,
        published_at=utcnow(),
    )


def watched(i: int, people: dict) -> WatchedWord:
    return WatchedWord(phrase=f"woord{i}", whole_word=True, action=WatchedAction.FLAG)


def template(i: int, people: dict) -> RejectionTemplate:
    return RejectionTemplate(title=f"Reden {i}", text="Uitleg", position=i)


LISTS = {
    "/moderatie/verwijderverzoeken": add_removal_requests,
    "/onderzoek/projecten": add_rows(project),
    "/onderzoek/exports": add_rows(export),
    "/onderzoek/meedenkers": add_rows(interest),
    "/onderzoek/kennisoogst": add_rows(harvest),
    "/kennisoogst": add_rows(harvest),
    "/beheer/woorden": add_rows(watched),
    "/moderatie/afwijsredenen": add_rows(template),
}


def measure(app, client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm up
    with count_queries(app) as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(log)


@pytest.mark.parametrize("url", list(LISTS))
def test_list_query_count_does_not_grow_with_rows(app, client, users, admin, url):
    set_site(app, "trust_threshold", "0")
    people = {"admin": admin, "author": users.make(email="auteur@example.org")}
    login(client, admin.email)
    grow = LISTS[url]
    grow(app, people, 2)
    few = measure(app, client, url)
    grow(app, people, 10)
    assert measure(app, client, url) == few
