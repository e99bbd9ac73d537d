"""Page numbers from the query string, safely: junk, negatives and huge numbers become 404."""

from __future__ import annotations

from flask import abort, request

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
