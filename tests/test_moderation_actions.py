"""Moderator actions through the real forms: lock, pin, move, hide, restore; suspending people and
"always moderate"; who may do what, audit entries, the author's notifications and counters."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, Thread
from forum.moderation import actions
from forum.moderation.models import RemovalRequest
from forum.notifications.models import FOLLOWING_EVENTS, Notification
from tests.helpers import (
    csrf_token,
    login,
    post_status,
    set_site,
    submit,
    write_reply,
    write_thread,
)

pytestmark = pytest.mark.usefixtures("trusted_writers")


@pytest.fixture
def trusted_writers(app):
    """Posts publish at once, so threads are listed and counted."""
    set_site(app, "trust_threshold", "0")


@pytest.fixture
def mod_client(app, moderator):
    client = app.test_client()
    login(client, moderator.email)
    return client


@pytest.fixture
def member_client(app, member):
    client = app.test_client()
    login(client, member.email)
    return client


def press(client, url: str, page: str, **data):
    """Press a button (a POST form) with the CSRF token of ``page``."""
    return submit(client, url, data, form_url=page)


def expect(response, status: int, *texts: str) -> None:
    assert (response.status_code, [t for t in texts if t not in response.text]) == (status, [])


def reply(client, thread_id: int, body: str = "Herkenbaar, bij ons ook."):
    data = {"body": body, "submission_key": secrets.token_hex(16)}
    return submit(client, f"/gesprek/{thread_id}/reageren", data, form_url=f"/gesprek/{thread_id}")


def new_thread(client):
    data = {
        "setting": "1",
        "kind": "question",
        "title": "Een vraag over oudergesprekken",
        "body": "Hoe bereid je je voor?",
        "submission_key": secrets.token_hex(16),
    }
    return submit(client, "/gesprek/nieuw", data)


def audit_actions(app, target_type: str | None = None) -> list[tuple]:
    with app.app_context():
        stmt = sa.select(AuditEntry).order_by(AuditEntry.id)
        if target_type:
            stmt = stmt.where(AuditEntry.target_type == target_type)
        rows = [(e.actor_id, e.action, e.target_id, e.reason) for e in db.session.scalars(stmt)]
        db.session.remove()
    return rows


def notifications(app, user_id: int) -> list[tuple]:
    with app.app_context():
        rows = [
            (n.event, n.thread_id, n.post_id, n.data)
            for n in db.session.scalars(
                sa.select(Notification)
                .where(Notification.user_id == user_id)
                # Authors follow their threads: replies they hear of are not moderation notices.
                .where(Notification.event.not_in(FOLLOWING_EVENTS))
                .order_by(Notification.id)
            )
        ]
        db.session.remove()
    return rows


def thread_row(app, thread_id: int) -> dict:
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        row = {
            "locked": thread.locked,
            "pinned": thread.pinned,
            "setting_id": thread.setting_id,
            "status": thread.status.value,
            "reply_count": thread.reply_count,
        }
        db.session.remove()
    return row


def read_counters(times: bool) -> dict:
    settings = {
        s.id: (s.thread_count, s.post_count, *((s.last_activity_at,) if times else ()))
        for s in db.session.scalars(sa.select(Setting))
    }
    threads = {
        t.id: (t.reply_count, *((t.last_activity_at,) if times else ()))
        for t in db.session.scalars(sa.select(Thread))
    }
    return {"settings": settings, "threads": threads}


def counters(app, times: bool = True) -> dict:
    """Thread and werkveld counters as stored (with the last-activity moments when ``times``).

    Hiding a post leaves last activity as it was (only ``recount`` moves it back), so tests of
    hiding compare the counts only.
    """
    with app.app_context():
        rows = read_counters(times)
        db.session.remove()
    return rows


def recounted(app, times: bool = True) -> dict:
    """What ``flask recount`` makes of the counters (rolled back afterwards)."""
    with app.app_context():
        services.recount()
        rows = read_counters(times)
        db.session.rollback()
        db.session.remove()
    return rows


def user_value(app, user_id: int, name: str):
    with app.app_context():
        value = getattr(db.session.get(User, user_id), name)
        db.session.remove()
    return value


# --- who may act ----------------------------------------------------------------------------

ACTION_URLS = [
    "/moderatie/gesprek/{thread}/sluiten",
    "/moderatie/gesprek/{thread}/openen",
    "/moderatie/gesprek/{thread}/vastzetten",
    "/moderatie/gesprek/{thread}/losmaken",
    "/moderatie/gesprek/{thread}/verplaatsen",
    "/moderatie/bericht/{post}/verbergen",
    "/moderatie/bericht/{post}/terugzetten",
    "/moderatie/persoon/{person}/schorsen",
    "/moderatie/persoon/{person}/schorsing-opheffen",
    "/moderatie/persoon/{person}/altijd-beoordelen",
]


@pytest.mark.parametrize("url", ACTION_URLS)
def test_members_cannot_act_even_with_a_valid_token(app, member_client, member, users, url):
    other = users.make()
    ref = write_thread(app, other)
    page = f"/gesprek/{ref.thread_id}"
    target = url.format(thread=ref.thread_id, post=ref.id, person=other.id)
    response = press(
        member_client, target, page, reason="Weg ermee", setting="2", period="indefinite"
    )
    assert response.status_code in (403, 404)
    assert thread_row(app, ref.thread_id)["locked"] is False
    assert post_status(app, ref.id) == "approved"
    assert user_value(app, other.id, "suspended_indefinitely") is False
    assert audit_actions(app) == []


def test_visitors_are_sent_to_log_in(app, client, member):
    ref = write_thread(app, member)
    response = client.get(f"/moderatie/persoon/{member.id}")
    assert response.status_code == 302
    assert "/account/inloggen" in response.headers["Location"]
    response = client.post(f"/moderatie/gesprek/{ref.thread_id}/sluiten")
    assert response.status_code in (302, 400)
    assert thread_row(app, ref.thread_id)["locked"] is False


def test_member_cannot_open_the_person_page(member_client, users):
    other = users.make()
    expect(member_client.get(f"/moderatie/persoon/{other.id}"), 403, "moderatoren")


def test_unknown_ids_are_404(mod_client):
    assert mod_client.get("/moderatie/persoon/99999").status_code == 404
    assert mod_client.get("/moderatie/bericht/99999/verbergen").status_code == 404
    assert mod_client.get("/moderatie/gesprek/99999/verplaatsen").status_code == 404
    assert mod_client.get("/moderatie/persoon/99999999999999").status_code == 404


def test_missing_csrf_token_changes_nothing(app, mod_client, member):
    ref = write_thread(app, member)
    assert mod_client.post(f"/moderatie/gesprek/{ref.thread_id}/sluiten").status_code == 400
    assert thread_row(app, ref.thread_id)["locked"] is False


# --- threads --------------------------------------------------------------------------------


def test_lock_stops_replies_and_unlock_opens_again(
    app, mod_client, member_client, moderator, member, users
):
    author = users.make()
    ref = write_thread(app, author)
    page = f"/gesprek/{ref.thread_id}"
    response = press(mod_client, f"/moderatie/gesprek/{ref.thread_id}/sluiten", page)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(page)
    expect(mod_client.get(page), 200, "Het gesprek is gesloten")
    assert thread_row(app, ref.thread_id)["locked"] is True
    expect(reply(member_client, ref.thread_id), 403, "gesloten")

    press(mod_client, f"/moderatie/gesprek/{ref.thread_id}/openen", page)
    assert thread_row(app, ref.thread_id)["locked"] is False
    assert reply(member_client, ref.thread_id).status_code == 302

    assert audit_actions(app, "thread") == [
        (moderator.id, "thread.locked", ref.thread_id, None),
        (moderator.id, "thread.unlocked", ref.thread_id, None),
    ]
    assert notifications(app, author.id) == [("thread_locked", ref.thread_id, None, {})]


def test_locking_twice_says_it_is_already_locked(app, mod_client, member):
    ref = write_thread(app, member)
    page = f"/gesprek/{ref.thread_id}"
    press(mod_client, f"/moderatie/gesprek/{ref.thread_id}/sluiten", page)
    again = press(mod_client, f"/moderatie/gesprek/{ref.thread_id}/sluiten", page)
    assert again.status_code == 302
    expect(mod_client.get(page), 200, "al gesloten")
    assert len(audit_actions(app, "thread")) == 1


def test_pin_puts_a_thread_first(app, mod_client, member, moderator):
    first = write_thread(app, member, title="Het oudste gesprek")
    write_thread(app, member, title="Een nieuwer gesprek")
    listing = mod_client.get("/werkveld/school").text
    assert listing.index("Een nieuwer gesprek") < listing.index("Het oudste gesprek")

    press(
        mod_client,
        f"/moderatie/gesprek/{first.thread_id}/vastzetten",
        f"/gesprek/{first.thread_id}",
    )
    listing = mod_client.get("/werkveld/school").text
    assert listing.index("Het oudste gesprek") < listing.index("Een nieuwer gesprek")

    press(
        mod_client, f"/moderatie/gesprek/{first.thread_id}/losmaken", f"/gesprek/{first.thread_id}"
    )
    listing = mod_client.get("/werkveld/school").text
    assert listing.index("Een nieuwer gesprek") < listing.index("Het oudste gesprek")
    assert [a[1] for a in audit_actions(app, "thread")] == ["thread.pinned", "thread.unpinned"]


def test_move_keeps_counters_right_on_both_werkvelden(app, mod_client, moderator, users):
    author, other = users.make(), users.make()
    moved = write_thread(app, author, title="Dit gesprek gaat verhuizen")
    write_reply(app, other, moved.thread_id)
    write_reply(app, other, moved.thread_id)
    stays = write_thread(app, other, title="Dit gesprek blijft")
    write_thread(app, other, title="Al in kinderopvang", setting_id=2)
    before = counters(app)
    assert before["settings"][1][:2] == (2, 4)

    form = mod_client.get(f"/moderatie/gesprek/{moved.thread_id}/verplaatsen")
    expect(form, 200, "Kinderopvang", "Wijk")
    assert 'value="1"' not in re.search(r"<select.*?</select>", form.text, re.S).group(0)
    response = submit(
        mod_client,
        f"/moderatie/gesprek/{moved.thread_id}/verplaatsen",
        {"setting": "2", "reason": "Hoort bij de opvang"},
    )
    assert response.status_code == 302
    assert thread_row(app, moved.thread_id)["setting_id"] == 2

    after = counters(app)
    assert after["settings"][1][:2] == (1, 1)
    assert after["settings"][2][:2] == (2, 4)
    assert after == recounted(app)
    assert "Dit gesprek gaat verhuizen" in mod_client.get("/werkveld/childcare").text
    assert "Dit gesprek gaat verhuizen" not in mod_client.get("/werkveld/school").text
    assert stays.thread_id != moved.thread_id

    assert audit_actions(app, "thread") == [
        (moderator.id, "thread.moved", moved.thread_id, "Hoort bij de opvang")
    ]
    assert notifications(app, author.id) == [
        ("thread_moved", moved.thread_id, None, {"setting": "Kinderopvang"})
    ]


def test_moving_a_waiting_thread_changes_no_counts(app, mod_client, member):
    set_site(app, "trust_threshold", "3")
    waiting = write_thread(app, member)
    assert waiting.status == "pending"
    before = counters(app)
    submit(mod_client, f"/moderatie/gesprek/{waiting.thread_id}/verplaatsen", {"setting": "3"})
    assert thread_row(app, waiting.thread_id)["setting_id"] == 3
    assert counters(app) == before == recounted(app)


def test_move_to_an_archived_or_unknown_werkveld_is_refused(app, mod_client, member):
    ref = write_thread(app, member)
    with app.app_context():
        db.session.get(Setting, 3).archived = True
        db.session.commit()
    url = f"/moderatie/gesprek/{ref.thread_id}/verplaatsen"
    for target in ("3", "1", "77", "x"):
        response = submit(mod_client, url, {"setting": target})
        assert response.status_code == 400, target
    assert thread_row(app, ref.thread_id)["setting_id"] == 1
    assert audit_actions(app) == []


# --- posts ----------------------------------------------------------------------------------


def test_hide_and_restore_a_reply_with_counters(app, mod_client, member_client, moderator, users):
    author = users.make()
    ref = write_thread(app, users.make())
    answer = write_reply(app, author, ref.thread_id, body="Een reactie die verdwijnt.")
    page = f"/gesprek/{ref.thread_id}"
    hide_url = f"/moderatie/bericht/{answer.id}/verbergen"

    expect(mod_client.get(hide_url), 200, "Een reactie die verdwijnt.", 'name="reason"')
    missing = submit(mod_client, hide_url, {"reason": "  "})
    expect(missing, 400, "Geef een reden op")
    assert post_status(app, answer.id) == "approved"

    response = submit(mod_client, hide_url, {"reason": "Noemt een leerling bij naam"})
    assert response.status_code == 302
    assert post_status(app, answer.id) == "hidden"
    assert thread_row(app, ref.thread_id)["reply_count"] == 0
    assert counters(app, times=False) == recounted(app, times=False)
    member_view = member_client.get(page).text
    assert "verwijderd door een moderator" in member_view
    assert "Een reactie die verdwijnt." not in member_view

    press(mod_client, f"/moderatie/bericht/{answer.id}/terugzetten", page)
    assert post_status(app, answer.id) == "approved"
    assert thread_row(app, ref.thread_id)["reply_count"] == 1
    assert counters(app, times=False) == recounted(app, times=False)
    assert "Een reactie die verdwijnt." in member_client.get(page).text

    assert audit_actions(app, "post") == [
        (moderator.id, "post.hidden", answer.id, "Noemt een leerling bij naam"),
        (moderator.id, "post.restored", answer.id, None),
    ]
    assert notifications(app, author.id) == [
        ("post_hidden", ref.thread_id, answer.id, {"reason": "Noemt een leerling bij naam"}),
        ("post_restored", ref.thread_id, answer.id, {}),
    ]


def test_hiding_the_opening_post_hides_the_thread(app, mod_client, member_client, users):
    author = users.make()
    ref = write_thread(app, author, title="Een gesprek dat verdwijnt")
    write_reply(app, users.make(), ref.thread_id)
    submit(mod_client, f"/moderatie/bericht/{ref.id}/verbergen", {"reason": "Herleidbaar"})
    assert thread_row(app, ref.thread_id)["status"] == "hidden"
    assert counters(app, times=False)["settings"][1] == (0, 0)
    assert counters(app, times=False) == recounted(app, times=False)
    assert "Een gesprek dat verdwijnt" not in member_client.get("/werkveld/school").text
    assert member_client.get(f"/gesprek/{ref.thread_id}").status_code == 404

    press(mod_client, f"/moderatie/bericht/{ref.id}/terugzetten", f"/gesprek/{ref.thread_id}")
    assert counters(app, times=False)["settings"][1] == (1, 2)
    assert counters(app, times=False) == recounted(app, times=False)
    assert "Een gesprek dat verdwijnt" in member_client.get("/werkveld/school").text


def test_two_moderators_hiding_the_same_post_one_wins(app, mod_client, moderator, users):
    other_mod = users.make(name="Moderator Mia", roles=["moderator"])
    second = app.test_client()
    login(second, other_mod.email)
    ref = write_thread(app, users.make())
    answer = write_reply(app, users.make(), ref.thread_id)
    url = f"/moderatie/bericht/{answer.id}/verbergen"
    # Both open the form; then both send it.
    first_page, second_page = mod_client.get(url), second.get(url)
    won = mod_client.post(url, data={"reason": "Eerst", "csrf_token": csrf_token(first_page.text)})
    lost = second.post(url, data={"reason": "Later", "csrf_token": csrf_token(second_page.text)})
    assert won.status_code == lost.status_code == 302
    expect(
        second.get(lost.headers["Location"], follow_redirects=True),
        200,
        "Moderator Mo was je net voor",
    )
    assert [a[:2] for a in audit_actions(app, "post")] == [(moderator.id, "post.hidden")]
    assert thread_row(app, ref.thread_id)["reply_count"] == 0
    assert counters(app, times=False) == recounted(app, times=False)


def test_the_guarded_update_lets_exactly_one_win(app, moderator, users):
    """Two moderators who both loaded the post as approved: the second one's UPDATE finds it
    hidden already and is told by whom; the counters move once."""
    other_mod = users.make(name="Moderator Mia", roles=["moderator"])
    ref = write_thread(app, users.make())
    answer = write_reply(app, users.make(), ref.thread_id)
    with app.test_request_context():
        stale = db.session.get(Post, answer.id)
        assert stale.status.value == "approved"
        with db.engine.begin() as other_connection:  # the other moderator, in its own transaction
            other_connection.execute(
                sa.update(Post)
                .where(Post.id == answer.id, Post.status == "approved")
                .values(status="hidden", handled_by_id=other_mod.id, handled_at=utcnow())
            )
        with pytest.raises(actions.AlreadyHandled) as lost:
            actions.hide_post(stale, db.session.get(User, moderator.id), "Ook verbergen")
        assert "Moderator Mia" in lost.value.message
        db.session.rollback()
        db.session.remove()
    assert audit_actions(app) == []


def test_restore_waits_for_an_open_removal_request(app, mod_client, users):
    ref = write_thread(app, users.make())
    answer = write_reply(app, users.make(), ref.thread_id)
    submit(mod_client, f"/moderatie/bericht/{answer.id}/verbergen", {"reason": "Verzoek ouder"})
    with app.app_context():
        db.session.add(
            RemovalRequest(post_id=answer.id, reason="Mijn kind", previous_status="approved")
        )
        db.session.commit()
    response = press(
        mod_client, f"/moderatie/bericht/{answer.id}/terugzetten", f"/gesprek/{ref.thread_id}"
    )
    assert response.status_code == 302
    assert post_status(app, answer.id) == "hidden"
    expect(mod_client.get(f"/gesprek/{ref.thread_id}"), 200, "verzoek tot verwijdering")


# --- people ---------------------------------------------------------------------------------


def test_person_page_shows_history_and_leaves_out_posts_without_name(app, mod_client, users):
    person = users.make(name="Pieter Post")
    ref = write_thread(app, person, title="Een gesprek met naam")
    with app.test_request_context():
        user = db.session.get(User, person.id)
        thread = db.session.get(Thread, ref.thread_id)
        services.reply(thread, user, "Zonder naam geschreven.", anonymous=True)
        db.session.commit()
        db.session.remove()
    page = mod_client.get(f"/moderatie/persoon/{person.id}")
    expect(
        page,
        200,
        "Pieter Post",
        "Leerkracht",
        "Onderwijs",
        "Een gesprek met naam",
        "Niet geschorst",
    )
    assert re.search(r"Goedgekeurd</dt><dd>2<", page.text)
    assert "Zonder naam geschreven" not in page.text


def test_moderator_suspends_a_member_who_can_read_but_not_write(
    app, mod_client, member_client, moderator, member
):
    ref = write_thread(app, moderator)
    page = f"/moderatie/persoon/{member.id}"
    missing = submit(mod_client, f"{page}/schorsen", {"reason": "", "period": "7"}, form_url=page)
    expect(missing, 400, "Geef een reden op")
    assert user_value(app, member.id, "suspended_until") is None

    response = submit(
        mod_client,
        f"{page}/schorsen",
        {"reason": "Herhaald grof taalgebruik", "period": "7"},
        form_url=page,
    )
    assert response.status_code == 302
    until = user_value(app, member.id, "suspended_until")
    assert timedelta(days=6, hours=23) < until - utcnow() <= timedelta(days=7)
    expect(mod_client.get(page), 200, "Geschorst", "Herhaald grof taalgebruik")

    assert member_client.get(f"/gesprek/{ref.thread_id}").status_code == 200
    expect(reply(member_client, ref.thread_id), 403, "geschorst")
    expect(member_client.get("/gesprek/nieuw"), 403, "geschorst")
    token = csrf_token(member_client.get(f"/gesprek/{ref.thread_id}").text)
    data = {
        "setting": "1",
        "kind": "question",
        "title": "Toch",
        "body": "Toch",
        "csrf_token": token,
    }
    expect(member_client.post("/gesprek/nieuw", data=data), 403, "geschorst")

    with app.test_request_context():
        notice = actions.suspension_notice(db.session.get(User, member.id))
    assert "Herhaald grof taalgebruik" in notice
    assert "geschorst tot" in notice

    [entry] = [a for a in audit_actions(app, "user")]
    assert entry == (moderator.id, "user.suspended", member.id, "Herhaald grof taalgebruik")
    [(event, _thread, _post, data)] = notifications(app, member.id)
    assert event == "suspended"
    assert data["reason"] == "Herhaald grof taalgebruik"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["until"])


def test_indefinite_suspension_and_lifting_it(app, mod_client, member_client, moderator, member):
    page = f"/moderatie/persoon/{member.id}"
    submit(
        mod_client, f"{page}/schorsen", {"reason": "Spam", "period": "indefinite"}, form_url=page
    )
    assert user_value(app, member.id, "suspended_indefinitely") is True
    with app.test_request_context():
        notice = actions.suspension_notice(db.session.get(User, member.id))
    assert "voor onbepaalde tijd" in notice
    assert "Spam" in notice
    expect(member_client.get("/gesprek/nieuw"), 403, "geschorst")

    response = submit(
        mod_client, f"{page}/schorsing-opheffen", {"unsuspend_reason": "Excuses"}, form_url=page
    )
    assert response.status_code == 302
    assert user_value(app, member.id, "suspended_indefinitely") is False
    assert new_thread(member_client).status_code == 302
    with app.test_request_context():
        assert actions.suspension_notice(db.session.get(User, member.id)) is None
    assert [a[1:] for a in audit_actions(app, "user")] == [
        ("user.suspended", member.id, "Spam"),
        ("user.unsuspended", member.id, "Excuses"),
    ]
    assert [n[0] for n in notifications(app, member.id)] == ["suspended", "unsuspended"]


def test_a_suspension_with_a_period_ends_by_itself(app, member_client, member):
    with app.app_context():
        user = db.session.get(User, member.id)
        user.suspended_until = utcnow() + timedelta(hours=1)
        user.suspension_reason = "Even afkoelen"
        db.session.commit()
    expect(member_client.get("/gesprek/nieuw"), 403, "geschorst")
    with app.app_context():
        db.session.get(User, member.id).suspended_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert member_client.get("/gesprek/nieuw").status_code == 200
    assert new_thread(member_client).status_code == 302
    with app.test_request_context():
        assert actions.suspension_notice(db.session.get(User, member.id)) is None


def test_moderator_cannot_suspend_an_admin_or_another_moderator(app, mod_client, admin, users):
    other_mod = users.make(roles=["moderator"])
    for person in (admin, other_mod):
        page = f"/moderatie/persoon/{person.id}"
        expect(mod_client.get(page), 200, "Alleen een beheerder kan dit")
        assert "/schorsen" not in mod_client.get(page).text
        response = submit(
            mod_client, f"{page}/schorsen", {"reason": "Nee", "period": "1"}, form_url=page
        )
        expect(response, 403, "Alleen een beheerder")
        assert user_value(app, person.id, "suspended_until") is None
    assert audit_actions(app) == []


def test_admin_can_suspend_a_moderator_but_not_themselves(app, admin, users):
    client = app.test_client()
    login(client, admin.email)
    other_mod = users.make(roles=["moderator"])
    page = f"/moderatie/persoon/{other_mod.id}"
    response = submit(
        client, f"{page}/schorsen", {"reason": "Misbruik", "period": "1"}, form_url=page
    )
    assert response.status_code == 302
    assert user_value(app, other_mod.id, "suspended_until") is not None
    own = f"/moderatie/persoon/{admin.id}"
    expect(submit(client, f"{own}/schorsen", {"reason": "x", "period": "1"}, form_url=own), 403)


def test_unknown_period_is_a_form_error(app, mod_client, member):
    page = f"/moderatie/persoon/{member.id}"
    response = submit(
        mod_client, f"{page}/schorsen", {"reason": "x", "period": "365"}, form_url=page
    )
    assert response.status_code == 400
    assert user_value(app, member.id, "suspended_until") is None


def test_always_moderate_makes_a_trusted_members_posts_wait(app, mod_client, moderator, member):
    page = f"/moderatie/persoon/{member.id}"
    assert write_thread(app, member).status == "approved"
    submit(
        mod_client,
        f"{page}/altijd-beoordelen",
        {"always_moderate": "y", "moderate_reason": "Let op"},
        form_url=page,
    )
    assert user_value(app, member.id, "always_moderate") is True
    assert write_thread(app, member).status == "pending"

    submit(mod_client, f"{page}/altijd-beoordelen", {"moderate_reason": "Gaat goed"}, form_url=page)
    assert user_value(app, member.id, "always_moderate") is False
    assert write_thread(app, member).status == "approved"
    unchanged = submit(mod_client, f"{page}/altijd-beoordelen", {}, form_url=page)
    assert unchanged.status_code == 302
    assert audit_actions(app, "user") == [
        (moderator.id, "user.always_moderate_on", member.id, "Let op"),
        (moderator.id, "user.always_moderate_off", member.id, "Gaat goed"),
    ]
