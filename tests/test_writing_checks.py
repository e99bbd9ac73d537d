"""The checks a member meets when writing: why a post waits (shown), the privacy check on preview,
edits of approved posts that wait, watched words that block, the safeguarding signpost and the
per-person posting limit."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread
from forum.moderation.models import PendingEdit, Report, WatchedWord
from forum.screening import WatchedAction
from tests.helpers import login, set_site, submit, write_thread

CHILD_AND_PHONE = (
    "Sanne (7) uit groep 4 huilt elke ochtend bij het afscheid. Haar moeder belde me op "
    "06-12345678 en vroeg wat ze kon doen."
)
CLEAN = "Hoe maak je het afscheid bij de deur korter zonder dat ouders zich weggestuurd voelen?"


def key() -> str:
    return secrets.token_hex(16)


def thread_data(body: str, title: str = "Afscheid bij de deur", **extra) -> dict:
    return {
        "setting": "1",
        "kind": "question",
        "title": title,
        "body": body,
        "submission_key": key(),
        **extra,
    }


def post_thread(client, body: str, title: str = "Afscheid bij de deur", preview: bool = False):
    button = {"preview": "Bekijk voorbeeld"} if preview else {"submit": "Plaatsen"}
    return submit(client, "/gesprek/nieuw", thread_data(body, title, **button))


def only_post(app) -> Post:
    with app.app_context():
        post = db.session.execute(sa.select(Post)).scalar_one()
        db.session.expunge_all()
    return post


def marks(html: str) -> list[str]:
    return re.findall(r'<mark class="finding[^"]*">([^<]*)<span', html)


def test_a_new_members_first_post_waits_and_the_reason_is_shown(app, client, member):
    login(client, member.email)
    response = post_thread(client, CLEAN)
    assert response.status_code == 302
    post = only_post(app)
    assert post.status is PostStatus.PENDING
    assert post.wait_reasons == ["new_member"]
    page = client.get(response.headers["Location"])
    assert "Waarom het wacht" in page.text
    assert "je eerste berichten bekijkt een moderator eerst" in page.text


def test_preview_highlights_a_childs_name_and_a_phone_number_with_suggestions(app, client, member):
    login(client, member.email)
    response = post_thread(client, CHILD_AND_PHONE, preview=True)
    assert response.status_code == 200
    found = marks(response.text)
    assert "Sanne" in found
    assert "06-12345678" in found
    assert "Vervang de naam" in response.text
    assert "Haal het telefoonnummer weg" in response.text
    assert "bekijkt een moderator het eerst" in response.text
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Post.id))).scalar_one() == 0


def test_posting_anyway_stores_the_findings_for_the_moderator(app, client, member):
    set_site(app, "trust_threshold", "0")
    login(client, member.email)
    assert post_thread(client, CHILD_AND_PHONE).status_code == 302
    post = only_post(app)
    assert post.status is PostStatus.PENDING
    assert post.wait_reasons == ["privacy"]
    with app.app_context():
        stored = db.session.get(Post, post.id)
        found = {stored.screened_text[f["start"] : f["end"]] for f in stored.privacy_findings}
    assert {"Sanne", "06-12345678"} <= {piece.strip() for piece in found} | found


def test_the_title_is_checked_too(app, client, member):
    set_site(app, "trust_threshold", "0")
    login(client, member.email)
    post_thread(client, CLEAN, title="Afscheid van Sanne Jansen")
    post = only_post(app)
    assert post.wait_reasons == ["privacy"]
    with app.app_context():
        stored = db.session.get(Post, post.id)
        assert any(
            "Sanne" in stored.screened_text[f["start"] : f["end"]] for f in stored.privacy_findings
        )


def test_a_trusted_member_with_clean_text_is_published_at_once(app, client, member):
    set_site(app, "trust_threshold", "0")
    login(client, member.email)
    response = post_thread(client, CLEAN)
    post = only_post(app)
    assert post.status is PostStatus.APPROVED
    assert post.wait_reasons == []
    assert "Afscheid bij de deur" in client.get("/werkveld/school").text
    assert response.status_code == 302


def test_after_three_approved_posts_the_member_publishes_at_once(app, client, member, moderator):
    from forum.discussions import services

    for n in range(3):
        ref = write_thread(app, member, body=CLEAN, title=f"Afscheid, deel {n + 1}")
        assert ref.status == "pending"
        with app.test_request_context():
            post = db.session.get(Post, ref.id)
            services.set_status(post, PostStatus.APPROVED)
            db.session.commit()
    assert write_thread(app, member, body=CLEAN, title="Het vierde gesprek").status == "approved"
    assert write_thread(app, member, body=CHILD_AND_PHONE, title="Een vijfde").status == "pending"


def test_a_premoderated_werkveld_holds_every_members_post(app, client, member):
    set_site(app, "trust_threshold", "0")
    with app.app_context():
        db.session.get(Setting, 1).premoderated = True
        db.session.commit()
    login(client, member.email)
    post_thread(client, CLEAN)
    assert only_post(app).wait_reasons == ["premoderated"]


def test_always_moderate_holds_a_trusted_members_post(app, client, member):
    set_site(app, "trust_threshold", "0")
    with app.app_context():
        db.session.get(User, member.id).always_moderate = True
        db.session.commit()
    login(client, member.email)
    post_thread(client, CLEAN)
    assert only_post(app).wait_reasons == ["always_moderate"]


def test_an_edit_with_a_finding_waits_and_the_approved_version_stays(app, client, member, users):
    set_site(app, "trust_threshold", "0")
    ref = write_thread(app, member, body=CLEAN)
    assert ref.status == "approved"
    login(client, member.email)
    edit_url = f"/bericht/{ref.id}/bewerken"
    data = {"title": "Afscheid bij de deur", "body": CHILD_AND_PHONE, "submit": "Opslaan"}
    response = submit(client, edit_url, data)
    assert response.status_code == 302
    post = only_post(app)
    assert post.status is PostStatus.APPROVED
    assert post.body_source == CLEAN
    with app.app_context():
        waiting = db.session.execute(sa.select(PendingEdit)).scalar_one()
        assert waiting.body_source == CHILD_AND_PHONE
        assert waiting.wait_reasons == ["privacy"]
    page = client.get(f"/gesprek/{ref.thread_id}")
    assert "Je wijziging van dit bericht wacht op goedkeuring" in page.text
    assert "06-12345678" not in page.text
    # Others keep seeing the approved version, without the note.
    colleague = app.test_client()
    login(colleague, users.make().email)
    page = colleague.get(f"/gesprek/{ref.thread_id}").text
    assert "Je wijziging" not in page
    assert CLEAN in page
    # Editing again starts from the waiting version and replaces it.
    assert "06-12345678" in client.get(edit_url).text
    submit(client, edit_url, {**data, "body": CLEAN + " Aangevuld."})
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(PendingEdit.id))).scalar_one() == 0
        assert db.session.get(Post, ref.id).body_source == CLEAN + " Aangevuld."


def test_a_new_members_edit_of_an_approved_post_waits(app, client, member):
    set_site(app, "trust_threshold", "0")
    ref = write_thread(app, member, body=CLEAN)
    set_site(app, "trust_threshold", "3")
    login(client, member.email)
    submit(
        client,
        f"/bericht/{ref.id}/bewerken",
        {"title": "Afscheid bij de deur", "body": CLEAN + " Nog iets.", "submit": "Opslaan"},
    )
    assert only_post(app).body_source == CLEAN
    with app.app_context():
        assert db.session.execute(sa.select(PendingEdit.wait_reasons)).scalar_one() == [
            "new_member"
        ]


def add_watched(app, phrase: str, action: WatchedAction, whole_word: bool = True) -> None:
    with app.app_context():
        db.session.add(WatchedWord(phrase=phrase, whole_word=whole_word, action=action))
        db.session.commit()


def test_a_blocking_watched_word_refuses_the_post_with_a_message(app, client, member):
    add_watched(app, "sukkel", WatchedAction.BLOCK)
    login(client, member.email)
    response = post_thread(client, "Wat een SUKKEL is die vader.")
    assert response.status_code == 400
    assert "Je bericht bevat ‘sukkel’" in response.text
    assert "Wat een SUKKEL is die vader." in response.text  # the text is not lost
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Thread.id))).scalar_one() == 0


def test_a_require_approval_word_holds_the_post(app, client, member):
    set_site(app, "trust_threshold", "0")
    add_watched(app, "rechtszaak", WatchedAction.REQUIRE_APPROVAL)
    login(client, member.email)
    post_thread(client, "De ouders dreigen met een Rechtszaak tegen de school.")
    assert only_post(app).wait_reasons == ["watched_word"]


def test_a_flagging_word_publishes_and_puts_the_post_before_a_moderator(app, client, member):
    set_site(app, "trust_threshold", "0")
    add_watched(app, "inspectie", WatchedAction.FLAG)
    login(client, member.email)
    post_thread(client, "Moeten we de inspectie erbij halen als ouders blijven klagen?")
    post = only_post(app)
    assert post.status is PostStatus.APPROVED
    with app.app_context():
        report = db.session.execute(sa.select(Report)).scalar_one()
        assert (report.post_id, report.reporter_id, report.watched_phrase) == (
            post.id,
            None,
            "inspectie",
        )


UNSAFE = "Een leerling vertelde dat hij thuis geslagen wordt en ik zag blauwe plekken."


def test_the_safeguarding_signpost_shows_on_preview_and_to_the_author(app, client, member, users):
    login(client, member.email)
    preview = post_thread(client, UNSAFE, preview=True)
    assert "Veilig Thuis" in preview.text
    assert "Meldcode huiselijk geweld en kindermishandeling" in preview.text
    response = post_thread(client, UNSAFE)
    page = client.get(response.headers["Location"])
    assert "Veilig Thuis" in page.text
    assert only_post(app).safeguarding is True


def test_the_signpost_does_not_show_to_other_members(app, client, member, users):
    set_site(app, "trust_threshold", "0")
    ref = write_thread(app, member, body=UNSAFE)
    other = users.make()
    login(client, other.email)
    page = client.get(f"/gesprek/{ref.thread_id}")
    assert page.status_code == 200
    assert "Veilig Thuis" not in page.text


def test_flagging_is_never_called_melden_on_the_writing_pages(app, client, member, users):
    set_site(app, "trust_threshold", "0")
    ref = write_thread(app, users.make(), body=CLEAN)
    login(client, member.email)
    for url in ("/gesprek/nieuw", f"/gesprek/{ref.thread_id}", f"/bericht/{ref.id}/voorleggen"):
        page = client.get(url)
        assert page.status_code == 200
        assert "melden" not in page.text.lower()
    assert "Voorleggen aan een moderator" in client.get(f"/gesprek/{ref.thread_id}").text


def test_posting_too_fast_gets_the_friendly_429_page_and_previews_do_not_count(app, client, member):
    set_site(app, "trust_threshold", "0")
    login(client, member.email)
    for _n in range(12):
        assert post_thread(client, CLEAN, preview=True).status_code == 200
    for n in range(10):
        assert post_thread(client, CLEAN, title=f"Gesprek nummer {n}").status_code == 302
    response = post_thread(client, CLEAN, title="Nog een gesprek")
    assert response.status_code == 429
    assert "even" in response.text.lower()
