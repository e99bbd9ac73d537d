"""The fixed pages: guidelines, privacy and accessibility statements; /healthz.

The landing page is the discussions home (``discussions.home``), which adds what members read.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_babel import get_locale
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from forum.db import db

bp = Blueprint("core", __name__)

PAGES = {
    "gespreksregels": "guidelines",
    "privacy": "privacy",
    "toegankelijkheid": "accessibility",
}


@bp.get("/<any(gespreksregels, privacy, toegankelijkheid):page>")
def page(page: str) -> str:
    """Long texts are written per language, so each has a Dutch and an English template."""
    locale = "en" if str(get_locale()) == "en" else "nl"
    return render_template(f"core/{PAGES[page]}.{locale}.html")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(db.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
