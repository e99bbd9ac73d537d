"""Bringing posts to a moderator, removal requests."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
