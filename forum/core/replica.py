"""Read replicas: the list and search pages may read a replica of the database.

With ``FORUM_DATABASE_REPLICA_URL`` set, a view marked ``@replica_read`` (the home page, a
werkveld's thread list, the search results) runs its queries on the replica; everything else,
and every write, stays on the primary. The session raises on a write while a view reads the
replica (``forum.db.RoutingSession``), and the replica's connections are read-only as well.

Consistency, as a person notices it:

* A replica lags the primary (usually well under a second, more under load). Someone who
  changed something (any POST that committed a write while signed in) reads the primary for
  ``FORUM_REPLICA_STICKY_SECONDS``, so they see their own post on the list at once; the mark is
  kept in their (signed) session, so it holds on every host.
* Everyone else may see a list or search result as old as the replica's lag.
* The page cache's check still reads the primary (``forum.db.single_read``). A page rendered
  from the replica is kept only when the replica has caught up with the state that check read
  (see ``_keep_only_if_caught_up``), so a kept page is never older than its stamp says.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.core import memberpages
from forum.core.pagecache import READ_GENERATION
from forum.db import REPLICA_BIND, db

# Unix time (whole seconds) until which this session reads the primary only.
STICKY_KEY = "primary_until"
_WROTE = "replica_primary_wrote"
_WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

View = TypeVar("View", bound=Callable[..., Any])


def replica_read(view: View) -> View:
    """Run this read-only GET view on the replica, when one is set and the person has not
    just written something."""

    @functools.wraps(view)
    def on_replica(*args: Any, **kwargs: Any) -> Any:
        engine = replica_for_request()
        if engine is None:
            return view(*args, **kwargs)
        current_user._get_current_object()  # who is signed in: read on the primary
        _keep_only_if_caught_up(engine)
        g.setdefault(REPLICA_BIND, engine)
        try:
            return view(*args, **kwargs)
        finally:
            g.pop(REPLICA_BIND, None)

    return on_replica  # type: ignore[return-value]


def replica_for_request() -> sa.Engine | None:
    """The replica's engine for this request, or None: none set, or the sticky window."""
    url = current_app.config.get("FORUM_DATABASE_REPLICA_URL")
    if not url or int(session.get(STICKY_KEY, 0)) > time.time():
        return None
    return replica_engine(url)


def replica_engine(url: str) -> sa.Engine:
    return _engine(url, os.getpid())


@functools.lru_cache(maxsize=4)
def _engine(url: str, _process: int) -> sa.Engine:
    # One per process: a pool is never shared across a fork (gunicorn preloads the app).
    url_object = sa.make_url(url)
    if url_object.get_backend_name() == "postgresql":
        # A hot standby refuses writes anyway; this makes any other replica do the same.
        options = {"options": "-c default_transaction_read_only=on"}
        return sa.create_engine(url_object, pool_pre_ping=True, connect_args=options)
    engine = sa.create_engine(url_object, pool_pre_ping=True)

    @sa.event.listens_for(engine, "connect")
    def read_only(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA query_only = ON")

    return engine


def _keep_only_if_caught_up(engine: sa.Engine) -> None:
    """Forget this request's page-cache entry unless the replica already holds the state the
    entry is stamped with (read on the primary before the view). Read before the view's own
    queries: what they read is at least that new, as a kept page's stamp promises."""
    entry = g.get("page_cache")
    if entry is None:
        return
    with engine.connect() as connection:
        if entry.key[0] == "member":  # memberpages.member_request's key and stamp
            row = connection.execute(memberpages.STATE, {"user_id": entry.key[1]}).first()
            state = None if row is None else (row[0], row[1], *row[3:-1])
        else:
            state = connection.execute(sa.text(READ_GENERATION)).scalar()
    if state != entry.stamp:
        g.pop("page_cache", None)


def watch_primary_writes(engine: sa.Engine) -> None:
    """Note in ``g`` that this request committed a write on the primary."""

    @sa.event.listens_for(engine, "before_cursor_execute")
    def note_write(conn, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip()[:6].upper() in _WRITES:
            conn.info[_WROTE] = True

    @sa.event.listens_for(engine, "commit")
    def committed(conn):
        if conn.info.pop(_WROTE, False) and has_request_context():
            g.replica_primary_wrote = True

    @sa.event.listens_for(engine, "rollback")
    def rolled_back(conn):
        conn.info.pop(_WROTE, None)


def forget_old_mark() -> None:
    # An expired mark would keep a member's pages out of the page cache (memberpages only
    # keeps sessions holding the login alone).
    if STICKY_KEY in session and (
        int(session[STICKY_KEY]) <= time.time()
        or not current_app.config.get("FORUM_DATABASE_REPLICA_URL")
    ):
        session.pop(STICKY_KEY)


def mark_after_write(response: Response) -> Response:
    config = current_app.config
    if (
        request.method not in SAFE_METHODS
        and g.pop("replica_primary_wrote", False)
        and config.get("FORUM_DATABASE_REPLICA_URL")
        and config["FORUM_REPLICA_STICKY_SECONDS"] > 0
        and current_user.is_authenticated
    ):
        session[STICKY_KEY] = int(time.time()) + config["FORUM_REPLICA_STICKY_SECONDS"] + 1
    return response


def init_app(app: Flask) -> None:
    """Before the page cache's own hooks: its check must see the session without an old mark."""
    with app.app_context():
        watch_primary_writes(db.engine)
    app.before_request(forget_old_mark)
    app.after_request(mark_after_write)
