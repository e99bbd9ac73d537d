"""The seed itself: threads and posts in batches, then counters; the search index per batch.

Rows are plain dicts with ids chosen here, inserted per batch with one executemany and one
commit. What the write path would store is stored: the renderer's HTML and text, the author's
research consent on each post, approved-only counters (``discussions.services.count_approved``),
the search index (``search.services.backend().upsert``) in the same transaction as its posts,
and a consent record per account (``accounts.services.register``).
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from forum.accounts.models import Role, User
from forum.core.models import Setting
from forum.db import db
from forum.discussions import services as discussions
from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from forum.research.models import Code, ThreadCoding
from forum.search import services as search
from forum.seeding import SEED_DOMAIN, text
from forum.seeding.people import ensure_codes, make_users
from forum.seeding.store import Writer, next_id

BATCH_POSTS = 20_000
POOL_SIZE = 400
LONG_THREAD_POSTS = 320  # benchmarks open the last page of a thread with at least 300 posts
SPAN = timedelta(days=730)
# Werkvelden in their order get these shares; any further werkveld gets the smallest one.
SETTING_WEIGHTS = [50, 30, 20]
KIND_WEIGHTS = {ThreadKind.QUESTION: 50, ThreadKind.EXAMPLE: 30, ThreadKind.DILEMMA: 20}
# Shares of opening posts and of replies per status; the rest is approved.
OPENING_STATUS = {PostStatus.PENDING: 0.02, PostStatus.RETURNED: 0.005, PostStatus.HIDDEN: 0.01}
REPLY_STATUS = {
    PostStatus.PENDING: 0.025,
    PostStatus.RETURNED: 0.005,
    PostStatus.HIDDEN: 0.015,
    PostStatus.REJECTED: 0.005,
}
NOTES = {
    PostStatus.RETURNED: "Kun je de naam van het kind eruit halen? Dan zet ik het erop.",
    PostStatus.REJECTED: "Dit gaat over één persoon en past niet in de gespreksregels.",
}


@dataclass
class Summary:
    users: int = 0
    threads: int = 0
    posts: int = 0
    codings: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0
    emails: dict[str, str] = field(default_factory=dict)  # role → one seed account's address


def pick_status(rng: random.Random, shares: dict[PostStatus, float]) -> PostStatus:
    roll = rng.random()
    for status, share in shares.items():
        if roll < share:
            return status
        roll -= share
    return PostStatus.APPROVED


def reply_counts(rng: random.Random, open_threads: list[int], replies: int) -> dict[int, int]:
    """Replies per thread, heavy-tailed (lognormal weights): most threads get a few, some none,
    a few hundreds; one thread gets LONG_THREAD_POSTS posts when there are replies enough."""
    counts = dict.fromkeys(open_threads, 0)
    if not open_threads or replies <= 0:
        return counts
    if replies >= LONG_THREAD_POSTS - 1:
        counts[open_threads[rng.randrange(len(open_threads))]] = LONG_THREAD_POSTS - 1
        replies -= LONG_THREAD_POSTS - 1
    weights = [rng.lognormvariate(0, 1.6) for _ in open_threads]
    scale = replies / sum(weights)
    given = 0
    for index, weight in zip(open_threads, weights, strict=True):
        share = math.floor(weight * scale)
        counts[index] += share
        given += share
    for index in rng.choices(open_threads, k=replies - given):
        counts[index] += 1
    return counts


def weighted_settings() -> tuple[list[int], list[int]]:
    settings = (
        db.session.execute(
            sa.select(Setting.id)
            .where(Setting.archived.is_(False))
            .order_by(Setting.position, Setting.id)
        )
        .scalars()
        .all()
    )
    weights = [SETTING_WEIGHTS[min(i, len(SETTING_WEIGHTS) - 1)] for i in range(len(settings))]
    return list(settings), weights


def post_row(
    post_id: int, thread_id: int, author: int, opening: bool, status: PostStatus,
    body: Any, moment: datetime, moderator: int, anonymous: bool, consent: bool,
) -> dict[str, Any]:  # fmt: skip
    handled = status in (PostStatus.HIDDEN, PostStatus.RETURNED, PostStatus.REJECTED)
    return {
        "id": post_id,
        "thread_id": thread_id,
        "author_id": author,
        "is_opening": opening,
        "anonymous": anonymous,
        "status": status.value,
        "wait_reasons": ["new_member"] if status is not PostStatus.APPROVED else [],
        "status_note": NOTES.get(status),
        "privacy_findings": [],
        "safeguarding": False,
        "research_consent": consent,
        "handled_by_id": moderator if handled else None,
        "handled_at": moment + timedelta(hours=2) if handled else None,
        "body_source": body.source,
        "body_html": body.html,
        "body_text": body.text,
        "submission_key": None,
        "created_at": moment,
        "edited_at": None,
        # A hidden post was visible first; a waiting or refused one never was.
        "approved_at": moment if status in (PostStatus.APPROVED, PostStatus.HIDDEN) else None,
    }


def seed(
    threads: int,
    posts: int,
    seed_value: int,
    password_hash: str,
    progress: Callable[[int], None] = lambda n: None,
) -> Summary:
    """Add ``threads`` threads holding ``posts`` posts (opening posts included) and the accounts
    that wrote them; commits per batch. The same seed on the same database gives the same rows."""
    started = time.perf_counter()
    # Generated text, not secrets: a plain seeded generator makes runs repeatable.
    rng = random.Random(seed_value)  # noqa: S311
    summary = Summary()
    # Times are relative to today (UTC midnight), so runs on one day give the same rows.
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    writer = Writer()
    writer.pragmas(fast=True)
    try:
        pool = text.body_pool(rng, POOL_SIZE)
        by_role, consent = make_users(rng, writer, posts, password_hash, now)
        summary.users = len(consent)
        summary.emails = {
            role.value: f"{role.value}-{ids[0]}@{SEED_DOMAIN}"
            for role, ids in by_role.items()
            if ids
        }
        authors = sorted(consent)
        rng.shuffle(authors)
        # A few people write most posts (Zipf-like activity).
        activity = [1 / (rank + 1) ** 0.9 for rank in range(len(authors))]
        cumulative = list(itertools.accumulate(activity))
        moderators = by_role[Role.MODERATOR] + by_role[Role.ADMIN]
        researchers = by_role[Role.RESEARCHER] or by_role[Role.ADMIN]
        codes = ensure_codes(writer, researchers[0], now)
        db.session.commit()

        settings, setting_weights = weighted_settings()
        statuses = [pick_status(rng, OPENING_STATUS) for _ in range(threads)]
        # Only listed (or hidden-after-discussion) threads have replies.
        open_threads = [i for i, s in enumerate(statuses) if s in (PostStatus.APPROVED,)]
        open_threads += [i for i, s in enumerate(statuses) if s is PostStatus.HIDDEN]
        counts = reply_counts(rng, open_threads, max(0, posts - threads))
        first_listed = (
            statuses.index(PostStatus.APPROVED) if PostStatus.APPROVED in statuses else -1
        )
        first_thread, first_post = next_id(Thread.id), next_id(Post.id)
        thread_rows: list[dict[str, Any]] = []
        post_rows: list[dict[str, Any]] = []
        coding_rows: list[dict[str, Any]] = []
        post_id = first_post
        for index in range(threads):
            thread_id = first_thread + index
            status = statuses[index]
            kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            setting = rng.choices(settings, weights=setting_weights)[0]
            start = now - SPAN + SPAN * (index / threads) + timedelta(minutes=rng.randint(0, 600))
            start = min(start, now - timedelta(minutes=1))
            n_replies = counts.get(index, 0)
            writers = rng.choices(authors, cum_weights=cumulative, k=n_replies + 1)
            moderator = rng.choice(moderators)
            # Replies a few hours apart, closer in a busy thread, all of them before today.
            room = (now - start).total_seconds() / (n_replies + 1)
            mean_gap = max(1.0, min(5400 if n_replies > 50 else 14400, room))
            moment, last_activity, approved_replies = start, start, 0
            for number, author in enumerate(writers):
                opening = number == 0
                post_status = status if opening else pick_status(rng, REPLY_STATUS)
                if not opening:
                    gap = rng.expovariate(1 / mean_gap)
                    moment = min(moment + timedelta(seconds=gap), now - timedelta(seconds=1))
                    if post_status is PostStatus.APPROVED:
                        approved_replies += 1
                if post_status is PostStatus.APPROVED:
                    last_activity = max(last_activity, moment)
                body = pool[rng.randrange(len(pool))]
                post_rows.append(
                    post_row(post_id, thread_id, author, opening, post_status, body, moment,
                             moderator, rng.random() < 0.03, consent[author])
                )  # fmt: skip
                post_id += 1
            thread_rows.append(
                {
                    "id": thread_id,
                    "setting_id": setting,
                    "kind": kind.value,
                    "title": text.title(rng, kind.value),
                    "author_id": writers[0],
                    "anonymous": post_rows[-1 - n_replies]["anonymous"],
                    "status": status.value,
                    "locked": rng.random() < 0.01,
                    "pinned": rng.random() < 0.002,
                    "reply_count": approved_replies,
                    "created_at": start,
                    "last_activity_at": last_activity,
                }
            )
            # Some threads coded, the first listed one always (research pages show it).
            listed = status is PostStatus.APPROVED
            if listed and (index == first_listed or rng.random() < 0.08):
                coder = rng.choice(researchers)
                for code in rng.sample(codes, rng.randint(1, 3)):
                    coding_rows.append(
                        {"thread_id": thread_id, "code_id": code, "coder_id": coder,
                         "created_at": last_activity}
                    )  # fmt: skip
            if len(post_rows) >= BATCH_POSTS or index == threads - 1:
                summary.index_seconds += flush_batch(writer, thread_rows, post_rows, coding_rows)
                summary.threads += len(thread_rows)
                summary.posts += len(post_rows)
                summary.codings += len(coding_rows)
                progress(len(post_rows))
                thread_rows, post_rows, coding_rows = [], [], []
        # The werkveld counters from the threads' (right) counters, old and new alike.
        discussions.recount_settings()
        writer.sync_sequences([User.__table__, Thread.__table__, Post.__table__, Code.__table__])
        db.session.commit()
        writer.analyze()
        db.session.commit()
    finally:
        db.session.rollback()
        writer.pragmas(fast=False)
    summary.seconds = time.perf_counter() - started
    return summary


def flush_batch(
    writer: Writer,
    thread_rows: list[dict[str, Any]],
    post_rows: list[dict[str, Any]],
    coding_rows: list[dict[str, Any]],
) -> float:
    """Insert one batch and index its posts, in one transaction; returns the index's seconds."""
    writer.insert(Thread.__table__, thread_rows)
    writer.insert(Post.__table__, post_rows)
    writer.insert(ThreadCoding.__table__, coding_rows)
    started = time.perf_counter()
    if post_rows:
        search.backend().upsert(Post.id.between(post_rows[0]["id"], post_rows[-1]["id"]))
    spent = time.perf_counter() - started
    db.session.commit()
    return spent
