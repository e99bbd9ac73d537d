"""Whole pages for visitors and plain members, kept per worker until something they show changes.

A visitor (no session or remember cookie) sees the same home page, werkveld list, thread page or
search result as every other visitor in their language, so a worker keeps each rendered answer
and hands it out again. Correctness rests on one number, ``content_generation.value``:

* Every transaction that writes to a table visitors can see adds 1 to it *in the same
  transaction*, right before its commit (a connection event watches the statements, so raw SQL
  and bulk updates count too). Writes that only touch private tables (read positions,
  notifications, mails, research work, the audit log) leave it alone.
* A cached page is served only while the number is what it was when the page was rendered, and
  for at most ``FORUM_PAGE_CACHE_SECONDS`` (a safety net for writes made outside the app).

The number is read before anything else in the request, so a page stored under a number was
rendered from data at least as new as that number: a stale page can never be filed under a fresh
number. Every host reads the same row, so this works across app hosts without shared memory.
Responses that set a cookie or touch the session are never kept, and a hard reload
(``Cache-Control: no-cache``) always gets the page made anew.

A plain member's page is kept for them alone, under the same number and the state of their own
rows and account (``forum.core.memberpages``).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale

from forum.core import memberpages
from forum.db import db, single_read

GENERATION_TABLE = "content_generation"
READ_GENERATION = "SELECT value FROM content_generation WHERE id = 1"
_READ_GENERATION = sa.text(READ_GENERATION)
BUMP_GENERATION = "UPDATE content_generation SET value = value + 1 WHERE id = 1"

# Tables whose rows no visitor page shows: writing them keeps the cached pages.
PRIVATE_TABLES = frozenset(
    {
        GENERATION_TABLE,
        "alembic_version",
        "page_version_changes",
        "page_versions",
        "audit_log",
        "consent_records",
        "data_downloads",
        "email_tokens",
        "finding_decisions",
        "job_marks",
        "mail_digest_runs",
        "notification_settings",
        "notifications",
        "outbox",
        "pending_edits",
        "post_revisions",
        "rejection_templates",
        "removal_requests",
        "research_codes",
        "research_exports",
        "research_interest",
        "research_memos",
        "research_passage_codings",
        "research_projects",
        "research_thread_codings",
        "setting_follows",
        "thread_follows",
        "thread_reads",
        "two_factor_recovery_codes",
        "two_factor_secrets",
        "watched_words",
    }
)
# Columns of shown tables that no visitor page shows (an UPDATE of only these keeps the pages).
PRIVATE_COLUMNS = {
    "users": frozenset(
        {
            "password_hash",
            "session_version",
            "locale",
            "email",
            "email_normalized",
            "email_verified_at",
            "guidelines_accepted_at",
            "research_consent",
            "two_factor_since",
        }
    ),
}
_WRITE = re.compile(
    r"""^\s*(?:
        INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?(?P<insert>\w+)
      | UPDATE\s+"?(?P<update>\w+)"?\s+SET\s+(?P<columns>.*?)(?:\s+WHERE\s|\s+RETURNING\s|$)
      | DELETE\s+FROM\s+"?(?P<delete>\w+)
      | COPY\s+"?(?P<copy>\w+)
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_DROP_TABLE = re.compile(r'\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?"?(\w+)', re.I)
_SET_COLUMN = re.compile(r'"?(\w+)"?\s*=')
_DIRTY = "content_generation_dirty"
_DROPPED = "content_generation_dropped"
_PERSONAL = "personal_rows_written"

View = TypeVar("View", bound=Callable[..., Any])


def _table_of(match: re.Match[str]) -> str:
    return next(name for name in match.group("insert", "update", "delete", "copy") if name)


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE, DELETE or COPY writes to (None for anything else)."""
    match = _WRITE.match(statement)
    return None if match is None else _table_of(match)


def changes_visible_content(statement: str) -> bool:
    """Whether a SQL statement may change something a visitor page shows."""
    match = _WRITE.match(statement)
    if match is None:
        return False
    table = _table_of(match)
    if table in PRIVATE_TABLES:
        return False
    if match.group("update") and table in PRIVATE_COLUMNS:
        columns = set(_SET_COLUMN.findall(match.group("columns")))
        return not columns <= PRIVATE_COLUMNS[table]
    return True


class GenerationTable:
    """Whether a table of the page cache exists yet: not while the migrations that precede it
    run (they commit too), and not in a process started before ``flask db upgrade``. Once seen,
    it is taken to stay (until a downgrade drops it)."""

    def __init__(self, engine: sa.Engine, name: str = GENERATION_TABLE) -> None:
        self.engine = engine
        self.name = name
        self.seen = False

    def ready(self) -> bool:
        if not self.seen:
            # A connection of its own: the table must be committed, not only made in the
            # transaction that is committing now.
            with self.engine.connect() as connection:
                self.seen = sa.inspect(connection).has_table(self.name)
        return self.seen


def _run(conn: sa.Connection, statement: str) -> None:
    # The raw cursor: inside the transaction that is about to commit, and unseen by note_write.
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def watch_writes(engine: sa.Engine, table: GenerationTable, changes: GenerationTable) -> None:
    """Count every committed transaction that wrote visible content (see the module's text),
    and on PostgreSQL raise the page versions of the people whose own rows it wrote."""
    raise_versions = engine.dialect.name == "postgresql"

    @sa.event.listens_for(engine, "before_cursor_execute")
    def note_write(conn, _cursor, statement, _parameters, _context, _executemany):
        if not conn.info.get(_DIRTY) and changes_visible_content(statement):
            conn.info[_DIRTY] = True
        if raise_versions and written_table(statement) in memberpages.PERSONAL_TABLES:
            conn.info[_PERSONAL] = True
        dropped = _DROP_TABLE.match(statement)
        if dropped and dropped.group(1) in (table.name, changes.name):  # a downgrade
            table.seen = changes.seen = False
            conn.info[_DROPPED] = True

    @sa.event.listens_for(engine, "commit")
    def bump_before_commit(conn):
        # The transaction's last statements, so the row locks they take on PostgreSQL are held
        # for no more than the commit itself, and always in the same order: people by id,
        # then the counter.
        dropped = conn.info.pop(_DROPPED, False)
        if conn.info.pop(_PERSONAL, False) and not dropped and changes.ready():
            _run(conn, memberpages.RAISE_VERSIONS)
        if conn.info.pop(_DIRTY, False) and not dropped and table.ready():
            _run(conn, BUMP_GENERATION)

    @sa.event.listens_for(engine, "rollback")
    def forget_write(conn):
        conn.info.pop(_DIRTY, None)
        conn.info.pop(_DROPPED, None)
        conn.info.pop(_PERSONAL, None)


def current_generation() -> int | None:
    if not current_app.extensions["page_cache_table"].ready():
        return None
    row = single_read(_READ_GENERATION)
    return None if row is None else row[0]


@dataclass(frozen=True, slots=True)
class CachedPage:
    stamp: Hashable  # the counter (visitors), or the counter and the member's state
    stored_at: float
    headers: tuple[tuple[str, str], ...]
    body: bytes


class PageStore:
    """A size-bounded, least-recently-used store of pages, shared by a worker's threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> CachedPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: CachedPage) -> None:
        if len(page.body) > self.max_bytes // 4:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                _key, evicted = self.pages.popitem(last=False)
                self.size -= len(evicted.body)


def cached_page(view: View) -> View:
    """Mark a GET view whose answer is the same for every visitor in a language, and the same
    for one plain member until something they see changes (``forum.core.memberpages``)."""
    view.cached_page = True  # type: ignore[attr-defined]
    return view


def _store() -> PageStore:
    return current_app.extensions["page_cache"]


def _is_candidate() -> bool:
    if request.method != "GET" or current_app.config["FORUM_PAGE_CACHE_SECONDS"] <= 0:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "cached_page", False)


def _is_visitor() -> bool:
    cookies = request.cookies
    config = current_app.config
    return config["SESSION_COOKIE_NAME"] not in cookies and (
        config.get("REMEMBER_COOKIE_NAME", "remember_token") not in cookies
    )


def _wants_fresh() -> bool:
    """A hard reload (``Cache-Control: no-cache``) asks for the page made anew, as HTTP caches
    do; it costs no more than a new query string would."""
    return bool(request.cache_control.no_cache) or "no-cache" in request.headers.get("Pragma", "")


def _visitor_request() -> memberpages.KeptPageEntry | None:
    generation = current_generation()
    if generation is None:  # the row is missing: cache nothing rather than guess
        return None
    return memberpages.KeptPageEntry((request.full_path, str(get_locale() or "nl")), generation)


def serve_cached() -> Response | None:
    if not _is_candidate():
        return None
    visitor = _is_visitor()
    entry = _visitor_request() if visitor else memberpages.member_request()
    if entry is None:
        return None
    g.page_cache = entry
    if _wants_fresh():
        return None  # rendered, and kept anew
    page = _store().get(entry.key)
    max_age = current_app.config["FORUM_PAGE_CACHE_SECONDS"]
    if page is None or page.stamp != entry.stamp or time.monotonic() - page.stored_at > max_age:
        return None
    body = page.body if visitor else memberpages.fresh_submission_keys(page.body)
    response = Response(body, headers=list(page.headers))  # only 200s are kept
    response.headers["X-Page-Cache"] = "hit"
    return response


def keep_page(response: Response) -> Response:
    entry = g.pop("page_cache", None)
    if entry is None or response.headers.get("X-Page-Cache") == "hit":
        return response
    if (
        response.status_code != 200
        or response.direct_passthrough
        or "Set-Cookie" in response.headers
        or session.modified
        # A visitor's page is kept only while they have no session; a member's only while
        # theirs holds the login alone.
        or not set(session) <= (memberpages.SESSION_KEYS if session else set())
    ):
        return response
    headers = tuple((name, value) for name, value in response.headers.items())
    body = response.get_data()
    _store().put(entry.key, CachedPage(entry.stamp, time.monotonic(), headers, body))
    response.headers["X-Page-Cache"] = "miss"
    return response


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = PageStore(app.config["FORUM_PAGE_CACHE_MB"] * 1024 * 1024)
    with app.app_context():
        table = GenerationTable(db.engine)
        changes = GenerationTable(db.engine, memberpages.CHANGES_TABLE)
        watch_writes(db.engine, table, changes)
    app.extensions["page_cache_table"] = table
    app.extensions["member_pages_table"] = changes
    app.before_request(serve_cached)
    app.after_request(keep_page)
