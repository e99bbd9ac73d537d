"""What the scenarios of ``bench/load.py`` start, stop and read, all on loopback ports.

- ``PrivatePostgres``: a throwaway cluster in a temporary folder on a free port (initdb and
  pg_ctl, as the postgres user when we are root, as .ci/run's fallback does), so a scenario can
  stop and restart its database server. The shared server on 5432 is never stopped.
- ``PrivateRedis``: a redis-server of our own on a free port, to kill.
- ``MailSink``: an SMTP server (aiosmtpd) that takes every mail, for after a mail outage.
- ``prepare``: writers (trusted members with a known password) and where they write.
- ``stored_markers``, ``integrity``, ``counters_off``, ``outbox_state``: what the database holds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from bench import http_plan
from bench.http_servers import free_port
from bench.load_writers import MARKER_RE, Target

THREADS_TO_REPLY_TO = 10


def _as_postgres(command: list[str], cwd: str | None = None) -> None:
    """Run a PostgreSQL server program; initdb and postgres refuse to run as root."""
    if os.geteuid() == 0:
        command = ["su", "postgres", "-c", shlex.join(command)]
    subprocess.run(  # noqa: S603 (our own command line)
        command, check=True, cwd=cwd or "/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


class PrivatePostgres:
    """A PostgreSQL cluster of our own: initdb into a temporary folder, pg_ctl on a free port."""

    def __init__(self) -> None:
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if not versions:
            raise SystemExit(
                "load: PostgreSQL's server programs are missing (apt-get install postgresql)"
            )
        self.bin = versions[-1]
        self.folder = Path(tempfile.mkdtemp(prefix="forum-load-pg."))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        _as_postgres(
            [
                str(self.bin / "initdb"),
                f"--pgdata={self.folder / 'data'}",
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        self.start()

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> None:
        _as_postgres([str(self.bin / "pg_ctl"), f"--pgdata={self.folder / 'data'}", *args])

    def start(self) -> None:
        # Durability as in production (fsync on): what was acknowledged must survive a crash.
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, f"--log={self.folder / 'log'}", "--wait", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl(f"--mode={mode}", "--wait", "stop")

    def create_database(self, name: str) -> str:
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))  # our own name
        engine.dispose()
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    def __init__(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise SystemExit("load: redis-server is missing (apt-get install redis-server)")
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                self.kill()
                raise SystemExit("load: the private redis-server did not start")
            time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class MailSink:
    """Takes every mail on ``port`` (the port the forum was told, closed until now), each after
    ``delay`` seconds (a slow server keeps a sender busy while another one starts)."""

    def __init__(self, port: int, delay: float = 0.0) -> None:
        import asyncio

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
        self.received: list[bytes] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                await asyncio.sleep(delay)
                sink.received.append(envelope.original_content)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


# --- the database -----------------------------------------------------------------------------


def prepare(url: str, count: int) -> tuple[list[str], Target, int]:
    """Make ``count`` plain members trusted writers with the benchmark password, plus one more
    member who only reads; the writers' e-mail addresses, where they write, the reader's id."""
    from forum import create_app
    from forum.core.models import Setting
    from forum.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        *members, reader = http_plan.plain_members(count + 1)
        if len(members) < count:
            raise SystemExit(
                f"load: the dataset has {len(members) + 1} plain members, {count + 1} needed"
            )
        for user in members:
            http_plan.ready_account(user, trusted=True)
        http_plan.ready_account(reader)
        open_settings = list(
            db.session.execute(
                sa.select(Setting.id).where(
                    Setting.archived.is_(False), Setting.premoderated.is_(False)
                )
            ).scalars()
        )
        # The smallest open threads: the reply form is on their first page.
        smallest = [tid for tid, _size in reversed(http_plan.threads_by_size(open_settings))]
        emails, reader_id = [user.email for user in members], reader.id
        db.session.commit()
        db.engine.dispose()
    return emails, Target(open_settings[0], smallest[:THREADS_TO_REPLY_TO]), reader_id


def mail_at_once(url: str, user_id: int, target: Target) -> None:
    """The reader follows the werkveld and threads the writers write in, and wants mail about
    replies at once (as they may choose on /account/meldingen)."""
    from forum import create_app
    from forum.db import db
    from forum.notifications import follows, preferences

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        preferences.save(
            user_id,
            auto_follow=True,
            mail_replies="immediately",
            mail_mentions="immediately",
            queue_digest=False,
        )
        follows.follow_setting(user_id, target.setting_id)
        for thread_id in target.thread_ids:
            follows.follow_thread(user_id, thread_id)
        db.session.commit()
        db.engine.dispose()


def stored_markers(url: str, run: str) -> Counter[str]:
    """How often each marker of ``run`` is in the posts table (once, if nothing went wrong)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        bodies = connection.execute(
            sa.text("SELECT body_source FROM posts WHERE body_source LIKE :prefix"),
            {"prefix": f"Bijdrage bp-{run}-%"},
        ).scalars()
        found = Counter(match.group(0) for text in bodies if (match := MARKER_RE.search(text)))
    engine.dispose()
    return found


def integrity(url: str) -> str:
    """SQLite's ``PRAGMA integrity_check`` of the database file ("ok" when sound)."""
    import sqlite3

    path = sa.engine.make_url(url).database
    with sqlite3.connect(path) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "ok" if rows == [("ok",)] else "; ".join(row[0] for row in rows[:5])


def counters_off(url: str, thread_ids: list[int]) -> int:
    """Threads whose reply counter (kept in the same transaction as each reply) disagrees
    with the approved replies they hold."""
    engine = sa.create_engine(url)
    query = sa.text(
        "SELECT count(*) FROM threads t WHERE t.id IN :ids AND t.reply_count <> (SELECT count(*) "
        "FROM posts p WHERE p.thread_id = t.id AND p.is_opening = false AND p.status = 'approved')"
    ).bindparams(sa.bindparam("ids", expanding=True))
    with engine.connect() as connection:
        off = connection.execute(query, {"ids": thread_ids}).scalar_one()
    engine.dispose()
    return int(off)


def outbox_state(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT count(*), count(sent_at), count(last_error), "
                "coalesce(max(attempts), 0) FROM outbox"
            )
        ).one()
    engine.dispose()
    return {"mails": row[0], "sent": row[1], "with_error": row[2], "most_tries": row[3]}
