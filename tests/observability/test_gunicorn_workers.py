"""The real server: gunicorn with gunicorn.conf.py and two workers. A scrape, answered by either
worker, counts the requests of both; the access log on stdout and the app's log on stderr are
JSON lines carrying the ids the responses had."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.observability.support import samples

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 24
HEALTHZ = 'forum_http_requests_total{endpoint="core.healthz",method="GET",status="200"}'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, port: int, process: subprocess.Popen, logs: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.process = process
        self.logs = logs

    def get(self, path: str) -> tuple[int, str, str]:
        """Status, body and X-Request-Id, over a connection of its own."""
        with urllib.request.urlopen(self.base + path, timeout=10) as answer:  # noqa: S310 (http, ours)
            return answer.status, answer.read().decode(), answer.headers["X-Request-Id"]

    def lines(self, name: str) -> list[dict]:
        text = (self.logs / name).read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture
def server(app, tmp_path) -> Iterator[Server]:
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith("FORUM_")}
    env.update(
        FORUM_SECRET_KEY="test-secret-key-not-for-production",
        FORUM_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        FORUM_WEB_BIND=f"127.0.0.1:{port}",
        FORUM_WEB_WORKERS="2",
        FORUM_LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )
    with (tmp_path / "stdout").open("w") as out, (tmp_path / "stderr").open("w") as err:
        # The app factory, not wsgi.py: these requests need no privacy check (10 s to load).
        command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
        process = subprocess.Popen(  # noqa: S603 (our own arguments)
            [*command, "forum:create_app()"], cwd=ROOT, env=env, stdout=out, stderr=err
        )
    running = Server(port, process, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "stderr").read_text()[-3000:]
            try:
                running.get("/readyz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.2)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_a_scrape_adds_up_the_requests_of_both_workers(server, tmp_path):
    before = samples(server.get("/metrics")[1]).get(HEALTHZ, 0)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _n: server.get("/healthz"), range(REQUESTS)))
    assert {status for status, _body, _id in answers} == {200}
    ids = {request_id for _status, _body, request_id in answers}
    assert len(ids) == REQUESTS

    # Each worker kept its own counts (files named by its process id) ...
    counted_by = {path.stem.rsplit("_", 1)[1] for path in (tmp_path / "metrics").glob("counter_*")}
    assert len(counted_by) >= 2
    # ... and every scrape, whichever worker answers it, sums them.
    for _scrape in range(4):
        assert samples(server.get("/metrics")[1])[HEALTHZ] == before + REQUESTS

    access = [line for line in server.lines("stdout") if line["logger"] == "gunicorn.access"]
    assert ids <= {line["request_id"] for line in access}
    assert all(line["path"] in ("/healthz", "/metrics", "/readyz") for line in access)
    app_lines = [line for line in server.lines("stderr") if line["logger"] == "forum.access"]
    healthz = {line["request_id"] for line in app_lines if line["endpoint"] == "core.healthz"}
    assert ids <= healthz
