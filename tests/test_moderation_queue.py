"""The review queue (Te beoordelen) over HTTP: order, filters, who may see it, what an item shows,
every decision with its notification and audit entry, rejection templates, and a query count that
does not grow with the number of items."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, PostStatus
from forum.moderation.models import PendingEdit, RejectionTemplate
from forum.notifications.models import Notification
from tests.helpers import (
    count_queries,
    csrf_token,
    login,
    post_status,
    set_site,
    submit,
    write_reply,
    write_thread,
)

PRIVATE = "Sanne (7) uit groep 4 huilt elke ochtend. Haar moeder belde me op 06-12345678."
ITEM_RE = re.compile(r'<li class="card queue-item" id="(post|edit)-(\d+)"')


def queue_ids(html: str) -> list[tuple[str, int]]:
    return [(kind, int(ident)) for kind, ident in ITEM_RE.findall(html)]


def backdate(app, post_id: int, minutes: int) -> None:
    with app.app_context():
        db.session.execute(
            sa.update(Post)
            .where(Post.id == post_id)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def approved_post(app, author, body="Een gewone tekst over ouders en school.", **kw):
    """A post by ``author`` that is approved, while the author still has posts checked."""
    set_site(app, "trust_threshold", "0")
    ref = write_thread(app, author, body=body, **kw)
    set_site(app, "trust_threshold", "3")
    assert ref.status == "approved"
    return ref


def waiting_edit(app, author, post_id: int, source: str) -> int:
    with app.test_request_context():
        post = db.session.get(Post, post_id)
        result = services.edit_post(post, db.session.get(User, author.id), source)
        assert result is services.EditResult.WAITING
        db.session.commit()
        edit_id = db.session.execute(
            sa.select(PendingEdit.id).where(PendingEdit.post_id == post_id)
        ).scalar_one()
        db.session.remove()
    return edit_id


def notifications(app, user_id: int) -> list[tuple[str, int | None, dict]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        ).scalars()
        result = [(n.event, n.post_id, n.data) for n in rows]
        db.session.remove()
    return result


def audit_rows(app, action: str) -> list[tuple[int | None, str, int | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).scalars()
        result = [(a.actor_id, a.target_type, a.target_id, a.reason) for a in rows]
        db.session.remove()
    return result


def press(client, url: str, page: str, **data):
    return submit(client, url, data, form_url=page)


@pytest.fixture
def mod_client(app, moderator):
    client = app.test_client()
    login(client, moderator.email)
    return client


@pytest.fixture
def member_client(app, member):
    client = app.test_client()
    login(client, member.email)
    return client


# --- what the queue shows -----------------------------------------------------------------------


def test_queue_shows_waiting_posts_and_edits_oldest_first(app, users, member, mod_client):
    other = users.make(name="Ander Lid")
    first = write_thread(app, member, title="Het eerste gesprek")
    second = write_reply(app, other, first.thread_id, body="Een reactie die wacht.")
    third = write_thread(app, other, title="Een later gesprek")
    published = approved_post(app, member, title="Al geplaatst gesprek")
    edit_id = waiting_edit(app, member, published.id, "Een gewijzigde tekst over ouders.")
    backdate(app, third.id, 50)
    backdate(app, first.id, 40)
    backdate(app, second.id, 30)
    with app.app_context():  # the edit waits longest of all
        db.session.execute(
            sa.update(PendingEdit).values(created_at=utcnow() - timedelta(minutes=60))
        )
        db.session.commit()

    page = mod_client.get("/moderatie/")

    assert page.status_code == 200
    assert queue_ids(page.text) == [
        ("edit", edit_id),
        ("post", third.id),
        ("post", first.id),
        ("post", second.id),
    ]
    assert "4 wachten op beoordeling" in page.text
    assert "Wijziging van een geplaatst bericht" in page.text
    assert "Openingsbericht (nieuw gesprek)" in page.text
    # A reply is shown with the start of the opening post as context.
    assert "Reactie op het openingsbericht" in page.text
    assert "Hoe betrek je ouders bij het eerste gesprek" in page.text
    # Nothing that is already published waits.
    assert ("post", published.id) not in queue_ids(page.text)


def test_filters_by_werkveld_and_reason(app, users, member, mod_client):
    school = write_thread(app, member, title="In het onderwijs", setting_id=1)
    opvang = write_thread(app, member, title="In de kinderopvang", setting_id=2)
    private = write_thread(app, member, body=PRIVATE, title="Over een meisje", setting_id=1)

    by_setting = mod_client.get("/moderatie/?werkveld=2")
    by_reason = mod_client.get("/moderatie/?reden=privacy")
    both = mod_client.get("/moderatie/?werkveld=2&reden=privacy")

    assert queue_ids(by_setting.text) == [("post", opvang.id)]
    assert queue_ids(by_reason.text) == [("post", private.id)]
    assert queue_ids(both.text) == []
    assert ("post", school.id) in queue_ids(mod_client.get("/moderatie/?reden=new_member").text)
    assert mod_client.get("/moderatie/?reden=zomaar").status_code == 404
    assert mod_client.get("/moderatie/?werkveld=abc").status_code == 404
    assert mod_client.get("/moderatie/?page=9").status_code == 404


def test_findings_are_highlighted_and_user_text_is_escaped(app, member, mod_client):
    private = write_thread(app, member, body=PRIVATE + " <script>alert(1)</script>")

    for url in ("/moderatie/", f"/moderatie/bericht/{private.id}"):
        page = mod_client.get(url)
        assert (
            '<mark class="finding finding-person">Sanne<span class="visually-hidden"> (naam)'
            in (page.text)
        )
        assert (
            '<mark class="finding finding-phone">06-12345678<span class="visually-hidden"> '
            "(telefoonnummer)" in page.text
        )
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        # Moderators read the reason in their own words, with the number of findings.
        assert re.search(r"Privacycheck: \d+ mogelijke herleidbare gegevens<", page.text)
        assert "De privacycheck vond iets" not in page.text


def test_item_shows_safeguarding_notice_history_and_checklist(app, users, member, mod_client):
    write_thread(app, member, title="Eerder gesprek één")
    unsafe = write_thread(
        app, member, body="Een jongen heeft blauwe plekken en zegt dat hij thuis geslagen wordt."
    )
    with app.app_context():
        db.session.get(User, member.id).always_moderate = True
        db.session.commit()

    page = mod_client.get(f"/moderatie/bericht/{unsafe.id}")

    assert "Veilig Thuis" in page.text
    assert "0800-2000" in page.text
    assert "Meldcode huiselijk geweld en kindermishandeling" in page.text
    assert "0 goedgekeurd" in page.text
    assert "Altijd eerst bekijken" in page.text
    assert "Staan er namen in" in page.text
    assert "bijzondere gegevens" in page.text
    # The edit-and-approve form holds the author's source text.
    assert "thuis geslagen wordt.</textarea>" in page.text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/moderatie/"),
        ("get", "/moderatie/bericht/{post}"),
        ("post", "/moderatie/bericht/{post}/goedkeuren"),
        ("post", "/moderatie/bericht/{post}/vertrouwen"),
        ("post", "/moderatie/bericht/{post}/aanpassen"),
        ("post", "/moderatie/bericht/{post}/terugsturen"),
        ("post", "/moderatie/bericht/{post}/afwijzen"),
        ("post", "/moderatie/bericht/{edited}/wijziging/{edit}/goedkeuren"),
        ("post", "/moderatie/bericht/{edited}/wijziging/{edit}/afwijzen"),
        ("get", "/moderatie/afwijsredenen"),
        ("post", "/moderatie/afwijsredenen"),
        ("post", "/moderatie/afwijsredenen/{template}/verwijderen"),
    ],
)
def test_members_and_visitors_cannot_use_the_queue(app, users, member, method, url):
    waiting = write_thread(app, member)
    edited = approved_post(app, member, title="Al geplaatst gesprek")
    edit = waiting_edit(app, member, edited.id, "Nieuwe tekst van het lid.")
    with app.app_context():
        template = RejectionTemplate(title="Herkenbaar", text="Er staat iets herkenbaars in.")
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    url = url.format(post=waiting.id, edited=edited.id, edit=edit, template=template_id)
    data = {"note": "x", "reason": "x", "body": "Overgenomen!", "title": "Een titel hier"}

    visitor = app.test_client()
    page = visitor.get("/account/inloggen")
    answer = getattr(visitor, method)(url, data={**data, "csrf_token": csrf_token(page.text)})
    assert answer.status_code == 302
    assert "/account/inloggen" in answer.headers["Location"]

    other = users.make(name="Gewoon Lid")
    client = app.test_client()
    login(client, other.email)
    token = csrf_token(client.get("/").text)
    answer = getattr(client, method)(url, data={**data, "csrf_token": token})
    assert answer.status_code == 403

    assert post_status(app, waiting.id) == "pending"
    with app.app_context():
        assert db.session.get(PendingEdit, edit) is not None
        assert db.session.get(RejectionTemplate, template_id) is not None


def test_rejection_templates_are_for_admins_only(app, mod_client):
    assert mod_client.get("/moderatie/afwijsredenen").status_code == 403


# --- decisions ----------------------------------------------------------------------------------


def test_approve_lists_the_thread_counts_once_and_tells_the_author(
    app, member, moderator, mod_client
):
    opening = write_thread(app, member, title="Een vader komt nooit")
    assert "Een vader komt nooit" not in mod_client.get("/werkveld/school").text

    answer = press(mod_client, f"/moderatie/bericht/{opening.id}/goedkeuren", "/moderatie/")

    assert answer.status_code == 302
    assert answer.headers["Location"] == "/moderatie/"
    assert "Het bericht is goedgekeurd." in mod_client.get("/moderatie/").text
    with app.app_context():
        post = db.session.get(Post, opening.id)
        assert (post.status, post.thread.status) == (PostStatus.APPROVED, PostStatus.APPROVED)
        assert (post.handled_by_id, post.handled_at is not None) == (moderator.id, True)
        assert db.session.get(Setting, 1).thread_count == 1
        db.session.remove()
    assert "Een vader komt nooit" in mod_client.get("/werkveld/school").text
    assert notifications(app, member.id) == [("post_approved", opening.id, {})]
    assert audit_rows(app, "post.approved") == [(moderator.id, "post", opening.id, None)]


def test_returned_post_comes_back_to_the_queue_with_the_note(
    app, member, moderator, mod_client, member_client
):
    opening = write_thread(app, member, body=PRIVATE, title="Over een meisje")
    note = "Laat de naam en het telefoonnummer weg, dan keur ik het goed."
    item = f"/moderatie/bericht/{opening.id}"

    answer = press(mod_client, f"{item}/terugsturen", item, note=note)

    assert answer.status_code == 302
    assert post_status(app, opening.id) == "returned"
    assert queue_ids(mod_client.get("/moderatie/").text) == []
    assert notifications(app, member.id) == [("post_returned", opening.id, {"note": note})]
    assert audit_rows(app, "post.returned") == [(moderator.id, "post", opening.id, note)]
    assert note in member_client.get(f"/gesprek/{opening.thread_id}").text

    edit_url = f"/bericht/{opening.id}/bewerken"
    resubmitted = submit(
        member_client,
        edit_url,
        {"title": "Over een meisje", "body": "Een meisje uit groep 4 huilt elke ochtend."},
    )

    assert resubmitted.status_code == 302
    assert post_status(app, opening.id) == "pending"
    queue = mod_client.get("/moderatie/")
    assert queue_ids(queue.text) == [("post", opening.id)]
    assert "Eerder teruggestuurd met deze toelichting:" in queue.text
    assert note in queue.text
    assert "Aangepast na terugsturen." in queue.text
    assert "1 keer teruggestuurd" in queue.text


def test_return_needs_a_note(app, member, mod_client):
    post = write_thread(app, member)
    item = f"/moderatie/bericht/{post.id}"

    answer = press(mod_client, f"{item}/terugsturen", item, note="  ")

    assert answer.status_code == 400
    assert "Schrijf erbij wat er aangepast moet worden." in answer.text
    assert post_status(app, post.id) == "pending"


def test_reject_with_a_template_and_with_free_text(
    app, users, member, moderator, admin, mod_client
):
    admin_client = app.test_client()
    login(admin_client, admin.email)
    text = "Dit bericht maakt een kind herkenbaar. Schrijf het opnieuw zonder details."
    added = submit(
        admin_client, "/moderatie/afwijsredenen", {"title": "Herkenbaar kind", "text": text}
    )
    assert added.status_code == 302
    with app.app_context():
        template_id = db.session.execute(sa.select(RejectionTemplate.id)).scalar_one()
    opening = write_thread(app, member, title="Een gesprek dat niet kan")
    reply_author = users.make(name="Tweede Lid")
    with app.app_context():  # the thread must be listed for a reply
        post = db.session.get(Post, opening.id)
        services.set_status(post, PostStatus.APPROVED)
        db.session.commit()
    reply = write_reply(app, reply_author, opening.thread_id)

    item = f"/moderatie/bericht/{reply.id}"
    assert "Herkenbaar kind" in mod_client.get(item).text
    empty = press(mod_client, f"/moderatie/bericht/{reply.id}/afwijzen", item)
    assert empty.status_code == 400
    assert "Kies een reden of schrijf er zelf een." in empty.text
    assert post_status(app, reply.id) == "pending"

    by_template = press(
        mod_client, f"/moderatie/bericht/{reply.id}/afwijzen", item, template=str(template_id)
    )
    assert by_template.status_code == 302
    assert post_status(app, reply.id) == "rejected"
    assert notifications(app, reply_author.id)[-1] == ("post_rejected", reply.id, {"reason": text})

    second = write_thread(app, member, title="Nog een gesprek")
    own_words = "Dit hoort niet op dit forum."
    by_text = press(
        mod_client,
        f"/moderatie/bericht/{second.id}/afwijzen",
        f"/moderatie/bericht/{second.id}",
        reason=own_words,
    )
    assert by_text.status_code == 302
    with app.app_context():
        rejected = db.session.get(Post, second.id)
        assert (rejected.status, rejected.thread.status) == (PostStatus.REJECTED,) * 2
        assert rejected.status_note == own_words
        db.session.remove()
    assert notifications(app, member.id)[-1] == ("post_rejected", second.id, {"reason": own_words})
    assert [row[2:] for row in audit_rows(app, "post.rejected")] == [
        (reply.id, text),
        (second.id, own_words),
    ]


def test_edit_and_approve_tells_the_author_what_changed(app, member, moderator, mod_client):
    opening = write_thread(app, member, body=PRIVATE, title="Over een meisje")
    item = f"/moderatie/bericht/{opening.id}"
    new_text = "Een meisje uit groep 4 huilt elke ochtend. Haar moeder belde me."

    answer = press(mod_client, f"{item}/aanpassen", item, title="Over een meisje", body=new_text)

    assert answer.status_code == 302
    with app.app_context():
        post = db.session.get(Post, opening.id)
        assert post.status is PostStatus.APPROVED
        assert post.body_source == new_text
        assert "Sanne" not in post.body_html
        assert post.privacy_findings == []
        db.session.remove()
    [(event, post_id, data)] = notifications(app, member.id)
    assert (event, post_id) == ("post_edited", opening.id)
    assert all(text == "" for op, text in data["changes"] if op == "removed")
    assert ["removed", ""] in data["changes"]
    assert any(op == "added" and "Een meisje" in text for op, text in data["changes"])
    assert "Sanne" not in str(data)
    assert audit_rows(app, "post.edited_and_approved") == [(moderator.id, "post", opening.id, None)]


def test_approve_and_trust(app, member, moderator, mod_client):
    first = write_thread(app, member, title="Het eerste gesprek")
    only_new = write_thread(app, member, title="Wacht alleen omdat ik nieuw ben")
    private = write_thread(app, member, body=PRIVATE, title="Wacht ook om de privacy")
    with app.app_context():
        db.session.get(User, member.id).always_moderate = True
        db.session.commit()
    other = write_thread(app, member, title="Wacht ook om altijd bekijken")

    answer = press(mod_client, f"/moderatie/bericht/{first.id}/vertrouwen", "/moderatie/")

    assert answer.status_code == 302
    assert post_status(app, first.id) == post_status(app, only_new.id) == "approved"
    assert post_status(app, private.id) == post_status(app, other.id) == "pending"
    with app.app_context():
        assert db.session.get(User, member.id).always_moderate is False
        db.session.remove()
    assert audit_rows(app, "user.trusted") == [(moderator.id, "user", member.id, None)]
    assert [n[:2] for n in notifications(app, member.id)] == [
        ("post_approved", first.id),
        ("post_approved", only_new.id),
    ]
    # With three approved posts the member is trusted by the count: new posts publish at once.
    press(mod_client, f"/moderatie/bericht/{other.id}/goedkeuren", "/moderatie/")
    assert write_thread(app, member, title="Nu meteen geplaatst").status == "approved"


def test_pending_edit_approved_and_rejected(app, member, moderator, mod_client):
    published = approved_post(app, member, title="Al geplaatst gesprek")
    edit_id = waiting_edit(app, member, published.id, "De nieuwe, betere tekst.")
    item = f"/moderatie/bericht/{published.id}"
    page = mod_client.get(item)
    assert "Geplaatste versie" in page.text
    assert "Voorgestelde versie" in page.text
    assert "<ins>" in page.text
    assert "<del>" in page.text

    approved = press(mod_client, f"{item}/wijziging/{edit_id}/goedkeuren", item)

    assert approved.status_code == 302
    with app.app_context():
        post = db.session.get(Post, published.id)
        assert post.body_source == "De nieuwe, betere tekst."
        assert db.session.get(PendingEdit, edit_id) is None
        assert post.handled_by_id == moderator.id
        db.session.remove()
    assert notifications(app, member.id)[-1] == ("edit_approved", published.id, {})

    second = waiting_edit(app, member, published.id, "Een wijziging die niet doorgaat.")
    rejected = press(mod_client, f"{item}/wijziging/{second}/afwijzen", item, reason="Niet nodig.")

    assert rejected.status_code == 302
    with app.app_context():
        assert db.session.get(Post, published.id).body_source == "De nieuwe, betere tekst."
        assert db.session.get(PendingEdit, second) is None
        db.session.remove()
    assert notifications(app, member.id)[-1] == (
        "edit_rejected",
        published.id,
        {"reason": "Niet nodig."},
    )
    assert audit_rows(app, "edit.approved") == [(moderator.id, "post", published.id, None)]
    assert audit_rows(app, "edit.rejected") == [(moderator.id, "post", published.id, "Niet nodig.")]


def test_rejection_templates_can_be_added_changed_and_deleted(app, admin):
    client = app.test_client()
    login(client, admin.email)
    submit(client, "/moderatie/afwijsredenen", {"title": "Reclame", "text": "Geen reclame."})
    with app.app_context():
        template_id = db.session.execute(sa.select(RejectionTemplate.id)).scalar_one()
    url = f"/moderatie/afwijsredenen/{template_id}"
    assert 'value="Reclame"' in client.get(url).text

    changed = submit(client, url, {"title": "Reclame of spam", "text": "Geen reclame of spam."})
    assert changed.status_code == 302
    assert "Reclame of spam" in client.get("/moderatie/afwijsredenen").text
    empty = submit(client, "/moderatie/afwijsredenen", {"title": "", "text": ""})
    assert empty.status_code == 400

    deleted = press(client, f"{url}/verwijderen", "/moderatie/afwijsredenen")
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.execute(sa.select(RejectionTemplate)).first() is None
    actions = [
        a for a in ("added", "changed", "deleted") if audit_rows(app, f"rejection_template.{a}")
    ]
    assert actions == ["added", "changed", "deleted"]


# --- cost ---------------------------------------------------------------------------------------


def fill_queue(app, users, count: int) -> None:
    """``count`` waiting items from different authors: openings, replies and an edit."""
    host = users.make(name="Gastheer", roles=["moderator"])
    thread = write_thread(app, host, title="Een gesprek om op te reageren")
    authors = [users.make() for _ in range(3)]
    for n in range(count):
        author = authors[n % 3]
        if n == 0:
            published = approved_post(app, author, title="Al geplaatst gesprek")
            waiting_edit(app, author, published.id, "Een wijziging die wacht.")
        elif n % 2:
            write_reply(app, author, thread.thread_id, body=f"Reactie nummer {n}.")
        else:
            write_thread(app, author, title=f"Gesprek nummer {n}", body=PRIVATE)


def queue_queries(app, mod_client) -> tuple[int, str]:
    with count_queries(app) as statements:
        page = mod_client.get("/moderatie/")
    assert page.status_code == 200
    return len(statements), page.text


def test_queue_query_count_does_not_grow_with_items(app, users, mod_client):
    fill_queue(app, users, 2)
    few, few_page = queue_queries(app, mod_client)
    assert len(queue_ids(few_page)) == 2

    fill_queue(app, users, 10)
    many, many_page = queue_queries(app, mod_client)
    assert len(queue_ids(many_page)) == 12

    assert many == few
