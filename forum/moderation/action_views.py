"""Moderator actions on threads, posts and people."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation_actions", __name__, url_prefix="/moderatie")
