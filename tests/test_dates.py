"""One way to write a moment per language, through Babel and in the forum's time zone: Dutch
"2 dec 2026, 13:00", English "2 Dec 2026, 13:00", never the US "12/2/26, 1:00 PM"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, format_date, format_datetime

from forum.db import db
from forum.discussions.models import Post, Thread
from tests.helpers import login, set_site, submit, write_thread

MOMENT = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 13:00 in Amsterdam (winter time)
SUMMER = datetime(2026, 7, 2, 12, 0, tzinfo=UTC)  # 14:00 in Amsterdam (summer time)
# CLDR decides the Dutch abbreviation ("dec" in CLDR 47, "dec." before): either is the style.
DUTCH = re.compile(r"\b2 dec\.? 2026, 13:00\b")
ENGLISH = re.compile(r"\b2 Dec 2026, 13:00\b")
US_STYLE = re.compile(r"\b12/2/26\b|\b1:00\s?PM\b")


@pytest.fixture
def thread_at_a_known_moment(app, member):
    set_site(app, "trust_threshold", "0")
    set_site(app, "public_read", "1")
    post = write_thread(app, member)
    assert post.status == "approved"
    with app.app_context():
        db.session.get(Post, post.id).created_at = MOMENT
        db.session.get(Thread, post.thread_id).last_activity_at = MOMENT
        db.session.commit()
        db.session.remove()
    return f"/gesprek/{post.thread_id}"


def switch_language(client, lang: str, page: str) -> None:
    """The footer's language buttons, as a browser sends them: a GET form for visitors, a POST
    form (saved on the person) for members."""
    if 'method="get" action="/account/taal"' in client.get(page).text:
        answer = client.get("/account/taal", query_string={"lang": lang, "next": page})
    else:
        answer = submit(client, "/account/taal", {"lang": lang, "next": page}, form_url=page)
    assert answer.status_code == 302


def assert_written(text: str, wanted: re.Pattern[str]) -> None:
    assert wanted.search(text), "the moment is not written as wanted"
    assert not US_STYLE.search(text)


def test_a_visitor_sees_the_moment_in_dutch_and_in_english(client, thread_at_a_known_moment):
    page = thread_at_a_known_moment
    assert_written(client.get(page).text, DUTCH)
    switch_language(client, "en", page)
    english = client.get(page).text
    assert '<html lang="en">' in english
    assert_written(english, ENGLISH)
    assert not DUTCH.search(english)


def test_a_member_sees_the_moment_in_the_language_they_chose(
    app, client, member, thread_at_a_known_moment
):
    page = thread_at_a_known_moment
    login(client, member.email)
    switch_language(client, "en", page)
    assert_written(client.get(page).text, ENGLISH)
    other = app.test_client()  # the choice is saved with the person, not only in a cookie
    login(other, member.email)
    assert_written(other.get(page).text, ENGLISH)
    switch_language(client, "nl", page)
    assert_written(client.get(page).text, DUTCH)


def test_python_goes_through_the_same_formats(app):
    with app.test_request_context():
        for lang, wanted in (("nl", DUTCH), ("en", ENGLISH)):
            with force_locale(lang):
                for width in (None, "short", "medium", "long", "full"):
                    written = format_datetime(MOMENT, width) if width else format_datetime(MOMENT)
                    assert wanted.fullmatch(written), (lang, width, written)
        with force_locale("en"):
            assert format_datetime(SUMMER) == "2 Jul 2026, 14:00"
            assert (format_date(MOMENT, "long"), format_date(MOMENT, "short")) == (
                "2 December 2026",
                "2 Dec 2026",
            )
        with force_locale("nl"):
            assert format_date(MOMENT, "long") == "2 december 2026"
