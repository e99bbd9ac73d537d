"""Two moderators on one item at the same moment: exactly one wins, nothing is counted twice, and
the other is told who was first. Over HTTP with two browsers, and in the service with two database
sessions whose transactions really overlap (the second UPDATE waits for the first to commit)."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.core.models import Setting
from forum.db import db
from forum.discussions import services
from forum.discussions.models import Post, PostStatus
from forum.moderation import queue
from forum.moderation.models import PendingEdit
from forum.notifications.models import Notification
from tests.helpers import csrf_token, login, set_site, write_thread


@pytest.fixture
def two_moderators(app, users):
    first = users.make(email="eerste@example.org", name="Moderator Een", roles=["moderator"])
    second = users.make(email="tweede@example.org", name="Moderator Twee", roles=["moderator"])
    browsers = []
    for person in (first, second):
        client = app.test_client()
        login(client, person.email)
        browsers.append(client)
    return first, second, browsers


def counts(app, post_id: int) -> dict:
    with app.app_context():
        post = db.session.get(Post, post_id)
        result = {
            "status": post.status.value,
            "thread": post.thread.status.value,
            "threads_listed": db.session.get(Setting, 1).thread_count,
            "posts_counted": db.session.get(Setting, 1).post_count,
            "notifications": db.session.execute(
                sa.select(Notification.event).where(Notification.post_id == post_id)
            )
            .scalars()
            .all(),
            "audit": db.session.execute(
                sa.select(AuditEntry.action).where(AuditEntry.target_id == post_id)
            )
            .scalars()
            .all(),
            "handled_by": post.handled_by_id,
        }
        db.session.remove()
    return result


def both_open_the_item(browsers, post_id: int) -> list[str]:
    pages = [browser.get(f"/moderatie/bericht/{post_id}") for browser in browsers]
    assert [page.status_code for page in pages] == [200, 200]
    return [csrf_token(page.text) for page in pages]


@pytest.mark.parametrize(
    ("second_action", "second_data"),
    [("goedkeuren", {}), ("afwijzen", {"reason": "Dit hoort hier niet."})],
)
def test_two_moderators_one_post_over_http(app, member, two_moderators, second_action, second_data):
    first, _second, (browser_a, browser_b) = two_moderators
    post = write_thread(app, member, title="Een vraag over het oudergesprek")
    token_a, token_b = both_open_the_item([browser_a, browser_b], post.id)

    won = browser_a.post(f"/moderatie/bericht/{post.id}/goedkeuren", data={"csrf_token": token_a})
    lost = browser_b.post(
        f"/moderatie/bericht/{post.id}/{second_action}",
        data={"csrf_token": token_b, **second_data},
    )

    assert won.status_code == lost.status_code == 302
    assert "Dit bericht is al behandeld door Moderator Een." in browser_b.get("/moderatie/").text
    assert counts(app, post.id) == {
        "status": "approved",
        "thread": "approved",
        "threads_listed": 1,
        "posts_counted": 1,
        "notifications": ["post_approved"],
        "audit": ["post.approved"],
        "handled_by": first.id,
    }
    # The item page now says who handled it and offers no more decisions.
    page = browser_b.get(f"/moderatie/bericht/{post.id}")
    assert "Dit bericht is al behandeld door Moderator Een." in page.text
    assert f"/moderatie/bericht/{post.id}/goedkeuren" not in page.text


def test_two_moderators_one_waiting_edit_over_http(app, member, two_moderators):
    _first, _second, (browser_a, browser_b) = two_moderators
    set_site(app, "trust_threshold", "0")
    post = write_thread(app, member, title="Een geplaatst gesprek")
    set_site(app, "trust_threshold", "3")
    with app.test_request_context():
        services.edit_post(
            db.session.get(Post, post.id), db.session.get(User, member.id), "Nieuwe tekst."
        )
        db.session.commit()
        edit_id = db.session.execute(sa.select(PendingEdit.id)).scalar_one()
        db.session.remove()
    token_a, token_b = both_open_the_item([browser_a, browser_b], post.id)
    base = f"/moderatie/bericht/{post.id}/wijziging/{edit_id}"

    browser_a.post(f"{base}/goedkeuren", data={"csrf_token": token_a})
    browser_b.post(f"{base}/afwijzen", data={"csrf_token": token_b, "reason": "Nee."})

    assert "Deze wijziging is al behandeld door Moderator Een." in browser_b.get("/").text
    with app.app_context():
        assert db.session.get(Post, post.id).body_source == "Nieuwe tekst."
        events = db.session.execute(sa.select(Notification.event)).scalars().all()
        assert events == ["edit_approved"]
        db.session.remove()


def run_in_thread(app, target) -> tuple[threading.Thread, dict]:
    box: dict = {}

    def run() -> None:
        with app.test_request_context():
            try:
                box["result"] = target()
            except Exception as error:  # handed to the test thread
                box["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


def test_guarded_update_lets_one_of_two_overlapping_transactions_win(app, member, two_moderators):
    """Moderator A's approval is flushed but not committed when B's rejection starts: B's UPDATE
    waits for A's transaction, then finds the post no longer pending and changes nothing."""
    first, second, _browsers = two_moderators
    post = write_thread(app, member, title="Twee moderatoren tegelijk")
    a_claimed, a_may_commit = threading.Event(), threading.Event()

    def moderator_a():
        outcome = queue.approve(db.session.get(Post, post.id), db.session.get(User, first.id))
        a_claimed.set()
        assert a_may_commit.wait(10)
        db.session.commit()
        return outcome

    def moderator_b():
        target, me = db.session.get(Post, post.id), db.session.get(User, second.id)
        assert target.status is PostStatus.PENDING  # B still sees the post waiting
        outcome = queue.reject(target, me, "Te herkenbaar.")
        if outcome.done:
            db.session.commit()
        else:
            db.session.rollback()
        return outcome

    thread_a, box_a = run_in_thread(app, moderator_a)
    assert a_claimed.wait(10), box_a
    thread_b, box_b = run_in_thread(app, moderator_b)
    time.sleep(0.5)
    assert thread_b.is_alive(), f"B did not wait for A's transaction: {box_b}"
    a_may_commit.set()
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in box_a, box_a
    assert "error" not in box_b, box_b
    assert box_a["result"] == queue.Outcome(True)
    assert box_b["result"] == queue.Outcome(False, "Moderator Een")
    result = counts(app, post.id)
    assert (result["status"], result["threads_listed"], result["notifications"]) == (
        "approved",
        1,
        ["post_approved"],
    )


def test_guarded_update_with_two_sessions_one_after_the_other(app, member, two_moderators):
    """Both sessions loaded the post while it waited; the second one to act changes nothing."""
    first, second, _browsers = two_moderators
    post = write_thread(app, member)
    with app.test_request_context():
        engine = db.engine
        with sa.orm.Session(engine) as session_a, sa.orm.Session(engine) as session_b:
            post_a, post_b = session_a.get(Post, post.id), session_b.get(Post, post.id)
            assert post_a.status is post_b.status is PostStatus.PENDING
            guarded = (
                sa.update(Post)
                .where(Post.id == post.id, Post.status == PostStatus.PENDING)
                .values(status=PostStatus.REJECTED, handled_by_id=second.id)
            )
            first_update = session_a.execute(
                guarded.values(status=PostStatus.APPROVED, handled_by_id=first.id)
            )
            session_a.commit()
            second_update = session_b.execute(guarded)
            session_b.commit()
    assert (first_update.rowcount, second_update.rowcount) == (1, 0)
    assert counts(app, post.id)["handled_by"] == first.id
