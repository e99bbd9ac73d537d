"""Unread markers: threads with posts approved since your last visit are marked in every thread
list, the thread opens at the first unread post. Showing a page writes nothing; its read mark
(sent by the page's script) moves your read position, only forward — there is none for
visitors, nor on a page that shows nothing new."""

from __future__ import annotations

import re

import pytest

from tests.helpers import count_queries, login, set_site, write_reply, write_thread
from tests.notifications.support import (
    WRITES,
    approve,
    notices,
    press,
    read,
    read_row,
    reply,
)

MARKER = "Nieuwe berichten"


@pytest.fixture(autouse=True)
def trusted(app):
    set_site(app, "trust_threshold", "0")


@pytest.fixture
def author(users):
    return users.make(name="Schrijver Sam")


def writes_of(app, client, url: str) -> tuple[int, list[str]]:
    with count_queries(app) as statements:
        response = client.get(url)
    return response.status_code, [s for s in statements if WRITES.match(s)]


def marker_link(thread_id: int) -> str:
    return f'class="unread-marker" href="/gesprek/{thread_id}/ongelezen"'


def test_new_posts_mark_the_thread_in_every_list(app, client, member, author):
    opened = write_thread(app, author, title="Gesprek dat ik las").thread_id
    never = write_thread(app, author, title="Gesprek dat ik nooit opende").thread_id
    login(client, member.email)
    press(client, f"/gesprek/{opened}/volgen", f"/gesprek/{opened}")
    read(client, f"/gesprek/{opened}")
    for url in ("/", "/werkveld/school", "/account/meldingen"):
        assert MARKER not in client.get(url).text, url
    write_reply(app, author, opened, body="Een nieuwe reactie.")
    for url in ("/", "/werkveld/school", "/account/meldingen"):
        page = client.get(url).text
        assert marker_link(opened) in page, url
        assert marker_link(never) not in page, url
    read(client, f"/gesprek/{opened}")
    for url in ("/", "/werkveld/school", "/account/meldingen"):
        assert MARKER not in client.get(url).text, url


def test_your_own_reply_is_not_new_to_you(app, client, member, author):
    thread = write_thread(app, author).thread_id
    login(client, member.email)
    reply(client, thread, "Mijn eigen reactie.")
    assert MARKER not in client.get("/werkveld/school").text
    assert "Nieuw sinds je vorige bezoek" not in client.get(f"/gesprek/{thread}").text


def test_the_thread_opens_at_the_first_unread_post(app, client, users, member, author):
    thread = write_thread(app, author).thread_id
    for n in range(33):
        write_reply(app, author, thread, body=f"Reactie {n}")
    login(client, member.email)
    # Never read: the thread's start.
    assert client.get(f"/gesprek/{thread}/ongelezen").headers["Location"] == f"/gesprek/{thread}"
    read(client, f"/gesprek/{thread}?page=2")  # read to the end
    last = read_row(app, member.id, thread)[1]
    # Nothing new: the newest post.
    location = client.get(f"/gesprek/{thread}/ongelezen").headers["Location"]
    assert location == f"/gesprek/{thread}?page=2#bericht-{last}"
    first_new = write_reply(app, users.make(name="Ander"), thread, body="Nieuw hier.").id
    write_reply(app, author, thread, body="Nog iets nieuws.")
    page = client.get(f"/gesprek/{thread}").text
    assert f'href="/gesprek/{thread}/ongelezen">Naar het eerste ongelezen bericht' in page
    location = client.get(f"/gesprek/{thread}/ongelezen").headers["Location"]
    assert location == f"/gesprek/{thread}?page=2#bericht-{first_new}"
    page = read(client, location).text
    divider = page.index('id="ongelezen"')
    assert divider < page.index(f'id="bericht-{first_new}"')
    assert page.index(f'id="bericht-{last}"') < divider
    # Seen now: the link and the divider are gone.
    page = client.get(f"/gesprek/{thread}?page=2").text
    assert "Naar het eerste ongelezen bericht" not in page
    assert 'id="ongelezen"' not in page


def test_visitors_go_to_the_start_and_nothing_is_written(app, client, author):
    set_site(app, "public_read", "1")
    thread = write_thread(app, author).thread_id
    assert client.get(f"/gesprek/{thread}/ongelezen").headers["Location"] == f"/gesprek/{thread}"
    status, writes = writes_of(app, client, f"/gesprek/{thread}")
    assert (status, writes) == (200, [])
    assert MARKER not in client.get("/").text
    assert "/volgen" not in client.get(f"/gesprek/{thread}").text


def test_showing_a_page_writes_nothing_and_its_read_mark_moves_the_position(
    app, client, member, author
):
    thread = write_thread(app, author).thread_id
    login(client, member.email)
    assert writes_of(app, client, f"/gesprek/{thread}") == (200, [])
    assert read_row(app, member.id, thread) is None
    with count_queries(app) as statements:
        read(client, f"/gesprek/{thread}")
    writes = [s for s in statements if WRITES.match(s)]
    assert "thread_reads" in writes[0]  # the read mark stores where you are
    assert len(writes) <= 2  # and answers notices about the thread
    # Nothing new on the page: no read mark, nothing written.
    page = client.get(f"/gesprek/{thread}").text
    assert "data-read-mark" not in page
    assert "reading.js" not in page
    reply_id = write_reply(app, author, thread, body="Nieuw.").id
    assert writes_of(app, client, f"/gesprek/{thread}") == (200, [])
    assert "data-read-mark" in read(client, f"/gesprek/{thread}").text
    assert read_row(app, member.id, thread)[1] == reply_id
    assert writes_of(app, client, f"/gesprek/{thread}") == (200, [])
    # The home page, the werkveld page and the redirect never write.
    for url in ("/", "/werkveld/school", f"/gesprek/{thread}/ongelezen"):
        assert writes_of(app, client, url)[1] == [], url


