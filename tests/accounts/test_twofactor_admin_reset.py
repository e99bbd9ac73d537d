"""An admin takes away someone's second step on their person page (lost phone and recovery
codes), with a reason for the audit log; nobody else can, and an admin not for themselves."""

from __future__ import annotations

import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db
from tests.helpers import SETUP_PATH, csrf_token, login, submit


def person_page(user_id: int) -> str:
    return f"/beheer/mensen/{user_id}"


def reset_url(user_id: int) -> str:
    return f"/beheer/mensen/{user_id}/tweede-stap-weghalen"


def test_admin_takes_the_second_step_away_and_the_person_sets_it_up_again(app, admin, moderator):
    moderator_browser = app.test_client()
    login(moderator_browser, moderator.email)
    assert moderator_browser.get("/moderatie/").status_code == 200

    client = app.test_client()
    login(client, admin.email)
    page = client.get(person_page(moderator.id))
    assert "Tweede stap weghalen" in page.text
    answer = submit(
        client,
        reset_url(moderator.id),
        {"reason": "Telefoon en herstelcodes kwijt, gebeld op 4 december"},
        form_url=person_page(moderator.id),
    )
    assert answer.status_code == 302
    shown = client.get(answer.headers["Location"])
    assert "is weggehaald" in shown.text
    assert "Tweede stap weghalen" not in shown.text  # nothing left to take away

    assert moderator_browser.get("/moderatie/").status_code == 302  # signed out everywhere
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "two_factor.reset")
        ).one()
        assert (entry.actor_id, entry.target_id) == (admin.id, moderator.id)
        assert "herstelcodes kwijt" in str(entry.reason)
    again = app.test_client()
    answer = submit(
        again, "/account/inloggen", {"email": moderator.email, "password": moderator.password}
    )
    assert answer.headers["Location"].endswith(SETUP_PATH)  # staff set it up anew


def test_a_reason_is_needed(app, admin, moderator):
    client = app.test_client()
    login(client, admin.email)
    answer = submit(client, reset_url(moderator.id), {"reason": "  "}, person_page(moderator.id))
    assert answer.status_code == 400
    assert "Schrijf op waarom" in answer.text
    with app.app_context():
        assert db.session.get(User, moderator.id).two_factor_since is not None


def test_not_for_your_own_account_and_not_for_moderators(app, admin, moderator):
    client = app.test_client()
    login(client, admin.email)
    own = client.get(person_page(admin.id))
    assert "Tweede stap weghalen" not in own.text
    answer = client.post(
        reset_url(admin.id), data={"reason": "zelf", "csrf_token": csrf_token(own.text)}
    )
    assert answer.status_code == 403
    assert "met een code" in answer.text

    other = app.test_client()
    login(other, moderator.email)
    page = other.get("/")
    answer = other.post(
        reset_url(admin.id), data={"reason": "overnemen", "csrf_token": csrf_token(page.text)}
    )
    assert answer.status_code == 403
    with app.app_context():
        assert db.session.get(User, admin.id).two_factor_since is not None
