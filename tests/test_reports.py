"""Voorleggen aan een moderator: members bring a post forward, K open reports hide it, moderators
keep, hide or dismiss, and everyone involved hears the outcome."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db, utcnow
from forum.discussions.models import Post
from forum.moderation import reports
from forum.moderation.models import RemovalRequest, Report, ReportReason
from forum.notifications.models import Notification
from tests.helpers import (
    count_queries,
    csrf_token,
    login,
    post_status,
    set_site,
    submit,
    write_reply,
    write_thread,
)

SECRET = "Dit is de tekst van het voorgelegde bericht."


@pytest.fixture
def published(app):
    """Posts are published at once (no trust threshold), so they can be brought forward."""
    set_site(app, "trust_threshold", "0")


@pytest.fixture
def author(users, published):
    return users.make(email="schrijver@example.org", name="Schrijver Sam")


@pytest.fixture
def reply(app, author):
    opening = write_thread(app, author)
    post = write_reply(app, author, opening.thread_id, body=SECRET)
    assert post.status == "approved"
    return post


@pytest.fixture
def reporters(users):
    return [users.make(name=f"Collega {n}") for n in range(3)]


def report(client, post_id: int, reason: str = "identifiable", text: str = ""):
    return submit(client, f"/bericht/{post_id}/voorleggen", {"reason": reason, "text": text})


def report_as(app, person, post_id: int, reason: str = "identifiable", text: str = ""):
    client = app.test_client()
    login(client, person.email)
    return report(client, post_id, reason, text)


def rows(app, model, **where) -> list:
    with app.app_context():
        stmt = sa.select(model).filter_by(**where).order_by(model.id)
        found = db.session.scalars(stmt).unique().all()
        db.session.expunge_all()
    return found


def events(app, user_id: int) -> list[tuple[str, dict]]:
    return [(n.event, n.data) for n in rows(app, Notification, user_id=user_id)]


def actions(app) -> list[str]:
    return [entry.action for entry in rows(app, AuditEntry)]


def decide(client, post_id: int, action: str, reason: str = ""):
    return submit(
        client,
        f"/moderatie/voorgelegd/{post_id}",
        {"action": action, "reason": reason},
        form_url="/moderatie/voorgelegd",
    )


# --- bringing a post forward --------------------------------------------------------------------


def test_member_brings_a_post_forward_and_is_thanked(app, client, reply, member):
    login(client, member.email)
    form = client.get(f"/bericht/{reply.id}/voorleggen")
    assert form.status_code == 200
    for label in ("Bevat herleidbare gegevens", "Zorg over de veiligheid van een kind"):
        assert label in form.text
    assert SECRET in form.text
    response = report(client, reply.id, "identifiable", "Er staat een schoolnaam in.")
    assert response.headers["Location"] == f"/bericht/{reply.id}/voorgelegd"
    thanks = client.get(response.headers["Location"])
    assert "Dank je. Een moderator kijkt ernaar." in thanks.text
    assert "Veilig Thuis" not in thanks.text
    [stored] = rows(app, Report)
    assert (stored.reporter_id, stored.reason, stored.text, stored.status) == (
        member.id,
        "identifiable",
        "Er staat een schoolnaam in.",
        "open",
    )
    assert post_status(app, reply.id) == "approved"


def test_worry_about_a_child_shows_the_safeguarding_signpost(client, reply, member):
    login(client, member.email)
    thanks = client.get(report(client, reply.id, "child_safety").headers["Location"])
    for text in ("Dank je. Een moderator kijkt ernaar.", "geen meldpunt", "Veilig Thuis"):
        assert text in thanks.text
    assert "Meldcode huiselijk geweld en kindermishandeling" in thanks.text
    assert "0800-2000" in thanks.text


def test_something_else_needs_an_explanation(app, client, reply, member):
    login(client, member.email)
    response = report(client, reply.id, "other", "")
    assert response.status_code == 400
    assert "Schrijf kort wat er aan de hand is." in response.text
    assert report(client, reply.id, "nonsense", "x").status_code == 400
    assert rows(app, Report) == []


def test_one_open_report_per_person_per_post(app, client, reply, member, moderator):
    login(client, member.email)
    assert report(client, reply.id).status_code == 302
    again = report(client, reply.id, "spam")
    assert again.status_code == 200
    assert "Je hebt dit bericht al voorgelegd." in again.text
    assert (
        "Je hebt dit bericht al voorgelegd." in client.get(f"/bericht/{reply.id}/voorleggen").text
    )
    assert len(rows(app, Report)) == 1
    # Once a moderator has decided, the same person may bring it forward again.
    moderator_client = app.test_client()
    login(moderator_client, moderator.email)
    decide(moderator_client, reply.id, "dismiss")
    assert report(client, reply.id, "spam").status_code == 302
    assert [r.status for r in rows(app, Report)] == ["dismissed", "open"]


def test_the_unique_index_stops_a_second_open_report_at_the_same_moment(
    app, reply, member, monkeypatch
):
    """Two requests that both passed the check: the partial unique index lets one in."""
    with app.test_request_context():
        post, person = db.session.get(Post, reply.id), db.session.get(User, member.id)
        assert reports.report_post(post, person, ReportReason.SPAM, None).stored
        monkeypatch.setattr(reports, "open_report_of", lambda post, reporter: None)
        assert not reports.report_post(post, person, ReportReason.SPAM, None).stored
        db.session.commit()
        db.session.remove()
    assert len(rows(app, Report)) == 1


def test_three_reports_hide_a_reply_pending_review(app, client, reply, reporters, author):
    for n, person in enumerate(reporters):
        assert post_status(app, reply.id) == "approved", f"hidden after {n} reports"
        assert report_as(app, person, reply.id).status_code == 302
    assert post_status(app, reply.id) == "hidden"
    login(client, reporters[0].email)
    page = client.get(f"/gesprek/{reply.thread_id}")
    assert "Dit bericht is verwijderd door een moderator." in page.text
    assert SECRET not in page.text
    assert events(app, author.id) == [("post_hidden", {"reason": "", "pending_review": True})]
    [entry] = [e for e in rows(app, AuditEntry) if e.action == "post.hidden_by_reports"]
    assert (entry.actor_id, entry.target_id, entry.data) == (None, reply.id, {"reports": 3})


def test_three_reports_on_an_opening_post_hide_the_thread(app, client, author, reporters):
    opening = write_thread(app, author, title="Een gesprek dat verdwijnt")
    for person in reporters:
        report_as(app, person, opening.id)
    assert post_status(app, opening.id) == "hidden"
    login(client, reporters[0].email)
    assert client.get(f"/gesprek/{opening.thread_id}").status_code == 404
    assert "Een gesprek dat verdwijnt" not in client.get("/werkveld/school").text


def test_the_number_of_reports_that_hides_comes_from_the_site_setting(app, reply, reporters):
    set_site(app, "report_limit", "1")
    report_as(app, reporters[0], reply.id)
    assert post_status(app, reply.id) == "hidden"


def test_watched_word_flags_do_not_count_and_show_the_word(app, client, reply, moderator):
    set_site(app, "report_limit", "1")
    with app.app_context():
        db.session.add(
            Report(
                post_id=reply.id,
                reason=ReportReason.OTHER,
                watched_phrase="pesten",
                created_at=utcnow(),
            )
        )
        db.session.commit()
    assert post_status(app, reply.id) == "approved"
    login(client, moderator.email)
    page = client.get("/moderatie/voorgelegd")
    assert "Woord op de lijst: pesten" in page.text
    assert SECRET in page.text


# --- who may bring a post forward ----------------------------------------------------------------


def test_the_author_cannot_bring_their_own_post_forward(client, reply, author):
    login(client, author.email)
    response = client.get(f"/bericht/{reply.id}/voorleggen")
    assert response.status_code == 403
    assert "Je kunt je eigen bericht niet voorleggen." in response.text


def test_a_suspended_member_cannot_bring_a_post_forward(app, client, reply, member):
    with app.app_context():
        db.session.get(User, member.id).suspended_indefinitely = True
        db.session.commit()
    login(client, member.email)
    response = client.get(f"/bericht/{reply.id}/voorleggen")
    assert response.status_code == 403
    assert "geschorst" in response.text


def test_visitors_log_in_first_and_waiting_posts_cannot_be_brought_forward(
    app, client, users, member
):
    newcomer = users.make(name="Nieuw lid")
    waiting = write_thread(app, newcomer)
    assert waiting.status == "pending"
    assert client.get(f"/bericht/{waiting.id}/voorleggen").status_code == 302
    login(client, member.email)
    assert client.get(f"/bericht/{waiting.id}/voorleggen").status_code == 404
    assert client.get("/bericht/999999/voorleggen").status_code == 404


def test_too_many_reports_give_the_friendly_429_page(client, reply, member):
    login(client, member.email)
    token = csrf_token(client.get(f"/bericht/{reply.id}/voorleggen").text)
    data = {"reason": "spam", "text": "", "csrf_token": token}
    answers = [client.post(f"/bericht/{reply.id}/voorleggen", data=data) for _ in range(11)]
    assert [a.status_code for a in answers] == [302] + [200] * 9 + [429]
    assert "Even rustig aan" in answers[-1].text


# --- moderators decide ---------------------------------------------------------------------------


@pytest.fixture
def hidden_by_reports(app, reply, reporters):
    for person in reporters:
        report_as(app, person, reply.id, "identifiable", f"Toelichting van {person.name}")
    assert post_status(app, reply.id) == "hidden"
    return reply


def test_moderators_see_reports_grouped_per_post(app, client, hidden_by_reports, moderator):
    login(client, moderator.email)
    page = client.get("/moderatie/voorgelegd")
    assert page.status_code == 200
    assert page.text.count('class="card report-group"') == 1
    for text in (SECRET, "Collega 0", "Collega 2", "Toelichting van Collega 1", "Schrijver Sam"):
        assert text in page.text
    assert "Verborgen tot een moderator ernaar heeft gekeken." in page.text
    assert "3 keer voorgelegd" in page.text


def test_keeping_puts_a_post_hidden_by_reports_back(
    app, client, hidden_by_reports, moderator, reporters, author
):
    login(client, moderator.email)
    response = decide(client, hidden_by_reports.id, "keep")
    assert response.status_code == 302
    assert post_status(app, hidden_by_reports.id) == "approved"
    assert [r.status for r in rows(app, Report)] == ["kept"] * 3
    assert {r.resolved_by_id for r in rows(app, Report)} == {moderator.id}
    for person in reporters:
        assert events(app, person.id) == [("report_outcome", {"outcome": "kept"})]
    assert [e for e, _ in events(app, author.id)] == ["post_hidden", "post_restored"]
    assert {"reports.kept", "post.restored"} <= set(actions(app))
    assert "Er is niets voorgelegd." in client.get("/moderatie/voorgelegd").text


def test_dismissing_also_puts_it_back(app, client, hidden_by_reports, moderator, reporters):
    login(client, moderator.email)
    decide(client, hidden_by_reports.id, "dismiss")
    assert post_status(app, hidden_by_reports.id) == "approved"
    assert events(app, reporters[0].id) == [("report_outcome", {"outcome": "dismissed"})]
    assert "reports.dismissed" in actions(app)


def test_hiding_tells_the_author_why_and_the_reporter_the_outcome(
    app, client, reply, member, moderator, author
):
    report_as(app, member, reply.id, "disrespectful", "Kwetsend")
    login(client, moderator.email)
    decide(client, reply.id, "hide", "Niet respectvol naar ouders.")
    assert post_status(app, reply.id) == "hidden"
    assert events(app, author.id) == [("post_hidden", {"reason": "Niet respectvol naar ouders."})]
    assert events(app, member.id) == [("report_outcome", {"outcome": "hidden"})]
    [entry] = [e for e in rows(app, AuditEntry) if e.action == "reports.hidden"]
    assert (entry.actor_id, entry.reason) == (moderator.id, "Niet respectvol naar ouders.")
    assert "post.hidden" in actions(app)
    # A post a moderator hid stays hidden when later reports are dismissed.
    with app.test_request_context():
        post = db.session.get(Post, reply.id)
        assert not reports.hidden_by_reports(post)


def test_keeping_reports_does_not_undo_a_removal_request(app, client, reply, member, moderator):
    report_as(app, member, reply.id)
    visitor = app.test_client()
    submit(visitor, "/verwijderverzoek", {"post": str(reply.id), "reason": "Mijn kind."})
    assert post_status(app, reply.id) == "hidden"
    login(client, moderator.email)
    decide(client, reply.id, "keep")
    assert post_status(app, reply.id) == "hidden"
    assert [r.status for r in rows(app, RemovalRequest)] == ["open"]


def test_the_second_moderator_is_told_who_was_first(
    app, client, hidden_by_reports, moderator, users, reporters
):
    other = users.make(name="Moderator Noor", roles=["moderator"])
    second = app.test_client()
    login(client, moderator.email)
    login(second, other.email)
    token_first = csrf_token(client.get("/moderatie/voorgelegd").text)
    token_second = csrf_token(second.get("/moderatie/voorgelegd").text)
    url = f"/moderatie/voorgelegd/{hidden_by_reports.id}"
    client.post(url, data={"action": "keep", "csrf_token": token_first})
    late = second.post(url, data={"action": "hide", "csrf_token": token_second})
    assert "Dit was al afgehandeld door Moderator Mo." in second.get(late.headers["Location"]).text
    assert post_status(app, hidden_by_reports.id) == "approved"
    assert [a for a in actions(app) if a.startswith("reports.")] == ["reports.kept"]
    assert events(app, reporters[1].id) == [("report_outcome", {"outcome": "kept"})]


def test_only_moderators_reach_the_reports_pages(app, client, hidden_by_reports, member):
    assert client.get("/moderatie/voorgelegd").status_code == 302  # visitor: log in
    login(client, member.email)
    assert client.get("/moderatie/voorgelegd").status_code == 403
    token = csrf_token(client.get("/").text)
    url = f"/moderatie/voorgelegd/{hidden_by_reports.id}"
    assert client.post(url, data={"action": "keep", "csrf_token": token}).status_code == 403
    assert post_status(app, hidden_by_reports.id) == "hidden"


def test_a_bad_action_changes_nothing(app, client, hidden_by_reports, moderator):
    login(client, moderator.email)
    response = decide(client, hidden_by_reports.id, "delete-everything")
    assert response.status_code == 302
    assert [r.status for r in rows(app, Report)] == ["open"] * 3
    response = decide(client, hidden_by_reports.id, "hide", "x\x00y")
    assert "nul-byte" in client.get(response.headers["Location"]).text
    assert [r.status for r in rows(app, Report)] == ["open"] * 3


def test_report_texts_are_shown_as_text(app, client, reply, member, moderator):
    report_as(app, member, reply.id, "other", "<script>alert('x')</script>")
    login(client, moderator.email)
    page = client.get("/moderatie/voorgelegd")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text


def test_the_reports_page_takes_the_same_number_of_queries_for_more_posts(
    app, client, author, users, moderator
):
    people = [users.make(name=f"Lezer {n}") for n in range(2)]
    login(client, moderator.email)

    def queries_for_page() -> int:
        with count_queries(app) as statements:
            assert client.get("/moderatie/voorgelegd").status_code == 200
        return len(statements)

    opening = write_thread(app, author)
    report_as(app, people[0], opening.id)
    one = queries_for_page()
    for n in range(4):
        post = write_reply(app, author, opening.thread_id, body=f"Reactie {n}")
        for person in people:
            report_as(app, person, post.id, "spam")
    assert queries_for_page() == one
    assert (
        len(re.findall('class="card report-group"', client.get("/moderatie/voorgelegd").text)) == 5
    )
