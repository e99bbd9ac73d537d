"""The SQLAlchemy base: naming convention for Alembic, enums stored by value, UTC timestamps."""

from __future__ import annotations

import enum
import functools
import os
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime that comes back aware on SQLite too."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use forum.db.utcnow()")
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    # Flask-SQLAlchemy 3.1 refuses a class-level type_annotation_map; a registry carries it.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class ReplicaWriteError(RuntimeError):
    """A write was attempted while the request reads from the read replica."""


# Where ``forum.core.replica`` puts the replica's engine while a replica-read view runs.
REPLICA_BIND = "db_replica_bind"


class RoutingSession(FlaskSession):
    """The app's session: on the primary, except while a view marked by
    ``forum.core.replica.replica_read`` runs; then every query goes to the replica and any
    write (a flush, an INSERT/UPDATE/DELETE) raises instead of landing on the wrong database."""

    def get_bind(
        self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any
    ) -> sa.Engine | sa.Connection:
        replica = g.get(REPLICA_BIND) if bind is None and has_app_context() else None
        if replica is None:
            return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if self._flushing or isinstance(clause, sa.UpdateBase):
            raise ReplicaWriteError("a write while reading from the replica")
        return replica


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def enum_column(enum_class: type[enum.Enum], length: int = 20) -> sa.Enum:
    """Store a StrEnum by value as plain text, the same DDL on SQLite and PostgreSQL."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def claim_rows(
    model: Any, condition: sa.ColumnElement[bool], values: dict[str, Any], limit: int
) -> list[int]:
    """Claim up to ``limit`` rows of ``model`` that meet ``condition`` (oldest id first): set
    ``values`` on them and return their ids. Two claimers never get the same row. The outbox's
    and the data downloads' workers claim with it.

    On PostgreSQL the rows are locked first (``FOR UPDATE SKIP LOCKED``: rows another claimer
    holds are passed by) and then updated by id. As one statement, ``UPDATE … WHERE id IN
    (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)``, the planner may run the subquery again for each
    row it updates and so claim far more than ``limit``: one worker took all the mail. On SQLite
    one guarded UPDATE runs under the database's single write lock."""
    pick = sa.select(model.id).where(condition).order_by(model.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.execute(pick.with_for_update(skip_locked=True)).scalars())
        if not ids:
            return []
        chosen = model.id.in_(ids)
    else:
        chosen = model.id.in_(pick.scalar_subquery())
    stmt = (
        sa.update(model)
        .where(chosen, condition)
        .values(values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(db.session.execute(stmt).scalars())


def claim_forward(
    model: type, keys: dict[str, Any], column: str, value: Any, values: dict[str, Any]
) -> bool:
    """Move the row of ``model`` with these ``keys`` forward to ``column`` = ``value`` (with the
    other ``values``): True for exactly one caller, however many ask at the same moment. The
    worker's claims on a digest period or a day are made with it.

    A first claim inserts the row (a conflicting insert does nothing); later ones move it
    forward with a guarded UPDATE (only while it is behind). Either way the row stays locked
    until the caller commits, so a second caller waits and then finds it taken."""
    row = {**keys, column: value, **values}
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    # RETURNING, not rowcount: psycopg reports -1 as the row count of an INSERT, which would
    # read as "inserted" for every caller on PostgreSQL.
    insert = dialect.insert(model).values(row).on_conflict_do_nothing()
    primary = sa.inspect(model).primary_key[0]
    if db.session.execute(insert.returning(primary)).first() is not None:
        return True
    attribute = getattr(model, column)
    guard = [getattr(model, name) == key for name, key in keys.items()]
    moved = db.session.execute(
        sa.update(model)
        .where(*guard, attribute < value)
        .values({column: value, **values})
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(moved)


def single_read(statement: sa.Executable, params: dict | None = None) -> sa.Row | None:
    """The first row of one quick SELECT made before a request's own work (the page cache's
    check); None when there is no row, or when the connection turned out to be dead (the caller
    then renders the page, and the pool has dropped that connection).

    On PostgreSQL it reads through a small pool of its own that runs without a transaction and
    without the ping before each use: one SELECT sees one snapshot anyway, and BEGIN, ROLLBACK
    and the ping were three of its four round trips. SQLite's driver is quicker as it is."""
    try:
        with reading_engine().connect() as connection:
            return connection.execute(statement, params or {}).first()
    except sa.exc.DBAPIError as error:
        if error.connection_invalidated:
            return None
        raise


def reading_engine() -> sa.Engine:
    """The engine of ``single_read`` (the app's own engine on SQLite)."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return engine
    return _reading_engine(engine.url, os.getpid())


@functools.lru_cache(maxsize=4)
def _reading_engine(url: sa.URL, _process: int) -> sa.Engine:
    # One per database and process: a pool is never shared across a fork.
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8)
