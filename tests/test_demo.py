"""The demo (``flask --app forum demo``): posts screened like real ones, decided by the demo
moderator through the real services, and a queue that says why each item waits in moderators'
words."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from forum import demo
from forum.accounts import services as accounts
from forum.audit import AuditEntry
from forum.core import site
from forum.db import db
from forum.demo_content import DEMO_THREADS
from forum.discussions.checks import author_standing, watched_rules
from forum.discussions.models import Post, PostStatus
from forum.notifications.models import Notification
from forum.screening import AuthorStanding, WaitReason, moderator_reason, screen_text
from tests.helpers import login

ITEM_RE = re.compile(
    r'<li class="card queue-item" id="(?:post|edit)-\d+">(.*?)</li>\s*(?=<li class="card|</ol>)',
    re.S,
)
REASONS_RE = re.compile(r'<ul class="wait-reasons">(.*?)</ul>', re.S)
# A Markdown list item: the one kind of line a single line break may separate.
LIST_ITEM = re.compile(r"^\s*(?:[-*+] |\d+\. )")
# The demo moderator, who decides on every post that screening holds.
MODERATOR = "moderator@example.org"


@pytest.fixture
def run_demo(app, tmp_path, monkeypatch):
    """Run ``flask --app forum demo``; returns the demo passwords by address."""
    passwords_file = tmp_path / "demo-accounts.json"
    monkeypatch.setattr(demo, "demo_passwords_file", lambda: passwords_file)
    runner = app.test_cli_runner()

    def run() -> dict[str, str]:
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        return json.loads(passwords_file.read_text())

    return run


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables
        }


def all_posts() -> list[Post]:
    return list(db.session.execute(sa.select(Post).order_by(Post.created_at, Post.id)).scalars())


def moderated_before(author_id: int, moment) -> bool:
    """Whether a moderator set the author to "always moderate" before ``moment``."""
    actions = db.session.execute(
        sa.select(AuditEntry.action)
        .where(
            AuditEntry.target_type == "user",
            AuditEntry.target_id == author_id,
            AuditEntry.action.in_(["user.always_moderate_on", "user.always_moderate_off"]),
            AuditEntry.created_at < moment,
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).scalars()
    return list(actions)[-1:] == ["user.always_moderate_on"]


def standing_when_written(post: Post) -> AuthorStanding:
    """The author's standing at the moment the post was written, rebuilt from the database."""
    approved_before = db.session.execute(
        sa.select(sa.func.count(Post.id)).where(
            Post.author_id == post.author_id,
            Post.id != post.id,
            Post.status == PostStatus.APPROVED,
            Post.approved_at < post.created_at,
        )
    ).scalar_one()
    now = author_standing(post.author)
    return AuthorStanding(
        approved_posts=approved_before,
        is_moderator=now.is_moderator,
        always_moderate=moderated_before(post.author_id, post.created_at),
        trusted=now.trusted,
    )


def test_every_demo_post_carries_the_reasons_screening_gives(app, run_demo):
    run_demo()
    counts = row_counts(app)
    run_demo()
    assert row_counts(app) == counts, "running the demo twice added something"

    with app.app_context():
        posts = all_posts()
        waiting = [p for p in posts if p.status in (PostStatus.PENDING, PostStatus.RETURNED)]
        assert len(waiting) >= 4
        assert all(post.wait_reasons for post in waiting), [
            post.body_text[:40] for post in waiting if not post.wait_reasons
        ]
        rules, threshold = watched_rules(), site.trust_threshold()
        for post in posts:
            expected = screen_text(
                post.screened_text,
                standing_when_written(post),
                rules,
                trust_threshold=threshold,
                premoderated=post.thread.setting.premoderated,
            )
            assert post.wait_reasons == expected.reason_values, post.body_text[:60]
        # Times spread over the past weeks, in the order the posts were written.
        span = posts[-1].created_at - posts[0].created_at
        assert span.days >= 30
        assert len({post.created_at for post in posts}) == len(posts)


def test_held_demo_posts_are_decided_by_the_demo_moderator(app, run_demo):
    run_demo()
    with app.app_context():
        moderator = accounts.user_by_email(MODERATOR)
        posts = all_posts()
        decided = {
            status: [p for p in posts if p.status is status]
            for status in (PostStatus.RETURNED, PostStatus.REJECTED)
        }
        assert decided[PostStatus.RETURNED]
        assert decided[PostStatus.REJECTED]
        held_then_approved = [
            p for p in posts if p.status is PostStatus.APPROVED and p.wait_reasons
        ]
        assert held_then_approved
        action = {
            PostStatus.APPROVED: "post.approved",
            PostStatus.RETURNED: "post.returned",
            PostStatus.REJECTED: "post.rejected",
        }
        for post in (
            held_then_approved + decided[PostStatus.RETURNED] + decided[PostStatus.REJECTED]
        ):
            assert post.handled_by_id == moderator.id, post.body_text[:60]
            assert post.created_at < post.handled_at
            entry = db.session.execute(
                sa.select(AuditEntry).where(
                    AuditEntry.target_type == "post", AuditEntry.target_id == post.id
                )
            ).scalar_one()
            assert (entry.action, entry.actor_id) == (action[post.status], moderator.id)
            # Recorded when the moderator decided, weeks ago for most, not when the demo ran.
            assert entry.created_at == post.handled_at
            if post.status is not PostStatus.APPROVED:
                assert post.status_note
                assert entry.reason == post.status_note
                notice = db.session.execute(
                    sa.select(Notification).where(Notification.post_id == post.id)
                ).scalar_one()
                assert notice.user_id == post.author_id
                assert notice.created_at == post.handled_at


