"""The settings page /account/meldingen: defaults without a stored row, saving through the
form with CSRF, choices checked, the queue digest for moderators only, and the lists of what
you follow with unfollow buttons."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.db import db
from forum.notifications.models import NotificationSettings
from tests.helpers import count_queries, csrf_token, login, set_site, write_thread
from tests.notifications.support import (
    WRITES,
    followed_settings,
    followed_threads,
    plan,
    press,
    slow_steps,
)
from tests.test_speed import statements

CHOICES = {"mail_replies": "weekly", "mail_mentions": "never"}


def stored(app, user_id: int) -> dict | None:
    with app.app_context():
        row = db.session.get(NotificationSettings, user_id)
        result = (
            {
                "auto_follow": row.auto_follow,
                "mail_replies": row.mail_replies,
                "mail_mentions": row.mail_mentions,
                "queue_digest": row.queue_digest,
            }
            if row
            else None
        )
        db.session.remove()
    return result


def test_the_page_shows_the_defaults_and_reading_it_stores_nothing(app, client, member):
    login(client, member.email)
    with count_queries(app) as statements:
        page = client.get("/account/meldingen")
    assert page.status_code == 200
    assert [s for s in statements if WRITES.match(s)] == []
    assert stored(app, member.id) is None
    assert 'checked id="auto_follow"' in page.text
    assert (
        'checked id="mail_replies-1" name="mail_replies" required type="radio" value="daily"'
        in (page.text)
    )
    assert 'value="immediately"' in page.text
    assert "queue_digest" not in page.text  # for moderators only


def test_saving_stores_the_choices(app, client, member):
    login(client, member.email)
    answer = press(client, "/account/meldingen", "/account/meldingen", **CHOICES)
    assert answer.headers["Location"] == "/account/meldingen"
    assert stored(app, member.id) == {
        "auto_follow": False,  # unticked
        "mail_replies": "weekly",
        "mail_mentions": "never",
        "queue_digest": False,
    }
    page = client.get("/account/meldingen").text
    assert "Je instellingen voor meldingen zijn opgeslagen." in page
    assert 'checked id="mail_mentions-3"' in page
    # Saving again changes the one row.
    press(client, "/account/meldingen", "/account/meldingen", auto_follow="y", **CHOICES)
    assert stored(app, member.id)["auto_follow"] is True
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSettings)) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"mail_replies": "hourly", "mail_mentions": "never"},
        {"mail_replies": "daily"},
        {"mail_replies": "daily\x00", "mail_mentions": "never"},
        {"mail_replies": "d" * 10_000, "mail_mentions": "never"},
    ],
)
def test_odd_choices_are_a_form_error(app, client, member, data):
    login(client, member.email)
    answer = press(client, "/account/meldingen", "/account/meldingen", **data)
    assert answer.status_code == 400
    assert "Er klopt nog iets niet" in answer.text
    assert stored(app, member.id) is None


def test_saving_needs_the_csrf_token_and_a_login(app, client, member):
    assert client.get("/account/meldingen").status_code == 302
    login(client, member.email)
    assert client.post("/account/meldingen", data=CHOICES).status_code == 400
    assert stored(app, member.id) is None


def test_only_moderators_choose_the_queue_digest(app, client, member, moderator):
    login(client, member.email)
    press(client, "/account/meldingen", "/account/meldingen", queue_digest="y", **CHOICES)
    assert stored(app, member.id)["queue_digest"] is False
    mod = app.test_client()
    login(mod, moderator.email)
    page = mod.get("/account/meldingen").text
    assert "Stuur me elke dag een overzicht" in page
    press(mod, "/account/meldingen", "/account/meldingen", queue_digest="y", **CHOICES)
    assert stored(app, moderator.id)["queue_digest"] is True


def test_linked_from_the_profile_and_the_notifications_page(client, member):
    login(client, member.email)
    assert 'href="/account/meldingen"' in client.get("/account/profiel").text
    assert 'href="/account/meldingen"' in client.get("/meldingen").text


def test_what_you_follow_is_listed_with_unfollow_buttons(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    thread = write_thread(app, users.make(name="Ander"), title="Een gesprek om te volgen")
    login(client, member.email)
    press(client, f"/gesprek/{thread.thread_id}/volgen", f"/gesprek/{thread.thread_id}")
    press(client, "/werkveld/neighbourhood/volgen", "/werkveld/neighbourhood")
    page = client.get("/account/meldingen").text
    assert "Een gesprek om te volgen" in page
    assert "Wijk" in page
    token = csrf_token(page)
    answer = client.post(
        f"/gesprek/{thread.thread_id}/niet-volgen",
        data={"csrf_token": token, "back": "instellingen"},
    )
    assert answer.headers["Location"] == "/account/meldingen"
    answer = client.post(
        "/werkveld/neighbourhood/niet-volgen", data={"csrf_token": token, "back": "instellingen"}
    )
    assert answer.headers["Location"] == "/account/meldingen"
    assert followed_threads(app, member.id) == followed_settings(app, member.id) == set()
    page = client.get("/account/meldingen").text
    assert "Je volgt nog geen gesprekken." in page
    assert "Je volgt nog geen werkvelden." in page
    # A back value from elsewhere is ignored: no open redirect.
    answer = client.post(
        f"/gesprek/{thread.thread_id}/volgen",
        data={"csrf_token": token, "back": "https://example.com/"},
    )
    assert answer.headers["Location"] == f"/gesprek/{thread.thread_id}"


def test_the_followed_list_is_paginated_in_a_constant_number_of_queries(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Ander")
    login(client, member.email)

    def follow_new(n: int) -> None:
        for i in range(n):
            thread = write_thread(app, author, title=f"Gesprek {i:02d} om te volgen").thread_id
            press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")

    def queries() -> int:
        with count_queries(app) as statements:
            assert client.get("/account/meldingen").status_code == 200
        return len(statements)

    follow_new(2)
    few = queries()
    follow_new(26)
    assert queries() == few
    assert client.get("/account/meldingen").text.count("Niet meer volgen") == 25
    assert client.get("/account/meldingen?page=2").text.count("Niet meer volgen") == 3
    assert client.get("/account/meldingen?page=9").status_code == 404


def test_the_followed_list_reads_its_index_in_order(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Ander")
    login(client, member.email)
    for i in range(3):
        thread = write_thread(app, author, title=f"Gesprek {i} om te volgen").thread_id
        press(client, f"/gesprek/{thread}/volgen", f"/gesprek/{thread}")
    with statements(app) as found:
        assert client.get("/account/meldingen").status_code == 200
    [(sql, params)] = [(s, p) for s, p in found if "JOIN thread_follows" in s and "LIMIT" in s]
    explained = plan(app, sql, params)
    assert "ix_thread_follows_user_created" in explained, explained
    assert slow_steps(explained, "thread_follows") == [], explained
