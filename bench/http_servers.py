"""gunicorn servers for the benchmark, and what their workers hold in memory.

Both the forum (``wsgi:app``) and the limit page (``bench.limit_app:app``) run with the settings
of ``gunicorn.conf.py``, on a free loopback port the OS hands out; only the environment differs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.http_client import wait_healthy
from bench.http_data import OUT, ROOT

# The forum's settings for a benchmark run (printed with the results).
BENCH_ENV = {
    "FORUM_SECRET_KEY": "bench-secret",
    "FORUM_RESEARCH_KEY": "bench-research-key-" + "0" * 40,
    "FORUM_PUBLIC_READ": "1",
    # The benchmark's load comes from one address and a few people: the per-person writing
    # limits (10 per 10 minutes) would refuse it. Rate limiting is off for the run.
    "FORUM_RATELIMIT_ENABLED": "0",
    "FORUM_RATELIMIT_STORAGE_URL": "memory://",
    "FORUM_MAIL_URL": "",
}


def free_port() -> int:
    """A port the OS says is free on 127.0.0.1 (closed again at once; gunicorn binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    name: str,
    app: str,
    database_url: str = "",
    workers: int = 2,
    preload: bool = True,
    port: int | None = None,
    env_overrides: dict[str, str] | None = None,
) -> Server:
    """Start gunicorn for ``app`` and wait until it answers /healthz (on ``port``, e.g. the one
    of a server that was killed, or a free one)."""
    port = port or free_port()
    env = {
        **os.environ,
        **BENCH_ENV,
        **(env_overrides or {}),
        "FORUM_WEB_BIND": f"127.0.0.1:{port}",
        "FORUM_WEB_WORKERS": str(workers),
        "FORUM_WEB_PRELOAD": "1" if preload else "0",
        # A line per request would cost the timed server work the limit page's also pays, and
        # fill the log with hundreds of thousands of lines.
        "FORUM_WEB_ACCESS_LOG": "off",
    }
    if database_url:
        env["FORUM_DATABASE_URL"] = database_url
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / f"gunicorn-{name}.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        app,
    ]
    with log.open("w") as handle:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    server = Server(name, port, process, log)
    try:
        wait_healthy(port, seconds=180)
        deadline = time.monotonic() + 120
        # /healthz answers as soon as one worker is up; wait for them all.
        while len(server.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
    except BaseException:
        server.stop()
        raise SystemExit(f"bench: {name} did not start; see {log}") from None
    return server


# --- memory --------------------------------------------------------------------------------------


def _kib(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Memory:
    """One process: peak and current RSS, proportional share (Pss) and private pages, in MiB."""

    pid: int
    peak_rss: float
    rss: float
    pss: float
    private: float
    shared: float

    @classmethod
    def of(cls, pid: int) -> Memory:
        status = Path(f"/proc/{pid}/status")
        rollup = Path(f"/proc/{pid}/smaps_rollup")
        private = _kib(rollup, "Private_Clean") + _kib(rollup, "Private_Dirty")
        shared = _kib(rollup, "Shared_Clean") + _kib(rollup, "Shared_Dirty")
        return cls(
            pid,
            _kib(status, "VmHWM") / 1024,
            _kib(status, "VmRSS") / 1024,
            _kib(rollup, "Pss") / 1024,
            private / 1024,
            shared / 1024,
        )


def memory(server: Server) -> dict[str, object]:
    """The master and each worker; the host total is the sum of Pss (shared pages counted once)."""
    master = Memory.of(server.process.pid)
    workers = [Memory.of(pid) for pid in server.worker_pids()]
    total_pss = master.pss + sum(worker.pss for worker in workers)
    return {
        "master": master.__dict__,
        "workers": [worker.__dict__ for worker in workers],
        "total_pss_mib": total_pss,
        "sum_rss_mib": master.rss + sum(worker.rss for worker in workers),
    }
