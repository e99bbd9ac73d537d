"""Shared pieces of the observability tests: an app of its own on the test database (for
settings read at start, such as the log format), and reading /metrics."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from forum import create_app
from forum.db import db
from forum.observability import logs

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$")


def make_app_factory(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Flask]]:
    """``make(env={...}, **config)``: a second app on the test database, made with these
    environment variables; its engine is closed and the logging put back afterwards."""
    made: list[Flask] = []
    root_level = logging.getLogger().level

    def make(env: dict[str, str] | None = None, **overrides: Any) -> Flask:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        config = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_STORAGE_URI": "memory://",
            "FORUM_MAIL_URL": "",
            "FORUM_BASE_URL": "",
        }
        made.append(create_app({**config, **overrides}))
        return made[-1]

    yield make
    logs.configure("text")  # takes the JSON handler off the root logger again
    logging.getLogger().setLevel(root_level)
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def samples(text: str) -> dict[str, float]:
    """``{'name{labels}': value}`` of a Prometheus text page."""
    found = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match and not line.startswith("#"):
            found[match[1] + (match[2] or "")] = float(match[3])
    return found
