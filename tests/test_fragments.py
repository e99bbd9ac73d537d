"""Rendered posts and thread rows are reused between page views (forum.discussions.fragments):
a reader never gets a piece that is out of date or was made for someone who may do more."""

from __future__ import annotations

import pytest

from forum.accounts.models import User
from forum.db import db
from forum.discussions.models import Post
from forum.moderation import actions, queue
from tests.helpers import login, set_site, write_reply, write_thread


def as_moderator(app, moderator, post_id: int, change) -> None:
    with app.test_request_context():
        change(db.session.get(Post, post_id), db.session.get(User, moderator.id))
        db.session.commit()
        db.session.remove()


def thread_with_reply(app, users):
    author = users.make(name="Schrijver Sanne", roles=["moderator"])  # posts are approved at once
    opening = write_thread(app, author)
    text = "Wij vragen ouders wat zij belangrijk vinden."
    reply = write_reply(app, author, opening.thread_id, text)
    assert reply.status == "approved"
    return author, opening, reply


def redact(post, moderator) -> None:
    queue.redact(post, moderator, "Wij vragen [naam] wat zij belangrijk vinden.")


def hide(post, moderator) -> None:
    actions.hide_post(post, moderator, "Herleidbaar")


@pytest.mark.parametrize(
    ("change", "now_shown"),
    [(redact, "[naam]"), (hide, "Dit bericht is verwijderd door een moderator.")],
    ids=["redacted", "hidden"],
)
def test_a_moderators_change_reaches_a_reader_who_saw_the_old_post(
    app, client, users, moderator, change, now_shown
):
    set_site(app, "public_read", "1")
    _, opening, reply = thread_with_reply(app, users)
    url = f"/gesprek/{opening.thread_id}"
    assert "Wij vragen ouders" in client.get(url).text  # now kept for the next visitor
    as_moderator(app, moderator, reply.id, change)
    page = client.get(url).text
    assert "Wij vragen ouders" not in page
    assert now_shown in page


def test_a_new_display_name_shows_on_posts_and_lists(app, client, users):
    set_site(app, "public_read", "1")
    author, opening, _ = thread_with_reply(app, users)
    url = f"/gesprek/{opening.thread_id}"
    assert "Schrijver Sanne" in client.get(url).text
    assert "Schrijver Sanne" in client.get("/werkveld/school").text
    with app.app_context():
        db.session.get(User, author.id).display_name = "Sanne de Vries"
        db.session.commit()
        db.session.remove()
    assert "Schrijver Sanne" not in client.get(url).text
    assert "Sanne de Vries" in client.get(url).text
    assert "Sanne de Vries" in client.get("/werkveld/school").text


def test_each_reader_gets_the_actions_they_may_take(app, client, users, member):
    set_site(app, "public_read", "1")
    author, opening, reply = thread_with_reply(app, users)
    url = f"/gesprek/{opening.thread_id}"
    visitor_page = client.get(url).text
    assert "Vraag om verwijdering" in visitor_page
    assert "Voorleggen aan een moderator" not in visitor_page

    login(client, member.email)
    member_page = client.get(url).text
    assert "Voorleggen aan een moderator" in member_page
    assert "Vraag om verwijdering" not in member_page

    assert f"/bericht/{reply.id}/bewerken" not in member_page

    own = app.test_client()
    login(own, author.email)
    own_page = own.get(url).text
    assert f"/bericht/{reply.id}/bewerken" in own_page
    assert "Voorleggen aan een moderator" not in own_page
