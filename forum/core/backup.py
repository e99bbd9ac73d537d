"""``flask --app forum backup PATH``: a consistent copy of the database while the forum runs.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page inside one read
transaction, so the copy is the database as it stood at one moment, WAL included, while writers
go on (WAL readers do not block them). The copy is a single file (journal mode DELETE), checked
with ``PRAGMA integrity_check`` before it counts. Copied in one step on purpose: a step-by-step
copy starts over whenever another connection writes, and a busy forum always writes.

PostgreSQL: ``pg_dump --format=custom``, which reads one snapshot; the dump is checked with
``pg_restore --list``. pg_dump must be installed (Debian: ``postgresql-client``), of the
server's major version or newer.

Either way the copy is written beside PATH under a temporary name and renamed when it is
complete, so PATH is never half a backup. README, "Backups", says how to restore one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from forum.db import db


class BackupError(Exception):
    """A backup that could not be made; the message says why and what to do."""


@dataclass
class Backup:
    path: Path
    engine: str
    size: int
    seconds: float
    check: str  # what was checked, e.g. "integrity_check ok"

    def summary(self) -> str:
        return (
            f"Backup written to {self.path} ({self.engine}, {self.size / 1e6:.1f} MB, "
            f"{self.seconds:.1f} s; {self.check})."
        )


def write_backup(url: sa.URL, target: Path, overwrite: bool = False) -> Backup:
    """Copy the database at ``url`` to ``target``."""
    target = Path(target).resolve()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another name or pass --force.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.part")
    started = time.monotonic()
    try:
        if url.get_backend_name() == "sqlite":
            check = copy_sqlite(sqlite_path(url, target), partial)
            engine = "SQLite"
        elif url.get_backend_name() == "postgresql":
            check = dump_postgresql(url, partial)
            engine = "PostgreSQL"
        else:
            raise BackupError(f"No backup method for {url.get_backend_name()} databases.")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, engine, target.stat().st_size, time.monotonic() - started, check)


def sqlite_path(url: sa.URL, target: Path) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("This database lives in memory: there is no file to back up.")
    source = Path(url.database).resolve()
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    if source == target:
        raise BackupError("The backup cannot replace the database itself.")
    return source


def copy_sqlite(source: Path, partial: Path) -> str:
    partial.unlink(missing_ok=True)
    # closing(): a sqlite3 connection's own ``with`` commits but does not close.
    with (
        closing(sqlite3.connect(source, timeout=30)) as live,
        closing(sqlite3.connect(partial)) as copy,
    ):
        live.backup(copy)  # pages=-1: all of it in one read transaction (docstring)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        result = copy.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"The copy failed its integrity check: {result[:5]}")
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    return "integrity_check ok"


def dump_postgresql(url: sa.URL, partial: Path) -> str:
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if pg_dump is None or pg_restore is None:
        raise BackupError(
            "pg_dump was not found. Install PostgreSQL's client programs (Debian: "
            "apt-get install postgresql-client, of the server's version or newer), or back up "
            "with your host's own tools."
        )
    # The password goes through the environment, never the command line (ps shows that).
    conninfo = url.set(drivername="postgresql", password=None).render_as_string()
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dumped = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
        [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={conninfo}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if dumped.returncode != 0:
        raise BackupError(f"pg_dump failed: {dumped.stderr.strip()}")
    listed = subprocess.run(  # noqa: S603
        [pg_restore, "--list", str(partial)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        raise BackupError(f"The dump cannot be read back: {listed.stderr.strip()}")
    entries = sum(1 for line in listed.stdout.splitlines() if line and not line.startswith(";"))
    return f"pg_dump custom format, {entries} entries readable"


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH while the forum runs.

    SQLite: a single database file. PostgreSQL: a pg_dump archive (custom format) for
    pg_restore. See README, "Backups", for restoring.
    """
    try:
        made = write_backup(db.engine.url, path, overwrite=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(made.summary())
