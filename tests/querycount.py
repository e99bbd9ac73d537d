"""Count the SQL statements a block of code sends (to pin a page's query count)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask

from forum.db import db


class QueryLog:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(app: Flask) -> Iterator[QueryLog]:
    """Record every statement sent on the app's engine inside the ``with`` block."""
    log = QueryLog()
    with app.app_context():
        engine = db.engine

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        log.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield log
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)
