"""Configuration from FORUM_* environment variables, read once when the app is created.

Every variable is listed in the README. Defaults suit a bare machine: SQLite in ``instance/``,
mail written to the log, rate limits kept in memory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

TRUE_WORDS = {"1", "true", "yes", "on", "ja"}

# Retention (forum.accounts.rights.retention): how many days each kind of data is kept, counted
# from the moment named here. The purge and the privacy statement both read these settings.
RETENTION_DAYS = {
    "FORUM_RETAIN_REJECTED_DAYS": 90,  # a rejected post, from its rejection
    "FORUM_RETAIN_REDACTED_DAYS": 30,  # traces of redacted text in the search index
    "FORUM_RETAIN_TOKEN_DAYS": 7,  # a verification, reset or invitation link, after it expired
    "FORUM_RETAIN_MAIL_DAYS": 30,  # a sent mail (or one that used up its tries), from then
    "FORUM_RETAIN_EXPORT_DAYS": 365,  # the record of a research export, from the export
}


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_int(name: str, default: int, lowest: int, highest: int) -> int:
    """Read a whole number; a value that is not one, or out of range, stops the start with a
    message naming the variable (a typo must not silently become the default)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not lowest <= int(value) <= highest:
        raise ValueError(f"{name} must be a whole number from {lowest} to {highest}: {value!r}")
    return int(value)


def instance_secret(instance_path: Path, filename: str) -> str:
    """Return a secret kept in ``instance/``; create it (mode 0600) on first use."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / filename
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value


def normalise_database_url(url: str) -> str:
    """Let people write postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def build_config(instance_path: Path) -> dict[str, Any]:
    """The app's settings, from the environment with safe defaults."""
    default_db = f"sqlite:///{instance_path / 'forum.db'}"
    database_url = normalise_database_url(os.environ.get("FORUM_DATABASE_URL") or default_db)
    if database_url == default_db:
        # SQLite makes the file, not its folder: without this, `flask db upgrade` on a fresh
        # clone with FORUM_SECRET_KEY set fails with "unable to open database file".
        instance_path.mkdir(parents=True, exist_ok=True)
    secure_cookies = env_flag("FORUM_SECURE_COOKIES", False)
    return {
        "SECRET_KEY": os.environ.get("FORUM_SECRET_KEY")
        or instance_secret(instance_path, "secret_key"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # A read replica for the list and search pages (forum.core.replica); after their own
        # write a person reads the primary for this many seconds.
        "FORUM_DATABASE_REPLICA_URL": normalise_database_url(
            os.environ.get("FORUM_DATABASE_REPLICA_URL", "").strip()
        ),
        "FORUM_REPLICA_STICKY_SECONDS": env_int("FORUM_REPLICA_STICKY_SECONDS", 10, 0, 3600),
        "FORUM_MAIL_URL": os.environ.get("FORUM_MAIL_URL", ""),
        "FORUM_MAIL_FROM": os.environ.get("FORUM_MAIL_FROM", "Dorpsplein <noreply@dorpsplein.nl>"),
        # Mail and the worker (README, "Mail and the worker"). Digests go out at this hour,
        # Amsterdam time (BABEL_DEFAULT_TIMEZONE); the weekly one on this day, 0 = Monday.
        "FORUM_DIGEST_HOUR": env_int("FORUM_DIGEST_HOUR", 7, 0, 23),
        "FORUM_DIGEST_WEEKDAY": env_int("FORUM_DIGEST_WEEKDAY", 0, 0, 6),
        # Seconds the worker sleeps between rounds (immediate mails leave within a round).
        "FORUM_WORKER_INTERVAL": env_int("FORUM_WORKER_INTERVAL", 20, 1, 3600),
        # A failed mail is tried again after 2, 4, 8, … times this many seconds (8 tries).
        "FORUM_MAIL_RETRY_SECONDS": env_int("FORUM_MAIL_RETRY_SECONDS", 60, 1, 86400),
        # A sender's claim on a mail it did not finish (a crashed worker) expires after this.
        "FORUM_MAIL_CLAIM_MINUTES": env_int("FORUM_MAIL_CLAIM_MINUTES", 5, 1, 1440),
        # Own-data downloads (forum.accounts.rights.download): how long a link works, where the
        # files are kept, and up to how many posts an account is built in the request itself
        # (0: always by the worker).
        "FORUM_DATA_DOWNLOAD_HOURS": env_int("FORUM_DATA_DOWNLOAD_HOURS", 72, 1, 24 * 30),
        "FORUM_DATA_DOWNLOAD_DIR": os.environ.get("FORUM_DATA_DOWNLOAD_DIR", "").strip()
        or str(instance_path / "downloads"),
        "FORUM_DATA_DOWNLOAD_INLINE_POSTS": env_int(
            "FORUM_DATA_DOWNLOAD_INLINE_POSTS", 200, 0, 100_000
        ),
        # Research exports (forum.research.export_jobs): up to how many posts one is built in
        # the request (0: always by the worker), where the worker's files go, how long they stay.
        "FORUM_RESEARCH_EXPORT_INLINE_POSTS": env_int(
            "FORUM_RESEARCH_EXPORT_INLINE_POSTS", 2000, 0, 10_000_000
        ),
        "FORUM_RESEARCH_EXPORT_DIR": os.environ.get("FORUM_RESEARCH_EXPORT_DIR", "").strip()
        or str(instance_path / "research-exports"),
        "FORUM_RESEARCH_EXPORT_HOURS": env_int("FORUM_RESEARCH_EXPORT_HOURS", 72, 1, 24 * 30),
        "FORUM_PUBLIC_READ": env_flag("FORUM_PUBLIC_READ", False),
        # Visitors' pages kept per worker until content changes (forum.core.pagecache); 0 = off.
        "FORUM_PAGE_CACHE_SECONDS": env_int("FORUM_PAGE_CACHE_SECONDS", 60, 0, 86400),
        "FORUM_PAGE_CACHE_MB": env_int("FORUM_PAGE_CACHE_MB", 64, 1, 4096),
        "FORUM_BASE_URL": os.environ.get("FORUM_BASE_URL", "").rstrip("/"),
        # Host names this forum answers to (comma-separated); other Host headers get a 400.
        "TRUSTED_HOSTS": [
            host.strip()
            for host in os.environ.get("FORUM_TRUSTED_HOSTS", "").split(",")
            if host.strip()
        ]
        or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("FORUM_RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": env_flag("FORUM_RATELIMIT_ENABLED", True),
        # A Redis outage must not take the forum down: fall back to per-process limits. And
        # when Redis goes away between a request's check and its count (a stored post is
        # counted after the view), that one count is skipped instead of turning the stored
        # post into a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        # 1 MiB is far above the longest post we accept, so long texts get a form error, not a 413.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "FORUM_TOKEN_HOURS": {"verify": 72, "reset": 1, "invite": 24 * 14},
        "FORUM_PROXY_HOPS": int(os.environ.get("FORUM_PROXY_HOPS", "0") or 0),
        # The key for research pseudonyms (HMAC-SHA256 of a person's id). Never the app secret:
        # exports are refused while it is empty. Keep it as long as a study runs, so the same
        # person keeps the same pseudonym in every export; a new key gives new pseudonyms.
        "FORUM_RESEARCH_KEY": os.environ.get("FORUM_RESEARCH_KEY", "").strip(),
        **{name: env_int(name, days, 0, 3650) for name, days in RETENTION_DAYS.items()},
    }
