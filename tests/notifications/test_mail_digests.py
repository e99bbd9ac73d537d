"""Each person's choice: immediately, a daily digest at the digest hour, a weekly one on the digest
day, or never. A digest is built once per period and never tells about a post the reader may not
see when it is built or sent (hidden or redacted since the notice); with nothing left, no mail.
Moderators who asked for it get the queue digest: a count and the oldest titles, no post text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers import login, set_site, submit, write_reply, write_thread
from tests.notifications.mail_support import (
    AMSTERDAM,
    MENTION,
    REPLY,
    choose,
    give_notice,
    local_moment,
    mailed_at,
    outbox_rows,
    parts,
    run_round,
    serve_smtp,
)


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from serve_smtp(app, monkeypatch)


DAILY = "Je dagelijkse overzicht van Dorpsplein"
WEEKLY = "Je wekelijkse overzicht van Dorpsplein"


@pytest.fixture
def thread(app, users):
    set_site(app, "trust_threshold", "0")
    writer = users.make(email="schrijver@example.org", name="Schrijver Sam")
    opening = write_thread(app, writer, title="Het eerste oudergesprek")
    first = write_reply(app, writer, opening.thread_id, body="Begin met wat goed gaat.")
    second = write_reply(app, writer, opening.thread_id, body="Vraag wat ouders thuis zien.")
    return opening, first, second


@pytest.fixture
def mod_client(app, moderator):
    client = app.test_client()
    login(client, moderator.email)
    return client


def subjects_to(server, person) -> list[str]:
    return [str(mail["Subject"]) for mail in server.to(person.email)]


def test_immediately_daily_weekly_and_never(app, users, thread, smtp_server, monkeypatch):
    _opening, reply, _second = thread
    made = local_moment(1, 6, 0)  # notices made tomorrow at 6:00, before the digest hour
    weekly_day = local_moment(3, 8)
    monkeypatch.setitem(
        app.config, "FORUM_DIGEST_WEEKDAY", weekly_day.astimezone(AMSTERDAM).weekday()
    )
    readers = {}
    for choice in ("immediately", "daily", "weekly", "never"):
        readers[choice] = users.make(email=f"{choice}@example.org", name=f"Lezer {choice}")
        choose(app, readers[choice], replies=choice)
        give_notice(app, readers[choice], REPLY, reply, at=made)
    never_notice = give_notice(app, readers["never"], MENTION, reply, at=made)
    choose(app, readers["never"], replies="never", mentions="never")

    run_round(app, made + timedelta(minutes=1))
    assert subjects_to(smtp_server, readers["immediately"]) == [
        "Nieuwe reactie in ‘Het eerste oudergesprek’"
    ]
    assert len(smtp_server.messages) == 1

    run_round(app, local_moment(1, 6, 59))  # not yet the digest hour
    assert len(smtp_server.messages) == 1
    run_round(app, local_moment(1, 7, 0))
    run_round(app, local_moment(1, 9, 0))  # again the same day: nothing new
    assert subjects_to(smtp_server, readers["daily"]) == [DAILY]
    assert len(smtp_server.messages) == 2

    run_round(app, weekly_day)
    assert subjects_to(smtp_server, readers["weekly"]) == [WEEKLY]
    assert subjects_to(smtp_server, readers["never"]) == []
    assert len(smtp_server.messages) == 3
    assert mailed_at(app, never_notice) is not None  # settled: never mailed later either


def test_the_digest_hour_is_configurable(app, users, thread, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_DIGEST_HOUR", 18)
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, REPLY, thread[1], at=local_moment(1, 12, 0))

    run_round(app, local_moment(1, 17, 59))
    assert subjects_to(smtp_server, reader) == []
    run_round(app, local_moment(1, 18, 0))
    assert subjects_to(smtp_server, reader) == [DAILY]


def test_a_digest_leaves_out_a_post_hidden_after_the_notice(
    app, users, thread, smtp_server, mod_client
):
    _opening, first, second = thread
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, REPLY, first)
    give_notice(app, reader, REPLY, second)

    hidden = submit(mod_client, f"/moderatie/bericht/{first.id}/verbergen", {"reason": "Namen"})
    assert hidden.status_code == 302
    run_round(app, local_moment(1, 8))

    [digest] = smtp_server.to(reader.email)
    text, html = parts(digest)
    assert "Vraag wat ouders thuis zien." in text
    assert f"/bericht/{second.id}" in html
    assert "Begin met wat goed gaat." not in text + html
    assert f"/bericht/{first.id}" not in text + html


def test_a_digest_leaves_out_a_post_redacted_after_the_notice(
    app, users, thread, smtp_server, mod_client
):
    _opening, first, second = thread
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, REPLY, first)
    give_notice(app, reader, REPLY, second)

    item = f"/moderatie/bericht/{first.id}"
    redacted = submit(mod_client, f"{item}/gegevens-weghalen", {"body": "Begin."}, form_url=item)
    assert redacted.status_code == 302
    run_round(app, local_moment(1, 8))

    [digest] = smtp_server.to(reader.email)
    text, _html = parts(digest)
    assert "Vraag wat ouders thuis zien." in text
    assert f"/bericht/{first.id}" not in text


def test_with_nothing_left_to_tell_there_is_no_digest(app, users, thread, smtp_server, mod_client):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    notice = give_notice(app, reader, REPLY, thread[1])
    submit(mod_client, f"/moderatie/bericht/{thread[1].id}/verbergen", {"reason": "Namen"})

    run_round(app, local_moment(1, 8))

    assert smtp_server.to(reader.email) == []
    assert mailed_at(app, notice) is not None
    assert outbox_rows(app) == []


def test_a_notice_read_in_the_forum_is_not_mailed(app, client, users, thread, smtp_server):
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, REPLY, thread[1])
    login(client, reader.email)
    assert submit(client, "/meldingen/gelezen", {}, form_url="/meldingen").status_code == 302

    run_round(app, local_moment(1, 8))

    assert smtp_server.to(reader.email) == []


def test_visibility_is_checked_again_when_the_mail_is_sent(
    app, users, thread, smtp_server, mod_client, monkeypatch
):
    """Built during an outage, sent after it: a post hidden in between is not in the mail."""
    _opening, first, second = thread
    reader = users.make(email="lezer@example.org", name="Lezer Lot")
    give_notice(app, reader, REPLY, first)
    give_notice(app, reader, REPLY, second)
    monkeypatch.setitem(app.config, "FORUM_MAIL_URL", "smtp://127.0.0.1:9")  # nobody listens
    built = local_moment(1, 8)
    run_round(app, built)
    [queued] = outbox_rows(app)
    assert queued.sent_at is None
    assert "Begin met wat goed gaat." in queued.body

    submit(mod_client, f"/moderatie/bericht/{first.id}/verbergen", {"reason": "Namen"})
    monkeypatch.setitem(app.config, "FORUM_MAIL_URL", smtp_server.url)
    run_round(app, built + timedelta(hours=1))

    [digest] = smtp_server.to(reader.email)
    text, html = parts(digest)
    assert "Vraag wat ouders thuis zien." in text
    assert "Begin met wat goed gaat." not in text + html


def test_moderators_queue_digest_counts_and_lists_titles_oldest_first(
    app, users, moderator, smtp_server
):
    set_site(app, "trust_threshold", "3")
    newcomer = users.make(name="Nieuw Lid")
    older = write_thread(app, newcomer, title="Eerste vraag", body="GEHEIME-TEKST-EEN van het lid.")
    newer = write_thread(
        app, newcomer, title="Tweede vraag", body="GEHEIME-TEKST-TWEE van het lid."
    )
    assert older.status == newer.status == "pending"
    choose(app, moderator, queue_digest=True)
    no_digest = users.make(email="mod2@example.org", name="Mo Twee", roles=["moderator"])
    member_asking = users.make(email="lid2@example.org", name="Lid Twee")
    choose(app, member_asking, queue_digest=True)  # not a moderator: gets nothing

    run_round(app, local_moment(1, 8))
    run_round(app, local_moment(1, 12))  # once a day

    [digest] = smtp_server.to(moderator.email)
    assert str(digest["Subject"]) == "2 berichten wachten op beoordeling"
    text, html = parts(digest)
    assert text.index("Eerste vraag") < text.index("Tweede vraag")
    assert f"/moderatie/bericht/{older.id}" in html
    assert "/moderatie/" in text
    assert "GEHEIME-TEKST" not in text + html
    assert "Nieuw Lid" not in text + html
    assert smtp_server.to(no_digest.email) == []
    assert smtp_server.to(member_asking.email) == []


def test_an_empty_queue_sends_no_queue_digest(app, moderator, smtp_server):
    choose(app, moderator, queue_digest=True)
    run_round(app, local_moment(1, 8))
    assert smtp_server.to(moderator.email) == []


def test_redaction_takes_the_passage_out_of_mails_sent_and_queued(
    app, users, smtp_server, mod_client, monkeypatch
):
    """Redaction really removes: a sent mail kept on file is scrubbed (text and HTML part), a
    queued one that quotes the passage is deleted."""
    set_site(app, "trust_threshold", "0")
    writer = users.make(name="Schrijver Sam")
    opening = write_thread(app, writer, title="Een stille leerling")
    answer = write_reply(
        app, writer, opening.thread_id, body="Ik sprak Sanne Jansen over haar dochter."
    )
    item = f"/moderatie/bericht/{answer.id}"
    assert answer.status == "pending"  # the privacy check found the name
    assert submit(mod_client, f"{item}/goedkeuren", {}, form_url=item).status_code == 302
    at_once = users.make(email="meteen@example.org", name="Lezer Meteen")
    choose(app, at_once, replies="immediately")
    give_notice(app, at_once, REPLY, answer)
    run_round(app)
    assert "Sanne Jansen" in parts(smtp_server.to(at_once.email)[0])[1]
    later = users.make(email="later@example.org", name="Lezer Later")
    give_notice(app, later, REPLY, answer)
    monkeypatch.setitem(app.config, "FORUM_MAIL_URL", "smtp://127.0.0.1:9")  # down
    run_round(app, local_moment(1, 8))
    assert len(outbox_rows(app)) == 2

    data = {"body": "Ik sprak een moeder over haar dochter."}
    assert submit(mod_client, f"{item}/gegevens-weghalen", data, form_url=item).status_code == 302

    rows = outbox_rows(app)
    assert [row.to_address for row in rows] == [at_once.email]  # the queued one is gone
    for column in ("subject", "body", "html_body"):
        assert "Sanne" not in (getattr(rows[0], column) or ""), column
