"""Issue 4's whole journey over HTTP, as a new member, a moderator, colleagues and a visitor: a
first post waits with its reason; the moderator sees a child's name and a phone number
highlighted and returns it; the member edits and resubmits; the moderator approves; after three
approved posts the member publishes at once unless the privacy check finds something; three
reports hide a post; a visitor's removal request hides a post; every step is in the audit log."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post
from forum.notifications.models import Notification
from tests.helpers import login, post_status, set_site, submit

PRIVATE = (
    "Wat er speelt: Sanne (7) uit groep 4 wil 's ochtends niet naar binnen. Haar moeder belde "
    "me op 06-12345678 en vroeg of ik haar kon helpen."
)
REWRITTEN = (
    "Wat er speelt: een meisje uit de onderbouw wil 's ochtends niet naar binnen. Haar moeder "
    "vroeg of ik haar kon helpen."
)
CLEAN = "Hoe maak je het afscheid bij de deur korter zonder dat ouders zich weggestuurd voelen?"


def start(client, title: str, body: str):
    data = {
        "setting": "1",
        "kind": "dilemma",
        "title": title,
        "body": body,
        "submission_key": secrets.token_hex(16),
        "submit": "Plaatsen",
    }
    response = submit(client, "/gesprek/nieuw", data)
    assert response.status_code == 302, response.text[:300]
    return int(re.match(r"/gesprek/(\d+)", response.headers["Location"]).group(1))


def newest_post_id(app) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.max(Post.id))).scalar_one()


def moderate(client, post_id: int, action: str, **fields):
    page = f"/moderatie/bericht/{post_id}"
    return submit(client, f"{page}/{action}", fields, form_url=page)


def test_the_whole_moderation_journey(app, users):
    member_ref = users.make(email="nieuw@example.org", name="Nieuw Lid")
    moderator_ref = users.make(email="mod@example.org", name="Moderator Mo", roles=["moderator"])
    member, moderator = app.test_client(), app.test_client()
    login(member, member_ref.email)
    login(moderator, moderator_ref.email)

    # 1. The first post waits, with the reason shown to its author.
    thread_id = start(member, "Een meisje dat niet naar binnen wil", PRIVATE)
    post_id = newest_post_id(app)
    page = member.get(f"/gesprek/{thread_id}").text
    assert "Wacht op goedkeuring" in page
    assert "je eerste berichten bekijkt een moderator eerst" in page
    assert "De privacycheck vond iets" in page

    # 2. The moderator sees the name and the number highlighted and returns the post.
    queue = moderator.get("/moderatie/").text
    assert re.search(r"Te beoordelen <span class=\"count\">\(1\b", queue)
    item = moderator.get(f"/moderatie/bericht/{post_id}").text
    assert re.search(r'<mark class="finding finding-person">Sanne<span', item)
    assert re.search(r'<mark class="finding finding-phone">06-12345678<span', item)
    note = "Haal de naam en het telefoonnummer weg, dan keur ik het goed."
    assert moderate(moderator, post_id, "terugsturen", note=note).status_code == 302
    assert post_status(app, post_id) == "returned"
    assert note in member.get(f"/gesprek/{thread_id}").text
    assert re.search(r"Meldingen <span class=\"count\">\(1\b", member.get("/").text)

    # 3. The member edits and resubmits: back in the queue.
    edit = f"/bericht/{post_id}/bewerken"
    data = {"title": "Een meisje dat niet naar binnen wil", "body": REWRITTEN, "submit": "Opslaan"}
    assert submit(member, edit, data).status_code == 302
    assert post_status(app, post_id) == "pending"
    assert "Aangepast na terugsturen" in moderator.get(f"/moderatie/bericht/{post_id}").text

    # 4. The moderator approves; colleagues see it.
    assert moderate(moderator, post_id, "goedkeuren").status_code == 302
    assert post_status(app, post_id) == "approved"

    # 5. After three approved posts the member publishes at once, unless the check finds something.
    for n in range(2):
        start(member, f"Nog een vraag over afscheid {n}", CLEAN)
        moderate(moderator, newest_post_id(app), "goedkeuren")
    start(member, "Nu meteen zichtbaar", CLEAN)
    assert post_status(app, newest_post_id(app)) == "approved"
    start(member, "Met een naam erin", PRIVATE)
    assert post_status(app, newest_post_id(app)) == "pending"

    # 6. Three reports hide a post.
    reported = post_id
    for n in range(3):
        colleague = app.test_client()
        login(colleague, users.make(email=f"collega{n}@example.org").email)
        url = f"/bericht/{reported}/voorleggen"
        answer = submit(colleague, url, {"reason": "identifiable", "text": ""})
        assert answer.status_code == 302
    assert post_status(app, reported) == "hidden"

    # 7. A visitor's removal request hides a post at once.
    start(member, "Een vraag die ook zichtbaar wordt", CLEAN)
    visible = newest_post_id(app)
    assert post_status(app, visible) == "approved"
    visitor = app.test_client()
    request = {"post": f"/bericht/{visible}", "reason": "Ik herken mijn dochter.", "contact": ""}
    assert submit(visitor, "/verwijderverzoek", request).status_code == 302
    assert post_status(app, visible) == "hidden"

    # 8. Every step is in the audit log.
    with app.app_context():
        logged = [
            (entry.action, entry.target_id)
            for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        ]
        told = {n.event for n in db.session.scalars(sa.select(Notification))}
    assert ("post.returned", post_id) in logged
    assert ("post.approved", post_id) in logged
    assert ("post.hidden_by_reports", reported) in logged
    assert ("post.hidden_by_removal_request", visible) in logged
    assert {"post_returned", "post_approved", "post_hidden"} <= told
    set_site(app, "trust_threshold", "3")
