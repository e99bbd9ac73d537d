"""Watched words: admins keep the list through the page; posting then blocks, waits or is put
before a moderator, matching whole words, case- and diacritics-insensitively."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post
from forum.moderation.models import Report, WatchedWord
from forum.notifications.models import Notification
from tests.helpers import csrf_token, login, set_site, submit

WORDS = "/beheer/woorden"


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    login(client, admin.email)
    return client


@pytest.fixture
def writer(app, member):
    """A trusted member: without watched words their posts publish at once."""
    set_site(app, "trust_threshold", "0")
    client = app.test_client()
    login(client, member.email)
    return client


def add_word(client, phrase: str, action: str, whole_word: bool = True, **extra):
    data = {"phrase": phrase, "action": action, **extra}
    if whole_word:
        data["whole_word"] = "y"
    return submit(client, WORDS, data)


def post_thread(client, body: str, title: str = "Een vraag aan collega's"):
    data = {
        "setting": "1",
        "kind": "question",
        "title": title,
        "body": body,
        "submission_key": secrets.token_hex(16),
    }
    return submit(client, "/gesprek/nieuw", data)


def posts(app) -> list[tuple[str, list[str]]]:
    with app.app_context():
        rows = [
            (p.status.value, list(p.wait_reasons))
            for p in db.session.scalars(sa.select(Post).order_by(Post.id))
        ]
        db.session.remove()
    return rows


def reports(app) -> list[tuple]:
    with app.app_context():
        rows = [
            (r.post_id, r.reporter_id, r.status.value, r.watched_phrase)
            for r in db.session.scalars(sa.select(Report).order_by(Report.id))
        ]
        db.session.remove()
    return rows


def words(app) -> list[tuple]:
    with app.app_context():
        rows = [
            (w.phrase, w.whole_word, w.action.value)
            for w in db.session.scalars(sa.select(WatchedWord).order_by(WatchedWord.id))
        ]
        db.session.remove()
    return rows


def audit(app) -> list[tuple]:
    with app.app_context():
        rows = [
            (e.action, e.target_type, e.data)
            for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
            if e.target_type == "watched_word"
        ]
        db.session.remove()
    return rows


# --- the admin page -------------------------------------------------------------------------


def test_admin_adds_and_deletes_words_and_each_change_is_audited(app, admin_client):
    response = add_word(admin_client, "  Pestkop  ", "flag", whole_word=False)
    assert response.status_code == 302
    page = admin_client.get(WORDS).text
    assert "Pestkop" in page
    assert "Voorleggen aan een moderator" in page
    assert words(app) == [("Pestkop", False, "flag")]

    with app.app_context():
        word_id = db.session.scalars(sa.select(WatchedWord.id)).one()
    deleted = submit(admin_client, f"{WORDS}/{word_id}/verwijderen", {}, form_url=WORDS)
    assert deleted.status_code == 302
    assert words(app) == []
    assert audit(app) == [
        (
            "watched_word.added",
            "watched_word",
            {"phrase": "Pestkop", "whole_word": False, "action": "flag"},
        ),
        (
            "watched_word.deleted",
            "watched_word",
            {"phrase": "Pestkop", "whole_word": False, "action": "flag"},
        ),
    ]


def test_the_page_offers_the_three_actions_in_plain_words(admin_client):
    page = admin_client.get(WORDS).text
    for label in (
        "Weigeren (met uitleg aan de schrijver)",
        "Eerst laten beoordelen",
        "Voorleggen aan een moderator",
    ):
        assert label in page


def test_a_duplicate_phrase_is_a_form_error(app, admin_client):
    add_word(admin_client, "Café", "block")
    again = add_word(admin_client, "cafe", "flag")
    assert again.status_code == 400
    assert "staat al in de lijst" in again.text
    assert words(app) == [("Café", True, "block")]


@pytest.mark.parametrize(
    "data",
    [
        {"phrase": "", "action": "block"},
        {"phrase": "   ", "action": "block"},
        {"phrase": "x" * 101, "action": "block"},
        {"phrase": "woord", "action": "delete_silently"},
        {"phrase": "nul\x00byte", "action": "block"},
    ],
)
def test_bad_input_is_a_form_error(app, admin_client, data):
    response = submit(admin_client, WORDS, data)
    assert response.status_code == 400
    assert 'class="error"' in response.text
    assert words(app) == []


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_non_admins_cannot_see_or_change_the_list(app, request, who):
    person = request.getfixturevalue(who)
    client = app.test_client()
    login(client, person.email)
    assert client.get(WORDS).status_code in (403, 404)
    token_page = client.get("/").text
    data = {"phrase": "stiekem", "action": "block", "csrf_token": csrf_token(token_page)}
    assert client.post(WORDS, data=data).status_code in (403, 404)
    assert words(app) == []


def test_visitors_are_sent_to_log_in(client):
    response = client.get(WORDS)
    assert response.status_code == 302
    assert "/account/inloggen" in response.headers["Location"]


# --- what happens when someone posts --------------------------------------------------------


def test_block_refuses_the_post_with_a_message_and_stores_nothing(app, admin_client, writer):
    add_word(admin_client, "sukkel", "block")
    response = post_thread(writer, "Wat een SUKKEL, die ouder.")
    assert response.status_code == 400
    assert "sukkel" in response.text
    assert "kan hier niet geplaatst worden" in response.text
    assert posts(app) == []


def test_require_approval_makes_the_post_wait(app, admin_client, writer):
    add_word(admin_client, "jeugdzorg", "require_approval")
    assert post_thread(writer, "Wij hebben jeugdzorg ingeschakeld.").status_code == 302
    [(status, reasons)] = posts(app)
    assert status == "pending"
    assert "watched_word" in reasons


def test_flag_publishes_and_puts_the_post_before_a_moderator(app, admin_client, writer):
    add_word(admin_client, "ruzie", "flag")
    assert post_thread(writer, "Er was ruzie op het plein.").status_code == 302
    [(status, _reasons)] = posts(app)
    assert status == "approved"
    [(_post_id, reporter_id, report_status, text)] = reports(app)
    assert reporter_id is None
    assert report_status == "open"
    assert text == "ruzie"


def test_a_flag_tells_every_moderator_once_and_names_no_reporter(app, admin_client, writer, users):
    moderator = users.make(email="mod@example.org", name="Mod Mila", roles=["moderator"])
    add_word(admin_client, "ruzie", "flag")
    post_thread(writer, "Er was ruzie op het plein, en daarna weer ruzie.")
    with app.app_context():
        notices = db.session.execute(
            sa.select(Notification.user_id, Notification.event, Notification.post_id)
        ).all()
        [post_id] = db.session.execute(sa.select(Post.id)).scalars()
    told = {user_id for user_id, event, about in notices if event == "report_received"}
    assert moderator.id in told  # the admin moderates too
    assert all(about == post_id for _user, _event, about in notices)
    assert len(told) == len(notices)  # one notice per moderator, however often the word occurs
    moderator_client = app.test_client()
    login(moderator_client, moderator.email)
    page = moderator_client.get("/meldingen")
    assert "/moderatie/voorgelegd" in page.text


def test_matching_ignores_case_and_accents(app, admin_client, writer):
    add_word(admin_client, "café", "require_approval")
    post_thread(writer, "We spraken af in het Cafe op de hoek.")
    assert posts(app)[0][0] == "pending"


def test_whole_word_does_not_match_inside_a_longer_word(app, admin_client, writer):
    add_word(admin_client, "school", "require_approval")
    post_thread(writer, "Op het schoolplein was het rustig.")
    assert posts(app) == [("approved", [])]
    post_thread(writer, "Op school was het rustig.", title="Een tweede vraag")
    assert posts(app)[1][0] == "pending"


def test_part_of_a_word_matches_when_whole_word_is_off(app, admin_client, writer):
    add_word(admin_client, "school", "require_approval", whole_word=False)
    post_thread(writer, "Op het schoolplein was het rustig.")
    assert posts(app)[0][0] == "pending"


def test_a_deleted_word_no_longer_counts(app, admin_client, writer):
    add_word(admin_client, "sukkel", "block")
    with app.app_context():
        word_id = db.session.scalars(sa.select(WatchedWord.id)).one()
    submit(admin_client, f"{WORDS}/{word_id}/verwijderen", {}, form_url=WORDS)
    assert post_thread(writer, "Wat een sukkel ben ik vandaag.").status_code == 302
    assert posts(app)[0][0] == "approved"
