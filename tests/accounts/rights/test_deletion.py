"""Deleting an account through the real forms: keep posts as "oud-lid" or remove them, the
password and the choice confirm, sessions end, ids are never given again, the last admin stays,
admins delete for someone, and the audit log keeps the deletion without naming anybody."""

from __future__ import annotations

import sqlalchemy as sa

from forum.accounts.models import User
from forum.accounts.rights.deletion import REMOVED_TITLE
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import PostStatus
from tests.accounts.rights.support import (
    OWN,
    counters_are_right,
    delete_as_admin,
    delete_own,
    exists,
    post_row,
)
from tests.helpers import PASSWORD, csrf_token, login, set_site, write_reply, write_thread
from tests.test_exports import force

NAME, EMAIL = "Zwanette Quirijnsdochter", "zwanette@example.org"
LOGIN = "/account/inloggen"


def writer(users):
    return users.make(email=EMAIL, name=NAME)


def test_keeping_posts_leaves_them_without_name_and_without_research_consent(
    app, client, users, member
):
    set_site(app, "trust_threshold", "0")
    zwanette = writer(users)
    opening = write_thread(app, zwanette, body="Hoe begin jij een lastig gesprek met ouders?")
    answer = write_reply(app, member, opening.thread_id, "Ik begin met wat goed gaat.")
    mine = write_reply(app, zwanette, opening.thread_id, "Dank je, dat ga ik proberen.")
    waiting = write_reply(app, zwanette, opening.thread_id, "Nog een gedachte die wacht.")
    force(app, waiting.id, PostStatus.PENDING)
    for post in (opening, mine):
        force(app, post.id, consent=True)

    login(client, EMAIL)
    assert "Mijn account verwijderen" in client.get("/account/profiel").text
    done = delete_own(client, posts="keep")
    assert done.status_code == 302
    assert done.headers["Location"] == "/"
    assert "Je account is verwijderd." in client.get("/").text
    assert client.get("/account/profiel").headers["Location"].startswith(LOGIN)

    assert not exists(app, zwanette.id)
    kept = [post_row(app, post.id) for post in (opening, mine)]
    assert [(row["author_id"], row["status"], row["consent"]) for row in kept] == [
        (None, "approved", False),
        (None, "approved", False),
    ]
    assert post_row(app, waiting.id) is None  # never reached colleagues: gone
    assert post_row(app, answer.id)["author_id"] == member.id
    login(client, member.email)
    page = client.get(f"/gesprek/{opening.thread_id}").text
    assert "Dank je, dat ga ik proberen." in page
    assert "een oud-lid" in page
    assert NAME not in page
    assert counters_are_right(app)


