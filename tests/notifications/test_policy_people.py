"""The policy turned around: ``people_who_can_view`` (who may be told about a post) agrees with
``can_view_thread`` and ``can_view_post`` for every status of thread and post and every role;
``can_see_thread_title`` shows a title to readers and to the thread's own author only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum import policy
from forum.accounts.models import User
from forum.db import db
from forum.discussions.models import PostStatus
from tests.test_policy import make_person, make_post

ROLES = {
    "author": (),
    "replier": (),
    "other": (),
    "moderator": ("moderator",),
    "researcher": ("researcher",),
    "admin": ("admin",),
}


@pytest.fixture
def people(app):
    with app.app_context():
        made = {name: make_person(name, roles) for name, roles in ROLES.items()}
        waiting = make_person("wachtend")
        waiting.approved = False  # a registration an admin has yet to approve: cannot sign in
        db.session.commit()
        result = {name: person.id for name, person in made.items()} | {"waiting": waiting.id}
        db.session.remove()
    return result


@pytest.mark.parametrize("thread_status", list(PostStatus))
def test_who_may_be_told_matches_the_predicates(app, people, thread_status):
    with app.test_request_context():
        author = db.session.get(User, people["author"])
        replier = db.session.get(User, people["replier"])
        opening = make_post(author, PostStatus.APPROVED)
        replies = [make_post(replier, status, thread=opening.thread) for status in PostStatus]
        opening.status = thread_status
        opening.thread.status = thread_status
        db.session.flush()
        everyone = db.session.scalars(sa.select(User)).all()
        for post in [opening, *replies]:
            told = set(db.session.scalars(policy.people_who_can_view(sa.select(User.id), post)))
            expected = {
                person.id
                for person in everyone
                if person.approved
                and policy.can_view_thread(person, post.thread)
                and policy.can_view_post(person, post)
            }
            assert told == expected, (thread_status, post.status)
            assert people["waiting"] not in told
        db.session.rollback()


@pytest.mark.parametrize("status", list(PostStatus))
def test_a_thread_title_is_for_readers_and_its_author(app, people, status):
    with app.test_request_context():
        author = db.session.get(User, people["author"])
        thread = make_post(author, status).thread
        for name, person_id in people.items():
            person = db.session.get(User, person_id)
            readable = bool(policy.can_view_thread(person, thread))
            expected = readable or name == "author"
            assert bool(policy.can_see_thread_title(person, thread)) is expected, (name, status)
        db.session.rollback()
