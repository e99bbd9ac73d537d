"""In-app notices when a post becomes visible: replies in followed threads, new threads in
followed werkvelden and mentions — only for people who may see the post, never for its author,
once per person, at approval when the post waited first; shown grouped."""

from __future__ import annotations

import pytest

from forum.db import db
from forum.discussions.models import Thread
from tests.helpers import count_queries, login, set_site, write_reply, write_thread
from tests.notifications.support import (
    approve,
    events,
    notices,
    plan,
    press,
    reply,
    slow_steps,
    start_thread,
)
from tests.test_speed import statements


@pytest.fixture(autouse=True)
def trusted(app):
    set_site(app, "trust_threshold", "0")


@pytest.fixture
def author(users):
    return users.make(name="Schrijver Sam")


def follow(client, thread_id: int) -> None:
    press(client, f"/gesprek/{thread_id}/volgen", f"/gesprek/{thread_id}")


def signed_in(app, person):
    client = app.test_client()
    login(client, person.email)
    return client


def test_a_reply_in_a_followed_thread_is_notified_to_followers_not_the_author(
    app, users, member, author
):
    starter = signed_in(app, author)
    thread = start_thread(starter, title="Ouders op de eerste schooldag")
    follower = signed_in(app, member)
    follow(follower, thread)
    bystander = users.make(name="Niet volgend")
    own = int(reply(starter, thread, "Mijn aanvulling.").headers["Location"].split("-")[-1])
    other = users.make(name="Ander lid")
    answer = write_reply(app, other, thread, body="Bij ons werkt een inloopochtend.")
    assert notices(app, member.id) == [
        ("followed_thread_reply", thread, own, True),
        ("followed_thread_reply", thread, answer.id, True),
    ]
    # The thread's starter follows it too and hears of the other's reply, not of their own.
    assert notices(app, author.id) == [("followed_thread_reply", thread, answer.id, True)]
    assert events(app, bystander.id) == []
    assert events(app, other.id) == []
    page = follower.get("/meldingen").text
    assert "2 nieuwe reacties in ‘Ouders op de eerste schooldag’" in page
    assert f'href="/gesprek/{thread}/ongelezen">Naar het eerste ongelezen bericht' in page


def test_a_waiting_reply_is_notified_when_a_moderator_approves_it(
    app, users, member, author, moderator
):
    thread = write_thread(app, author).thread_id
    follow(signed_in(app, member), thread)
    set_site(app, "trust_threshold", "3")
    waiting = write_reply(app, users.make(name="Nieuw lid"), thread, body="Een eerste reactie.")
    assert waiting.status == "pending"
    assert events(app, member.id) == []
    approve(signed_in(app, moderator), waiting.id)
    assert notices(app, member.id) == [("followed_thread_reply", thread, waiting.id, True)]


def test_hiding_and_restoring_does_not_notify_again(app, users, member, author, moderator):
    thread = write_thread(app, author).thread_id
    follow(signed_in(app, member), thread)
    answer = write_reply(app, users.make(name="Ander lid"), thread)
    mod = signed_in(app, moderator)
    hide = f"/moderatie/bericht/{answer.id}/verbergen"
    assert press(mod, hide, hide, reason="Even nakijken.").status_code == 302
    press(mod, f"/moderatie/bericht/{answer.id}/terugzetten", f"/gesprek/{thread}")
    assert events(app, member.id) == ["followed_thread_reply"]


def test_followers_who_may_not_see_the_thread_are_not_told(app, users, member, author, moderator):
    thread = write_thread(app, author).thread_id
    follow(signed_in(app, member), thread)
    follow(signed_in(app, moderator), thread)
    set_site(app, "trust_threshold", "3")
    waiting = write_reply(app, users.make(name="Nieuw lid"), thread)
    with app.app_context():
        db.session.get(Thread, thread).status = "hidden"  # hidden while the reply waited
        db.session.commit()
    approve(signed_in(app, moderator), waiting.id)
    assert events(app, member.id) == []
    assert events(app, author.id) == []  # the author of a hidden thread no longer reads it
    assert notices(app, moderator.id) == [("followed_thread_reply", thread, waiting.id, True)]


def test_a_new_thread_in_a_followed_werkveld_is_notified(app, client, users, member, author):
    login(client, member.email)
    press(client, "/werkveld/childcare/volgen", "/werkveld/childcare")
    write_thread(app, author, setting_id=1, title="In een ander werkveld")
    here = write_thread(app, author, setting_id=2, title="Wennen op de opvang")
    start_thread(client, title="Mijn eigen gesprek", setting="2")
    assert notices(app, member.id) == [("followed_setting_thread", here.thread_id, here.id, True)]
    page = client.get("/meldingen").text
    assert "Nieuw gesprek in Kinderopvang, een werkveld dat je volgt." in page
    assert "Wennen op de opvang" in page
    assert f'href="/bericht/{here.id}"' in page


