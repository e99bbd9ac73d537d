"""JSON logs with a request id: every line parses, the access line and the response header carry
the same id, the proxy's id is kept when it is a plain token, and queries never reach the log."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from tests.observability.support import make_app_factory

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def make_app(app, monkeypatch):
    yield from make_app_factory(app, monkeypatch)


@pytest.fixture
def json_app(make_app):
    return make_app(env={"FORUM_LOG_FORMAT": "json"})


def json_lines(stderr: str) -> list[dict]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one object, or this fails


def access_lines(stderr: str) -> list[dict]:
    return [line for line in json_lines(stderr) if line["logger"] == "forum.access"]


def test_the_access_line_is_json_with_the_id_of_the_response_header(json_app, capsys):
    capsys.readouterr()
    answer = json_app.test_client().get("/gespreksregels")
    assert answer.status_code == 200
    request_id = answer.headers["X-Request-Id"]
    assert HEX_ID.fullmatch(request_id)

    [line] = access_lines(capsys.readouterr().err)
    assert line["request_id"] == request_id
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/gespreksregels", 200)
    assert line["endpoint"] == "core.page"
    assert isinstance(line["duration_ms"], int | float)
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("Z")
    assert datetime.fromisoformat(line["time"].replace("Z", "+00:00")).utcoffset().seconds == 0


def test_a_plain_incoming_id_is_kept_and_anything_else_replaced(json_app, capsys):
    client = json_app.test_client()
    kept = client.get("/healthz", headers={"X-Request-Id": "nginx.3f2a_9B-1"})
    assert kept.headers["X-Request-Id"] == "nginx.3f2a_9B-1"
    for bad in ("twee woorden", "x" * 65, "id\u00e9", "<script>", ""):
        answer = client.get("/healthz", headers={"X-Request-Id": bad})
        assert HEX_ID.fullmatch(answer.headers["X-Request-Id"]), bad
    ids = [line["request_id"] for line in access_lines(capsys.readouterr().err)]
    assert ids[0] == "nginx.3f2a_9B-1"
    assert len(set(ids[1:])) == 5  # each replaced by an id of its own


def test_a_page_from_the_page_cache_gets_an_id_of_its_own(client):
    first = client.get("/")
    again = client.get("/")
    assert again.headers["X-Page-Cache"] == "hit"
    assert HEX_ID.fullmatch(again.headers["X-Request-Id"])
    assert again.headers["X-Request-Id"] != first.headers["X-Request-Id"]


def test_query_strings_never_reach_the_log(json_app, capsys):
    capsys.readouterr()
    json_app.test_client().get("/zoeken?q=geheimwoord+kleuterklas")
    written = capsys.readouterr().err
    [line] = access_lines(written)
    assert line["path"] == "/zoeken"
    assert "geheimwoord" not in written


def test_text_format_stays_the_readable_default(make_app, capsys):
    application = make_app()
    assert application.config["FORUM_LOG_FORMAT"] == "text"
    capsys.readouterr()
    answer = application.test_client().get("/healthz")
    assert HEX_ID.fullmatch(answer.headers["X-Request-Id"])  # the header in every format
    assert '"request_id"' not in capsys.readouterr().err


def test_production_defaults_to_json(make_app, monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.setenv("FORUM_RESEARCH_KEY", "een-eigen-onderzoekssleutel")
    monkeypatch.setenv("FORUM_BASE_URL", "https://forum.example.nl")
    monkeypatch.setenv("FORUM_TRUSTED_HOSTS", "forum.example.nl")
    monkeypatch.setenv("FORUM_MAIL_URL", "smtp://forum:geheim@127.0.0.1:1?starttls=1")
    monkeypatch.setenv("FORUM_DATABASE_URL", "postgresql://forum@127.0.0.1:1/forum")
    assert make_app().config["FORUM_LOG_FORMAT"] == "json"


def test_an_unknown_log_format_stops_the_start(make_app):
    with pytest.raises(ValueError, match="FORUM_LOG_FORMAT must be 'json' or 'text'"):
        make_app(env={"FORUM_LOG_FORMAT": "xml"})
