"""Visitors' pages are kept per worker (forum.core.pagecache): a repeat view costs one query, and
nothing a visitor could notice is ever stale, foreign or shared with someone signed in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.core import pagecache
from forum.db import db
from forum.discussions.models import Post
from forum.moderation import actions
from tests.helpers import count_queries, login, set_site, submit, write_reply, write_thread


@pytest.fixture
def public_thread(app, users):
    set_site(app, "public_read", "1")
    author = users.make(name="Schrijver Sanne", roles=["moderator"])  # approved at once
    opening = write_thread(app, author, title="Ouders op de eerste schooldag")
    return author, opening


def pages(thread_id: int) -> list[str]:
    return ["/", "/werkveld/school", f"/gesprek/{thread_id}", "/zoeken?q=schooljaar"]


def generation(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.text("SELECT value FROM content_generation"))


def test_a_repeat_visit_is_served_whole_with_one_query_and_no_cookie(app, client, public_thread):
    _, opening = public_thread
    for url in pages(opening.thread_id):
        first = client.get(url)
        assert first.status_code == 200
        assert first.headers["X-Page-Cache"] == "miss"
        with count_queries(app) as log:
            again = client.get(url)
        assert again.headers["X-Page-Cache"] == "hit"
        assert again.data == first.data
        assert log == [pagecache.READ_GENERATION]
        # No session for visitors: nothing of theirs is in a page that others get too.
        assert "Set-Cookie" not in first.headers
        assert "Set-Cookie" not in again.headers
        assert "Cookie" in again.headers["Vary"]
        assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_new_reply_shows_to_visitors_at_once_everywhere(app, client, public_thread):
    author, opening = public_thread
    for url in pages(opening.thread_id):
        client.get(url)
    write_reply(app, author, opening.thread_id, "Wij bellen elke ouder in de eerste schoolweek.")
    thread = client.get(f"/gesprek/{opening.thread_id}")
    assert thread.headers["X-Page-Cache"] == "miss"
    assert "Wij bellen elke ouder" in thread.text
    assert "1 reactie" in client.get("/werkveld/school").text
    assert "1 reactie" in client.get("/").text


def test_hiding_a_post_removes_it_from_the_kept_pages(app, client, users, public_thread):
    author, opening = public_thread
    reply = write_reply(app, author, opening.thread_id, "Noor uit groep 3 huilde bij de deur.")
    url = f"/gesprek/{opening.thread_id}"
    assert "Noor uit groep 3" in client.get(url).text
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    moderator = users.make(roles=["moderator"])
    with app.test_request_context():
        post = db.session.get(Post, reply.id)
        actions.hide_post(post, db.session.get(User, moderator.id), "Herleidbaar")
        db.session.commit()
    assert "Noor uit groep 3" not in client.get(url).text


def test_closing_public_reading_sends_visitors_to_the_login_page_at_once(
    app, client, public_thread
):
    _, opening = public_thread
    for url in pages(opening.thread_id):
        assert client.get(url).status_code == 200
    set_site(app, "public_read", "0")
    for url in pages(opening.thread_id)[1:]:
        answer = client.get(url)
        assert answer.status_code == 302
        assert "/account/inloggen" in answer.headers["Location"]


def test_someone_signed_in_never_gets_a_visitors_page(app, client, users, public_thread):
    _, opening = public_thread
    url = f"/gesprek/{opening.thread_id}"
    client.get(url)
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    member = users.make(email="lezer@example.org")
    reader = app.test_client()
    login(reader, member.email)
    page = reader.get(url)
    assert "X-Page-Cache" not in page.headers
    assert "Uitloggen" in page.text
    assert 'name="body"' in page.text
    # …and what they get is never handed to a visitor either.
    visitor_page = client.get(url).text
    assert "Uitloggen" not in visitor_page
    assert 'name="body"' not in visitor_page


def test_someone_who_just_signed_out_sees_their_message_not_a_kept_page(
    app, client, users, public_thread
):
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    member = users.make(email="lezer@example.org")
    leaving = app.test_client()
    login(leaving, member.email)
    answer = submit(leaving, "/account/uitloggen", {}, form_url="/")
    assert answer.status_code == 302
    home = leaving.get("/")
    assert "Je bent uitgelogd." in home.text
    assert "X-Page-Cache" not in home.headers
    assert "Je bent uitgelogd." not in client.get("/").text


def test_each_language_has_its_own_page(app, client, public_thread):
    assert '<html lang="nl">' in client.get("/").text
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    switch = client.get("/account/taal?lang=en&next=/")
    assert switch.status_code == 302
    assert switch.headers["Location"] == "/"
    english = client.get("/")
    assert english.headers["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.text
    assert '<html lang="nl">' in app.test_client().get("/").text


@pytest.mark.parametrize(
    ("query", "answer"), [("lang=xx&next=/", 400), ("lang=en&next=//evil.example", 302)]
)
def test_the_visitors_language_switch_refuses_strange_input(client, query, answer):
    response = client.get(f"/account/taal?{query}")
    assert response.status_code == answer
    if answer == 302:
        assert response.headers["Location"] == "/"


def test_private_writes_keep_the_pages_and_rolled_back_writes_change_nothing(
    app, client, users, public_thread
):
    _, opening = public_thread
    url = f"/gesprek/{opening.thread_id}"
    member = users.make(email="lezer@example.org")
    before = generation(app)
    reader = app.test_client()
    login(reader, member.email)  # signing in and reading move only private rows
    assert reader.get(url).status_code == 200
    submit(reader, f"/gesprek/{opening.thread_id}/volgen", {}, form_url=url)
    assert generation(app) == before
    with app.app_context():
        db.session.execute(sa.text("UPDATE posts SET body_html = 'weg'"))
        db.session.rollback()
    assert generation(app) == before
    with app.app_context():
        db.session.execute(sa.text("UPDATE users SET display_name = 'Nieuwe Naam'"))
        db.session.commit()
    assert generation(app) == before + 1


@pytest.mark.parametrize(
    ("statement", "visible"),
    [
        ("INSERT INTO posts (body) VALUES (?)", True),
        ('UPDATE "threads" SET locked=? WHERE threads.id = ?', True),
        ("DELETE FROM reports WHERE id = ?", True),
        ("INSERT INTO notifications (user_id) VALUES (?)", False),
        ("UPDATE thread_reads SET last_read_post_id=? WHERE id = ?", False),
        ("UPDATE users SET password_hash=?, session_version=? WHERE users.id = ?", False),
        ("UPDATE users SET display_name=%(display_name)s::VARCHAR WHERE users.id = %(id)s", True),
        ("UPDATE users SET locale=?, suspended_until=? WHERE users.id = ?", True),
        ("SELECT * FROM posts", False),
    ],
)
def test_which_statements_change_what_visitors_see(statement, visible):
    assert pagecache.changes_visible_content(statement) is visible


def test_a_kept_page_expires_after_its_time_even_without_a_change(
    app, client, public_thread, monkeypatch
):
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    now = pagecache.time.monotonic()
    seconds = app.config["FORUM_PAGE_CACHE_SECONDS"]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now + seconds + 1)
    assert client.get("/").headers["X-Page-Cache"] == "miss"


def test_the_store_stays_within_its_size(app):
    store = pagecache.PageStore(max_bytes=10_000)
    for n in range(50):
        page = pagecache.CachedPage(1, 0.0, (), b"x" * 1000)
        store.put((f"/gesprek/{n}", "nl"), page)
    assert store.size <= 10_000
    assert store.get(("/gesprek/49", "nl")) is not None
    assert store.get(("/gesprek/0", "nl")) is None