def test_mentions_tell_the_member_named(app, users, moderator):
    lotte = users.make(name="Lotte de Vries")
    full = users.make(name="Leerkracht Kees")
    same_a = users.make(name="Anna Jansen")
    same_b = users.make(name="Anna Bakker")
    thread = write_thread(app, moderator).thread_id
    body = (
        "Goed punt, @Lotte. Ook @[leerkracht  kees] weet hier meer van. En @Anna? "
        "> @[Lotte de Vries] in een citaat telt niet, net als `@Kees` in code of "
        "lotte@example.org."
    )
    post = write_reply(app, moderator, thread, body=body)  # a moderator's post never waits
    assert post.status == "approved"
    assert notices(app, lotte.id) == [("mention", thread, post.id, True)]
    assert notices(app, full.id) == [("mention", thread, post.id, True)]
    assert events(app, same_a.id) == events(app, same_b.id) == []  # @Anna: which one?
    page = signed_in(app, lotte).get("/meldingen").text
    assert "Je bent genoemd in een bericht." in page
    assert f'href="/bericht/{post.id}"' in page


def test_a_mention_beats_following_and_never_tells_the_author(app, users, moderator):
    lotte = users.make(name="Lotte")
    thread = write_thread(app, users.make(name="Starter")).thread_id
    follow(signed_in(app, lotte), thread)
    mention = write_reply(app, moderator, thread, body="Wat denk jij, @Lotte?")
    write_reply(app, lotte, thread, body="Ik noem mezelf: @Lotte.")
    assert notices(app, lotte.id) == [("mention", thread, mention.id, True)]


def test_a_mention_in_a_post_the_member_cannot_see_tells_nobody(app, users, member, moderator):
    lotte = users.make(name="Lotte")
    thread = write_thread(app, users.make(name="Starter")).thread_id
    with app.app_context():
        db.session.get(Thread, thread).status = "hidden"
        db.session.commit()
    other_moderator = users.make(name="Mo Tweede", roles=["moderator"])
    write_reply(app, moderator, thread, body="Zie je dit, @Lotte en @[Mo Tweede]?")
    assert events(app, lotte.id) == []
    assert events(app, other_moderator.id) == ["mention"]


def test_a_mention_that_waits_is_told_when_it_is_approved(app, users, member, moderator):
    lotte = users.make(name="Lotte")
    thread = write_thread(app, member).thread_id
    waiting = write_reply(app, member, thread, body="Wat vind jij, @Lotte?")
    # "@Lotte" looks like a social media handle to the privacy check: a moderator looks first.
    assert waiting.status == "pending"
    assert events(app, lotte.id) == []
    approve(signed_in(app, moderator), waiting.id)
    assert notices(app, lotte.id) == [("mention", thread, waiting.id, True)]


def test_grouped_notices_are_one_entry_and_cost_one_query(app, users, member, author):
    client = signed_in(app, member)
    first = write_thread(app, author, title="Eerste gesprek").thread_id
    second = write_thread(app, author, title="Tweede gesprek").thread_id
    follow(client, first)
    follow(client, second)

    def page_queries() -> tuple[int, str]:
        with count_queries(app) as statements:
            page = client.get("/meldingen")
        assert page.status_code == 200
        return len(statements), page.text

    write_reply(app, author, first)
    write_reply(app, author, second)
    few, _ = page_queries()
    for n in range(6):
        write_reply(app, author, first, body=f"Reactie {n}")
    many, page = page_queries()
    assert many == few
    assert page.count('class="notification card') == 2
    assert "7 nieuwe reacties in ‘Eerste gesprek’" in page
    assert "1 nieuwe reactie in ‘Tweede gesprek’" in page
    assert "Je hebt 8 nieuwe meldingen." in page
    # Read: each notice shows on its own again.
    press(client, "/meldingen/gelezen", "/meldingen")
    page = client.get("/meldingen").text
    assert page.count('class="notification card') == 8
    assert "badge-unread" not in page


def test_a_hidden_thread_keeps_its_title_out_of_notices(app, client, users, member, author):
    thread = write_thread(app, author, title="Later verborgen gesprek").thread_id
    login(client, member.email)
    follow(client, thread)
    write_reply(app, author, thread)
    with app.app_context():
        db.session.get(Thread, thread).status = "hidden"
        db.session.commit()
    page = client.get("/meldingen").text
    assert "1 nieuwe reactie in een gesprek dat je volgt" in page
    assert "Later verborgen gesprek" not in page
    assert f"/gesprek/{thread}" not in page


def test_the_grouped_page_reads_its_indexes(app, users, member, author):
    client = signed_in(app, member)
    thread = write_thread(app, author).thread_id
    follow(client, thread)
    for n in range(3):
        write_reply(app, author, thread, body=f"Reactie {n}")
    with statements(app) as found:
        assert client.get("/meldingen").status_code == 200
    [(sql, params)] = [
        (s, p) for s, p in found if s.startswith("SELECT notifications.") and "LIMIT" in s
    ]
    explained = plan(app, sql, params)
    assert "ix_notifications_user_created" in explained, explained
    assert slow_steps(explained, "notifications") == [], explained
    newer_unread = explained.split("SubPlan", 1)[-1]  # the "a newer unread one" look-up
    if "SubPlan" in explained:
        # PostgreSQL: on tables of a few rows the planner may take any index that narrows the
        # look-up (once the event index, on statistics left by other tests); what matters is
        # that an index serves it, not a scan of the whole table.
        assert "Index Scan using ix_notifications_" in newer_unread, explained
    else:
        assert "ix_notifications_user_thread_event" in explained, explained
