"""Datasets for ``make bench``: build once with ``flask seed``, reuse while seed and schema match.

A dataset is a pristine database (SQLite file in instance/bench/ or a PostgreSQL database) plus a
stamp file beside it naming the seed arguments, the migration head and a digest of the seed's
code it was built with. Each run
works on a fresh copy of it, so the write benchmark's replies never change the next run's pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "instance" / "bench"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"


@dataclass
class Dataset:
    """One dataset on one database engine."""

    label: str  # "50k" or "1m" ("demo" while developing)
    engine: str  # "sqlite" or "postgresql"
    seed_args: list[str]  # arguments of `flask seed`, or ["demo"]

    @property
    def name(self) -> str:
        return f"forum_bench_{self.label}"

    @property
    def stamp(self) -> Path:
        return OUT / f"{self.name}-{self.engine}.stamp.json"

    def url(self, work: bool = False) -> str:
        name = f"{self.name}_run" if work else self.name
        if self.engine == "sqlite":
            return f"sqlite:///{OUT / (name + '.db')}"
        return PG_BASE + name


def seed_code() -> str:
    """A digest of the seed's source: a dataset made by other seed code is built again."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "forum" / "seeding").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migration_head() -> str:
    heads = ScriptDirectory(str(ROOT / "migrations")).get_heads()
    return ",".join(sorted(heads))


def flask(args: list[str], url: str, quiet: bool = False) -> None:
    """Run ``flask --app forum ARGS`` on the database at ``url``; fail loudly with its output."""
    env = {**os.environ, "FORUM_DATABASE_URL": url, "FORUM_SECRET_KEY": "bench-secret"}
    command = [str(Path(sys.executable).parent / "flask"), "--app", "forum", *args]
    result = subprocess.run(  # noqa: S603 (our own command line)
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: `flask {' '.join(args)}` failed:\n{result.stdout or ''}")


def _pg_exists(name: str) -> bool:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _pg_recreate(name: str, template: str = "template0") -> None:
    # Names are ours (forum_bench_*), never user input: safe to put in the statement.
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING \'UTF8\'')


def _present(dataset: Dataset) -> bool:
    if dataset.engine == "sqlite":
        return Path(dataset.url().removeprefix("sqlite:///")).exists()
    return _pg_exists(dataset.name)


def ensure(dataset: Dataset, echo=print) -> bool:
    """Build the dataset unless a matching one is there; True when it was (re)built."""
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = {"seed": dataset.seed_args, "head": migration_head(), "seed_code": seed_code()}
    stamp = json.loads(dataset.stamp.read_text()) if dataset.stamp.exists() else None
    if stamp == wanted and _present(dataset):
        echo(f"  reusing {dataset.name} ({dataset.engine}): seed {' '.join(dataset.seed_args)}")
        return False
    echo(f"  building {dataset.name} ({dataset.engine}): seed {' '.join(dataset.seed_args)}")
    dataset.stamp.unlink(missing_ok=True)
    if dataset.engine == "sqlite":
        path = Path(dataset.url().removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _pg_recreate(dataset.name)
    flask(["db", "upgrade"], dataset.url(), quiet=True)
    if dataset.seed_args == ["demo"]:
        flask(["demo"], dataset.url(), quiet=True)
    else:
        flask(["seed", *dataset.seed_args, "--force"], dataset.url())
    dataset.stamp.write_text(json.dumps(wanted))
    return True


def work_copy(dataset: Dataset) -> str:
    """A fresh copy of the pristine dataset for this run; returns its URL."""
    if dataset.engine == "sqlite":
        source = dataset.url().removeprefix("sqlite:///")
        target = Path(dataset.url(work=True).removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        # The backup API copies a consistent database, WAL included.
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    else:
        _pg_recreate(f"{dataset.name}_run", template=dataset.name)
    return dataset.url(work=True)


def drop_work_copy(dataset: Dataset) -> None:
    if dataset.engine == "sqlite":
        target = dataset.url(work=True).removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    else:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dataset.name}_run" WITH (FORCE)')


def disk_size(dataset: Dataset) -> str:
    if dataset.engine == "sqlite":
        size = Path(dataset.url().removeprefix("sqlite:///")).stat().st_size
        return f"{size / 1e6:.0f} MB"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        row = conn.execute("SELECT pg_database_size(%s)", (dataset.name,)).fetchone()
    return f"{row[0] / 1e6:.0f} MB" if row else "?"
