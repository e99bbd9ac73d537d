"""The command line: ``flask users create / set-roles / list`` and the idempotent ``demo``."""

from __future__ import annotations

import json
import re
import stat

import pytest

from forum import demo
from forum.accounts import services as accounts
from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.db import db
from tests.helpers import PASSWORD, login, outbox


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=list(args))

    return run


def roles_of(app, email: str) -> set[Role]:
    with app.app_context():
        return set(accounts.user_by_email(email).roles)


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.execute(db.select(db.func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables
        }


def test_users_create_makes_a_verified_active_person_who_can_log_in(app, client, flask_cli):
    result = flask_cli(
        "users",
        "create",
        "Mo@Example.org",
        "--name",
        "Mo de Moderator",
        "--password",
        PASSWORD,
        "--role",
        "moderator",
        "--role",
        "researcher",
    )
    assert result.exit_code == 0, result.output
    assert "Created Mo@Example.org (member, moderator, researcher)" in result.output
    with app.app_context():
        user = accounts.user_by_email("mo@example.org")
        assert user.display_name == "Mo de Moderator"
        assert user.email_verified
        assert user.approved
        assert user.roles == {Role.MEMBER, Role.MODERATOR, Role.RESEARCHER}
    assert outbox(app) == []  # verified at once: no verification mail
    login(client, "mo@example.org")
    assert client.get("/account/profiel").status_code == 200


def test_users_create_refuses_a_duplicate_address(app, flask_cli, member):
    result = flask_cli(
        "users", "create", "LID@example.org", "--name", "Dubbel", "--password", PASSWORD
    )
    assert result.exit_code != 0
    assert "already in use" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert accounts.user_by_email(member.email).display_name == member.name
        count = db.select(db.func.count()).select_from(accounts.User)
        assert db.session.execute(count).scalar() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--password", "kort"), "at least 10 characters"),
        (("--password", PASSWORD, "--role", "koning"), "Invalid value for '--role'"),
        ((), "Missing option '--password'"),
    ],
)
def test_users_create_refuses_bad_options(app, flask_cli, args, message):
    result = flask_cli("users", "create", "nieuw@example.org", "--name", "Nieuw", *args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert accounts.user_by_email("nieuw@example.org") is None


def test_users_set_roles_replaces_roles_and_is_audited(app, flask_cli, member):
    result = flask_cli("users", "set-roles", "LID@EXAMPLE.ORG", "admin", "researcher")
    assert result.exit_code == 0, result.output
    assert "lid@example.org: admin, member, researcher" in result.output
    assert roles_of(app, member.email) == {Role.MEMBER, Role.ADMIN, Role.RESEARCHER}

    assert flask_cli("users", "set-roles", member.email).exit_code == 0
    assert roles_of(app, member.email) == {Role.MEMBER}  # member always stays
    with app.app_context():
        entries = db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
        assert [(e.actor_id, e.action, e.target_id, e.reason) for e in entries] == [
            (None, "user.roles_changed", member.id, "command line"),
            (None, "user.roles_changed", member.id, "command line"),
        ]
        assert entries[1].data == {"added": [], "removed": ["admin", "researcher"]}


def test_users_set_roles_refuses_unknown_people_and_roles(app, flask_cli, member):
    unknown = flask_cli("users", "set-roles", "niemand@example.org", "admin")
    assert unknown.exit_code != 0
    assert "No person with address niemand@example.org" in unknown.output
    bad_role = flask_cli("users", "set-roles", member.email, "koning")
    assert bad_role.exit_code != 0
    assert roles_of(app, member.email) == {Role.MEMBER}


def test_users_list_shows_everyone_with_roles_and_status(app, users, flask_cli, admin):
    with app.test_request_context():  # the verification mail needs a request to build its link
        users.make(email="nieuw@example.org", name="Nog Niet Bevestigd", verified=False)
    users.make(email="wacht@example.org", name="Wacht Even", approved=False)
    result = flask_cli("users", "list")
    assert result.exit_code == 0, result.output
    lines = {line.split()[1]: line for line in result.output.splitlines() if line.strip()}
    assert set(lines) == {"beheer@example.org", "nieuw@example.org", "wacht@example.org"}
    assert "admin,member" in lines["beheer@example.org"]
    assert "Beheerder Bea" in lines["beheer@example.org"]
    assert "unverified" not in lines["beheer@example.org"]
    assert "unverified" in lines["nieuw@example.org"]
    assert "awaiting approval" in lines["wacht@example.org"]
    assert "awaiting approval" not in lines["nieuw@example.org"]


def test_demo_is_idempotent_and_prints_the_same_passwords(app, flask_cli, tmp_path, monkeypatch):
    passwords_file = tmp_path / "demo-accounts.json"
    monkeypatch.setattr(demo, "demo_passwords_file", lambda: passwords_file)

    first = flask_cli("demo")
    assert first.exit_code == 0, first.output
    counts = row_counts(app)
    second = flask_cli("demo")
    assert second.exit_code == 0, second.output
    assert row_counts(app) == counts

    printed = dict(re.findall(r"(\S+@example\.org)\s+password: (\S+)", first.output))
    assert len(printed) == len(demo.DEMO_ACCOUNTS) == counts["users"]
    assert dict(re.findall(r"(\S+@example\.org)\s+password: (\S+)", second.output)) == printed
    assert json.loads(passwords_file.read_text()) == printed
    assert stat.S_IMODE(passwords_file.stat().st_mode) == 0o600

    for email, _name, roles, _profession in demo.DEMO_ACCOUNTS:
        assert roles_of(app, email) == {Role.MEMBER, *roles}
    admin_client = app.test_client()
    login(admin_client, "beheer@example.org", printed["beheer@example.org"])
    assert admin_client.get("/beheer/mensen").status_code == 200
