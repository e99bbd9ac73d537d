"""The unsubscribe link works without logging in: GET asks (and changes nothing), the button or a
mail program's one-click POST stops exactly what the link names; a made-up link is a 404."""

from __future__ import annotations

import base64
import json

import pytest

from forum.db import db
from forum.notifications.preferences import settings_for
from tests.helpers import set_site, write_thread
from tests.notifications.mail_support import (
    MENTION,
    REPLY,
    choose,
    give_notice,
    local_moment,
    run_round,
    serve_smtp,
    set_locale,
)


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from serve_smtp(app, monkeypatch)


BASE = "http://127.0.0.1:5000"


@pytest.fixture
def post(app, users):
    set_site(app, "trust_threshold", "0")
    return write_thread(app, users.make(name="Schrijver Sam"), title="Het startgesprek")


def link_in(mail) -> str:
    header = str(mail["List-Unsubscribe"])
    assert header.startswith(f"<{BASE}/")
    assert header.endswith(">")
    return header[1 + len(BASE) : -1]


def choices(app, person) -> tuple[str, str, bool]:
    with app.app_context():
        row = settings_for(person.id)
        result = (row.mail_replies, row.mail_mentions, row.queue_digest)
        db.session.remove()
    return result


def test_get_asks_first_and_the_button_stops_it_without_login(
    app, client, users, post, smtp_server
):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, MENTION, post)
    run_round(app)
    [mail] = smtp_server.to(reader.email)
    url = link_in(mail)

    page = client.get(url)
    assert page.status_code == 200
    assert "Wil je dit niet meer krijgen?" in page.text
    assert "mail als iemand je noemt in een bericht" in page.text
    assert f'<form method="post" action="{url}">' in page.text
    assert choices(app, reader) == ("daily", "immediately", False)  # a GET changes nothing

    done = client.post(url)  # the button: no session, no CSRF token, the link is the key
    assert done.status_code == 200
    assert "Je bent uitgeschreven" in done.text
    assert choices(app, reader) == ("daily", "never", False)

    give_notice(app, reader, MENTION, post)
    run_round(app)
    assert len(smtp_server.to(reader.email)) == 1  # no new mail


def test_one_click_post_stops_at_once_and_the_page_speaks_the_readers_language(
    app, users, post, smtp_server
):
    reader = users.make(email="reader@example.org", name="Reader Ruth")
    set_locale(app, reader, "en")
    choose(app, reader, replies="immediately")
    give_notice(app, reader, REPLY, post)
    run_round(app)
    [mail] = smtp_server.to(reader.email)
    url = link_in(mail)

    # What a mail program sends (RFC 8058): a POST with this body, no cookies.
    answer = app.test_client().post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert '<html lang="en">' in answer.text
    assert choices(app, reader) == ("never", "immediately", False)
    # Twice is fine and changes nothing more.
    assert app.test_client().post(url).status_code == 200
    assert choices(app, reader) == ("never", "immediately", False)


def test_a_digest_link_stops_digests_only(app, client, users, post, smtp_server):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    choose(app, reader, replies="daily", mentions="immediately")
    give_notice(app, reader, REPLY, post)
    run_round(app, local_moment(1, 8))
    [digest] = smtp_server.to(reader.email)
    assert str(digest["Subject"]) == "Je dagelijkse overzicht van Dorpsplein"

    page = client.get(link_in(digest))
    assert "de dagelijkse en wekelijkse overzichten" in page.text
    client.post(link_in(digest))

    assert choices(app, reader) == ("never", "immediately", False)


def test_the_queue_digest_link_turns_the_queue_digest_off(
    app, client, users, moderator, smtp_server
):
    set_site(app, "trust_threshold", "3")
    write_thread(app, users.make(name="Nieuw Lid"), title="Een vraag over oudergesprekken")
    choose(app, moderator, queue_digest=True)
    run_round(app, local_moment(1, 8))
    [digest] = smtp_server.to(moderator.email)

    assert client.post(link_in(digest)).status_code == 200
    assert choices(app, moderator) == ("daily", "immediately", False)


BAD_TOKENS = [
    "onzin",
    "eyJ1IjoxLCJ0IjpbInJlcGxpZXMiXX0.vervalst",
    "x" * 10_000,
    "%E2%9C%89",
    "%00",
    "eyJ1IjoxfQ",
]


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_made_up_or_damaged_link_is_a_404(client, token):
    assert client.get(f"/mail/uitschrijven/{token}").status_code in (400, 404)
    assert client.post(f"/mail/uitschrijven/{token}").status_code in (400, 404)


def test_a_link_cannot_be_changed_to_another_person_or_topic(app, client, users, post, smtp_server):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    other = users.make(email="ander@example.org", name="Ander Anna")
    give_notice(app, reader, MENTION, post)
    run_round(app)
    token = link_in(smtp_server.to(reader.email)[0]).rsplit("/", 1)[1]
    payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert data["u"] == reader.id  # the person and the topic are readable, but signed
    data["u"], data["t"] = other.id, ["replies", "mentions", "digests", "queue"]
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    assert client.post(f"/mail/uitschrijven/{forged}.{signature}").status_code == 404
    assert choices(app, other) == ("daily", "immediately", False)
