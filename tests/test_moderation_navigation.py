"""Issue 17: moderators find what waits for them, and members find the conversations.

Through the real forms with CSRF on: a report or a removal request shows up in the moderators'
sub-navigation with its own count and as a notice linking to the right page (naming no one);
counts keep a space before them; the counts stay one query per page; a member's home starts
with the werkvelden and the newest threads; the header links to both for who may write.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum import policy
from forum.accounts.models import User
from forum.db import db
from forum.moderation import counts
from forum.notifications.models import Notification
from tests.helpers import count_queries, login, set_site, submit, write_reply, write_thread

REPORT_TEXT = "Er staat de naam van een school in."
WHY = "Ik herken mijn dochter in dit verhaal."
CONTACT = "ouder@example.org"
WELCOME = "Dorpsplein is een forum voor pedagogisch professionals."


@pytest.fixture
def author(app, users):
    set_site(app, "trust_threshold", "0")  # posts are published at once, so they can be reported
    return users.make(email="schrijver@example.org", name="Schrijver Sam")


@pytest.fixture
def reply(app, author):
    opening = write_thread(app, author)
    return write_reply(app, author, opening.thread_id)


def signed_in(app, person):
    client = app.test_client()
    login(client, person.email)
    return client


def report(client, post_id: int, text: str = REPORT_TEXT):
    data = {"reason": "identifiable", "text": text}
    response = submit(client, f"/bericht/{post_id}/voorleggen", data)
    assert response.status_code == 302
    return response


def ask_removal(app, post_id: int):
    data = {"post": f"/bericht/{post_id}", "reason": WHY, "contact": CONTACT}
    response = submit(app.test_client(), "/verwijderverzoek", data)
    assert response.status_code == 302


def notices(app, user_id: int) -> list[tuple[str, int | None, dict]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        ).all()
        found = [(n.event, n.post_id, dict(n.data)) for n in rows]
        db.session.remove()
    return found


def sub_nav(html: str) -> str:
    match = re.search(r'<nav class="sub-nav" aria-label="Moderatie">.*?</nav>', html, re.S)
    assert match, "no moderation sub-navigation"
    return match.group(0)


def count_in(nav: str, label: str) -> int:
    match = re.search(rf'<span>{label} <span class="count">\((\d+)<', nav)
    assert match, f"no count for {label}"
    return int(match.group(1))


# --- the moderators' navigation and notices ------------------------------------------------------


def test_a_report_shows_in_the_count_and_as_a_notice(app, reply, member, moderator, author):
    report(signed_in(app, member), reply.id)
    mod = signed_in(app, moderator)

    for url in ("/moderatie/", "/moderatie/voorgelegd", "/moderatie/verwijderverzoeken"):
        nav = sub_nav(mod.get(url).text)
        labels = ("Te beoordelen", "Voorgelegd", "Verwijderverzoeken")
        assert [count_in(nav, label) for label in labels] == [0, 1, 0]
        assert nav.count('aria-current="page"') == 1
        assert re.search(rf'href="{url}" aria-current="page"', nav)

    [(event, post_id, data)] = notices(app, moderator.id)
    assert (event, post_id) == ("report_received", reply.id)
    assert member.id not in data.values()
    page = mod.get("/meldingen").text
    assert f'href="/moderatie/voorgelegd#voorgelegd-{reply.id}">Bekijk wat is voorgelegd' in page
    assert "Een lid heeft een bericht voorgelegd aan een moderator." in page
    for secret in (member.name, REPORT_TEXT):
        assert secret not in page
    assert notices(app, member.id) == []  # the reporter is not told about their own report
    assert [e for e, _, _ in notices(app, author.id)] == []


def test_more_reports_on_one_post_are_one_notice_until_it_is_read(
    app, users, reply, member, moderator
):
    report(signed_in(app, member), reply.id)
    report(signed_in(app, users.make(name="Collega Twee")), reply.id)
    assert len(notices(app, moderator.id)) == 1
    mod = signed_in(app, moderator)
    assert submit(mod, "/meldingen/gelezen", {}, form_url="/meldingen").status_code == 302
    report(signed_in(app, users.make(name="Collega Drie")), reply.id)  # the third hides it
    assert [data for _, _, data in notices(app, moderator.id)] == [
        {"hidden": False},
        {"hidden": True},
    ]
    assert "nu verborgen tot een moderator" in mod.get("/meldingen").text


def test_a_moderator_who_reports_is_not_told_about_it(app, users, reply, moderator):
    other = users.make(email="mod2@example.org", name="Moderator Twee", roles=["moderator"])
    report(signed_in(app, moderator), reply.id)
    assert notices(app, moderator.id) == []
    assert [event for event, _, _ in notices(app, other.id)] == ["report_received"]


def test_a_removal_request_shows_in_the_count_and_as_a_notice(app, reply, moderator, admin):
    ask_removal(app, reply.id)
    mod = signed_in(app, moderator)
    nav = sub_nav(mod.get("/moderatie/voorgelegd").text)
    assert count_in(nav, "Verwijderverzoeken") == 1
    assert count_in(nav, "Voorgelegd") == 0

    for person in (moderator, admin):  # admins moderate too
        [(event, post_id, data)] = notices(app, person.id)
        assert (event, post_id) == ("removal_request_received", reply.id)
    request_id = data["request_id"]
    page = mod.get("/meldingen").text
    link = f'href="/moderatie/verwijderverzoeken#verzoek-{request_id}">Bekijk het verwijderverzoek'
    assert link in page
    for secret in (WHY, CONTACT):
        assert secret not in page


def test_a_former_moderator_gets_no_link_to_the_moderation_pages(app, reply, moderator):
    ask_removal(app, reply.id)
    with app.app_context():
        person = db.session.get(User, moderator.id)
        person.role_grants.clear()
        db.session.commit()
        db.session.remove()
    page = signed_in(app, moderator).get("/meldingen").text
    assert "Iemand vraagt om een bericht te verwijderen." in page
    assert "/moderatie/verwijderverzoeken" not in page


def test_counts_have_a_space_and_stay_one_query(app, reply, member, moderator):
    report(signed_in(app, member), reply.id)
    ask_removal(app, write_thread(app, member, title="Nog een gesprek").id)
    mod = signed_in(app, moderator)
    mod.get("/moderatie/voorgelegd")  # warm up
    with count_queries(app) as log:
        html = mod.get("/moderatie/voorgelegd").text
    # Label and count in one span: a flex link drops a space between two of its items.
    assert re.search(r'<a href="/moderatie/"><span>Te beoordelen <span class="count">\(2<', html)
    assert count_in(sub_nav(html), "Voorgelegd") == 1
    counting = [s for s in log if "DISTINCT reports.post_id" in s]
    assert len(counting) == 1


def test_a_long_queue_is_counted_up_to_the_cap(app, users, moderator, monkeypatch):
    # Counting stops past the cap (1,000 in production): the navigation and the queue say
    # "more than", and the queue's pages still work.
    monkeypatch.setattr(counts, "COUNT_CAP", 2)
    newcomer = users.make()  # a new member's posts wait for a moderator
    for number in range(4):
        write_thread(app, newcomer, title=f"Wachtend gesprek {number}")
    mod = signed_in(app, moderator)
    html = mod.get("/moderatie/").text
    assert re.search(r'<a href="/moderatie/"><span>Te beoordelen <span class="count">\(2\+<', html)
    assert "Meer dan 2 wachten op beoordeling" in html
    monkeypatch.setattr(counts, "COUNT_CAP", 1000)
    html = mod.get("/moderatie/").text
    assert "4 wachten op beoordeling" in html


def test_moderators_are_who_may_moderate(app_ctx, users):
    people = {
        roles: users.make(roles=roles)
        for roles in [(), ("moderator",), ("admin",), ("researcher",), ("moderator", "admin")]
    }
    waiting = users.make(roles=("moderator",), approved=False)
    found = set(db.session.execute(policy.moderators(sa.select(User.id))).scalars())
    for ref in [*people.values(), waiting]:
        assert (ref.id in found) == bool(policy.can_moderate(db.session.get(User, ref.id))), ref


# --- a member's home and the header --------------------------------------------------------------


def test_a_members_home_starts_with_werkvelden_and_newest_threads(app, client, users, author):
    write_thread(app, author, title="Een gesprek over oudergesprekken")
    reader = users.make(email="lezer@example.org", setting_id=2)
    home = signed_in(app, reader).get("/").text
    assert WELCOME not in home
    assert "Wat kun je delen?" not in home
    werkvelden = home.index('id="werkvelden-kop"')
    assert werkvelden < home.index('id="nieuwste-kop"') < home.index('href="/gespreksregels">Lees')
    assert "Een gesprek over oudergesprekken" in home
    # Their own werkveld first, marked.
    cards = re.findall(r'href="/werkveld/([a-z]+)"', home[werkvelden:])
    assert cards[:3] == ["childcare", "school", "neighbourhood"]
    assert home.index("Jouw werkveld") < home.index('href="/werkveld/school"')
    # A visitor still gets the welcome (and, with reading for members only, no werkvelden).
    home = client.get("/").text
    assert WELCOME in home
    assert "Wat kun je delen?" in home
    assert 'id="werkvelden"' not in home


def header(html: str) -> str:
    return html.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]


def test_the_header_links_to_werkvelden_and_a_new_thread(app, client, users, member):
    nav = header(signed_in(app, member).get("/gespreksregels").text)
    assert '<a href="/#werkvelden">Werkvelden</a>' in nav
    assert 'href="/gesprek/nieuw">Nieuw gesprek</a>' in nav
    with app.test_request_context():  # the verification mail needs a request to build its link
        unverified = users.make(email="nog-niet@example.org", verified=False)
    nav = header(signed_in(app, unverified).get("/gespreksregels").text)
    assert "/#werkvelden" in nav
    assert "/gesprek/nieuw" not in nav  # cannot write yet
    nav = header(client.get("/gespreksregels").text)
    assert "/#werkvelden" not in nav
    assert "/gesprek/nieuw" not in nav
    set_site(app, "public_read", "1")
    nav = header(client.get("/gespreksregels").text)
    assert "/#werkvelden" in nav
    assert "/gesprek/nieuw" not in nav
