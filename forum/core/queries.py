"""Read-side helpers for werkvelden."""

from __future__ import annotations

from flask import g
from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice

from forum.core.models import Setting
from forum.db import db
from forum.forms import choice_list


def active_settings() -> list[Setting]:
    """The werkvelden that are not archived, in their admin-chosen order (cached per request)."""
    if "active_settings" not in g:
        g.active_settings = list(
            db.session.execute(
                db.select(Setting)
                .where(Setting.archived.is_(False))
                .order_by(Setting.position, Setting.id)
            ).scalars()
        )
    return g.active_settings


def setting_choices() -> list[SelectChoice]:
    locale = str(get_locale() or "nl")
    return choice_list((setting.id, setting.name(locale)) for setting in active_settings())
