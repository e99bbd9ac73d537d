"""The deployment files say what the app does: the proxy's static rule matches the app's
fingerprinted names, compose starts the app only after the migrations, nothing runs as root.

.ci/deploy-check.sh runs nginx, compose and systemd-analyze on them; these tests need none.
"""

from __future__ import annotations

import copy
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask, url_for

from forum import ROOT

NGINX = (ROOT / "deploy/nginx/dorpsplein.conf").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
UNITS = ROOT / "deploy/systemd"


def nginx_static_rule() -> re.Pattern[str]:
    """The regex location for fingerprinted files, in Python's spelling of named groups."""
    found = re.search(r'location ~ "([^"]+)"\s*\{([^}]*)\}', NGINX)
    assert found, "no regex location for fingerprinted static files"
    return re.compile(found.group(1).replace("(?<", "(?P<"))


def nginx_alias_target(url: str) -> str | None:
    """The file on disk nginx's rule would send for ``url`` (None: the rule does not match)."""
    match = nginx_static_rule().match(url)
    if match is None:
        return None
    alias = re.search(r'location ~ "[^"]+"\s*\{[^}]*alias ([^;]+);', NGINX)
    assert alias
    return re.sub(r"\$(\w+)", lambda var: match.group(var.group(1)), alias.group(1))


def test_nginx_serves_every_fingerprinted_url_the_app_makes_from_the_right_file(app: Flask):
    with app.test_request_context():
        for name in ("css/forum.css", "img/favicon.svg", "js/reading.js", "js/coding.js"):
            url = url_for("static", filename=name)
            assert nginx_alias_target(url) == f"/srv/dorpsplein/static/{name}", url


@pytest.mark.parametrize(
    "url",
    [
        "/static/css/forum.css",  # plain: the short-lived /static/ location
        "/static/css/forum.0123abc.css",  # 7 digits
        "/static/css/forum.0123ABCD.css",  # the app writes lowercase
        "/static/css/forum.css.0123abcd",
        "/discussies/forum.0123abcd.css",
    ],
)
def test_nginx_long_cache_rule_leaves_other_urls_alone(url: str):
    assert nginx_static_rule().match(url) is None


def test_nginx_long_cache_rule_says_a_year_and_immutable():
    rule = re.search(r'location ~ "[^"]+"\s*\{([^}]*)\}', NGINX)
    assert rule
    assert 'Cache-Control "public, max-age=31536000, immutable"' in rule.group(1)


def test_nginx_limits_bodies_as_the_app_does_and_passes_the_request_id(app: Flask):
    size = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert size
    assert int(size.group(1)) * 1024 * 1024 == app.config["MAX_CONTENT_LENGTH"]
    assert "proxy_set_header X-Request-Id $request_id;" in NGINX
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX
    metrics = re.search(r"location = /metrics \{([^}]*)\}", NGINX)
    assert metrics
    assert "deny all;" in metrics.group(1)
    assert "proxy_pass" not in metrics.group(1)


