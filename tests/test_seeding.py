"""``flask --app forum seed``: a generated forum whose counters, text and index are what the
write path would have made, refused on a database with real people."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from forum.core.models import Setting
from forum.db import db
from forum.discussions.checks import render
from forum.discussions.models import Post, PostStatus, Thread
from forum.research.models import ThreadCoding
from tests.helpers import PASSWORD, UserFactory, login

SMALL = ["seed", "--threads", "40", "--posts", "400", "--seed", "7", "--password", PASSWORD]


def run_seed(app: Flask, *extra: str):
    return app.test_cli_runner().invoke(args=[*SMALL, *extra])


def count(stmt: sa.Select) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()


def assert_counters_match_posts() -> None:
    approved = Post.status == PostStatus.APPROVED
    for thread in db.session.execute(sa.select(Thread)).scalars():
        replies = sa.select(Post.id).where(
            Post.thread_id == thread.id, approved, Post.is_opening.is_(False)
        )
        assert thread.reply_count == count(replies), thread.id
        last = db.session.execute(
            sa.select(sa.func.max(Post.approved_at)).where(Post.thread_id == thread.id, approved)
        ).scalar()
        assert thread.last_activity_at == (last or thread.created_at), thread.id
    for setting in db.session.execute(sa.select(Setting)).scalars():
        listed = sa.select(Thread.id).where(
            Thread.setting_id == setting.id, Thread.status == PostStatus.APPROVED
        )
        posts = (
            sa.select(Post.id)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Thread.setting_id == setting.id, Thread.status == PostStatus.APPROVED, approved)
        )
        assert setting.thread_count == count(listed), setting.slug
        assert setting.post_count == count(posts), setting.slug
        latest = db.session.execute(
            sa.select(sa.func.max(Thread.last_activity_at)).where(
                Thread.setting_id == setting.id, Thread.status == PostStatus.APPROVED
            )
        ).scalar()
        assert setting.last_activity_at == latest, setting.slug


def index_size() -> int:
    name = "search_documents" if db.engine.dialect.name == "postgresql" else "search_index"
    return db.session.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one()  # noqa: S608


def test_seed_builds_a_forum_with_counters_right(app: Flask) -> None:
    result = run_seed(app)
    assert result.exit_code == 0, result.output
    assert "Seeded 40 threads, 400 posts" in result.output
    assert "posts/s" in result.output
    with app.app_context():
        assert count(sa.select(Thread.id)) == 40
        assert count(sa.select(Post.id)) == 400
        assert_counters_match_posts()
        statuses = set(db.session.execute(sa.select(Post.status).distinct()).scalars())
        assert {PostStatus.APPROVED, PostStatus.PENDING} <= statuses
        assert statuses & {PostStatus.HIDDEN, PostStatus.RETURNED, PostStatus.REJECTED}
        per_thread = sa.func.count(Post.id)
        longest = db.session.execute(
            sa.select(per_thread).group_by(Post.thread_id).order_by(per_thread.desc()).limit(1)
        ).scalar_one()
        assert longest >= 300
        assert count(sa.select(ThreadCoding.id)) >= 1
        assert count(sa.select(Post.id).where(Post.research_consent.is_(True))) > 100
        assert count(sa.select(Post.author_id).distinct()) >= 5
        assert index_size() == 400


def test_stored_html_and_text_are_what_the_renderer_gives(app: Flask) -> None:
    assert run_seed(app).exit_code == 0
    with app.app_context():
        sample = db.session.execute(sa.select(Post).order_by(Post.id).limit(60)).scalars().all()
        for post in sample:
            rendered = render(post.body_source)
            assert (post.body_html, post.body_text) == (rendered.html, rendered.text)
        markup = "".join(post.body_html for post in sample)
        assert "<p>" in markup
        assert "<strong>" in markup or "<em>" in markup


def content() -> list[tuple]:
    """What a reader sees, in order, without ids."""
    rows = db.session.execute(
        sa.select(
            Thread.title, Thread.kind, Thread.setting_id, Thread.status, Thread.reply_count
        ).order_by(Thread.id)
    ).all()
    bodies = db.session.execute(
        sa.select(Post.status, Post.body_source, Post.created_at).order_by(Post.id)
    ).all()
    return [tuple(row) for row in rows] + [tuple(row) for row in bodies]


def test_same_seed_gives_the_same_forum_and_force_adds_one(app: Flask) -> None:
    assert run_seed(app).exit_code == 0
    with app.app_context():
        first = content()
    again = run_seed(app)
    assert again.exit_code == 1
    assert "already seeded" in again.output
    assert run_seed(app, "--force").exit_code == 0
    with app.app_context():
        both = content()
        threads = 40
        assert both[:threads] == both[threads : 2 * threads] == first[:threads]
        assert both[2 * threads : 2 * threads + 400] == both[2 * threads + 400 :]
        assert_counters_match_posts()
        assert index_size() == 800


def test_refuses_a_database_with_real_people_unless_forced(app: Flask, users: UserFactory) -> None:
    users.make(email="anna@school.nl", name="Anna")
    result = run_seed(app)
    assert result.exit_code == 1
    assert "Refusing" in result.output
    assert "1 account(s) the seed did not make" in result.output
    with app.app_context():
        assert count(sa.select(Post.id)) == 0
    assert run_seed(app, "--force").exit_code == 0
    with app.app_context():
        assert count(sa.select(Post.id)) == 400
    # The app's own inserts still work after the seed chose ids (PostgreSQL sequences).
    users.make(email="bert@school.nl", name="Bert")


def test_seeded_pages_render(app: Flask, client: FlaskClient) -> None:
    result = run_seed(app)
    assert result.exit_code == 0
    member = next(part for part in result.output.split() if part.startswith("member-"))
    login(client, member.rstrip(","))
    with app.app_context():
        longest = db.session.execute(
            sa.select(Thread.id, Thread.reply_count).order_by(Thread.reply_count.desc()).limit(1)
        ).one()
    assert client.get("/").status_code == 200
    assert client.get("/werkveld/school").status_code == 200
    last_page = (longest.reply_count + 1 + 29) // 30
    page = client.get(f"/gesprek/{longest.id}?page={last_page}")
    assert page.status_code == 200
    assert "<p>" in page.text
