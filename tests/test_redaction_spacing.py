"""A marker for removed text stands apart from the words around it: in the author's notification
of what a moderator changed, in the moderator's diff of a waiting edit, and in the stored rows
that a redaction scrubs. Driven through the real forms, CSRF on."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from forum.db import db
from forum.moderation.models import Report
from forum.notifications.models import Notification
from tests.helpers import login, post_status, set_site, submit, write_thread

MARKER = "[tekst weggehaald door een moderator]"
SCRUBBED = "[…]"
# A marker glued to a word: "moderator]Een", "groep[…", "[…]uit".
GLUED = re.compile(r"\w\[|\]\w")

OLD = "Sanne Jansen huilt vaak. Een leerling Jansen uit mijn groep ook. Ze is pas 7."
NEW = "Een meisje huilt vaak. Een leerling uit mijn groep ook. Ze is jong."


def text_of(page: str, css_class: str) -> str:
    """The visible text of the first ``<p class="css_class">`` on the page, tags removed."""
    match = re.search(rf'<p class="{css_class}">(.*?)</p>', page, re.S)
    assert match, f"no {css_class} on the page"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def author_sees(app, email: str) -> str:
    client = app.test_client()
    login(client, email)
    return text_of(client.get("/meldingen").text, "change-list")


def moderator_client(app, moderator):
    client = app.test_client()
    login(client, moderator.email)
    return client


def test_edit_and_approve_keeps_the_markers_apart_in_the_authors_notification(
    app, member, moderator
):
    post = write_thread(app, member, body=OLD, title="Een stil meisje")
    assert post.status == "pending"
    item = f"/moderatie/bericht/{post.id}"
    mod = moderator_client(app, moderator)

    answer = submit(mod, f"{item}/aanpassen", {"title": "Een stil meisje", "body": NEW}, item)

    assert answer.status_code == 302
    assert post_status(app, post.id) == "approved"
    shown = author_sees(app, member.email)
    assert GLUED.search(shown) is None, shown
    # Removed, then added ("Sanne Jansen" → "Een meisje"); removed between two kept words
    # ("leerling Jansen uit"); removed at a sentence's end ("7." → "jong.").
    assert f"{MARKER} Een meisje huilt vaak." in shown
    assert f"Een leerling {MARKER} uit mijn groep ook." in shown
    assert f"Ze is {MARKER} jong." in shown
    assert "Sanne" not in shown
    assert "Jansen" not in shown
    with app.app_context():
        [data] = db.session.execute(
            sa.select(Notification.data).where(Notification.event == "post_edited")
        ).scalars()
        stored = "".join(text for op, text in data["changes"] if op != "removed")
        db.session.remove()
    assert stored == f"Een stil meisje\n\n{NEW}"  # the stored change list is the new text


def test_redacting_a_published_post_keeps_markers_apart_in_notification_and_stored_rows(
    app, users, member, moderator
):
    post = write_thread(app, member, body=OLD, title="Een stil meisje")
    mod = moderator_client(app, moderator)
    item = f"/moderatie/bericht/{post.id}"
    assert submit(mod, f"{item}/goedkeuren", {}, item).status_code == 302
    assert post_status(app, post.id) == "approved"
    reporter = app.test_client()
    login(reporter, users.make(name="Bezorgd Lid").email)
    report_url = f"/bericht/{post.id}/voorleggen"
    quoted = "De naam Sanne staat erin, en de Jansens uit groep 4 ook."
    reported = submit(reporter, report_url, {"reason": "identifiable", "text": quoted})
    assert reported.status_code == 302

    data = {"title": "Een stil meisje", "body": NEW}
    assert submit(mod, f"{item}/gegevens-weghalen", data, item).status_code == 302

    shown = author_sees(app, member.email)
    assert GLUED.search(shown) is None, shown
    assert f"Een leerling {MARKER} uit mijn groep ook." in shown
    with app.app_context():
        report_text = db.session.execute(sa.select(Report.text)).scalar_one()
        db.session.remove()
    # The whole word goes, so no piece of the name is left and the marker keeps its spaces.
    assert report_text == f"De naam {SCRUBBED} staat erin, en de {SCRUBBED} uit groep 4 ook."
    assert GLUED.search(report_text) is None


def test_the_moderators_diff_of_a_waiting_edit_keeps_removed_and_added_apart(
    app, member, moderator
):
    set_site(app, "trust_threshold", "0")
    post = write_thread(app, member, body="Ik heb een kind uit mijn groep gesproken.")
    set_site(app, "trust_threshold", "3")
    assert post.status == "approved"
    writer = app.test_client()
    login(writer, member.email)
    edit_url = f"/bericht/{post.id}/bewerken"
    edited = {"title": "Ouders betrekken bij het startgesprek", "body": "Ik heb Anna gesproken."}
    assert submit(writer, edit_url, {**edited, "submit": "Opslaan"}).status_code == 302

    queue = text_of(
        moderator_client(app, moderator).get("/moderatie/").text, "checked-text queue-diff"
    )

    assert GLUED.search(queue) is None, queue
    assert "[weggehaald:] een kind uit mijn groep [toegevoegd:] Anna" in queue