def parse_compose(text: str) -> dict[str, Any]:
    """compose.yaml's block mappings as nested dicts (scalars as text, lists of text), with its
    ``&anchor`` and ``<<: *anchor`` resolved: enough for its shape, without a YAML library."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any, dict[str, Any], str]] = [(-1, root, {}, "")]
    anchors: dict[str, dict[str, Any]] = {}
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack[-1][0] >= indent:
            stack.pop()
        _, node, owner, key = stack[-1]
        line = raw.strip()
        if line.startswith("- "):
            if not isinstance(node, list):
                node = owner[key] = []
                stack[-1] = (stack[-1][0], node, owner, key)
            node.append(line[2:].strip("\"'"))
            continue
        name, _, value = line.partition(":")
        value = value.strip()
        if name == "<<":
            node.update(copy.deepcopy(anchors[value.removeprefix("*")]))
        elif value == "" or value.startswith("&"):
            node[name] = {}
            stack.append((indent, node[name], node, name))
            if value:
                anchors[value.removeprefix("&")] = node[name]
        else:
            node[name] = value.strip("\"'")
    return root


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return parse_compose((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]


def test_compose_has_the_five_services(compose: dict[str, Any]):
    assert set(compose) == {"app", "worker", "migrate", "postgres", "redis"}


def test_compose_starts_app_and_worker_only_after_the_migrations_succeeded(compose):
    for service in ("app", "worker"):
        assert compose[service]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert compose["migrate"]["command"] == '["flask", "--app", "forum", "db", "upgrade"]'
    assert compose["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert compose["migrate"]["restart"] == "no"  # a one-shot, not restarted after it is done


def test_compose_services_share_one_env_file_and_the_downloads(compose):
    for service in ("app", "worker", "migrate"):
        assert compose[service]["env_file"] == "dorpsplein.env"
        assert "downloads:/var/lib/dorpsplein/downloads" in compose[service]["volumes"]
    assert compose["worker"]["healthcheck"] == {"disable": "true"}  # nothing listens there
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert "dorpsplein.env" in ignored  # secrets never end up in the image
    assert "dorpsplein.env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_dockerfile_runs_gunicorn_as_a_non_root_user_with_a_health_check():
    users = re.findall(r"^USER (\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")
    assert "FROM python:3.11-slim" in DOCKERFILE
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]' in DOCKERFILE
    assert "python -m forum.privacy --build" in DOCKERFILE  # at build time, not at each start
    assert "pybabel -q compile -d forum/translations" in DOCKERFILE
    assert re.search(r"^HEALTHCHECK .*\n\s+CMD .*healthcheck\.py", DOCKERFILE, re.MULTILINE)


def unit(name: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


@pytest.mark.parametrize(
    "name", ["dorpsplein-web.service", "dorpsplein-worker.service", "dorpsplein-migrate.service"]
)
def test_units_run_unprivileged_with_the_env_file(name: str):
    settings = unit(name)
    assert settings["User"] == ["dorpsplein"]
    assert settings["EnvironmentFile"] == ["/etc/dorpsplein/env"]
    assert settings["NoNewPrivileges"] == ["yes"]
    assert settings["ProtectSystem"] == ["strict"]
    assert settings["CapabilityBoundingSet"] == [""]


def test_only_the_migrate_unit_upgrades_the_schema():
    assert unit("dorpsplein-migrate.service")["ExecStart"][0].endswith(
        "flask --app forum db upgrade"
    )
    assert unit("dorpsplein-migrate.service")["Type"] == ["oneshot"]
    for name in ("dorpsplein-web.service", "dorpsplein-worker.service"):
        settings = unit(name)
        commands = settings.get("ExecStartPre", []) + settings["ExecStart"]
        assert not any("db upgrade" in command for command in commands)


def test_env_example_names_every_setting_the_app_reads():
    read = set(re.findall(r'"(FORUM_[A-Z0-9_]+)"', (ROOT / "forum/config.py").read_text()))
    read |= set(re.findall(r'"(FORUM_WEB_[A-Z_]+)"', (ROOT / "gunicorn.conf.py").read_text()))
    read -= {"FORUM_TOKEN_HOURS"}  # a setting inside the app, not an environment variable
    example = (ROOT / "deploy/env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?(FORUM_[A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - listed == set()


class Answer(BaseHTTPRequestHandler):
    status = 200
    hosts: list[str] = []

    def do_GET(self) -> None:
        self.hosts.append(self.headers["Host"])
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_host() -> Iterator[tuple[int, type[Answer]]]:
    handler = type("FakeHealthz", (Answer,), {"hosts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], handler
    server.shutdown()
    server.server_close()


def run_health_check(port: int) -> int:
    env = {"FORUM_WEB_BIND": f"0.0.0.0:{port}", "FORUM_TRUSTED_HOSTS": "forum.example.nl, x.nl"}
    script = str(ROOT / "deploy/healthcheck.py")
    return subprocess.run([sys.executable, script], env=env, capture_output=True).returncode  # noqa: S603


def test_container_health_check_asks_healthz_as_a_trusted_host(fake_host):
    port, handler = fake_host
    assert run_health_check(port) == 0
    assert handler.hosts == ["forum.example.nl"]  # another Host header is refused
    handler.status = 503  # the database is away
    assert run_health_check(port) == 1


def test_container_health_check_fails_when_nothing_answers():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert run_health_check(port) == 1
