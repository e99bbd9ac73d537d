"""A database that cannot be reached is a clear 503, never a 500, and the forum recovers by itself.

On PostgreSQL the server "restarts" behind a TCP gate: closing the gate cuts every open
connection and refuses new ones, as a stopped server does; opening it again is the server back.
On SQLite the database is locked by another process past the busy timeout. In both, the same
app object keeps running: no restart, the pool's pre-ping finds fresh connections.
"""

from __future__ import annotations

import contextlib
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from forum import create_app
from forum.db import db, reading_engine
from forum.discussions.models import Post
from forum.errors import database_unavailable
from tests.helpers import csrf_token, login, set_site, write_thread

KEY_RE = re.compile(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"')
DOWN = "Even niet beschikbaar"
UNSAVED = "is misschien niet bewaard"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gate:
    """A TCP forwarder on a loopback port in front of the database server."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.open_sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for _attempt in range(50):  # the old listener's accept may hold the port a moment
            try:
                listener.bind(("127.0.0.1", self.port))
                break
            except OSError:
                time.sleep(0.05)
        else:
            listener.close()
            raise OSError(f"port {self.port} stayed in use")
        listener.listen(16)
        listener.settimeout(0.1)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        """The server goes away: no new connections, and every open one is cut."""
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):  # stops listening now, wakes the accept
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            sockets, self.open_sockets = self.open_sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            server = socket.create_connection(self.target)
            with self.lock:
                self.open_sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def make_app(url: str) -> Flask:
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": "memory://"}
    )


def dispose(application: Flask) -> None:
    with application.app_context():
        reading_engine().dispose()
        db.engine.dispose()


def dialect(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


@pytest.fixture
def gated(app: Flask) -> Iterator[tuple[Flask, Gate]]:
    """A second app on the test database, connected through a Gate (PostgreSQL only)."""
    if dialect(app) != "postgresql":
        pytest.skip("a database server to stop: PostgreSQL (SQLite: see the lock test)")
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    gate = Gate(url.host or "127.0.0.1", url.port or 5432)
    gate.open()
    through_gate = url.set(host="127.0.0.1", port=gate.port)
    application = make_app(through_gate.render_as_string(hide_password=False))
    yield application, gate
    gate.close()
    dispose(application)


def open_thread(app: Flask, users):
    """An approved thread and its author, who may reply without waiting."""
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    return write_thread(app, author), author


def reply_form(client, thread_id: int) -> dict[str, str]:
    page = client.get(f"/gesprek/{thread_id}")
    assert page.status_code == 200
    return {
        "csrf_token": csrf_token(page.text),
        "submission_key": KEY_RE.search(page.text)[1],
        "submit": "Plaatsen",
    }


def stored_bodies(app: Flask, thread_id: int) -> list[str]:
    with app.app_context():
        stmt = sa.select(Post.body_source).where(Post.thread_id == thread_id).order_by(Post.id)
        bodies = list(db.session.execute(stmt).scalars())
        db.session.remove()
    return bodies


def assert_unavailable_page(response, unsaved: bool = False) -> None:
    assert response.status_code == 503
    assert 0 < int(response.headers["Retry-After"]) <= 10  # the rate limiter may round it down
    assert f"<h1>{DOWN}</h1>" in response.text
    assert (UNSAVED in response.text) is unsaved


def ready_to_reply(app: Flask, users, application: Flask):
    """A signed-in author of an open thread on ``application``, with a reply form filled in."""
    thread, author = open_thread(app, users)
    client = application.test_client()
    login(client, author.email)
    return client, thread, reply_form(client, thread.thread_id)


def test_server_gone_is_a_503_and_the_same_app_recovers_by_itself(app, users, gated):
    application, gate = gated
    client, thread, form = ready_to_reply(app, users, application)

    gate.close()  # the server stops: open connections cut, new ones refused
    assert_unavailable_page(client.get("/"))
    assert_unavailable_page(client.get(f"/gesprek/{thread.thread_id}"))
    posted = client.post(
        f"/gesprek/{thread.thread_id}/reageren", data={**form, "body": "Tijdens de storing."}
    )
    assert_unavailable_page(posted, unsaved=True)
    as_json = client.get("/", headers={"Accept": "application/json"})
    assert as_json.status_code == 503
    assert as_json.json["error"] == 503
    assert client.get("/healthz").status_code == 503
    client.set_cookie("lang", "en")  # the page is in the visitor's language, without the database
    english = client.get("/account/inloggen")
    assert english.status_code == 503
    assert "<h1>Temporarily unavailable</h1>" in english.text
    client.delete_cookie("lang")

    gate.open()  # the server is back; nothing restarts the app
    assert client.get("/").status_code == 200
    again = client.post(
        f"/gesprek/{thread.thread_id}/reageren", data={**form, "body": "Tijdens de storing."}
    )
    assert again.status_code == 302
    assert stored_bodies(app, thread.thread_id)[1:] == ["Tijdens de storing."]


def test_connections_cut_by_a_restart_are_replaced_without_an_error(app, users, gated):
    """A restart between two requests: the pooled connections are dead, pre-ping replaces them."""
    application, gate = gated
    client, thread, form = ready_to_reply(app, users, application)
    gate.close()
    gate.open()
    assert client.get(f"/gesprek/{thread.thread_id}").status_code == 200
    posted = client.post(
        f"/gesprek/{thread.thread_id}/reageren", data={**form, "body": "Na de herstart."}
    )
    assert posted.status_code == 302
    assert stored_bodies(app, thread.thread_id)[1:] == ["Na de herstart."]


def test_sqlite_locked_past_the_busy_timeout_is_a_503_then_writing_works_again(app, users, client):
    if dialect(app) != "sqlite":
        pytest.skip("SQLite's lock; PostgreSQL: see the gate tests")
    client, thread, form = ready_to_reply(app, users, app)
    path = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    other_process = sqlite3.connect(path, isolation_level=None)
    try:
        other_process.execute("BEGIN EXCLUSIVE")  # e.g. a long job holding the write lock
        assert client.get(f"/gesprek/{thread.thread_id}").status_code == 200  # reading goes on
        posted = client.post(
            f"/gesprek/{thread.thread_id}/reageren", data={**form, "body": "Terwijl het vastzit."}
        )
        assert_unavailable_page(posted, unsaved=True)
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
    again = client.post(
        f"/gesprek/{thread.thread_id}/reageren", data={**form, "body": "Terwijl het vastzit."}
    )
    assert again.status_code == 302
    assert stored_bodies(app, thread.thread_id)[1:] == ["Terwijl het vastzit."]


def test_an_unreachable_database_from_the_start_gets_the_page_and_json(tmp_path):
    application = make_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'forum.db'}")
    try:
        client = application.test_client()
        assert_unavailable_page(client.get("/"))
        assert_unavailable_page(client.get("/gesprek/1"))
        # Another error page (here a form without its token) needs the menu, so it is a 503 too.
        assert_unavailable_page(client.post("/gesprek/1/reageren", data={}), unsaved=True)
    finally:
        dispose(application)


def wrap(orig: Exception) -> sa.exc.DBAPIError:
    return sa.exc.OperationalError("SELECT 1", {}, orig)


def test_only_an_unreachable_database_counts_as_unavailable():
    assert database_unavailable(wrap(sqlite3.OperationalError("database is locked")))
    assert database_unavailable(wrap(sqlite3.OperationalError("unable to open database file")))
    assert database_unavailable(wrap(psycopg.OperationalError("connection refused")))
    assert database_unavailable(sa.exc.TimeoutError("QueuePool limit reached"))
    # A mistake in a query stays a 500 with its traceback in the log.
    assert not database_unavailable(wrap(sqlite3.OperationalError("no such column: x")))
    assert not database_unavailable(sa.exc.ProgrammingError("SELECT", {}, Exception("syntax")))
    assert not database_unavailable(sa.exc.NoResultFound())
