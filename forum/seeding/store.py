"""Inserting plain rows fast, ids chosen by the caller: one executemany per table and batch on
SQLite, COPY on PostgreSQL (then ``sync_sequences`` so the app's own inserts go on after them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from forum.db import db


class Writer:
    """Inserts lists of dicts through the driver itself: SQLAlchemy's per-row work would cost
    more than the insert. Values are converted as SQLAlchemy's bind processors would."""

    def __init__(self) -> None:
        self.dialect = db.session.connection().dialect
        self.sqlite = self.dialect.name == "sqlite"

    def insert(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.sqlite:
            self.copy(table, rows)
            return
        # SQLAlchemy writes the statement (qmark style) and says the order of its parameters.
        compiled = sa.insert(table).compile(dialect=self.dialect, column_keys=list(rows[0]))
        names = list(compiled.positiontup or [])
        converters = [self.converter(table.c[name].type) for name in names]
        plain = all(convert is None for convert in converters)
        converted = [
            tuple(row[name] for name in names)
            if plain
            else tuple(
                row[name] if convert is None else convert(row[name])
                for name, convert in zip(names, converters, strict=True)
            )
            for row in rows
        ]
        sql = str(compiled)
        cursor = db.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.executemany(sql, converted)
        cursor.close()

    def copy(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """PostgreSQL: COPY … FROM STDIN (psycopg 3 adapts each value by its Python type)."""
        from psycopg import sql

        names = list(rows[0])
        json_columns = {name for name in names if isinstance(table.c[name].type, sa.JSON)}
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
        )
        cursor = db.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])
        cursor.close()

    def sync_sequences(self, tables: list[sa.Table]) -> None:
        """PostgreSQL: move each table's id sequence past the ids the seed chose."""
        if self.sqlite:
            return
        for table in tables:
            following = sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0) + 1)
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            db.session.execute(
                sa.select(sa.func.setval(sequence, following.scalar_subquery(), sa.false()))
            )

    def analyze(self) -> None:
        """PostgreSQL: planner statistics now, as autovacuum would give a forum that grew.

        Without them the planner takes every table for nearly empty, and a search walks all
        posts instead of the index (0.2 s instead of 2 ms at 50,000 posts). SQLite is left as a
        forum that grew there would be: it gathers no statistics by itself.
        """
        if not self.sqlite:
            db.session.execute(sa.text("ANALYZE"))

    def converter(self, type_: sa.types.TypeEngine) -> Callable[[Any], Any] | None:
        """What a value of this column type needs before sqlite3 takes it: the dialect's own bind
        processor for dates and JSON (cached: the seed's JSON values repeat), nothing for text,
        numbers and booleans, which sqlite3 stores as SQLAlchemy would."""
        if isinstance(type_, sa.Boolean | sa.Enum):
            return None  # the seed passes enums by value; sqlite3 stores True as 1
        process = type_._cached_bind_processor(self.dialect)
        if process is None or not isinstance(type_, sa.JSON):
            return process
        cache: dict[str, Any] = {}

        def cached(value: Any) -> Any:
            key = repr(value)
            if key not in cache:
                cache[key] = process(value)
            return cache[key]

        return cached

    def pragmas(self, fast: bool) -> None:
        """On SQLite, skip fsync while seeding, then back to the app's own setting.

        The journal mode stays (WAL, set on every connection): changing it needs the database to
        itself, and the app or a test may hold other connections.
        """
        if self.sqlite:
            db.session.commit()
            db.session.execute(sa.text(f"PRAGMA synchronous={'OFF' if fast else 'NORMAL'}"))
            # A large page cache while seeding: the posts' indexes take rows out of order.
            db.session.execute(sa.text(f"PRAGMA cache_size={-1_000_000 if fast else -2000}"))


def next_id(column: sa.ColumnElement[int]) -> int:
    return (db.session.execute(sa.select(sa.func.max(column))).scalar() or 0) + 1
