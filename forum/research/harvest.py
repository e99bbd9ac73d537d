"""Kennisoogst: syntheses researchers write, link to the threads they drew on, and publish.

The Markdown body is rendered and sanitised once, when it is saved (``forum.markup.render``);
pages only show the stored HTML. Publishing happens once (a guarded UPDATE): contributors whose
consented, approved posts are in the linked threads get one notification, the first time only.
Services flush, never commit; every change is audited (without the text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm.attributes import set_committed_value

from forum import audit, policy
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus, Thread
from forum.markup import render
from forum.notifications.services import notify
from forum.pagination import paginate
from forum.research.models import Harvest, harvest_threads

EVENT = "harvest_published"
# "12", "#12", "/gesprek/12", "https://…/gesprek/12?page=2": a number, or the number in an address.
_THREAD_REF = re.compile(r"gesprek/(\d+)|#?(\d+)")
MAX_THREADS = 200


class UnknownThreads(ValueError):
    """Some of the given threads do not exist or are not approved."""

    def __init__(self, refs: list[str]) -> None:
        super().__init__(", ".join(refs))
        self.refs = refs


def parse_thread_refs(text: str) -> list[int] | None:
    """Thread ids from a list of numbers or thread addresses, separated by commas, spaces or
    new lines, in the order given, without repeats. ``None`` when a part is neither."""
    ids: list[int] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        match = _THREAD_REF.search(part) if "gesprek/" in part else _THREAD_REF.fullmatch(part)
        if match is None:
            return None
        number = int(match.group(1) or match.group(2))
        if not 0 < number < 2**31:
            return None
        if number not in ids:
            ids.append(number)
    return ids


def threads_for(ids: Iterable[int], keep: Iterable[int] = ()) -> list[Thread]:
    """The threads to link: approved ones, or ones already linked (``keep``) whatever their status
    now, so a thread hidden after publishing does not block editing the text."""
    ids = list(ids)
    if not ids:
        return []
    keep = set(keep)
    found = {
        thread.id: thread
        for thread in db.session.execute(sa.select(Thread).where(Thread.id.in_(ids))).scalars()
    }
    missing = [
        str(i)
        for i in ids
        if i not in found or (found[i].status is not PostStatus.APPROVED and i not in keep)
    ]
    if missing:
        raise UnknownThreads(missing)
    return [found[i] for i in ids]


def create(actor: Any, title: str, body: str, threads: list[Thread]) -> Harvest:
    harvest = Harvest(
        title=title,
        body_source=body,
        body_html=render(body),
        author_id=actor.id,
        created_at=utcnow(),
        threads=threads,
    )
    db.session.add(harvest)
    db.session.flush()
    audit.record(
        actor, "harvest.created", "harvest", harvest.id, data={"threads": [t.id for t in threads]}
    )
    return harvest


def edit(actor: Any, harvest: Harvest, title: str, body: str, threads: list[Thread]) -> None:
    harvest.title = title
    harvest.body_source = body
    harvest.body_html = render(body)
    harvest.threads = threads
    db.session.flush()
    audit.record(
        actor,
        "harvest.edited",
        "harvest",
        harvest.id,
        data={"threads": [t.id for t in threads], "published": harvest.published_at is not None},
    )


def contributors(harvest: Harvest) -> list[int]:
    """Authors of approved posts with research consent in the threads the harvest drew on."""
    linked = sa.select(harvest_threads.c.thread_id).where(
        harvest_threads.c.harvest_id == harvest.id
    )
    return list(
        db.session.execute(
            sa.select(Post.author_id)
            .where(
                Post.thread_id.in_(linked),
                Post.status == PostStatus.APPROVED,
                Post.research_consent.is_(True),
                Post.author_id.is_not(None),
            )
            .distinct()
            .order_by(Post.author_id)
        ).scalars()
    )


def publish(actor: Any, harvest: Harvest) -> int | None:
    """Publish a draft and tell its contributors (not the person publishing). Returns how many
    were told, or ``None`` when it was already published (then nobody is told again)."""
    now = utcnow()
    won = db.session.execute(
        sa.update(Harvest)
        .where(Harvest.id == harvest.id, Harvest.published_at.is_(None))
        .values(published_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.session.refresh(harvest)
        return None
    set_committed_value(harvest, "published_at", now)
    people = [person for person in contributors(harvest) if person != actor.id]
    for person in people:
        notify(person, EVENT, data={"title": harvest.title, "harvest_id": harvest.id})
    audit.record(actor, "harvest.published", "harvest", harvest.id, data={"notified": len(people)})
    db.session.flush()
    return len(people)


# --- reading --------------------------------------------------------------------------------


def get_or_404(harvest_id: int) -> Harvest:
    harvest = db.session.get(Harvest, harvest_id)
    if harvest is None:
        abort(404)
    return harvest


def published_or_404(harvest_id: int, user: Any) -> Harvest:
    """A published harvest; drafts only for researchers (anyone else gets a 404)."""
    harvest = get_or_404(harvest_id)
    if harvest.published_at is None and not policy.can_research(user):
        abort(404)
    return harvest


def published_page(page: int, per_page: int) -> Pagination:
    stmt = (
        sa.select(Harvest)
        .where(Harvest.published_at.is_not(None))
        .order_by(Harvest.published_at.desc(), Harvest.id.desc())
    )
    return paginate(stmt, page, per_page)


def all_page(page: int, per_page: int) -> Pagination:
    """For researchers: drafts first, then published, newest first."""
    stmt = sa.select(Harvest).order_by(
        Harvest.published_at.is_not(None), Harvest.published_at.desc(), Harvest.created_at.desc()
    )
    return paginate(stmt, page, per_page)


def thread_counts(harvests: Iterable[Harvest]) -> dict[int, int]:
    """How many threads each harvest links to, in one query."""
    ids = [item.id for item in harvests]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(harvest_threads.c.harvest_id, sa.func.count())
        .where(harvest_threads.c.harvest_id.in_(ids))
        .group_by(harvest_threads.c.harvest_id)
    ).all()
    return dict(rows)


def visible_threads(harvest: Harvest, user: Any) -> list[Thread]:
    """The linked threads this person may see, in title order."""
    linked = sa.select(harvest_threads.c.thread_id).where(
        harvest_threads.c.harvest_id == harvest.id
    )
    stmt = sa.select(Thread).where(Thread.id.in_(linked)).order_by(Thread.title, Thread.id)
    return list(db.session.execute(policy.visible_threads(stmt, user)).scalars())


def linked_ids(harvest: Harvest) -> list[int]:
    return list(
        db.session.execute(
            sa.select(harvest_threads.c.thread_id)
            .where(harvest_threads.c.harvest_id == harvest.id)
            .order_by(harvest_threads.c.thread_id)
        ).scalars()
    )
