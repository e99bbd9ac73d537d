"""Research consent per post: it starts as the author's profile choice, the author changes it per
post or for all posts at once, every grant and withdrawal is kept, and nobody else sees or
touches it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_login import login_user

from forum.accounts.models import ConsentRecord, User
from forum.accounts.services import CONSENT_TEXT_VERSION
from forum.db import db
from forum.discussions.models import Post
from forum.forms import ActionForm
from tests.helpers import csrf_token, login, set_site, submit, write_reply, write_thread

LINE = "Mag gebruikt worden voor onderzoek:"


@pytest.fixture
def author(app, users):
    set_site(app, "trust_threshold", "0")
    return users.make(email="schrijver@example.org", name="Schrijver Sam")


@pytest.fixture
def opening(app, author):
    return write_thread(app, author)


def consent_of(app, post_id: int) -> bool:
    with app.app_context():
        value = db.session.get(Post, post_id).research_consent
        db.session.remove()
    return value


def records(app, user_id: int) -> list[tuple[bool, str, int | None, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                ConsentRecord.granted,
                ConsentRecord.scope,
                ConsentRecord.post_id,
                ConsentRecord.text_version,
            )
            .where(ConsentRecord.user_id == user_id)
            .order_by(ConsentRecord.id)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def set_post_consent(client, post, value: str):
    return submit(
        client,
        f"/bericht/{post.id}/toestemming",
        {"consent": value},
        form_url=f"/gesprek/{post.thread_id}",
    )


def set_all(client, value: str):
    return submit(client, "/account/toestemming/alles", {"consent": value}, "/account/profiel")


def profile_data(**changes: str) -> dict[str, str]:
    return {
        "display_name": "Schrijver Sam",
        "profession": "leerkracht",
        "main_setting": "1",
        "locale": "nl",
        **changes,
    }


# --- the default ----------------------------------------------------------------------------------


def test_a_new_post_takes_the_profile_choice_and_old_posts_keep_theirs(app, client, author):
    before = write_thread(app, author)
    assert consent_of(app, before.id) is False  # registered without consent

    login(client, author.email)
    answer = submit(client, "/account/profiel", profile_data(research_consent="y"))
    assert answer.status_code == 302
    after = write_reply(app, author, before.thread_id)

    assert consent_of(app, after.id) is True
    assert consent_of(app, before.id) is False  # the profile choice is for new posts only
    assert records(app, author.id)[-1] == (True, "profile", None, CONSENT_TEXT_VERSION)


# --- one post -------------------------------------------------------------------------------------


def test_the_author_gives_and_withdraws_consent_for_one_post(app, client, author, opening):
    login(client, author.email)

    given = set_post_consent(client, opening, "1")
    assert given.status_code == 302
    assert given.headers["Location"] == f"/bericht/{opening.id}"
    assert consent_of(app, opening.id) is True
    page = client.get(given.headers["Location"], follow_redirects=True)
    assert "Dit bericht mag gebruikt worden voor onderzoek." in page.text

    withdrawn = set_post_consent(client, opening, "0")
    assert withdrawn.status_code == 302
    assert consent_of(app, opening.id) is False

    assert records(app, author.id)[1:] == [
        (True, "post", opening.id, CONSENT_TEXT_VERSION),
        (False, "post", opening.id, CONSENT_TEXT_VERSION),
    ]


def test_pressing_the_same_choice_twice_records_it_once(app, client, author, opening):
    login(client, author.email)
    set_post_consent(client, opening, "1")
    set_post_consent(client, opening, "1")
    assert [r for r in records(app, author.id) if r[1] == "post"] == [
        (True, "post", opening.id, CONSENT_TEXT_VERSION)
    ]


@pytest.mark.parametrize("value", ["", "2", "ja", "1\x00"])
def test_a_made_up_choice_is_refused(app, client, author, opening, value):
    login(client, author.email)
    assert set_post_consent(client, opening, value).status_code == 400
    assert consent_of(app, opening.id) is False
    assert len(records(app, author.id)) == 1  # only the registration


def test_without_the_csrf_token_nothing_changes(app, client, author, opening):
    login(client, author.email)
    answer = client.post(f"/bericht/{opening.id}/toestemming", data={"consent": "1"})
    assert answer.status_code == 400
    assert consent_of(app, opening.id) is False


def test_nobody_else_can_change_the_consent_of_a_post(app, client, users, author, opening):
    with app.app_context():
        db.session.execute(sa.update(Post).values(research_consent=True))
        db.session.commit()
    visitor = submit(
        client, f"/bericht/{opening.id}/toestemming", {"consent": "0"}, "/account/inloggen"
    )
    assert visitor.status_code == 404

    for person in (
        users.make(email="collega@example.org"),
        users.make(email="mod@example.org", roles=["moderator"]),
        users.make(email="baas@example.org", roles=["admin"]),
        users.make(email="onderzoeker@example.org", roles=["researcher"]),
    ):
        other = app.test_client()
        login(other, person.email)
        assert set_post_consent(other, opening, "0").status_code == 404
        assert records(app, person.id) == [(False, "profile", None, CONSENT_TEXT_VERSION)]

    assert consent_of(app, opening.id) is True
    login(client, author.email)
    missing = submit(client, "/bericht/999999/toestemming", {"consent": "0"}, "/account/profiel")
    assert missing.status_code == 404


# --- all posts at once ----------------------------------------------------------------------------


def test_all_posts_at_once_changes_every_own_post_and_records_each(
    app, client, users, author, opening
):
    second = write_reply(app, author, opening.thread_id)
    third = write_reply(app, author, opening.thread_id)
    someone = users.make(email="collega@example.org")
    theirs = write_reply(app, someone, opening.thread_id)
    login(client, author.email)
    set_post_consent(client, second, "1")

    given = set_all(client, "1")
    assert given.status_code == 302
    assert given.headers["Location"] == "/account/profiel#toestemming"
    assert [consent_of(app, p.id) for p in (opening, second, third)] == [True, True, True]
    assert consent_of(app, theirs.id) is False  # someone else's post is not touched
    all_rows = [r for r in records(app, author.id) if r[1] == "all_posts"]
    assert sorted(all_rows, key=lambda r: r[2]) == [
        (True, "all_posts", opening.id, CONSENT_TEXT_VERSION),
        (True, "all_posts", third.id, CONSENT_TEXT_VERSION),
    ]
    page = client.get("/account/profiel")
    assert "Je hebt 3 berichten geschreven." in page.text
    assert "Daarvan mogen er 3 gebruikt worden voor onderzoek." in page.text

    withdrawn = set_all(client, "0")
    assert withdrawn.status_code == 302
    assert [consent_of(app, p.id) for p in (opening, second, third)] == [False, False, False]
    assert len([r for r in records(app, author.id) if r[:2] == (False, "all_posts")]) == 3
    page = client.get("/account/profiel")
    assert "Daarvan mogen er 0 gebruikt worden voor onderzoek." in page.text
    # The profile default did not change: the next post still follows the profile choice.
    with app.app_context():
        assert db.session.get(User, author.id).research_consent is False
        db.session.remove()


def test_withdrawing_for_all_posts_takes_one_button_like_giving(app, client, author, opening):
    login(client, author.email)
    page = client.get("/account/profiel")
    assert "Toestemming geven voor al mijn berichten tegelijk" in page.text
    assert "Toestemming intrekken voor al mijn berichten tegelijk" in page.text
    assert page.text.count('action="/account/toestemming/alles"') == 2


def test_all_posts_needs_a_signed_in_person(client):
    answer = submit(client, "/account/toestemming/alles", {"consent": "0"}, "/account/inloggen")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/account/inloggen")


def test_the_history_page_lists_every_choice(app, client, author, opening):
    login(client, author.email)
    set_post_consent(client, opening, "1")
    set_all(client, "0")
    page = client.get("/account/toestemming")
    assert page.status_code == 200
    assert page.text.count("Geen toestemming") == 2  # registration and all posts
    assert page.text.count("Toestemming gegeven") == 1
    assert f'href="/bericht/{opening.id}"' in page.text
    assert CONSENT_TEXT_VERSION in page.text


# --- the line on the post -------------------------------------------------------------------------

MACRO = '{% from "_macros/consent.html" import post_consent %}{{ post_consent(post, action_form) }}'


def render_line(app, post_id: int, viewer_id: int | None) -> str:
    with app.test_request_context():
        if viewer_id is not None:
            login_user(db.session.get(User, viewer_id))
        post = db.session.get(Post, post_id)
        html = render_template_string(MACRO, post=post, action_form=ActionForm())
        db.session.remove()
    return html


def test_the_author_sees_the_consent_line_with_one_button(app, author, opening):
    html = render_line(app, opening.id, author.id)
    assert LINE in html
    assert "nee" in html
    assert f'action="/bericht/{opening.id}/toestemming"' in html
    assert 'name="consent" value="1"' in html
    assert "Toestemming geven" in html
    assert 'name="csrf_token"' in html


def test_other_people_do_not_see_the_consent_line(app, users, author, opening):
    viewers = [
        None,
        users.make(email="collega@example.org").id,
        users.make(email="mod@example.org", roles=["moderator"]).id,
        users.make(email="onderzoeker@example.org", roles=["researcher"]).id,
    ]
    for viewer in viewers:
        html = render_line(app, opening.id, viewer)
        assert LINE not in html
        assert "toestemming" not in html


def test_the_button_posts_the_opposite_of_the_current_choice(app, client, author, opening):
    login(client, author.email)
    set_post_consent(client, opening, "1")
    html = render_line(app, opening.id, author.id)
    assert "ja" in html
    assert 'name="consent" value="0"' in html
    assert "Toestemming intrekken" in html
    # The form in the line works as it is: post it back with its own token.
    token = csrf_token(client.get(f"/gesprek/{opening.thread_id}").text)
    client.post(f"/bericht/{opening.id}/toestemming", data={"consent": "0", "csrf_token": token})
    assert consent_of(app, opening.id) is False
