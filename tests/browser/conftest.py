"""Browser tests: the session app served on a free local port, driven by Debian's Chromium.

Staff sign in with a second step: ``give_code_if_asked`` types the code their app would show
(``tests.helpers.app_code``, from the secret the factory gave them)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import make_server

from tests.helpers import CODE_PATH, app_code

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The app the live server serves (one per test session), for reading a person's app secret.
SERVED: dict[str, Flask] = {}


def give_code_if_asked(page: Page, email: str) -> None:
    """On the code step after the password, type the code from the person's app and go on."""
    page.wait_for_load_state()
    if not page.url.split("?", 1)[0].endswith(CODE_PATH):
        return
    page.get_by_label("Code", exact=True).fill(app_code(SERVED["app"], email))
    page.get_by_role("button", name="Inloggen", exact=True).click()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    SERVED["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server
