"""Meldingen: every event a person can be told about, shown in Dutch with a link, data shown as
text, unread ones marked; reading the page writes nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.db import db
from forum.notifications.models import Notification
from forum.notifications.services import notify
from tests.helpers import count_queries, csrf_token, login, set_site, write_thread

XSS = "<script>alert('meldingen')</script>"


def tell(app, user_id: int, event: str, post=None, **data) -> None:
    with app.test_request_context():
        notify(
            user_id,
            event,
            thread_id=post.thread_id if post else None,
            post_id=post.id if post else None,
            data=data,
        )
        db.session.commit()
        db.session.remove()


def unread(app, user_id: int) -> int:
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        ).scalar_one()
        db.session.remove()
    return count


@pytest.fixture
def post(app, member):
    set_site(app, "trust_threshold", "0")
    return write_thread(app, member, title="Ouders betrekken bij het startgesprek")


EVENTS = [
    ("post_approved", {}, "Je bericht is goedgekeurd."),
    ("post_returned", {"note": "Haal de naam weg."}, "Haal de naam weg."),
    ("post_rejected", {"reason": "Past niet bij de regels."}, "Past niet bij de regels."),
    ("post_hidden", {"reason": "Herleidbaar."}, "Een moderator heeft je bericht verborgen."),
    ("post_hidden", {"reason": "", "pending_review": True}, "tot een moderator ernaar"),
    ("post_restored", {}, "Je bericht staat weer op het forum."),
    ("edit_approved", {}, "Je wijziging is goedgekeurd."),
    ("edit_rejected", {"reason": "Nog een naam."}, "Je wijziging is niet goedgekeurd."),
    ("report_outcome", {"outcome": "kept"}, "kan blijven staan"),
    ("report_outcome", {"outcome": "hidden"}, "De moderator heeft het bericht verborgen."),
    ("report_outcome", {"outcome": "edited"}, "De moderator heeft het bericht aangepast."),
    ("report_outcome", {"outcome": "dismissed"}, "niets hoefde te gebeuren"),
    (
        "suspended",
        {"reason": "Herhaald namen.", "until": "2030-03-01"},
        "geschorst tot 1 maart 2030",
    ),
    ("suspended", {"reason": "Spam.", "until": None}, "Je account is geschorst."),
    ("unsuspended", {}, "Je schorsing is opgeheven."),
    ("thread_locked", {}, "Een moderator heeft je gesprek gesloten."),
    ("thread_moved", {"setting": "Kinderopvang"}, "verplaatst naar Kinderopvang."),
]


@pytest.mark.parametrize(("event", "data", "text"), EVENTS)
def test_each_event_is_shown_in_dutch_with_a_link(app, client, member, post, event, data, text):
    tell(app, member.id, event, post, **data)
    login(client, member.email)
    page = client.get("/meldingen")
    assert page.status_code == 200
    assert text in page.text
    assert f'href="/bericht/{post.id}"' in page.text
    assert "Ouders betrekken bij het startgesprek" in page.text
    for value in data.values():
        if isinstance(value, str) and value and event not in ("report_outcome", "suspended"):
            assert value in page.text


def test_a_moderator_edit_shows_what_changed_without_the_removed_text(app, client, member, post):
    changes = [["same", "Een kind "], ["removed", ""], ["added", "uit groep 4"], ["same", " zei"]]
    tell(app, member.id, "post_edited", post, changes=changes)
    login(client, member.email)
    page = client.get("/meldingen").text
    assert "Een moderator heeft je bericht aangepast." in page
    assert "Een kind " in page
    assert "<ins>uit groep 4</ins>" in page
    assert "[tekst weggehaald door een moderator]" in page


def test_data_is_shown_as_text(app, client, member, post):
    tell(app, member.id, "post_rejected", post, reason=XSS)
    tell(app, member.id, "post_edited", post, changes=[["added", XSS], ["removed", XSS]])
    tell(app, member.id, "thread_moved", post, setting=XSS)
    login(client, member.email)
    page = client.get("/meldingen").text
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&#39;meldingen&#39;)&lt;/script&gt;") == 3


def test_odd_data_does_not_break_the_page(app, client, member, post):
    tell(app, member.id, "post_edited", post, changes="geen lijst")
    tell(app, member.id, "post_edited", post, changes=[["weird", "x"], [1], "y"])
    tell(app, member.id, "suspended", post, until="geen datum")
    tell(app, member.id, "iets_nieuws", post)
    login(client, member.email)
    page = client.get("/meldingen")
    assert page.status_code == 200
    assert "Er is iets veranderd bij een bericht van je." in page.text


def test_unread_ones_are_marked_and_reading_writes_nothing(app, client, member, post):
    tell(app, member.id, "post_approved", post)
    tell(app, member.id, "post_restored", post)
    login(client, member.email)
    with count_queries(app) as statements:
        page = client.get("/meldingen")
    writes = [s for s in statements if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.I)]
    assert writes == []
    assert page.text.count('class="badge badge-unread">Nieuw</span>') == 2
    assert "Je hebt 2 nieuwe meldingen." in page.text
    assert unread(app, member.id) == 2


def test_mark_all_read_is_a_button_and_only_touches_your_own(app, client, member, users, post):
    other = users.make(name="Ander lid")
    tell(app, member.id, "post_approved", post)
    tell(app, other.id, "post_approved")
    login(client, member.email)
    token = csrf_token(client.get("/meldingen").text)
    response = client.post("/meldingen/gelezen", data={"csrf_token": token})
    assert response.headers["Location"] == "/meldingen"
    assert (unread(app, member.id), unread(app, other.id)) == (0, 1)
    page = client.get("/meldingen").text
    assert "badge-unread" not in page
    assert "Je bericht is goedgekeurd." in page
    assert client.post("/meldingen/gelezen", data={}).status_code == 400


def test_visitors_log_in_first(client):
    assert client.get("/meldingen").status_code == 302
    assert client.post("/meldingen/gelezen").status_code in (302, 400)


def test_newest_first_paginated_and_a_constant_number_of_queries(app, client, member, post):
    login(client, member.email)

    def queries() -> int:
        with count_queries(app) as statements:
            assert client.get("/meldingen").status_code == 200
        return len(statements)

    tell(app, member.id, "post_approved", post)
    few = queries()
    for n in range(34):
        tell(app, member.id, "post_rejected", post, reason=f"Reden {n:02d}")
    assert queries() == few
    page = client.get("/meldingen").text
    assert page.index("Reden 33") < page.index("Reden 32")
    assert "Reden 03" not in page
    second = client.get("/meldingen?page=2").text
    assert "Reden 03" in second
    assert "Je bericht is goedgekeurd." in second
    assert client.get("/meldingen?page=9").status_code == 404


def test_a_thread_you_cannot_see_gets_no_title_or_link(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    other = write_thread(app, users.make(name="Ander"), title="Verborgen gesprek van een ander")
    with app.app_context():
        from forum.discussions.models import Thread

        db.session.get(Thread, other.thread_id).status = "hidden"
        db.session.commit()
    tell(app, member.id, "report_outcome", other, outcome="hidden")
    login(client, member.email)
    page = client.get("/meldingen").text
    assert "De moderator heeft het bericht verborgen." in page
    assert "Verborgen gesprek van een ander" not in page
    assert f"/bericht/{other.id}" not in page
