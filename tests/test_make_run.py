"""What `make run` shows: the demo accounts without libraries' INFO lines around them, and a
server that Ctrl+C stops cleanly (no "Error 130", "Interrupt" or "Terminated" from make)."""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from forum import demo

ROOT = Path(__file__).resolve().parent.parent
# The server loads the privacy check (about 10 s, more on a busy machine) before it listens.
START_SECONDS = 180
STOP_SECONDS = 30
MAKE, SH = shutil.which("make"), shutil.which("sh")


@pytest.fixture
def terminal() -> Iterator[io.StringIO]:
    """What log records reach the root logger's handlers, formatted as the terminal shows them;
    the logger levels are put back afterwards."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
    root, forum_logger = logging.getLogger(), logging.getLogger("forum")
    levels = root.level, forum_logger.level
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)
    root.setLevel(levels[0])
    forum_logger.setLevel(levels[1])


def test_demo_lists_the_accounts_without_library_info_lines(app, tmp_path, monkeypatch, terminal):
    monkeypatch.setattr(demo, "demo_passwords_file", lambda: tmp_path / "demo-accounts.json")
    load_content = demo.load_demo_content

    def noisy_load(echo) -> None:
        # As deduce does while it builds its tables: INFO on the root logger.
        logging.info("Please wait 1-2 minutes while lookup data structures are being loaded")
        logging.getLogger("urllib3.connectionpool").info("Starting new HTTPS connection")
        logging.getLogger("forum.mail").info("Mail to lid@example.org")
        load_content(echo=echo)

    monkeypatch.setattr(demo, "load_demo_content", noisy_load)

    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    shown = result.output + terminal.getvalue()
    for email, name, _roles, _profession in demo.DEMO_ACCOUNTS:
        assert re.search(rf"{re.escape(email)}\s+password: \S+\s+\({re.escape(name)}\)", shown)
    library_info = [
        line
        for line in shown.splitlines()
        if line.startswith("INFO") and not line.startswith("INFO:forum")
    ]
    assert library_info == []
    assert "Please wait" not in shown
    assert "INFO:forum.mail:Mail to lid@example.org" in shown  # mail in the log stays


def default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collect(stream, lines: list[str]) -> threading.Thread:
    reader = threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True)
    reader.start()
    return reader


@pytest.mark.skipif(MAKE is None or SH is None, reason="needs make and sh")
def test_ctrl_c_stops_the_server_step_of_make_run_cleanly(tmp_path):
    port = free_port()
    # The Makefile's own serve line, as make would run it (make -n prints, runs nothing).
    line = subprocess.run(  # noqa: S603 (our own Makefile, fixed arguments)
        [MAKE, "-n", "-s", "dev-server", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()
    assert f"--host 127.0.0.1 --port {port}" in line
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}",
        "FORUM_SECRET_KEY": "s" * 48,
        "FORUM_RESEARCH_KEY": "r" * 64,
    }
    server = subprocess.Popen(  # noqa: S603 (the line make would run)
        [SH, "-c", line],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # …with Ctrl+C working as in a terminal, also when pytest itself was started in the
        # background by a shell (which hands its jobs SIGINT ignored, and so to their children).
        preexec_fn=default_interrupt,
    )
    lines: list[str] = []
    reader = collect(server.stdout, lines)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while not any(address in text for text in lines):
            assert server.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "the server did not start:\n" + "".join(lines)
            time.sleep(0.2)
        health = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        health.request("GET", "/healthz")
        assert health.getresponse().status == 200
        health.close()

        os.killpg(server.pid, signal.SIGINT)  # what Ctrl+C in the terminal does
        server.wait(timeout=STOP_SECONDS)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        reader.join(timeout=5)
        server.stdout.close()
    output = "".join(lines)
    assert server.returncode == 0, output
    for word in ("Terminated", "Error", "Interrupt", "Traceback"):
        assert word not in output, output
