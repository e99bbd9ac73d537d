"""Werkvelden managed by admins: add, rename, reorder, archive. Every change is audited."""

from __future__ import annotations

import re

import sqlalchemy as sa

from forum import audit
from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db
from forum.i18n import _

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class SettingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def all_settings() -> list[Setting]:
    return list(
        db.session.execute(
            sa.select(Setting).order_by(Setting.archived, Setting.position, Setting.id)
        ).scalars()
    )


def add_setting(slug: str, name_nl: str, name_en: str, actor: User) -> Setting:
    if not SLUG_RE.match(slug):
        raise SettingError(_("Gebruik voor de korte naam alleen kleine letters, cijfers en -."))
    if db.session.execute(sa.select(Setting.id).where(Setting.slug == slug)).first():
        raise SettingError(_("Er is al een werkveld met deze korte naam."))
    last = db.session.execute(sa.select(sa.func.max(Setting.position))).scalar_one() or 0
    setting = Setting(slug=slug, name_nl=name_nl, name_en=name_en, position=last + 1)
    db.session.add(setting)
    db.session.flush()
    audit.record(actor, "setting.added", "setting", setting.id, data={"slug": slug})
    return setting


def rename_setting(setting: Setting, name_nl: str, name_en: str, actor: User) -> None:
    before = {"name_nl": setting.name_nl, "name_en": setting.name_en}
    setting.name_nl, setting.name_en = name_nl, name_en
    audit.record(
        actor,
        "setting.renamed",
        "setting",
        setting.id,
        data={"before": before, "after": {"name_nl": name_nl, "name_en": name_en}},
    )


def move_setting(setting: Setting, direction: int, actor: User) -> None:
    """Swap the werkveld with its neighbour above (-1) or below (+1) in the order."""
    ordered = [s for s in all_settings() if not s.archived]
    if setting not in ordered:
        return
    index = ordered.index(setting)
    other_index = index + direction
    if not 0 <= other_index < len(ordered):
        return
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    audit.record(actor, "setting.moved", "setting", setting.id, data={"direction": direction})


def set_archived(setting: Setting, archived: bool, actor: User) -> None:
    if setting.archived == archived:
        return
    if archived and len([s for s in all_settings() if not s.archived]) <= 1:
        raise SettingError(_("Er moet minstens één werkveld open blijven."))
    setting.archived = archived
    audit.record(
        actor, "setting.archived" if archived else "setting.unarchived", "setting", setting.id
    )


def set_premoderated(setting: Setting, premoderated: bool, actor: User, reason: str = "") -> bool:
    """Let every post in this werkveld wait for a moderator (or stop that). False: no change."""
    if setting.premoderated == premoderated:
        return False
    setting.premoderated = premoderated
    audit.record(
        actor,
        "setting.premoderated_on" if premoderated else "setting.premoderated_off",
        "setting",
        setting.id,
        reason=reason,
    )
    db.session.flush()
    return True
