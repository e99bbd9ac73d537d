"""Page numbers and ids from URLs, safely: junk, negatives and huge numbers become 404."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request
from flask_sqlalchemy.pagination import Pagination
from werkzeug.routing import IntegerConverter

from forum.db import db

MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """The requested page (1 when absent). ``?page=abc``, ``-1`` or ``10**20`` answer 404."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        abort(404)
    page = int(raw)
    if page < 1 or page > MAX_PAGE:
        abort(404)
    return page


def paginate(stmt: sa.Select, page: int, per_page: int) -> Pagination:
    """One page of ``stmt``; a page past the end is a 404 (page 1 always exists)."""
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    if page > 1 and page > pagination.pages:
        abort(404)
    return pagination


class IdConverter(IntegerConverter):
    """``<id:name>`` in a route: a positive id up to the largest 32-bit integer.

    A bigger number is a 404 instead of a 500: PostgreSQL refuses it in an INTEGER comparison,
    SQLite anything above 64 bits.
    """

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, min=1, max=2**31 - 1)
