"""The review queue's authors' histories, counted from the reports and returns themselves (not by
walking every post of an author), give the figures the page has always shown."""

from __future__ import annotations

import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.moderation.histories import HISTORY_CAP, History, author_histories
from forum.moderation.models import Report, ReportReason
from tests.helpers import write_reply, write_thread

STATUSES = [PostStatus.APPROVED] * 3 + [PostStatus.REJECTED, PostStatus.PENDING] * 2


def reference(author_id: int) -> History:
    """The figures by their definition, one plain query each."""
    own = sa.select(Post.id).where(Post.author_id == author_id)

    def count(stmt: sa.Select) -> int:
        return db.session.execute(stmt).scalar_one()

    def with_status(status: PostStatus) -> int:
        return count(
            sa.select(sa.func.count()).where(Post.author_id == author_id, Post.status == status)
        )

    returned = sa.select(sa.func.count()).where(
        AuditEntry.action == "post.returned",
        AuditEntry.target_type == "post",
        AuditEntry.target_id.in_(own),
    )
    reported = sa.select(sa.func.count()).where(
        Report.reporter_id.is_not(None), Report.post_id.in_(own)
    )
    return History(
        with_status(PostStatus.APPROVED),
        count(returned),
        with_status(PostStatus.REJECTED),
        count(reported),
    )


def test_histories_match_their_definition(app, users):
    authors = [users.make() for _ in range(3)]
    readers = [users.make() for _ in range(3)]
    moderator = users.make(roles=["moderator"])
    first = write_thread(app, authors[0])
    posts = {author.id: [] for author in authors}
    for n in range(12):
        author = authors[n % 3]
        posts[author.id].append(write_reply(app, author, first.thread_id, body=f"Reactie {n}.").id)
    with app.app_context():
        for author_id, ids in posts.items():
            for n, post_id in enumerate(ids):
                db.session.get(Post, post_id).status = STATUSES[(n + author_id) % len(STATUSES)]
        a, b, _c = (posts[author.id] for author in authors)
        # Reports by members (and one by no one: a watched-word flag, which does not count),
        # returns in the log (twice for one post), and log entries that are no return.
        for reader, post_id in [(readers[0], a[0]), (readers[1], a[0]), (readers[2], b[1])]:
            db.session.add(
                Report(post_id=post_id, reporter_id=reader.id, reason=ReportReason.OTHER)
            )
        db.session.add(Report(post_id=b[2], reason=ReportReason.OTHER, watched_phrase="woord"))
        logged = [
            (a[1], "post", "post.returned"),
            (a[1], "post", "post.returned"),
            (b[0], "post", "post.returned"),
            (b[0], "post", "post.approved"),
            (a[2], "edit", "post.returned"),
        ]
        for target_id, target_type, action in logged:
            db.session.add(
                AuditEntry(
                    actor_id=moderator.id,
                    action=action,
                    target_type=target_type,
                    target_id=target_id,
                )
            )
        db.session.commit()

        ids = {author.id for author in authors} | {readers[0].id}
        found = author_histories(ids)
        assert found == {author_id: reference(author_id) for author_id in ids}
        assert found[authors[0].id].reports == 2
        assert found[authors[0].id].returned == 2
        assert found[authors[1].id].reports == 1
        assert found[authors[1].id].returned == 1
        assert found[readers[0].id] == History()
        db.session.remove()


def copy_post(post_id: int, times: int, status: PostStatus) -> None:
    """``times`` copies of a post with ``status`` (only what the histories count matters)."""
    table = Post.__table__
    row = db.session.execute(sa.select(table).where(table.c.id == post_id)).mappings().one()
    values = {**row, "status": status, "submission_key": None}
    values.pop("id")
    db.session.execute(table.insert(), [values] * times)
    db.session.commit()


def test_a_prolific_authors_history_stops_counting_past_the_cap(app, users, moderator):
    from tests.helpers import login, set_site

    prolific, steady = users.make(name="Veel Schrijver"), users.make(name="Vaste Schrijver")
    thread = write_thread(app, moderator)
    seeds = {who.id: write_reply(app, who, thread.thread_id).id for who in (prolific, steady)}
    with app.app_context():
        copy_post(seeds[prolific.id], HISTORY_CAP + 5, PostStatus.APPROVED)
        copy_post(seeds[prolific.id], HISTORY_CAP + 1, PostStatus.REJECTED)
        copy_post(seeds[steady.id], HISTORY_CAP, PostStatus.APPROVED)  # exactly at the cap
        found = author_histories({prolific.id, steady.id})
        assert found[prolific.id].approved == HISTORY_CAP + 1
        assert found[prolific.id].rejected == HISTORY_CAP + 1
        assert found[steady.id] == reference(steady.id)
        assert found[steady.id].approved == HISTORY_CAP
        db.session.remove()
    set_site(app, "trust_threshold", "500")  # both wait for a moderator now
    for who in (prolific, steady):
        write_reply(app, who, thread.thread_id, body=f"Nog een reactie van {who.name}.")
    client = app.test_client()
    login(client, moderator.email)
    page = client.get("/moderatie/").text
    assert "meer dan 100 goedgekeurd" in page
    assert "meer dan 100 afgewezen" in page
    assert "<li>100 goedgekeurd</li>" in page
