"""Two-factor sign-in on the command line: the demo staff's keys, their current codes, and
taking someone's second step away when phone and recovery codes are lost."""

from __future__ import annotations

import re
import stat

import pyotp
import sqlalchemy as sa

from forum import demo
from forum.audit import AuditEntry
from forum.db import db
from tests.helpers import CODE_PATH, SETUP_PATH, csrf_token, login, submit


def test_demo_staff_sign_in_with_the_key_printed_for_them(app, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "demo_passwords_file", lambda: tmp_path / "demo-accounts.json")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    passwords = dict(re.findall(r"(\S+@example\.org)\s+password: (\S+)", result.output))
    keys = dict(re.findall(r"(\S+@example\.org)\s+key: ([A-Z2-7]+)", result.output))
    staff = {email for email, _name, roles, _profession in demo.DEMO_ACCOUNTS if roles}
    assert set(keys) == staff
    assert "demo-codes" in result.output
    assert stat.S_IMODE((tmp_path / "demo-two-factor.json").stat().st_mode) == 0o600
    again = runner.invoke(args=["demo"])
    assert dict(re.findall(r"(\S+@example\.org)\s+key: ([A-Z2-7]+)", again.output)) == keys

    codes = runner.invoke(args=["demo-codes"])
    assert codes.exit_code == 0, codes.output
    shown = dict(re.findall(r"(\S+@example\.org)\s+(\d{6})", codes.output))
    assert set(shown) == staff
    moderator = "moderator@example.org"
    assert pyotp.TOTP(keys[moderator]).verify(shown[moderator], valid_window=1)

    client = app.test_client()
    answer = submit(
        client, "/account/inloggen", {"email": moderator, "password": passwords[moderator]}
    )
    assert answer.headers["Location"].endswith(CODE_PATH)
    assert submit(client, CODE_PATH, {"code": shown[moderator]}).status_code == 302
    assert client.get("/moderatie/").status_code == 200

    member = app.test_client()  # members of the demo sign in with their password alone
    login(member, "lid@example.org", passwords["lid@example.org"])
    assert member.get("/account/profiel").status_code == 200


def test_reset_takes_the_second_step_away_and_ends_sessions(app, moderator):
    signed_in = app.test_client()
    login(signed_in, moderator.email)
    result = app.test_cli_runner().invoke(args=["users", "reset-2fa", moderator.email])
    assert result.exit_code == 0, result.output
    assert signed_in.get("/moderatie/").status_code == 302  # signed out
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "two_factor.reset")
        ).one()
        assert entry.target_id == moderator.id
        assert entry.actor_id is None
    client = app.test_client()
    page = client.get("/account/inloggen")
    answer = client.post(
        "/account/inloggen",
        data={
            "email": moderator.email,
            "password": moderator.password,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert answer.headers["Location"].endswith(SETUP_PATH)
    unknown = app.test_cli_runner().invoke(args=["users", "reset-2fa", "niemand@example.org"])
    assert unknown.exit_code != 0
