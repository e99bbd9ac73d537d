"""The preview tells what saving will do, for this person and this text: a moderator's or an
admin's post is published at once (never "a moderator will look at it first"), a new member's
waits, a trusted member's clean post goes up at once; and it shows the title. Then the save does
what the preview said. Over HTTP with the real forms, CSRF on."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from forum.db import db
from forum.discussions.models import Post
from tests.helpers import login, post_status, set_site, submit, write_thread

CHILD_AND_PHONE = (
    "Sanne (7) uit groep 4 huilt elke ochtend bij het afscheid. Haar moeder belde me op "
    "06-12345678 en vroeg wat ze kon doen."
)
CLEAN = "Hoe maak je het afscheid bij de deur korter zonder dat ouders zich weggestuurd voelen?"
TITLE = "Afscheid bij de deur"
PROMISE = "bekijkt een moderator"  # every wording of "a moderator will look first"
AT_ONCE_MODERATOR = "Je bericht wordt meteen geplaatst, omdat je moderator bent"
DO_IT_YOURSELF = "Haal herleidbare gegevens er zelf uit."


def thread_data(body: str, title: str = TITLE, preview: bool = True) -> dict[str, str]:
    return {
        "setting": "1",
        "kind": "question",
        "title": title,
        "body": body,
        "submission_key": secrets.token_hex(16),
        **({"preview": "Bekijk voorbeeld"} if preview else {"submit": "Plaatsen"}),
    }


def signed_in(app, person):
    client = app.test_client()
    login(client, person.email)
    return client


def preview_of(client, body: str, title: str = TITLE) -> str:
    page = submit(client, "/gesprek/nieuw", thread_data(body, title))
    assert page.status_code == 200
    return page.text


def post_now(client, body: str, title: str = TITLE) -> str:
    """Post for real; the status of the stored opening post."""
    answer = submit(client, "/gesprek/nieuw", thread_data(body, title, preview=False))
    assert answer.status_code == 302
    with client.application.app_context():
        status = db.session.execute(sa.select(Post.status).order_by(Post.id.desc())).scalar()
        db.session.remove()
    return status.value


def marks(page: str) -> list[str]:
    return re.findall(r'<mark class="finding[^"]*">([^<]*)<span', page)


def test_a_moderators_preview_with_a_finding_says_it_is_published_at_once(app, moderator):
    client = signed_in(app, moderator)

    page = preview_of(client, CHILD_AND_PHONE)

    assert "Sanne" in marks(page)  # the check ran and shows what it found
    assert AT_ONCE_MODERATOR in page
    assert DO_IT_YOURSELF in page
    assert "er kijkt geen moderator eerst naar" in page
    assert PROMISE not in page
    assert post_now(client, CHILD_AND_PHONE) == "approved"  # as the preview said


def test_an_admins_preview_names_the_admin_role(app, admin):
    client = signed_in(app, admin)

    page = preview_of(client, CHILD_AND_PHONE)

    assert "Je bericht wordt meteen geplaatst, omdat je beheerder bent" in page
    assert PROMISE not in page
    assert post_now(client, CHILD_AND_PHONE) == "approved"


def test_a_new_members_preview_says_it_waits_and_why(app, member):
    client = signed_in(app, member)

    page = preview_of(client, CLEAN)

    assert "Als je nu plaatst, bekijkt een moderator je bericht eerst" in page
    assert "je eerste berichten bekijkt een moderator eerst" in page
    assert "meteen" not in page
    assert post_now(client, CLEAN) == "pending"


def test_a_trusted_members_clean_preview_says_it_goes_up_at_once(app, member):
    set_site(app, "trust_threshold", "0")
    client = signed_in(app, member)

    page = preview_of(client, CLEAN)

    assert "Als je nu plaatst, staat je bericht meteen op het forum" in page
    assert PROMISE not in page
    assert post_now(client, CLEAN) == "approved"
    # With a finding the same member waits, and the preview says so.
    assert "plaats het toch: dan bekijkt een moderator het eerst" in preview_of(
        client, CHILD_AND_PHONE
    )


def test_the_preview_shows_the_title_and_what_the_check_found_in_it(app, member):
    client = signed_in(app, member)
    title = "Afscheid van Sanne Jansen"

    page = preview_of(client, CLEAN, title=title)

    assert f'<h3 class="preview-title">{title}</h3>' in page
    assert any("Sanne" in found for found in marks(page))  # the title is screened too


def test_a_moderators_reply_preview_says_it_is_published_at_once(app, member, moderator):
    thread = write_thread(app, moderator)
    client = signed_in(app, moderator)
    url = f"/gesprek/{thread.thread_id}"
    data = {"body": CHILD_AND_PHONE, "submission_key": secrets.token_hex(16)}

    page = submit(client, f"{url}/reageren", {**data, "preview": "Bekijk voorbeeld"}, url)

    assert page.status_code == 200
    assert AT_ONCE_MODERATOR in page.text
    assert PROMISE not in page.text
    assert 'class="preview-title"' not in page.text  # a reply has no title of its own


def test_edit_previews_say_what_saving_the_edit_will_do(app, member, moderator):
    own = write_thread(app, moderator, title="Een eigen gesprek")
    client = signed_in(app, moderator)
    edit = {"title": "Een eigen gesprek", "body": CHILD_AND_PHONE, "preview": "Bekijk voorbeeld"}

    page = submit(client, f"/bericht/{own.id}/bewerken", edit).text

    assert "Je wijziging wordt meteen opgeslagen, omdat je moderator bent" in page
    assert DO_IT_YOURSELF in page
    assert PROMISE not in page
    assert "Nog niet opgeslagen" in page
    assert '<h3 class="preview-title">Een eigen gesprek</h3>' in page

    set_site(app, "trust_threshold", "0")
    approved = write_thread(app, member, title="Een gewoon gesprek")
    set_site(app, "trust_threshold", "3")
    assert approved.status == "approved"
    writer = signed_in(app, member)
    edit = {"title": "Een gewoon gesprek", "body": CLEAN, "preview": "Bekijk voorbeeld"}

    page = submit(writer, f"/bericht/{approved.id}/bewerken", edit).text

    assert "Als je nu opslaat, bekijkt een moderator je wijziging eerst" in page
    assert "Tot die tijd blijft de eerdere versie staan." in page
    del edit["preview"]
    answer = submit(writer, f"/bericht/{approved.id}/bewerken", {**edit, "submit": "Opslaan"})
    assert answer.status_code == 302
    assert post_status(app, approved.id) == "approved"  # the edit waits, the post stays


def test_editing_a_returned_post_says_it_goes_back_to_a_moderator(app, member, moderator):
    post = write_thread(app, member, title="Een vraag over ouders")
    mod = signed_in(app, moderator)
    item = f"/moderatie/bericht/{post.id}"
    assert (
        submit(mod, f"{item}/terugsturen", {"note": "Iets korter graag."}, item).status_code == 302
    )
    writer = signed_in(app, member)
    edit = {"title": "Een vraag over ouders", "body": CLEAN, "preview": "Bekijk voorbeeld"}

    page = submit(writer, f"/bericht/{post.id}/bewerken", edit).text

    assert "Als je nu opslaat, gaat je bericht terug naar een moderator" in page
    assert "meteen" not in page