def test_the_queue_gives_moderators_their_own_wording(app, run_demo):
    passwords = run_demo()
    client = app.test_client()
    login(client, MODERATOR, passwords[MODERATOR])

    page = client.get("/moderatie/").text
    items = ITEM_RE.findall(page)
    assert len(items) >= 4
    for item in items:
        reasons = REASONS_RE.search(item)
        assert reasons, item[:300]
        assert "<li>" in reasons.group(1), item[:300]
    assert "Nieuw lid: 0 van 3 goedgekeurd" in page
    assert "Nieuw lid: 2 van 3 goedgekeurd" in page
    assert "Gevolgd woord: ‘rechtszaak’" in page
    assert re.search(r"Privacycheck: \d+ mogelijke? herleidbare? gegevens?<", page)
    assert "Schrijver staat op ‘altijd laten beoordelen’" in page
    assert "Je bent nieuw" not in page
    assert "De privacycheck vond iets" not in page

    # On the thread page too, a moderator is not told "Je bent nieuw" about someone else's post.
    with app.app_context():
        waiting = [post for post in all_posts() if post.status is PostStatus.PENDING]
        threads = {post.thread_id for post in waiting}
        first = waiting[0].id
    for thread_id in threads:
        thread_page = client.get(f"/gesprek/{thread_id}").text
        assert "Je bent nieuw" not in thread_page
        assert "De privacycheck vond iets" not in thread_page
    assert f"/moderatie/bericht/{first}" in client.get(f"/gesprek/{waiting[0].thread_id}").text

    for reason in ("privacy", "new_member", "watched_word", "always_moderate"):
        filtered = client.get(f"/moderatie/?reden={reason}")
        assert filtered.status_code == 200
        assert ITEM_RE.findall(filtered.text), f"the filter {reason!r} finds nothing"


def test_authors_keep_their_own_wording(app, run_demo):
    passwords = run_demo()
    with app.app_context():
        waiting = [
            (post.author.email, post.thread_id)
            for post in all_posts()
            if post.status is PostStatus.PENDING
        ]
    author_pages = {}
    for email, thread_id in waiting:
        if email in ("gastouder@example.org", "lid@example.org"):
            client = app.test_client()
            login(client, email, passwords[email])
            author_pages.setdefault(email, []).append(client.get(f"/gesprek/{thread_id}").text)
    new_member = " ".join(author_pages["gastouder@example.org"])
    assert "Je bent nieuw: je eerste berichten bekijkt een moderator eerst." in new_member
    assert "Nieuw lid:" not in new_member
    privacy = " ".join(author_pages["lid@example.org"])
    assert "De privacycheck vond iets waaraan iemand herkend kan worden." in privacy
    assert "Privacycheck:" not in privacy


def test_demo_bodies_have_no_line_breaks_inside_a_paragraph():
    bodies = [thread["body"] for thread in DEMO_THREADS] + [
        reply["body"] for thread in DEMO_THREADS for reply in thread.get("replies", [])
    ]
    broken = [
        (before, after)
        for body in bodies
        for before, after in zip(body.split("\n"), body.split("\n")[1:], strict=False)
        if before.strip()
        and after.strip()
        and not LIST_ITEM.match(before)
        and not LIST_ITEM.match(after)
    ]
    assert broken == []


def test_moderator_wording_of_each_reason(app):
    with app.test_request_context():
        figures = {"approved_posts": 1, "trust_threshold": 3, "findings": 2}
        label = {reason: moderator_reason(reason.value, **figures) for reason in WaitReason}
        assert label[WaitReason.NEW_MEMBER] == "Nieuw lid: 1 van 3 goedgekeurd"
        assert label[WaitReason.PRIVACY] == "Privacycheck: 2 mogelijke herleidbare gegevens"
        assert label[WaitReason.PREMODERATED] == "Werkveld wordt altijd beoordeeld"
        assert label[WaitReason.WATCHED_WORD] == "Gevolgd woord (staat niet meer op de lijst)"
        assert label[WaitReason.RESUBMITTED] == "Aangepast na terugsturen."
        assert all(not text.startswith("Je ") for text in label.values())
        # Approved posts since the post was written: it still says why it waited then.
        later = moderator_reason("new_member", approved_posts=4, trust_threshold=3, findings=0)
        assert later == "Was nieuw lid bij het schrijven; nu 4 van 3 goedgekeurd"
        words = moderator_reason(
            "watched_word", approved_posts=0, trust_threshold=3, findings=0, watched=["ruzie"]
        )
        assert words == "Gevolgd woord: ‘ruzie’"
