"""forum.policy: the visibility rule as a table, its predicate and WHERE-clause forms agreeing,
the writing rules, and posting without name as members, authors and moderators see it."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from forum import policy
from forum.accounts.models import Profession, Role, User, UserRole
from forum.audit import AuditEntry
from forum.core import site
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from tests.helpers import csrf_token, login, submit

VIEWERS = ["visitor", "author", "other", "moderator", "researcher", "admin"]
ROLES = {"moderator": [Role.MODERATOR], "researcher": [Role.RESEARCHER], "admin": [Role.ADMIN]}


def expected_view(status: PostStatus, viewer: str, public: bool) -> bool:
    """The product table (DESIGN §3); admins count as moderators."""
    if viewer in ("moderator", "admin"):
        return True
    if status is PostStatus.APPROVED:
        return viewer != "visitor" or public
    if status in (PostStatus.PENDING, PostStatus.RETURNED, PostStatus.REJECTED):
        return viewer == "author"
    return False  # hidden


def make_person(name: str, roles=(), verified: bool = True) -> User:
    now = utcnow()
    user = User(
        email=f"{name}@example.org",
        email_normalized=f"{name}@example.org",
        display_name=name.capitalize(),
        password_hash="not-used",
        profession=Profession.LEERKRACHT,
        main_setting_id=1,
        guidelines_accepted_at=now,
        email_verified_at=now if verified else None,
    )
    for role in (Role.MEMBER, *roles):
        user.role_grants.append(UserRole(role=role))
    db.session.add(user)
    db.session.flush()
    return user


def make_post(author: User, status: PostStatus, thread: Thread | None = None, **thread_values):
    """A thread (or a reply in ``thread``) with the given status, written directly."""
    setting = db.session.get(Setting, 1)
    if thread is None:
        post = services.start_thread(author, setting, ThreadKind.QUESTION, "Een vraag", "Tekst")
        post.thread.status = status
        for key, value in thread_values.items():
            setattr(post.thread, key, value)
    else:
        post = services.reply(thread, author, "Een reactie")
    post.status = status
    db.session.flush()
    return post


@dataclass
class World:
    people: dict[str, int]
    posts: dict[PostStatus, int]  # opening posts, one thread per status, by "author"
    replies: dict[PostStatus, int]  # replies by "other" in the approved thread


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        people = {name: make_person(name, ROLES.get(name, ())) for name in VIEWERS[1:]}
        posts = {s: make_post(people["author"], s) for s in PostStatus}
        approved = posts[PostStatus.APPROVED].thread
        replies = {s: make_post(people["other"], s, thread=approved) for s in PostStatus}
        db.session.commit()
        result = World(
            {n: p.id for n, p in people.items()},
            {s: p.id for s, p in posts.items()},
            {s: p.id for s, p in replies.items()},
        )
        db.session.remove()
    return result


def viewer_user(world: World, viewer: str):
    if viewer == "visitor":
        return AnonymousUserMixin()
    return db.session.get(User, world.people[viewer])


def set_public(public: bool) -> None:
    site.set_value("public_read", "1" if public else "0")
    db.session.commit()


@pytest.mark.parametrize("public", [False, True], ids=["members-only", "public"])
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", list(PostStatus))
def test_view_rule_matches_the_product_table(app, world, status, viewer, public):
    with app.test_request_context():
        set_public(public)
        user = viewer_user(world, viewer)
        expected = expected_view(status, viewer, public)
        opening = db.session.get(Post, world.posts[status])
        assert bool(policy.can_view_post(user, opening)) is expected
        assert bool(policy.can_view_thread(user, opening.thread)) is expected
        post_ids = set(db.session.scalars(policy.visible_posts(sa.select(Post.id), user)))
        thread_ids = set(db.session.scalars(policy.visible_threads(sa.select(Thread.id), user)))
        assert (opening.id in post_ids) is expected
        assert (opening.thread_id in thread_ids) is expected
        # The replies are written by "other": for them, "other" is the author.
        reply = db.session.get(Post, world.replies[status])
        swapped = {"author": "other", "other": "author"}.get(viewer, viewer)
        assert bool(policy.can_view_post(user, reply)) is expected_view(status, swapped, public)
        assert (reply.id in post_ids) is expected_view(status, swapped, public)


@pytest.mark.parametrize("public", [False, True], ids=["members-only", "public"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_predicates_and_sql_filters_return_the_same_rows(app, world, viewer, public):
    with app.test_request_context():
        set_public(public)
        user = viewer_user(world, viewer)
        posts = db.session.scalars(sa.select(Post)).all()
        threads = db.session.scalars(sa.select(Thread)).all()
        assert len(posts) == 10
        assert len(threads) == 5
        assert set(db.session.scalars(policy.visible_posts(sa.select(Post.id), user))) == {
            p.id for p in posts if policy.can_view_post(user, p)
        }
        assert set(db.session.scalars(policy.visible_threads(sa.select(Thread.id), user))) == {
            t.id for t in threads if policy.can_view_thread(user, t)
        }
        # Lists show approved threads only, to anyone who may read at all.
        listed = set(db.session.scalars(policy.listed_threads(sa.select(Thread.id), user)))
        readable = viewer != "visitor" or public
        approved = world.posts[PostStatus.APPROVED]
        assert listed == ({db.session.get(Post, approved).thread_id} if readable else set())
        # A thread page shows what the person may view plus hidden posts as placeholders.
        on_page = set(db.session.scalars(policy.thread_posts(sa.select(Post.id), user)))
        assert on_page == {
            p.id for p in posts if policy.can_view_post(user, p) or p.status is PostStatus.HIDDEN
        }


def test_reply_rule(app, world):
    with app.test_request_context():
        author = db.session.get(User, world.people["author"])
        thread = db.session.get(Post, world.posts[PostStatus.APPROVED]).thread
        assert policy.can_reply(author, thread)
        assert not policy.can_reply(AnonymousUserMixin(), thread)
        thread.locked = True
        locked = policy.can_reply(author, thread)
        assert not locked
        assert "gesloten" in locked.reason
        assert not policy.can_reply(db.session.get(User, world.people["moderator"]), thread)
        thread.locked = False
        pending = db.session.get(Post, world.posts[PostStatus.PENDING]).thread
        for who in ("author", "moderator"):
            denied = policy.can_reply(db.session.get(User, world.people[who]), pending)
            assert not denied
            assert "goedgekeurd" in denied.reason
        unverified = make_person("nieuw", verified=False)
        denied = policy.can_reply(unverified, thread)
        assert not denied
        assert "e-mailadres" in denied.reason
        author.suspended_until = utcnow() + timedelta(days=1)
        assert "geschorst" in policy.can_reply(author, thread).reason
        db.session.rollback()


@pytest.mark.parametrize(
    ("status", "locked", "who", "allowed"),
    [
        (PostStatus.PENDING, False, "author", True),
        (PostStatus.RETURNED, False, "author", True),
        (PostStatus.APPROVED, False, "author", True),
        (PostStatus.REJECTED, False, "author", False),
        (PostStatus.HIDDEN, False, "author", False),
        (PostStatus.APPROVED, True, "author", False),
        (PostStatus.PENDING, True, "author", True),
        (PostStatus.APPROVED, False, "other", False),
        (PostStatus.PENDING, False, "moderator", False),
        (PostStatus.APPROVED, False, "admin", False),
    ],
)
def test_edit_rule(app, world, status, locked, who, allowed):
    with app.test_request_context():
        post = db.session.get(Post, world.posts[status])
        post.thread.locked = locked
        assert bool(policy.can_edit_post(db.session.get(User, world.people[who]), post)) is allowed
        db.session.rollback()


@pytest.mark.parametrize(
    ("status", "who", "allowed"),
    [
        (PostStatus.PENDING, "author", True),
        (PostStatus.RETURNED, "author", True),
        (PostStatus.APPROVED, "author", False),
        (PostStatus.REJECTED, "author", False),
        (PostStatus.HIDDEN, "author", False),
        (PostStatus.PENDING, "other", False),
        (PostStatus.PENDING, "moderator", False),
        (PostStatus.PENDING, "visitor", False),
    ],
)
def test_delete_rule(app, world, status, who, allowed):
    with app.test_request_context():
        post = db.session.get(Post, world.posts[status])
        decision = policy.can_delete_post(viewer_user(world, who), post)
        assert bool(decision) is allowed
        assert allowed or decision.reason  # a denial tells the person why (403, not 404)


# --- posting without name, over HTTP -------------------------------------------------------------

AUTHOR_NAME = "Femke Schrijver"


@pytest.fixture
def anonymous_thread(app, client, users):
    """A trusted member (3 approved posts) starts a thread without name through the form."""
    author = users.make(email="femke@example.org", name=AUTHOR_NAME)
    with app.app_context():
        user = db.session.get(User, author.id)
        # Three approved replies in a thread that is not listed, so her name shows nowhere.
        unlisted = make_post(make_person("iemand"), PostStatus.PENDING).thread
        for _ in range(3):
            make_post(user, PostStatus.APPROVED, thread=unlisted)
        db.session.commit()
    login(client, author.email)
    response = submit(
        client,
        "/gesprek/nieuw",
        {
            "setting": "1",
            "kind": "dilemma",
            "title": "Een zorg delen met collega's?",
            "body": "Wat er speelt: een vader vertelt iets in vertrouwen.",
            "anonymous": "y",
            "submission_key": secrets.token_hex(16),
        },
    )
    assert response.status_code == 302
    thread_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        post = db.session.scalars(sa.select(Post).where(Post.thread_id == thread_id)).one()
        assert post.anonymous
        assert post.status is PostStatus.APPROVED
        post_id = post.id
        db.session.remove()
    assert (
        client.post("/account/uitloggen", data={"csrf_token": csrf_of(client)}).status_code == 302
    )
    return thread_id, post_id


def csrf_of(client) -> str:
    return csrf_token(client.get("/").text)


def author_labels(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", label).split())
        for label in re.findall(r'<h2 class="post-author"[^>]*>(.*?)</h2>', html, re.DOTALL)
    ]


def test_members_see_a_colleague_from_the_werkveld(anonymous_thread, client, member):
    thread_id, _post_id = anonymous_thread
    login(client, member.email)
    page = client.get(f"/gesprek/{thread_id}")
    assert author_labels(page.text) == ["een collega uit Onderwijs"]
    for url in (f"/gesprek/{thread_id}", "/werkveld/school", "/"):
        html = client.get(url).text
        assert "een collega uit Onderwijs" in html
        assert AUTHOR_NAME not in html, url
    assert "Wie schreef dit?" not in page.text


def test_the_author_sees_their_own_name(anonymous_thread, client):
    thread_id, _post_id = anonymous_thread
    login(client, "femke@example.org")
    page = client.get(f"/gesprek/{thread_id}")
    assert author_labels(page.text) == [f"{AUTHOR_NAME} (zonder naam geplaatst)"]


def test_a_moderator_asks_who_wrote_it_and_the_question_is_logged(
    app, anonymous_thread, client, moderator
):
    thread_id, post_id = anonymous_thread
    login(client, moderator.email)
    page = client.get(f"/gesprek/{thread_id}")
    assert author_labels(page.text) == ["een collega uit Onderwijs"]
    assert "Wie schreef dit? (wordt gelogd)" in page.text
    url = f"/bericht/{post_id}/schrijver"
    assert f'action="{url}"' in page.text
    with app.app_context():
        assert db.session.scalars(sa.select(AuditEntry)).all() == []
    response = submit(client, url, {}, form_url=f"/gesprek/{thread_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/gesprek/{thread_id}#bericht-{post_id}"
    shown = client.get(response.headers["Location"]).text
    assert f"geschreven door {AUTHOR_NAME}" in shown
    with app.app_context():
        [entry] = db.session.scalars(sa.select(AuditEntry)).all()
        assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
            "post.author_revealed",
            moderator.id,
            "post",
            post_id,
        )


def test_members_cannot_ask_who_wrote_it(app, anonymous_thread, client, member):
    thread_id, post_id = anonymous_thread
    login(client, member.email)
    response = submit(client, f"/bericht/{post_id}/schrijver", {}, form_url=f"/gesprek/{thread_id}")
    assert response.status_code == 403
    assert AUTHOR_NAME not in response.text
    with app.app_context():
        assert db.session.scalars(sa.select(AuditEntry)).all() == []


# --- reading without an account, over HTTP -------------------------------------------------------


def test_visitors_log_in_first_unless_public_reading_is_on(app, client):
    with app.app_context():
        author = make_person("schrijver", [Role.MODERATOR])
        approved = make_post(author, PostStatus.APPROVED).thread_id
        pending = make_post(author, PostStatus.PENDING).thread_id
        db.session.commit()
    for url in ("/werkveld/school", f"/gesprek/{approved}", f"/gesprek/{approved}/nieuwste"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/inloggen?next=")
    assert "Een vraag" not in client.get("/").text
    with app.app_context():
        set_public(True)
    assert client.get("/").text.count('class="thread-title"') == 1
    assert client.get("/werkveld/school").text.count('class="thread-title"') == 1
    page = client.get(f"/gesprek/{approved}")
    assert page.status_code == 200
    assert "Log in om te reageren" in page.text
    assert client.get(f"/gesprek/{pending}").status_code == 404
    token = csrf_token(client.get("/account/inloggen").text)  # a visitor's page with a form
    data = {"body": "x", "submission_key": secrets.token_hex(16), "csrf_token": token}
    response = client.post(f"/gesprek/{approved}/reageren", data=data)
    assert response.headers["Location"].startswith("/account/inloggen")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 2