def test_removing_posts_keeps_a_thread_others_replied_in_readable(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    zwanette = writer(users)
    answered = write_thread(app, zwanette, body="Een vader zegt nooit iets bij het halen.")
    reply = write_reply(app, member, answered.thread_id, "Misschien helpt een vaste vraag.")
    alone = write_thread(app, zwanette, title="Alleen van mij", body="Hier reageerde niemand.")
    other = write_thread(app, member, title="Van een ander", body="Wat doen jullie met apps?")
    mine = write_reply(app, zwanette, other.thread_id, "Wij gebruiken er geen.")
    assert counters_are_right(app)

    login(client, EMAIL)
    assert delete_own(client, posts="remove").status_code == 302

    emptied = post_row(app, answered.id)
    assert emptied["author_id"] is None
    assert emptied["title"] == REMOVED_TITLE
    assert "Een vader" not in emptied["body"]
    assert "account verwijderd" in emptied["body"]
    assert post_row(app, reply.id)["body"] == "Misschien helpt een vaste vraag."
    assert (post_row(app, alone.id), post_row(app, mine.id)) == (None, None)
    login(client, member.email)
    assert client.get(f"/gesprek/{alone.thread_id}").status_code == 404
    page = client.get(f"/gesprek/{answered.thread_id}").text
    assert "Misschien helpt een vaste vraag." in page
    assert REMOVED_TITLE in page
    assert "Een vader zegt nooit" not in client.get("/zoeken?q=vader").text
    assert "Wij gebruiken er geen" not in client.get(f"/gesprek/{other.thread_id}").text
    assert counters_are_right(app)


def test_wrong_password_no_choice_or_no_csrf_token_delete_nothing(app, client, users):
    zwanette = writer(users)
    login(client, EMAIL)
    wrong = delete_own(client, password="niet-mijn-wachtwoord")
    assert wrong.status_code == 400
    assert "Dit wachtwoord klopt niet." in wrong.text
    unchosen = delete_own(client, posts=None)
    assert unchosen.status_code == 400
    assert "Kies wat er met de berichten gebeurt." in unchosen.text
    forged = client.post(OWN, data={"posts": "remove", "password": PASSWORD})
    assert forged.status_code == 400
    assert exists(app, zwanette.id)
    assert client.get("/account/profiel").status_code == 200  # still signed in


def test_every_session_ends_and_the_id_is_never_given_again(app, client, users):
    zwanette = writer(users)  # the newest person: SQLite would hand out this id next
    remembered = app.test_client()
    data = {"email": EMAIL, "password": PASSWORD, "remember": "y"}
    page = remembered.get(LOGIN)
    assert remembered.post(LOGIN, data={**data, "csrf_token": csrf_token(page.text)}).status_code
    cookie = remembered.get_cookie("remember_token").value
    login(client, EMAIL)
    assert delete_own(client).status_code == 302

    newcomer = users.make(email="nieuw@example.org", name="Nieuw Lid")
    assert newcomer.id > zwanette.id
    assert remembered.get("/account/profiel").status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", cookie)
    assert stale.get("/account/profiel").headers["Location"].startswith(LOGIN)
    refused = app.test_client()
    page = refused.get(LOGIN)
    data = {"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token(page.text)}
    assert refused.post(LOGIN, data=data).status_code == 400


def test_the_last_admin_cannot_delete_themselves_until_there_is_another(app, client, users):
    boss = users.make(email="baas@example.org", name="Baas", roles=["admin"])
    login(client, boss.email)
    page = client.get(OWN)
    assert page.status_code == 403
    assert "Je bent de enige beheerder." in page.text
    assert "Dit is de enige beheerder." in client.get(f"/beheer/mensen/{boss.id}").text
    token = csrf_token(client.get("/account/profiel").text)
    refused = client.post(OWN, data={"posts": "keep", "password": PASSWORD, "csrf_token": token})
    assert refused.status_code == 403
    assert exists(app, boss.id)

    users.make(email="tweede@example.org", name="Tweede Baas", roles=["admin"])
    assert delete_own(client).status_code == 302
    assert not exists(app, boss.id)


def test_an_admin_deletes_someone_with_their_own_password(app, client, users, admin, moderator):
    zwanette = writer(users)
    staff = app.test_client()
    login(staff, moderator.email)
    assert staff.get(f"/beheer/mensen/{zwanette.id}/verwijderen").status_code == 403
    login(client, admin.email)
    assert "Dit account verwijderen" in client.get(f"/beheer/mensen/{zwanette.id}").text
    wrong = delete_as_admin(client, zwanette.id, password="haar-wachtwoord-niet")
    assert wrong.status_code == 400
    assert exists(app, zwanette.id)
    done = delete_as_admin(client, zwanette.id, posts="remove")
    assert done.status_code == 302
    assert done.headers["Location"] == "/beheer/mensen"
    assert not exists(app, zwanette.id)
    assert client.get(f"/beheer/mensen/{zwanette.id}").status_code == 404
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "user.deleted")
        ).one()
        assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "user", None)
        assert entry.data["by"] == "admin"
        assert entry.data["posts"] == "remove"
        db.session.remove()
    # Their own page sends an admin to the form for themselves.
    assert client.get(f"/beheer/mensen/{admin.id}/verwijderen").headers["Location"] == OWN


def test_the_audit_log_keeps_what_happened_and_names_nobody(app, client, users, admin):
    zwanette = writer(users)
    login(client, admin.email)
    roles = {"roles": ["moderator"], "reason": f"{NAME} vroeg erom ({EMAIL})"}
    page = client.get(f"/beheer/mensen/{zwanette.id}")
    data = {**roles, "csrf_token": csrf_token(page.text)}
    assert client.post(f"/beheer/mensen/{zwanette.id}", data=data).status_code == 302
    assert NAME in client.get(f"/beheer/mensen/{zwanette.id}").text  # (shows the flash)
    mine = app.test_client()
    login(mine, EMAIL)
    assert delete_own(mine).status_code == 302

    with app.app_context():
        entries = {e.action: e for e in db.session.scalars(sa.select(AuditEntry))}
        changed, deleted = entries["user.roles_changed"], entries["user.deleted"]
        assert (changed.target_id, changed.reason) == (None, "oud-lid vroeg erom (oud-lid)")
        assert (deleted.actor_id, deleted.target_id) == (None, None)
        assert deleted.data == {
            "actor": "oud-lid",
            "by": "self",
            "posts": "keep",
            "posts_kept": 0,
            "posts_removed": 0,
            "posts_emptied": 0,
        }
        db.session.remove()
    log = client.get("/beheer/logboek").text
    assert "Account verwijderd" in log
    assert "een oud-lid" in log
    assert NAME not in log
    assert EMAIL not in log


def test_every_key_to_a_person_says_what_deleting_them_does(app):
    """The deletion clears references from the schema itself; a key without ON DELETE rule
    would stop every deletion, so none may exist."""
    users_id = User.__table__.c.id
    rules = {
        f"{table.name}.{fk.parent.name}": (fk.ondelete or "").upper()
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column is users_id
    }
    assert len(rules) > 30
    assert set(rules.values()) <= {"CASCADE", "SET NULL"}, rules