def test_a_page_before_the_end_moves_the_position_only_that_far(app, client, member, author):
    thread = write_thread(app, author).thread_id
    ids = [write_reply(app, author, thread, body=f"Reactie {n}").id for n in range(34)]
    login(client, member.email)
    read(client, f"/gesprek/{thread}")  # page 1: the opening post and 29 replies
    assert read_row(app, member.id, thread)[1] == ids[28]
    assert marker_link(thread) in client.get("/werkveld/school").text
    location = client.get(f"/gesprek/{thread}/ongelezen").headers["Location"]
    assert location == f"/gesprek/{thread}?page=2#bericht-{ids[29]}"
    read(client, f"/gesprek/{thread}?page=2")
    assert MARKER not in client.get("/werkveld/school").text
    # Going back to page 1 moves nothing back and writes nothing.
    assert writes_of(app, client, f"/gesprek/{thread}") == (200, [])
    assert read_row(app, member.id, thread)[1] == ids[-1]


def test_a_post_approved_later_is_new_even_where_it_sits_earlier(
    app, client, users, member, author, moderator
):
    thread = write_thread(app, author).thread_id
    set_site(app, "trust_threshold", "3")
    waiting = write_reply(app, users.make(name="Nieuw lid"), thread, body="Mijn eerste reactie.")
    assert waiting.status == "pending"
    set_site(app, "trust_threshold", "0")
    write_reply(app, author, thread, body="Een reactie die meteen stond.")
    login(client, member.email)
    read(client, f"/gesprek/{thread}")
    assert MARKER not in client.get("/werkveld/school").text
    moderator_client = app.test_client()
    login(moderator_client, moderator.email)
    approve(moderator_client, waiting.id)
    assert marker_link(thread) in client.get("/werkveld/school").text
    location = client.get(f"/gesprek/{thread}/ongelezen").headers["Location"]
    assert location == f"/gesprek/{thread}#bericht-{waiting.id}"


def test_reading_to_the_end_answers_the_notices_about_the_thread(app, client, member, author):
    thread = write_thread(app, author).thread_id
    login(client, member.email)
    press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")
    write_reply(app, author, thread, body="Nieuw.")
    write_reply(app, author, thread, body="Nog nieuwer.")
    assert [unread for *_, unread in notices(app, member.id)] == [True, True]
    nav = re.compile(r"Meldingen <span class=\"count\">\((\d+)")
    assert nav.search(client.get("/").text).group(1) == "2"
    read(client, f"/gesprek/{thread}")
    assert [unread for *_, unread in notices(app, member.id)] == [False, False]
    assert not nav.search(client.get("/").text)


def test_lists_ask_for_their_markers_in_one_query(app, client, member, author):
    login(client, member.email)

    def measure(url: str) -> int:
        assert client.get(url).status_code == 200
        with count_queries(app) as statements:  # rendered, not the kept page
            assert client.get(url, headers={"Cache-Control": "no-cache"}).status_code == 200
        return sum("thread_reads" in s for s in statements)

    threads = [write_thread(app, author, title=f"Gesprek nummer {n}").thread_id for n in range(2)]
    for thread in threads:
        press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")
    few = {url: measure(url) for url in ("/", "/werkveld/school", "/account/meldingen")}
    for n in range(12):
        thread = write_thread(app, author, title=f"Nog een gesprek {n}").thread_id
        press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")
        write_reply(app, author, thread)
    many = {url: measure(url) for url in ("/", "/werkveld/school", "/account/meldingen")}
    assert few == many == {"/": 1, "/werkveld/school": 1, "/account/meldingen": 1}


def test_a_bad_read_mark_gets_a_clear_answer_and_moves_nothing(app, client, users, member, author):
    thread = write_thread(app, author).thread_id
    other = write_thread(app, author, title="Een ander gesprek").thread_id
    other_post = write_reply(app, author, other, body="Elders.").id
    url = f"/gesprek/{thread}/gelezen"
    assert client.post(url, data={"bericht": "1"}).status_code == 400  # a visitor: no token
    login(client, member.email)
    page = client.get(f"/gesprek/{thread}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for data, status in [
        ({"bericht": "1"}, 400),  # no CSRF token
        ({"csrf_token": token, "bericht": "abc"}, 400),
        ({"csrf_token": token, "bericht": "\x00"}, 400),
        ({"csrf_token": token, "bericht": str(2**40)}, 400),
        ({"csrf_token": token, "bericht": str(other_post)}, 404),  # a post of another thread
    ]:
        assert client.post(url, data=data).status_code == status, data
    assert client.post("/gesprek/999999/gelezen", data={"csrf_token": token}).status_code == 404
    assert read_row(app, member.id, thread) is None
