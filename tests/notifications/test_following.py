"""Following threads and werkvelden: buttons with CSRF, automatic when you write (unless you
switched that off), only what you may read, and never a 500 for odd input."""

from __future__ import annotations

import pytest

from forum.db import db
from forum.discussions.models import Thread
from tests.helpers import csrf_token, login, set_site, write_thread
from tests.notifications.support import (
    followed_settings,
    followed_threads,
    press,
    reply,
    start_thread,
)


@pytest.fixture(autouse=True)
def trusted(app):
    set_site(app, "trust_threshold", "0")


def test_starting_and_replying_follow_the_thread(app, client, users, member):
    login(client, member.email)
    own = start_thread(client)
    other = write_thread(app, users.make(name="Ander lid"), title="Een gesprek van een ander")
    assert followed_threads(app, member.id) == {own}
    reply(client, other.thread_id)
    assert followed_threads(app, member.id) == {own, other.thread_id}
    page = client.get(f"/gesprek/{own}").text
    assert "Je volgt dit gesprek" in page
    assert "Niet meer volgen" in page


def test_follow_and_unfollow_are_buttons_on_the_thread_page(app, client, users, member):
    thread = write_thread(app, users.make(name="Ander lid")).thread_id
    login(client, member.email)
    page = client.get(f"/gesprek/{thread}").text
    assert f'action="/gesprek/{thread}/volgen"' in page
    answer = press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")
    assert answer.headers["Location"] == f"/gesprek/{thread}"
    assert followed_threads(app, member.id) == {thread}
    # Twice is still once.
    press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")
    assert followed_threads(app, member.id) == {thread}
    page = client.get(f"/gesprek/{thread}").text
    assert f'action="/gesprek/{thread}/niet-volgen"' in page
    press(client, f"/gesprek/{thread}/niet-volgen", f"/gesprek/{thread}")
    assert followed_threads(app, member.id) == set()


def test_buttons_need_the_csrf_token_and_a_login(app, client, users, member):
    thread = write_thread(app, users.make(name="Ander lid")).thread_id
    token = {"csrf_token": csrf_token(client.get("/account/inloggen").text)}
    for url in (f"/gesprek/{thread}/volgen", "/werkveld/school/volgen"):
        assert client.post(url, data=token).headers["Location"].startswith("/account/inloggen")
    login(client, member.email)
    assert client.post(f"/gesprek/{thread}/volgen").status_code == 400
    assert client.post("/werkveld/school/volgen").status_code == 400
    assert followed_threads(app, member.id) == set()
    assert followed_settings(app, member.id) == set()


def test_a_thread_you_may_not_read_cannot_be_followed(app, client, users, member):
    hidden = write_thread(app, users.make(name="Ander lid")).thread_id
    with app.app_context():
        db.session.get(Thread, hidden).status = "hidden"
        db.session.commit()
    login(client, member.email)
    token = csrf_token(client.get("/").text)
    for url in (
        f"/gesprek/{hidden}/volgen",
        "/gesprek/999999/volgen",
        "/gesprek/99999999999/volgen",
    ):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    assert (
        client.post("/werkveld/bestaat-niet/volgen", data={"csrf_token": token}).status_code == 404
    )
    assert followed_threads(app, member.id) == set()


def test_auto_follow_can_be_switched_off(app, client, users, member):
    login(client, member.email)
    page = client.get("/account/meldingen").text
    assert 'checked id="auto_follow"' in page
    answer = press(
        client,
        "/account/meldingen",
        "/account/meldingen",
        mail_replies="daily",
        mail_mentions="immediately",
    )
    assert answer.status_code == 302
    own = start_thread(client)
    other = write_thread(app, users.make(name="Ander lid")).thread_id
    reply(client, other)
    assert followed_threads(app, member.id) == set()
    assert "Je volgt dit gesprek" not in client.get(f"/gesprek/{own}").text


def test_a_werkveld_is_followed_from_its_page(app, client, member):
    login(client, member.email)
    page = client.get("/werkveld/childcare").text
    assert 'action="/werkveld/childcare/volgen"' in page
    answer = press(client, "/werkveld/childcare/volgen", "/werkveld/childcare")
    assert answer.headers["Location"] == "/werkveld/childcare"
    assert followed_settings(app, member.id) == {2}
    page = client.get("/werkveld/childcare").text
    assert "Je volgt Kinderopvang" in page
    press(client, "/werkveld/childcare/niet-volgen", "/werkveld/childcare")
    assert followed_settings(app, member.id) == set()


def test_visitors_see_no_follow_buttons(app, client, users):
    set_site(app, "public_read", "1")
    thread = write_thread(app, users.make(name="Ander lid")).thread_id
    assert "/volgen" not in client.get(f"/gesprek/{thread}").text
    assert "/volgen" not in client.get("/werkveld/school").text
