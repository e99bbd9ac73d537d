"""Site-wide settings that admins change at run time (registration mode, public reading).

Each setting has a default here; a row in ``site_config`` overrides it. Values are read once per
request and cached on ``g`` so a page asks the database at most once.
"""

from __future__ import annotations

import enum

from flask import current_app, g

from forum.core.models import SiteConfig
from forum.db import db, utcnow

DEFAULT_TRUST_THRESHOLD = 3
DEFAULT_REPORT_LIMIT = 3


class RegistrationMode(enum.StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITE = "invite"


def defaults() -> dict[str, str]:
    """Every known site setting with its default value."""
    return {
        "registration_mode": RegistrationMode.OPEN.value,
        "public_read": "1" if current_app.config["FORUM_PUBLIC_READ"] else "0",
        "trust_threshold": str(DEFAULT_TRUST_THRESHOLD),
        "report_limit": str(DEFAULT_REPORT_LIMIT),
    }


def all_values() -> dict[str, str]:
    """All site settings for this request (one query, cached on ``g``)."""
    if "site_config" not in g:
        values = defaults()
        for row in db.session.execute(db.select(SiteConfig)).scalars():
            if row.key in values:
                values[row.key] = row.value
        g.site_config = values
    return g.site_config


def registration_mode() -> RegistrationMode:
    try:
        return RegistrationMode(all_values()["registration_mode"])
    except ValueError:
        return RegistrationMode.OPEN


def public_read() -> bool:
    return all_values()["public_read"] == "1"


def _number(key: str, default: int) -> int:
    try:
        return max(0, int(all_values()[key]))
    except ValueError:
        return default


def trust_threshold() -> int:
    """Members with fewer approved posts than this wait for a moderator."""
    return _number("trust_threshold", DEFAULT_TRUST_THRESHOLD)


def report_limit() -> int:
    """This many open reports on a post hide it until a moderator has looked (at least 1)."""
    return max(1, _number("report_limit", DEFAULT_REPORT_LIMIT))


def set_value(key: str, value: str) -> None:
    """Store a site setting (flush only; the caller commits)."""
    if key not in defaults():
        raise KeyError(key)
    row = db.session.get(SiteConfig, key)
    if row is None:
        row = SiteConfig(key=key, value=value, updated_at=utcnow())
        db.session.add(row)
    else:
        row.value = value
        row.updated_at = utcnow()
    db.session.flush()
    g.pop("site_config", None)
