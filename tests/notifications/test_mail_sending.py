"""What arrives at a real SMTP server: a notice mail in plain text and HTML, in the reader's
language, escaped, without images, quoting only the title and a short excerpt, with one-click
unsubscribe headers; account mails still leave right after the request; the commands work."""

from __future__ import annotations

import threading

import pytest

from forum.config import build_config
from forum.db import db
from forum.notifications import outbox
from forum.notifications.worker import Worker
from tests.helpers import login, set_site, submit, write_reply, write_thread
from tests.notifications.mail_support import (
    MENTION,
    REPLY,
    choose,
    give_notice,
    outbox_rows,
    parts,
    run_round,
    serve_smtp,
    set_locale,
    wait_for,
)
from tests.notifications.support import reply as reply_through_form
from tests.notifications.support import start_thread


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from serve_smtp(app, monkeypatch)


TITLE = "Ouders <b>betrekken</b> bij het startgesprek"
LONG_REPLY = (
    "Wij beginnen altijd met de vraag wat ouders zelf belangrijk vinden. "
    + "Daarna vertellen we hoe de eerste weken gaan en wat we van het kind zien. " * 6
    + "HET-EINDE-VAN-DE-REACTIE"
)


@pytest.fixture
def reply(app, users):
    set_site(app, "trust_threshold", "0")
    writer = users.make(email="schrijver@example.org", name="Schrijver Sam")
    opening = write_thread(app, writer, title=TITLE)
    answer = write_reply(app, writer, opening.thread_id, body=LONG_REPLY)
    assert answer.status == "approved"
    return answer


def test_an_immediate_mail_is_text_and_html_in_the_readers_language(app, users, reply, smtp_server):
    reader = users.make(email="reader@example.org", name="Reader Ruth")
    set_locale(app, reader, "en")
    choose(app, reader, replies="immediately")
    give_notice(app, reader, REPLY, reply)

    assert run_round(app).sent == 1

    [mail] = smtp_server.to(reader.email)
    text, html = parts(mail)
    assert "Hello Reader Ruth," in text  # the English catalog
    assert '<html lang="en">' in html
    assert f"/bericht/{reply.id}" in text
    assert f"/bericht/{reply.id}" in html
    # Title escaped in the HTML part, never markup.
    assert "Ouders &lt;b&gt;betrekken&lt;/b&gt; bij het startgesprek" in html
    assert "<b>betrekken" not in html
    assert TITLE in str(mail["Subject"])
    # A short excerpt only, and no author.
    assert "Wij beginnen altijd met de vraag" in text
    assert "HET-EINDE-VAN-DE-REACTIE" not in text + html
    assert "Schrijver Sam" not in text + html
    # No images or other remote resources, no tracking.
    assert "<img" not in html
    assert "src=" not in html
    # One-click unsubscribe (RFC 8058), a link that works without logging in.
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(mail["List-Unsubscribe"])
    assert unsubscribe.startswith("<http://127.0.0.1:5000/mail/uitschrijven/")
    assert unsubscribe.endswith(">")
    assert unsubscribe[1:-1] in text
    # On the wire as one plain header line (not encoded words), as mail programs need it.
    assert f"List-Unsubscribe: {unsubscribe}\r\n".encode() in smtp_server.sink.raw[-1]
    assert mail["Auto-Submitted"] == "auto-generated"


def test_a_mention_is_mailed_at_once_by_default_in_dutch_and_only_once(
    app, users, reply, smtp_server
):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, MENTION, reply)  # no settings row: mentions are "immediately"

    run_round(app)
    run_round(app)

    [mail] = smtp_server.to(reader.email)
    assert str(mail["Subject"]) == f"Je bent genoemd in ‘{TITLE}’"
    text, html = parts(mail)
    assert "Hallo Lezer Lot," in text
    assert '<html lang="nl">' in html
    assert "Je wordt genoemd:" in text


def test_several_notices_in_one_round_are_one_mail(app, users, reply, smtp_server):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    choose(app, reader, replies="immediately")
    give_notice(app, reader, REPLY, reply)
    give_notice(app, reader, MENTION, reply)  # the same post: told once, as a mention
    other = write_reply(app, users.make(name="Derde Dirk"), reply.thread_id, body="Ook een idee.")
    give_notice(app, reader, REPLY, other)

    run_round(app)

    [mail] = smtp_server.to(reader.email)
    assert str(mail["Subject"]) == "2 nieuwe meldingen op Dorpsplein"
    text, _html = parts(mail)
    assert text.count("Je wordt genoemd:") == 1
    assert text.count("Nieuwe reactie:") == 1


