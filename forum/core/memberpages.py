"""Which signed-in request may get a kept page, and the state that page was made from.

A plain member (no staff role) sees a page that depends on three things only: the content
everyone sees (``content_generation``), their own rows (read positions, follows, notices, their
waiting edits, consent) and their own account. So a member's page can be kept for that member,
in that session, as long as all three are unchanged:

* content: the visitors' counter (``forum.core.pagecache``);
* their own rows: ``page_versions.value``, raised by triggers in the database (migration 0012)
  on every write to a table in ``PERSONAL_TABLES``, so a write made any way at all counts. On
  SQLite the trigger raises it at once (one writer at a time); on PostgreSQL it notes the person
  in ``page_version_changes`` and ``RAISE_VERSIONS`` raises them all right before the commit,
  in id order, so concurrent transactions never wait on each other in a circle;
* their account: the private columns of ``users`` that pages read, fetched with the numbers.

All of it is one query, made before the view runs. Staff (moderators, researchers, admins) are
never served a kept page: their pages show queues and research work that change without them.
The session must hold nothing but the login and its CSRF secret: a flashed message or a form
waiting in the session means a page of its own.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Hashable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, request, session

from forum.db import single_read
from forum.extensions import login_manager
from forum.i18n import LANG_COOKIE, LANGUAGES

# Tables of one person's own rows that members' pages show, with the column naming the person.
# Each has the triggers of migration 0012 (tests/test_memberpages.py checks both ways).
PERSONAL_TABLES = {
    "consent_records": "user_id",
    "notification_settings": "user_id",
    "notifications": "user_id",
    "pending_edits": "editor_id",
    "setting_follows": "user_id",
    "thread_follows": "user_id",
    "thread_reads": "user_id",
}
# Private tables that no plain member's page reads (staff work, mail, research, bookkeeping).
NOT_ON_MEMBER_PAGES = frozenset(
    {
        "alembic_version",
        "audit_log",
        "content_generation",
        # Shown on /account/gegevens only, which is never kept; the file is never kept either.
        "data_downloads",
        "email_tokens",
        "finding_decisions",
        "job_marks",
        "mail_digest_runs",
        "outbox",
        "page_version_changes",
        "page_versions",
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
        "two_factor_recovery_codes",
        "two_factor_secrets",
        "watched_words",
    }
)
CHANGES_TABLE = "page_version_changes"
# PostgreSQL, run by forum.core.pagecache right before a commit that wrote a personal table.
RAISE_VERSIONS = """
WITH changed AS (
    DELETE FROM page_version_changes WHERE txid = txid_current() RETURNING user_id
)
INSERT INTO page_versions (user_id, value)
SELECT DISTINCT changed.user_id, 1 FROM changed JOIN users ON users.id = changed.user_id
ORDER BY changed.user_id
ON CONFLICT (user_id) DO UPDATE SET value = page_versions.value + 1
"""
# What a plain member's session holds: Flask-Login's keys, the CSRF secret and, for someone with
# two-factor sign-in, that this session gave the code (forum.accounts.twofactor.gate.PASSED).
SESSION_KEYS = frozenset({"_user_id", "_fresh", "_id", "csrf_token", "two_factor_passed"})

# The private account columns a page may read (pagecache.PRIVATE_COLUMNS minus the secrets):
# a change to one of them gives the member a page made anew.
ACCOUNT_COLUMNS = (
    "locale",  # first: member_request reads the language from it
    "research_consent",
    "email_verified_at",
    "guidelines_accepted_at",
    "email",
    # Turning two-factor on elsewhere must bring this session to the sign-in gate, which a kept
    # page would skip (forum.accounts.twofactor.gate).
    "two_factor_since",
)
STATE_COLUMNS = frozenset({"session_version", *ACCOUNT_COLUMNS})
STATE = sa.text(
    f"""
    SELECT g.value, COALESCE(v.value, 0), u.session_version,
           {", ".join(f"u.{column}" for column in ACCOUNT_COLUMNS)},
           EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'member')
    FROM users u
    JOIN content_generation g ON g.id = 1
    LEFT JOIN page_versions v ON v.user_id = u.id
    WHERE u.id = :user_id
    """  # noqa: S608 (column names from the constant above, no input)
)

_SUBMISSION_KEY = re.compile(rb'(name="submission_key" type="hidden" value=")[0-9a-f]{32}"')


@dataclass(frozen=True, slots=True)
class KeptPageEntry:
    """What a request's kept page is filed under (a visitor's too: ``forum.core.pagecache``)."""

    key: Hashable  # who, which session, which page, which language
    stamp: Hashable  # the content counter and the member's own state, read before the view


def member_request() -> KeptPageEntry | None:
    """This request's key and stamp, or None when it must be rendered for the person."""
    if not session or not set(session) <= SESSION_KEYS:
        return None
    user_id, _sep, version = str(session.get("_user_id", "")).partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    # Flask-Login's "basic" protection marks a session from another browser as not fresh, a
    # write to the session: that request is rendered.
    if session.get("_id") != login_manager._session_identifier_generator():
        return None
    if not current_app.extensions["member_pages_table"].ready():
        return None
    row = single_read(STATE, {"user_id": int(user_id)})
    if row is None:  # no such person, or the connection was lost: rendered
        return None
    generation, page_version, session_version, *account, staff = row
    if staff or session_version != int(version):
        return None  # staff pages are always rendered; an old session is not signed in
    locale, cookie = account[0], request.cookies.get(LANG_COOKIE)
    language = locale if locale in LANGUAGES else cookie if cookie in LANGUAGES else "nl"
    key = ("member", int(user_id), session.get("csrf_token"), request.full_path, language)
    return KeptPageEntry(key, (generation, page_version, *account))


def fresh_submission_keys(body: bytes) -> bytes:
    """A kept page's writing form gets a new one-time key: two tabs of one kept page must not
    share a key, or the second post would be taken for a double submit of the first."""
    return _SUBMISSION_KEY.sub(
        lambda match: match.group(1) + secrets.token_hex(16).encode() + b'"', body
    )
