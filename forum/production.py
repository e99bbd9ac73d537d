"""Production mode (``FORUM_ENV=production``): refuse to start with a setting that only suits a
developer's machine.

Outside production the forum makes up what is missing (a secret key in ``instance/``, SQLite,
any Host header); in production each of those would be a quiet risk (sessions signed with a key
per host, research pseudonyms that equal the session key, links in mails to the wrong host), so
``create_app`` stops with every problem on its own line instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

PRODUCTION = "production"


class ProductionConfigError(RuntimeError):
    """Raised by ``check``: the message lists each problem, one a line."""


def environment(environ: Mapping[str, str] | None = None) -> str:
    """``production`` or ``""`` (unset); anything else is a typo that must not mean development."""
    value = (os.environ if environ is None else environ).get("FORUM_ENV", "").strip().lower()
    if value not in ("", PRODUCTION):
        raise ProductionConfigError(
            f"FORUM_ENV is {value!r}: set it to 'production' or leave it unset (development)."
        )
    return value


def problems(environ: Mapping[str, str]) -> list[str]:
    """What stops a production start, as one instruction each (empty: all is well)."""

    def value(name: str) -> str:
        return environ.get(name, "").strip()

    found = []
    secret, research = value("FORUM_SECRET_KEY"), value("FORUM_RESEARCH_KEY")
    if not secret:
        found.append(
            "FORUM_SECRET_KEY is not set: give it a long random value (python -c 'import "
            "secrets; print(secrets.token_hex(32))'), the same on every host."
        )
    if not research:
        found.append(
            "FORUM_RESEARCH_KEY is not set: give it a long random value of its own (not the "
            "secret key), kept as long as a study runs."
        )
    elif research == secret:
        found.append(
            "FORUM_RESEARCH_KEY equals FORUM_SECRET_KEY: give the research key a different "
            "random value."
        )
    base_url = value("FORUM_BASE_URL")
    if not base_url.startswith(("https://", "http://")):
        found.append(
            "FORUM_BASE_URL is not set to a full address: set it to the public address, "
            "e.g. https://forum.example.nl (links in mails use it)."
        )
    if not [host for host in value("FORUM_TRUSTED_HOSTS").split(",") if host.strip()]:
        found.append(
            "FORUM_TRUSTED_HOSTS is not set: list the host names the forum answers to, "
            "comma-separated, e.g. forum.example.nl."
        )
    if not value("FORUM_MAIL_URL"):
        found.append(
            "FORUM_MAIL_URL is not set: give the mail server, e.g. "
            "smtp://user:password@smtp.example.nl:587?starttls=1 (without it every mail, with "
            "its address and sign-in links, is written to the log)."
        )
    database = value("FORUM_DATABASE_URL")
    if not database or database.startswith("sqlite"):
        found.append(
            "FORUM_DATABASE_URL is not a PostgreSQL database: set it to "
            "postgresql://user:password@host:5432/name (SQLite is for one machine only)."
        )
    return found


def check(environ: Mapping[str, str] | None = None) -> str:
    """Return the environment's name; in production, raise when a setting is missing."""
    environ = os.environ if environ is None else environ
    name = environment(environ)
    if name == PRODUCTION and (found := problems(environ)):
        raise ProductionConfigError(
            "FORUM_ENV=production, but the forum cannot start:\n" + "\n".join(found)
        )
    return name