def test_account_mails_still_leave_right_after_the_request(app, client, member, smtp_server):
    answer = submit(client, "/account/wachtwoord-vergeten", {"email": member.email})
    assert answer.status_code in (200, 302)

    [mail] = smtp_server.to(member.email)
    assert "/account/nieuw-wachtwoord/" in mail.get_content()
    assert [row.sent_at is not None for row in outbox_rows(app)] == [True]


def test_outbox_send_and_worker_once_commands(app, users, reply, smtp_server):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, MENTION, reply)
    with app.app_context():  # queued outside a request: nothing sends it yet
        outbox.enqueue("iemand@example.org", "Welkom", "Welkom op Dorpsplein.")
        db.session.commit()
        db.session.remove()
    runner = app.test_cli_runner()

    status = runner.invoke(args=["outbox", "status"])
    assert "1 waiting, 0 given up" in status.output
    sent = runner.invoke(args=["outbox", "send"])
    assert sent.exit_code == 0
    assert "Sent 1 message(s)." in sent.output
    assert smtp_server.subjects() == ["Welkom"]

    once = runner.invoke(args=["worker", "--once"])
    assert once.exit_code == 0, once.output
    assert "1 notice mail(s) and 0 digest(s) queued, 1 message(s) sent" in once.output
    assert len(smtp_server.to(reader.email)) == 1


def test_the_worker_loop_sends_within_a_round_and_stops_when_asked(app, users, reply, smtp_server):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    stop = threading.Event()
    loop = threading.Thread(target=Worker(app).run, args=(stop, 0.05), daemon=True)
    loop.start()
    try:
        give_notice(app, reader, MENTION, reply)
        wait_for(lambda: len(smtp_server.to(reader.email)) == 1)
    finally:
        stop.set()
        loop.join(timeout=20)
    assert not loop.is_alive()
    assert len(smtp_server.to(reader.email)) == 1


def test_a_reply_in_a_followed_thread_reaches_the_smtp_server(app, users, smtp_server):
    """The journey: Anna starts a thread (and so follows it) and wants replies at once; Bram
    replies through the form; the worker mails Anna, who also has the in-app notice."""
    set_site(app, "trust_threshold", "0")
    anna = users.make(email="anna@example.org", name="Anna")
    bram = users.make(email="bram@example.org", name="Bram")
    anna_client, bram_client = app.test_client(), app.test_client()
    login(anna_client, anna.email)
    login(bram_client, bram.email)
    choice = {"auto_follow": "y", "mail_replies": "immediately", "mail_mentions": "immediately"}
    assert submit(anna_client, "/account/meldingen", choice).status_code == 302
    thread_id = start_thread(anna_client, title="Een vader komt nooit")

    reply_through_form(bram_client, thread_id, body="Bel hem eens op, dat werkte bij ons.")
    assert "Een vader komt nooit" in anna_client.get("/meldingen").text
    run_round(app)

    [mail] = smtp_server.to(anna.email)
    assert str(mail["Subject"]) == "Nieuwe reactie in ‘Een vader komt nooit’"
    text, _html = parts(mail)
    assert "Bel hem eens op, dat werkte bij ons." in text
    assert smtp_server.to(bram.email) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("FORUM_DIGEST_HOUR", "24"), ("FORUM_DIGEST_WEEKDAY", "maandag"), ("FORUM_DIGEST_HOUR", "-1")],
)
def test_a_wrong_digest_setting_stops_the_start_with_its_name(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        build_config(tmp_path)


def test_digest_settings_default_to_seven_on_monday(tmp_path, monkeypatch):
    monkeypatch.delenv("FORUM_DIGEST_HOUR", raising=False)
    monkeypatch.delenv("FORUM_DIGEST_WEEKDAY", raising=False)
    config = build_config(tmp_path)
    assert (config["FORUM_DIGEST_HOUR"], config["FORUM_DIGEST_WEEKDAY"]) == (7, 0)
