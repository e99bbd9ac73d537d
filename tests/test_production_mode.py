"""FORUM_ENV=production: the real commands refuse to start without what production needs, each
problem on its own line naming the variable, and a complete configuration starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPLETE = {
    "FORUM_ENV": "production",
    "FORUM_SECRET_KEY": "s" * 64,
    "FORUM_RESEARCH_KEY": "r" * 64,
    "FORUM_BASE_URL": "https://forum.example.nl",
    "FORUM_TRUSTED_HOSTS": "forum.example.nl",
    "FORUM_MAIL_URL": "smtp://forum:secret@127.0.0.1:1?starttls=1",
    # No connection is made at start: a server nobody listens on will do.
    "FORUM_DATABASE_URL": "postgresql://forum@127.0.0.1:1/forum",
}


def run(command: list[str], **settings: str | None) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FORUM_")}
    env.update(COMPLETE)
    for name, value in settings.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(  # noqa: S603 (our own arguments)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def flask_routes(**settings: str | None) -> subprocess.CompletedProcess[str]:
    return run([str(BIN / "flask"), "--app", "forum", "routes"], **settings)


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("FORUM_")]


@pytest.mark.parametrize(
    ("settings", "line_start"),
    [
        ({"FORUM_SECRET_KEY": None}, "FORUM_SECRET_KEY is not set"),
        ({"FORUM_RESEARCH_KEY": None}, "FORUM_RESEARCH_KEY is not set"),
        ({"FORUM_RESEARCH_KEY": "s" * 64}, "FORUM_RESEARCH_KEY equals FORUM_SECRET_KEY"),
        ({"FORUM_BASE_URL": None}, "FORUM_BASE_URL is not set"),
        ({"FORUM_TRUSTED_HOSTS": " , "}, "FORUM_TRUSTED_HOSTS is not set"),
        ({"FORUM_MAIL_URL": None}, "FORUM_MAIL_URL is not set"),
        ({"FORUM_DATABASE_URL": None}, "FORUM_DATABASE_URL is not a PostgreSQL database"),
        (
            {"FORUM_DATABASE_URL": "sqlite:////var/lib/forum.db"},
            "FORUM_DATABASE_URL is not a PostgreSQL database",
        ),
    ],
)
def test_a_missing_production_setting_stops_the_start_naming_it(settings, line_start):
    result = flask_routes(**settings)
    assert result.returncode != 0
    assert "FORUM_ENV=production, but the forum cannot start" in result.stderr
    lines = problem_lines(result.stderr)
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith(line_start)
    assert "observability.readyz" not in result.stdout  # no routes: it did not start


def test_every_problem_is_listed_one_per_line_and_gunicorn_stops_too():
    missing = dict.fromkeys(
        (
            "FORUM_SECRET_KEY",
            "FORUM_RESEARCH_KEY",
            "FORUM_BASE_URL",
            "FORUM_TRUSTED_HOSTS",
            "FORUM_MAIL_URL",
        ),
        None,
    )
    result = run(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--check-config", "forum:create_app()"],
        **missing,
        FORUM_DATABASE_URL="sqlite:///forum.db",
    )
    assert result.returncode != 0
    named = [line.split()[0] for line in problem_lines(result.stderr)]
    assert named == [
        "FORUM_SECRET_KEY",
        "FORUM_RESEARCH_KEY",
        "FORUM_BASE_URL",
        "FORUM_TRUSTED_HOSTS",
        "FORUM_MAIL_URL",
        "FORUM_DATABASE_URL",
    ]


def test_a_typo_in_forum_env_is_refused_rather_than_taken_for_development():
    result = flask_routes(FORUM_ENV="prod")
    assert result.returncode != 0
    assert "FORUM_ENV is 'prod': set it to 'production' or leave it unset" in result.stderr


def test_a_complete_production_configuration_starts():
    result = flask_routes()
    assert result.returncode == 0, result.stderr[-2000:]
    assert "observability.readyz" in result.stdout
    checked = run(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--check-config", "forum:create_app()"]
    )
    assert checked.returncode == 0, checked.stderr[-2000:]


def test_without_forum_env_nothing_is_required():
    result = flask_routes(
        FORUM_ENV=None, FORUM_SECRET_KEY="dev", FORUM_DATABASE_URL="sqlite://", FORUM_BASE_URL=None
    )
    assert result.returncode == 0, result.stderr[-2000:]
