"""Kennisoogst over HTTP: researchers write, link threads, save drafts and publish; members read
published ones only; contributors with research consent are told once; the body is sanitised."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread
from forum.notifications.models import FOLLOWING_EVENTS, Notification
from forum.research.models import Harvest
from tests.helpers import csrf_token, login, set_site, submit, write_reply, write_thread

NEW = "/onderzoek/kennisoogst/nieuw"


def give_consent(app, person) -> None:
    with app.app_context():
        db.session.get(User, person.id).research_consent = True
        db.session.commit()


def new_harvest(client, threads: str = "", **fields):
    data = {"title": "Wat we leerden over ouders", "body": "Ouders willen **gehoord** worden."}
    return submit(client, NEW, {**data, "threads": threads, **fields})


def harvest_id_of(response) -> int:
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/onderzoek/kennisoogst/(\d+)/bewerken", response.headers["Location"])[1])


def publish(client, harvest_id: int):
    page = f"/onderzoek/kennisoogst/{harvest_id}/bewerken"
    return submit(client, f"/onderzoek/kennisoogst/{harvest_id}/publiceren", {}, form_url=page)


def notifications(app) -> list[tuple[int, str, dict]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification.user_id, Notification.event, Notification.data)
            # Contributors follow their threads: replies they hear of are not harvest notices.
            .where(Notification.event.not_in(FOLLOWING_EVENTS))
            .order_by(Notification.user_id)
        ).all()
        return [tuple(row) for row in rows]


def audit_actions(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.target_id).order_by(AuditEntry.id)
        ).all()
        return [tuple(row) for row in rows]


@pytest.fixture
def threads(app, users):
    """Two approved threads: consenting and non-consenting contributors, a waiting and a hidden
    consented post, and a third thread nobody links to."""
    set_site(app, "trust_threshold", "0")
    consenting, refusing, hidden_author, elsewhere = (users.make() for _ in range(4))
    for person in (consenting, hidden_author, elsewhere):
        give_consent(app, person)
    first = write_thread(app, consenting, title="Ouders aan tafel")
    write_reply(app, refusing, first.thread_id)
    write_reply(app, consenting, first.thread_id)  # twice in the thread: still one notification
    hidden = write_reply(app, hidden_author, first.thread_id)
    with app.app_context():
        db.session.get(Post, hidden.id).status = PostStatus.HIDDEN
        db.session.commit()
    second = write_thread(app, refusing, title="Een tweede gesprek", setting_id=2)
    other = write_thread(app, elsewhere, title="Een gesprek los hiervan")
    set_site(app, "trust_threshold", "3")
    late = users.make()
    give_consent(app, late)
    waiting = write_reply(app, late, second.thread_id)
    assert waiting.status == "pending"
    return {
        "first": first.thread_id,
        "second": second.thread_id,
        "other": other.thread_id,
        "consenting": consenting,
        "refusing": refusing,
        "late": late,
        "hidden_author": hidden_author,
    }


@pytest.fixture
def researcher_client(client, researcher):
    login(client, researcher.email)
    return client


def test_draft_then_publish_tells_consenting_contributors_once(
    app, researcher_client, threads, researcher
):
    refs = f"{threads['first']}, /gesprek/{threads['second']}"
    harvest_id = harvest_id_of(new_harvest(researcher_client, refs))
    draft = researcher_client.get(f"/onderzoek/kennisoogst/{harvest_id}/bewerken")
    assert "Concept" in draft.text
    assert "Ouders aan tafel" in draft.text
    assert notifications(app) == []

    response = publish(researcher_client, harvest_id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kennisoogst/{harvest_id}"
    assert "1 deelnemer aan de gesprekken ziet het" in researcher_client.get(response.location).text
    data = {"title": "Wat we leerden over ouders", "harvest_id": harvest_id}
    # Only the contributor with consent and an approved post; not the one without consent, not
    # the author of a hidden or a waiting post, and not someone in an unlinked thread.
    assert notifications(app) == [(threads["consenting"].id, "harvest_published", data)]

    again = publish(researcher_client, harvest_id)
    assert again.status_code == 302
    assert len(notifications(app)) == 1
    assert "al gepubliceerd" in researcher_client.get(again.headers["Location"]).text
    actions = audit_actions(app)
    assert actions == [("harvest.created", harvest_id), ("harvest.published", harvest_id)]

    # The contributor sees it on their notifications page, with a link to the harvest.
    contributor = app.test_client()
    login(contributor, threads["consenting"].email)
    page = contributor.get("/meldingen").text
    assert "Wat we leerden over ouders" in page
    assert f'href="/kennisoogst/{harvest_id}"' in page


def test_members_see_published_only(app, users, researcher_client, threads):
    draft_id = harvest_id_of(
        new_harvest(researcher_client, str(threads["first"]), title="Nog geheim")
    )
    published_id = harvest_id_of(new_harvest(researcher_client, str(threads["first"])))
    publish(researcher_client, published_id)

    client = app.test_client()
    login(client, users.make().email)
    listing = client.get("/kennisoogst")
    assert listing.status_code == 200
    assert "Wat we leerden over ouders" in listing.text
    assert "Nog geheim" not in listing.text
    assert client.get(f"/kennisoogst/{draft_id}").status_code == 404
    shown = client.get(f"/kennisoogst/{published_id}")
    assert shown.status_code == 200
    assert "<strong>gehoord</strong>" in shown.text
    assert f'href="/gesprek/{threads["first"]}"' in shown.text
    assert "/bewerken" not in shown.text
    assert "publiceren" not in shown.text
    # The researcher may preview the draft.
    assert researcher_client.get(f"/kennisoogst/{draft_id}").status_code == 200


def test_visitors_read_published_when_reading_is_public(app, researcher_client, threads):
    harvest_id = harvest_id_of(new_harvest(researcher_client, str(threads["first"])))
    publish(researcher_client, harvest_id)
    visitor = app.test_client()
    set_site(app, "public_read", "0")
    assert visitor.get(f"/kennisoogst/{harvest_id}").status_code == 302
    assert visitor.get("/kennisoogst").status_code == 302
    set_site(app, "public_read", "1")
    assert visitor.get(f"/kennisoogst/{harvest_id}").status_code == 200


def test_links_only_to_threads_the_viewer_may_see(app, users, researcher_client, threads):
    harvest_id = harvest_id_of(
        new_harvest(researcher_client, f"{threads['first']} {threads['second']}")
    )
    publish(researcher_client, harvest_id)
    with app.app_context():  # the second thread is hidden afterwards
        opening = db.session.scalars(
            sa.select(Post).where(Post.thread_id == threads["second"], Post.is_opening)
        ).one()
        opening.status = PostStatus.HIDDEN
        db.session.get(Thread, threads["second"]).status = PostStatus.HIDDEN
        db.session.commit()
    client = app.test_client()
    login(client, users.make().email)
    page = client.get(f"/kennisoogst/{harvest_id}").text
    assert f'href="/gesprek/{threads["first"]}"' in page
    assert f'href="/gesprek/{threads["second"]}"' not in page
    assert "Een tweede gesprek" not in page
    # The researcher can still save the text with the hidden thread kept in the list.
    edit_url = f"/onderzoek/kennisoogst/{harvest_id}/bewerken"
    response = submit(
        researcher_client,
        edit_url,
        {
            "title": "Wat we leerden, bijgewerkt",
            "body": "Nieuwe tekst.",
            "threads": f"{threads['first']}, {threads['second']}",
        },
    )
    assert response.status_code == 302
    assert ("harvest.edited", harvest_id) in audit_actions(app)
    assert len(notifications(app)) == 1  # editing a published harvest tells nobody again


def test_only_existing_threads_can_be_linked(app, researcher_client, threads):
    response = new_harvest(researcher_client, f"{threads['first']}, 99999")
    assert response.status_code == 400
    assert "bestaan niet of zijn niet goedgekeurd: 99999" in response.text
    response = new_harvest(researcher_client, "twaalf")
    assert response.status_code == 400
    assert "alleen nummers of adressen" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Harvest.id))) == 0


def test_waiting_thread_cannot_be_linked(app, users, researcher_client):
    pending = write_thread(app, users.make(), title="Een gesprek dat wacht")
    assert pending.status == "pending"
    response = new_harvest(researcher_client, str(pending.thread_id))
    assert response.status_code == 400
    assert f"niet goedgekeurd: {pending.thread_id}" in response.text


def test_markdown_is_sanitised_once_at_write_time(app, users, researcher_client, threads):
    body = (
        "<script>alert(1)</script>\n\n[klik](javascript:alert(2)) en "
        '<img src=x onerror="alert(3)"> en [echt](https://www.nji.nl)'
    )
    harvest_id = harvest_id_of(new_harvest(researcher_client, str(threads["first"]), body=body))
    with app.app_context():
        stored = db.session.get(Harvest, harvest_id)
        assert stored.body_source == body
        html = stored.body_html
    assert "<script" not in html
    assert 'href="javascript:' not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, inert
    assert '<a href="https://www.nji.nl" rel="nofollow ugc noopener">echt</a>' in html
    publish(researcher_client, harvest_id)
    client = app.test_client()
    login(client, users.make().email)
    page = client.get(f"/kennisoogst/{harvest_id}").text
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "<img" not in page


def test_prefill_from_thread_list(researcher_client, threads):
    page = researcher_client.get(f"{NEW}?gesprekken={threads['first']},{threads['second']}")
    assert f"{threads['first']}, {threads['second']}</textarea>" in page.text


RESEARCHER_PAGES = [
    ("get", "/onderzoek/kennisoogst"),
    ("get", NEW),
    ("get", "/onderzoek/kennisoogst/{id}/bewerken"),
    ("post", "/onderzoek/kennisoogst/{id}/bewerken"),
    ("post", "/onderzoek/kennisoogst/{id}/publiceren"),
]


@pytest.fixture
def draft_id(app, users) -> int:
    from forum.research import harvest

    researcher = users.make(roles=["researcher"])
    with app.test_request_context():
        item = harvest.create(db.session.get(User, researcher.id), "Een concept", "Tekst.", [])
        db.session.commit()
        return item.id


@pytest.mark.parametrize(("method", "url"), RESEARCHER_PAGES)
@pytest.mark.parametrize("role", [None, "member", "moderator"])
def test_researcher_pages_are_404_for_others(app, client, users, draft_id, role, method, url):
    if role is not None:
        login(client, users.make(roles=[] if role == "member" else [role]).email)
    # A valid token, so only the role decides (visitors' pages carry none but the login form).
    token = csrf_token(client.get("/" if role else "/account/inloggen").text)
    response = getattr(client, method)(url.format(id=draft_id), data={"csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Harvest, draft_id).published_at is None


@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_researcher_pages_open_for_researchers_and_admins(client, users, draft_id, role):
    login(client, users.make(roles=[role]).email)
    for method, url in RESEARCHER_PAGES:
        if method == "get":
            assert client.get(url.format(id=draft_id)).status_code == 200, url
    assert "Een concept" in client.get("/onderzoek/kennisoogst").text
    assert publish(client, draft_id).status_code == 302


def test_publish_needs_csrf(app, researcher_client, draft_id):
    response = researcher_client.post(f"/onderzoek/kennisoogst/{draft_id}/publiceren", data={})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Harvest, draft_id).published_at is None
