"""Removal requests without an account: a parent asks for a post to go, it is hidden at once, a
moderator decides and the outcome is recorded. Nothing reveals which posts exist."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.moderation.models import RemovalRequest
from forum.moderation.report_forms import post_id_from
from forum.notifications.models import Notification
from tests.helpers import (
    csrf_token,
    login,
    post_status,
    set_site,
    submit,
    write_reply,
    write_thread,
)

SECRET = "Een verhaal over een jongen uit de klas."
CONFIRMATION = "Dank je. We hebben je verzoek ontvangen."
WHY = "Ik herken mijn zoon in dit verhaal."


@pytest.fixture
def author(users, app):
    set_site(app, "trust_threshold", "0")
    return users.make(email="schrijver@example.org", name="Schrijver Sam")


@pytest.fixture
def reply(app, author):
    opening = write_thread(app, author)
    return write_reply(app, author, opening.thread_id, body=SECRET)


def ask(client, post: str, reason: str = WHY, contact: str = ""):
    return submit(client, "/verwijderverzoek", {"post": post, "reason": reason, "contact": contact})


def rows(app, model) -> list:
    with app.app_context():
        found = db.session.scalars(sa.select(model).order_by(model.id)).unique().all()
        db.session.expunge_all()
    return found


def decide(client, request_id: int, action: str, outcome: str = ""):
    return submit(
        client,
        f"/moderatie/verwijderverzoeken/{request_id}",
        {"action": action, "outcome_text": outcome},
        form_url="/moderatie/verwijderverzoeken",
    )


# --- asking ---------------------------------------------------------------------------------------


def test_the_page_explains_the_forum_to_parents(client, reply):
    page = client.get(f"/verwijderverzoek?bericht={reply.id}")
    assert page.status_code == 200
    assert "Namen van kinderen en ouders mogen hier niet." in page.text
    assert "Je hebt geen account nodig." in page.text
    assert f'value="{reply.id}"' in page.text  # filled in from the link under the post


def test_a_visitor_request_hides_the_post_at_once(app, client, reply, member, author):
    response = ask(client, str(reply.id), contact="ouder@example.org")
    assert response.headers["Location"] == "/verwijderverzoek/ontvangen"
    assert CONFIRMATION in client.get(response.headers["Location"]).text
    assert post_status(app, reply.id) == "hidden"
    [stored] = rows(app, RemovalRequest)
    assert (stored.post_id, stored.reason, stored.contact) == (reply.id, WHY, "ouder@example.org")
    assert (stored.previous_status, stored.status) == ("approved", "open")
    [entry] = [e for e in rows(app, AuditEntry) if e.target_type == "post"]
    assert (entry.action, entry.actor_id) == ("post.hidden_by_removal_request", None)
    assert WHY not in str(entry.data)
    assert "ouder@" not in str(entry.data)
    [notice] = [n for n in rows(app, Notification) if n.user_id == author.id]
    assert (notice.event, notice.data) == ("post_hidden", {"reason": "", "pending_review": True})
    login(client, member.email)
    page = client.get(f"/gesprek/{reply.thread_id}")
    assert SECRET not in page.text
    assert "Dit bericht is verwijderd door een moderator." in page.text


def test_a_signed_in_member_can_ask_too(app, client, reply, member):
    login(client, member.email)
    ask(client, f"/bericht/{reply.id}")
    assert post_status(app, reply.id) == "hidden"


@pytest.mark.parametrize(
    "ref",
    [
        "https://dorpsplein.nl/gesprek/{thread}#bericht-{post}",
        "/gesprek/{thread}?page=2#bericht-{post}",
        "https://dorpsplein.nl/bericht/{post}",
        "dorpsplein.nl/bericht/{post}/",
        "/bericht/{post}",
        "{post}",
        "#{post}",
        "  {post}  ",
    ],
)
def test_links_and_numbers_are_understood(app, client, reply, ref):
    ask(client, ref.format(thread=reply.thread_id, post=reply.id))
    assert post_status(app, reply.id) == "hidden"


@pytest.mark.parametrize("status", ["unknown", "pending", "hidden"])
def test_posts_that_are_not_visible_get_the_same_answer_and_nothing_changes(
    app, client, users, reply, status
):
    if status == "unknown":
        target = 987654
    elif status == "pending":
        set_site(app, "trust_threshold", "3")
        target = write_thread(app, users.make(name="Nieuwer")).id
        assert post_status(app, target) == "pending"
    else:
        ask(app.test_client(), str(reply.id))
        target = reply.id
    before = rows(app, RemovalRequest)
    response = ask(client, str(target))
    assert response.headers["Location"] == "/verwijderverzoek/ontvangen"
    assert len(rows(app, RemovalRequest)) == len(before)
    if status == "pending":
        assert post_status(app, target) == "pending"


@pytest.mark.parametrize(
    "ref",
    [
        "abc",
        "/gesprek/12",
        "javascript:alert(1)",
        "http://[::1",
        "99999999999",
        "0",
        "/bericht/-3",
        "/bericht/12/../../etc",
        "1" * 600,
        "bericht 12 en 13",
    ],
)
def test_garbage_post_references_are_a_form_error(app, client, reply, ref):
    response = ask(client, ref)
    assert response.status_code == 400
    assert "Dit is geen link of nummer van een bericht." in response.text
    assert rows(app, RemovalRequest) == []
    assert post_status(app, reply.id) == "approved"


def test_bad_text_is_a_form_error_never_a_crash(app, client, reply):
    assert ask(client, str(reply.id), reason="").status_code == 400
    assert ask(client, str(reply.id), reason="x" * 2001).status_code == 400
    nul = ask(client, str(reply.id), reason="mijn\x00kind")
    assert nul.status_code == 400
    assert "nul-byte" in nul.text
    assert ask(client, f"{reply.id}\x00").status_code == 400
    assert ask(client, str(reply.id), contact="geen contact").status_code == 400
    assert ask(client, str(reply.id), contact="x" * 255).status_code == 400
    token = csrf_token(client.get("/verwijderverzoek").text)
    huge = {"post": str(reply.id), "reason": "x" * 2_000_000, "csrf_token": token}
    assert client.post("/verwijderverzoek", data=huge).status_code == 413
    assert client.get("/verwijderverzoek?bericht=1%00").status_code == 400
    assert rows(app, RemovalRequest) == []
    assert post_status(app, reply.id) == "approved"
    assert ask(client, str(reply.id), contact="06-12345678").status_code == 302


def test_requests_are_rate_limited_per_address(app, client, author):
    opening = write_thread(app, author)
    replies = [write_reply(app, author, opening.thread_id, body=f"R {n}") for n in range(6)]
    answers = [ask(client, str(post.id)).status_code for post in replies]
    assert answers == [302] * 5 + [429]
    assert post_status(app, replies[-1].id) == "approved"


def test_the_post_reference_parser():
    assert post_id_from("https://x.nl/gesprek/1#bericht-22") == 22
    assert post_id_from("https://x.nl/bericht/22/voorleggen") == 22
    assert post_id_from(str(2**31)) is None
    assert post_id_from("/werkveld/bericht/3x") is None


# --- moderators decide ---------------------------------------------------------------------------


@pytest.fixture
def asked(app, reply):
    ask(app.test_client(), str(reply.id), contact="06 1234 5678")
    [request] = rows(app, RemovalRequest)
    return request


def test_moderators_see_the_request_with_the_contact(app, client, asked, moderator, member):
    assert client.get("/moderatie/verwijderverzoeken").status_code == 302  # visitor: log in
    members = app.test_client()
    login(members, member.email)
    assert members.get("/moderatie/verwijderverzoeken").status_code == 403
    login(client, moderator.email)
    page = client.get("/moderatie/verwijderverzoeken")
    for text in (WHY, "06 1234 5678", SECRET, "Verwijderd laten", "Terugzetten"):
        assert text in page.text


def test_removed_keeps_the_post_hidden_and_records_the_outcome(app, client, asked, moderator):
    login(client, moderator.email)
    decide(client, asked.id, "removed", "Herkenbaar, weggehaald.")
    [request] = rows(app, RemovalRequest)
    assert (request.status, request.outcome, request.resolved_by_id) == (
        "removed",
        "Herkenbaar, weggehaald.",
        moderator.id,
    )
    assert request.resolved_at is not None
    assert post_status(app, asked.post_id) == "hidden"
    assert "removal_request.removed" in [e.action for e in rows(app, AuditEntry)]
    page = client.get("/moderatie/verwijderverzoeken")
    assert "Verwijderd gelaten" in page.text
    assert "door Moderator Mo" in page.text


def test_restoring_needs_an_outcome_and_puts_the_post_back(app, client, asked, moderator, author):
    login(client, moderator.email)
    response = decide(client, asked.id, "restored")
    assert (
        "Schrijf kort waarom het bericht terug kan."
        in client.get(response.headers["Location"]).text
    )
    assert post_status(app, asked.post_id) == "hidden"
    decide(client, asked.id, "restored", "Niet herleidbaar.")
    assert post_status(app, asked.post_id) == "approved"
    [request] = rows(app, RemovalRequest)
    assert (request.status, request.outcome) == ("restored", "Niet herleidbaar.")
    author_events = [n.event for n in rows(app, Notification) if n.user_id == author.id]
    assert author_events == ["post_hidden", "post_restored"]
    assert {"removal_request.restored", "post.restored"} <= {
        e.action for e in rows(app, AuditEntry)
    }


def test_edited_puts_the_post_back_and_a_second_decision_is_refused(
    app, client, asked, moderator, users
):
    login(client, moderator.email)
    decide(client, asked.id, "edited", "Naam weggehaald.")
    assert post_status(app, asked.post_id) == "approved"
    other = app.test_client()
    login(other, users.make(name="Moderator Noor", roles=["moderator"]).email)
    token = csrf_token(other.get("/moderatie/verwijderverzoeken").text)
    late = other.post(
        f"/moderatie/verwijderverzoeken/{asked.id}",
        data={"action": "removed", "outcome_text": "", "csrf_token": token},
    )
    assert "Dit was al afgehandeld door Moderator Mo." in other.get(late.headers["Location"]).text
    assert post_status(app, asked.post_id) == "approved"
    assert [r.status for r in rows(app, RemovalRequest)] == ["edited"]


def test_open_requests_are_listed_first(app, client, author, moderator):
    opening = write_thread(app, author)
    first, second = (write_reply(app, author, opening.thread_id, body=f"R {n}") for n in range(2))
    visitor = app.test_client()
    ask(visitor, str(first.id), reason="Eerste verzoek")
    ask(visitor, str(second.id), reason="Tweede verzoek")
    login(client, moderator.email)
    [request_one, _] = rows(app, RemovalRequest)
    decide(client, request_one.id, "removed")
    page = client.get("/moderatie/verwijderverzoeken").text
    assert page.index("Tweede verzoek") < page.index("Eerste verzoek")
