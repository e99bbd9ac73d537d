"""Admin pages for watched words."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation_settings", __name__, url_prefix="/beheer")
