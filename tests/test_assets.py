"""Static files are linked by content hash and cached for a year; old links keep working."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from forum import ROOT
from forum.core import assets

STATIC = ROOT / "static"
LINK = re.compile(r"""(?:href|src)="(/static/[^"]+)\"""")
YEAR = "max-age=31536000"


def short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def fetch(client: FlaskClient, path: str) -> TestResponse:
    """The answer, read and closed (a sent file is left open until then)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def static_links(client: FlaskClient, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return LINK.findall(response.get_data(as_text=True))


def login_page(app: Flask) -> str:
    with app.test_request_context():
        return url_for("accounts.login")


def test_pages_link_the_stylesheet_and_icon_by_content_hash(app: Flask, client: FlaskClient):
    links = static_links(client, login_page(app))
    css, icon = short_hash(STATIC / "css/forum.css"), short_hash(STATIC / "img/favicon.svg")
    assert f"/static/css/forum.{css}.css" in links
    assert f"/static/img/favicon.{icon}.svg" in links
    assert all(assets.FINGERPRINTED.match(link.removeprefix("/static/")) for link in links)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("css/forum.css", "text/css"),
        ("img/favicon.svg", "image/svg+xml"),
        ("js/reading.js", "text/javascript"),
        ("js/coding.js", "text/javascript"),
    ],
)
def test_fingerprinted_files_are_cached_for_a_year(
    app: Flask, client: FlaskClient, filename: str, content_type: str
):
    with app.test_request_context():
        link = url_for("static", filename=filename)
    assert short_hash(STATIC / filename) in link
    response = fetch(client, link)
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert response.data == (STATIC / filename).read_bytes()
    cache = response.headers["Cache-Control"]
    assert YEAR in cache
    assert "immutable" in cache
    assert "public" in cache
    # The strict policy still holds on static answers (no inline exceptions were needed).
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/static/css/forum.css", "/static/css/forum.0123abcd.css"])
def test_plain_and_stale_names_serve_the_current_file_briefly(client: FlaskClient, path: str):
    response = fetch(client, path)
    assert response.status_code == 200
    assert response.data == (STATIC / "css/forum.css").read_bytes()
    cache = response.headers["Cache-Control"]
    assert "max-age=300" in cache
    assert "immutable" not in cache


@pytest.mark.parametrize(
    "path",
    [
        "/static/css/nope.css",
        "/static/css/nope.0123abcd.css",
        "/static/css/forum.css.0123abcd",
        "/static/../forum/config.py",
    ],
)
def test_unknown_static_names_are_404(client: FlaskClient, path: str):
    assert fetch(client, path).status_code == 404


@pytest.fixture
def own_static(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """The app serving a copy of static/ that the test may change; put back afterwards."""
    original = app.static_folder
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    app.static_folder = str(copy)
    assets.rebuild(app)
    try:
        yield copy
    finally:
        app.static_folder = original
        assets.rebuild(app)


def test_a_changed_file_gets_a_new_name_and_the_old_link_still_works(
    app: Flask, client: FlaskClient, own_static: Path
):
    before = next(link for link in static_links(client, login_page(app)) if "/css/" in link)
    stylesheet = own_static / "css/forum.css"
    stylesheet.write_bytes(stylesheet.read_bytes() + b"\n.nieuw { color: black; }\n")
    assets.rebuild(app)  # what a restart after a deploy does

    after = next(link for link in static_links(client, login_page(app)) if "/css/" in link)
    assert after != before
    assert after == f"/static/css/forum.{short_hash(stylesheet)}.css"
    fresh = fetch(client, after)
    assert b".nieuw" in fresh.data
    assert "immutable" in fresh.headers["Cache-Control"]
    old = fetch(client, before)  # a page rendered before the deploy
    assert old.status_code == 200
    assert b".nieuw" in old.data
    assert "immutable" not in old.headers["Cache-Control"]
