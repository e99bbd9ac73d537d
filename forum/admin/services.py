"""Admin rules: site settings. (People and roles live in accounts.services.)"""

from __future__ import annotations

from forum import audit
from forum.accounts.models import User
from forum.core import site


def update_site_settings(values: dict[str, str], actor: User, reason: str = "") -> None:
    """Store changed site settings and log each change."""
    current = site.all_values()
    changed = {key: value for key, value in values.items() if current.get(key) != value}
    for key, value in changed.items():
        site.set_value(key, value)
    if changed:
        audit.record(
            actor,
            "site.settings_changed",
            "site",
            None,
            reason=reason,
            data={"changed": changed, "before": {k: current[k] for k in changed}},
        )
