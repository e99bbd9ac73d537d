"""The request id travels with the mails a request causes: stored with the queued mail, sent as
its X-Request-Id header, and named in the log line of the sender (the worker or the request)."""

from __future__ import annotations

import logging

import pytest

from tests.helpers import login, set_site, submit
from tests.notifications.mail_support import choose, outbox_rows, run_round, serve_smtp
from tests.notifications.support import key as submission_key
from tests.notifications.support import start_thread


@pytest.fixture
def smtp_server(app, monkeypatch):
    yield from serve_smtp(app, monkeypatch)


def sent_lines(caplog) -> list[tuple[str, str | None]]:
    return [
        (record.getMessage(), getattr(record, "request_id", None))
        for record in caplog.records
        if record.name == "forum.mail" and record.getMessage().endswith(" sent")
    ]


def test_a_reply_carries_its_request_id_into_the_notice_mail(app, users, smtp_server, caplog):
    set_site(app, "trust_threshold", "0")
    starter = users.make(email="starter@example.org", name="Starter Sanne")
    choose(app, starter, replies="immediately")
    starter_client = app.test_client()
    login(starter_client, starter.email)
    thread_id = start_thread(starter_client)  # starting it follows it
    writer = users.make(email="schrijver@example.org", name="Schrijver Sam")
    writer_client = app.test_client()
    login(writer_client, writer.email)

    posted = submit(
        writer_client,
        f"/gesprek/{thread_id}/reageren",
        {"body": "Bij ons helpt een kort telefoontje vooraf.", "submission_key": submission_key()},
        form_url=f"/gesprek/{thread_id}",
        headers={"X-Request-Id": "proxy-reply-0042"},
    )
    assert posted.status_code == 302
    assert posted.headers["X-Request-Id"] == "proxy-reply-0042"

    caplog.set_level(logging.INFO, logger="forum.mail")
    assert run_round(app).sent == 1  # the worker builds and sends the notice mail

    [row] = outbox_rows(app)
    assert row.to_address == starter.email
    assert row.request_id == "proxy-reply-0042"
    [mail] = smtp_server.to(starter.email)
    assert mail["X-Request-Id"] == "proxy-reply-0042"
    assert sent_lines(caplog) == [(f"mail {row.id} sent", "proxy-reply-0042")]


def test_an_account_mail_sent_after_the_request_has_its_id(
    app, client, member, smtp_server, caplog
):
    caplog.set_level(logging.INFO, logger="forum.mail")
    answer = submit(
        client,
        "/account/wachtwoord-vergeten",
        {"email": member.email},
        headers={"X-Request-Id": "reset-7"},
    )
    assert answer.headers["X-Request-Id"] == "reset-7"
    [mail] = smtp_server.to(member.email)
    assert mail["X-Request-Id"] == "reset-7"
    [row] = outbox_rows(app)
    assert row.request_id == "reset-7"
    [(message, request_id)] = sent_lines(caplog)
    assert request_id == "reset-7"
    assert member.email not in message  # the id, never the address


def test_a_mail_about_notices_of_several_requests_names_none(app, users, smtp_server):
    set_site(app, "trust_threshold", "0")
    starter = users.make(email="starter@example.org", name="Starter Sanne")
    choose(app, starter, replies="immediately")
    starter_client = app.test_client()
    login(starter_client, starter.email)
    thread_id = start_thread(starter_client)
    writer_client = app.test_client()
    login(writer_client, users.make(email="schrijver@example.org", name="Schrijver Sam").email)
    for number in (1, 2):
        submit(
            writer_client,
            f"/gesprek/{thread_id}/reageren",
            {"body": f"Reactie nummer {number}.", "submission_key": submission_key()},
            form_url=f"/gesprek/{thread_id}",
            headers={"X-Request-Id": f"reply-{number}"},
        )
    assert run_round(app).sent == 1
    [row] = outbox_rows(app)
    assert row.request_id is None
    assert smtp_server.to(starter.email)[0]["X-Request-Id"] is None
