"""Download your data (AVG right of access): a member asks through the real form, opens the ZIP
and finds everything the forum holds about them, and nothing of anyone else; the worker builds
large accounts and mails a link that only its owner can use, until it expires.

Runs on SQLite and, with FORUM_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
import time
import zipfile
from datetime import timedelta

import html5lib
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from forum.accounts.models import User
from forum.accounts.rights import archive as own_data
from forum.accounts.rights import download
from forum.accounts.rights.download import DataDownload
from forum.db import db, utcnow
from forum.discussions.models import Post
from forum.moderation import actions, queue
from forum.notifications.worker import Worker
from tests.helpers import (
    count_queries,
    link_in_mail,
    login,
    outbox,
    set_site,
    submit,
    write_reply,
    write_thread,
)
from tests.notifications.support import read

PAGE = "/account/gegevens"
ASK = "/account/gegevens/aanvragen"
LINK = "/account/gegevens/download/"
# Words that are Piet's alone: his waiting post and the note a moderator wrote him.
PIET_WAITING = "zuurkoolstamppot met een verhaal dat nog wacht"
PIET_NOTE = "notitie alleen voor piet bedoeld"
FIRST_TEXT = "Wij drinken eerst koffie met ouders in de kring."
EDITED_TEXT = "Wij drinken eerst thee met ouders in de kring."


@pytest.fixture(autouse=True)
def download_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "downloads"
    monkeypatch.setitem(app.config, "FORUM_DATA_DOWNLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def piet(users):
    return users.make(email="piet@example.org", name="Piet Pieters")


@pytest.fixture
def linda_client(app, member):
    client = app.test_client()
    login(client, member.email)
    return client


def decide(app, moderator, post_id: int, action: str, text: str) -> None:
    """A moderator returns or rejects a waiting post (the queue's own actions)."""
    with app.test_request_context():
        post = db.session.get(Post, post_id)
        judge = db.session.get(User, moderator.id)
        outcome = getattr(queue, action)(post, judge, text)
        assert outcome.done
        db.session.commit()
        db.session.remove()


def get(client, url: str):
    """GET, reading the whole answer and closing it (a file answer holds the file open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def ask(client):
    return submit(client, ASK, {}, form_url=PAGE)


def fetch_zip(client) -> tuple[zipfile.ZipFile, object]:
    """Ask on the page, follow the answer to the file and open it."""
    asked = ask(client)
    assert asked.status_code == 303, asked.status_code
    assert asked.headers["Location"].startswith(LINK)
    response = get(client, asked.headers["Location"])
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.data)), response


def json_files(archive: zipfile.ZipFile) -> dict[str, object]:
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def all_text(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


@pytest.fixture
def linda_world(app, users, member, moderator, piet, linda_client):
    """Linda writes in every status, edits, reports, follows and reads; Piet has his own secrets."""
    set_site(app, "trust_threshold", "0")
    piet_thread = write_thread(app, piet, title="Een vader die nooit komt", body="Hoe doe jij dat?")
    piet_reply = write_reply(app, piet, piet_thread.thread_id, body="Ik bel altijd even op.")
    published = write_thread(app, member, title="Koffie in de kring", body=FIRST_TEXT)
    edited = submit(
        linda_client,
        f"/bericht/{published.id}/bewerken",
        {"title": "Koffie in de kring", "body": EDITED_TEXT, "submit": "Opslaan"},
    )
    assert edited.status_code == 302
    reply = write_reply(app, member, piet_thread.thread_id, body="Herkenbaar, wij ook.")
    set_site(app, "trust_threshold", "3")
    returned = write_thread(app, member, title="Een lastig gesprek", body="Wat zou jij doen?")
    rejected = write_thread(app, member, title="Iets over de ouderavond", body="Zomaar een vraag.")
    waiting = write_thread(app, member, title="Een wachtende vraag", body="Deze wacht nog even.")
    decide(app, moderator, returned.id, "return_post", "Maak het wat algemener, graag.")
    decide(app, moderator, rejected.id, "reject", "Dit past niet bij het forum.")
    piet_waiting = write_thread(app, piet, title="Een eigen vraag van Piet", body=PIET_WAITING)
    piet_returned = write_thread(app, piet, title="Nog een vraag", body="Wat denken jullie?")
    decide(app, moderator, piet_returned.id, "return_post", PIET_NOTE)
    voorgelegd = submit(
        linda_client,
        f"/bericht/{piet_thread.id}/voorleggen",
        {"reason": "off_topic", "text": "Dit lijkt me niet voor hier."},
    )
    assert voorgelegd.status_code == 302
    visitor = app.test_client()
    removal = submit(
        visitor,
        "/verwijderverzoek",
        {"post": str(piet_reply.id), "reason": "Ik herken mijn kind.", "contact": member.email},
    )
    assert removal.status_code == 302
    consent = submit(
        linda_client, "/account/toestemming/alles", {"consent": "1"}, "/account/profiel"
    )
    assert consent.status_code == 302
    follow = submit(linda_client, "/werkveld/childcare/volgen", {}, form_url="/werkveld/childcare")
    assert follow.status_code == 302
    read(linda_client, f"/gesprek/{piet_thread.thread_id}")
    return {
        "published": published.id,
        "reply": reply.id,
        "returned": returned.id,
        "rejected": rejected.id,
        "waiting": waiting.id,
        "piet_thread": piet_thread.thread_id,
        "piet_opening": piet_thread.id,
        "piet_reply": piet_reply.id,
        "piet_waiting": piet_waiting.id,
    }


# --- what is in it ------------------------------------------------------------------------------


def test_the_zip_holds_everything_about_the_member(linda_world, linda_client, member):
    archive, _response = fetch_zip(linda_client)
    files = json_files(archive)

    profile = files["profile"]
    assert (profile["email"], profile["display_name"]) == (member.email, member.name)
    posts = {post["id"]: post for post in files["posts"]}
    ids = linda_world
    assert set(posts) == {ids[k] for k in ("published", "reply", "returned", "rejected", "waiting")}
    assert posts[ids["waiting"]]["status"] == "pending"
    assert posts[ids["waiting"]]["text_markdown"] == "Deze wacht nog even."
    assert posts[ids["returned"]]["status"] == "returned"
    assert posts[ids["returned"]]["moderator_note"] == "Maak het wat algemener, graag."
    assert posts[ids["rejected"]]["moderator_note"] == "Dit past niet bij het forum."
    assert posts[ids["reply"]]["thread_title"] == "Een vader die nooit komt"
    published = posts[ids["published"]]
    assert published["status"] == "approved"
    assert published["text_markdown"] == EDITED_TEXT
    assert [v["text_markdown"] for v in published["earlier_versions"]] == [FIRST_TEXT]
    assert published["earlier_versions"][0]["changed_by"] == "you"

    granted = [r for r in files["consent"] if r["scope"] == "all_posts" and r["granted"]]
    assert {r["post_id"] for r in granted} == set(posts)
    assert files["consent"][0]["scope"] == "profile"  # the choice at registration
    [report] = files["reports"]
    assert (report["post_id"], report["explanation"]) == (
        ids["piet_opening"],
        "Dit lijkt me niet voor hier.",
    )
    [removal] = files["removal_requests"]
    assert (removal["post_id"], removal["contact"]) == (ids["piet_reply"], member.email)
    events = {(n["event"], n["post_id"]) for n in files["notifications"]}
    assert ("post_returned", ids["returned"]) in events
    assert ("post_rejected", ids["rejected"]) in events
    note = next(n for n in files["notifications"] if n["event"] == "post_returned")
    assert note["details"]["note"] == "Maak het wat algemener, graag."
    assert ids["piet_thread"] in {t["thread_id"] for t in files["follows"]["threads"]}
    assert [w["werkveld"] for w in files["follows"]["werkvelden"]] == ["childcare"]
    assert ids["piet_thread"] in {r["thread_id"] for r in files["read_positions"]}
    assert files["notification_settings"]["follow_automatically"] is True


def test_nothing_of_anyone_else_and_no_moderator_is_named(
    linda_world, linda_client, piet, moderator
):
    archive, _response = fetch_zip(linda_client)
    text = all_text(archive)
    for secret in (
        piet.email,
        piet.name,
        PIET_WAITING,
        PIET_NOTE,
        "Een eigen vraag van Piet",  # the title of his waiting thread
        moderator.email,
        moderator.name,
    ):
        assert secret not in text, secret
    files = json_files(archive)
    assert linda_world["piet_waiting"] not in {n["post_id"] for n in files["notifications"]}
    # The password is never in it, not even as its hash.
    with_hash = text.lower()
    assert "pbkdf2" not in with_hash
    assert "scrypt" not in with_hash


def test_the_page_is_self_contained_and_parses(linda_world, linda_client):
    archive, _response = fetch_zip(linda_client)
    [page_name] = [name for name in archive.namelist() if name.endswith(".html")]
    assert page_name == "mijn-gegevens.html"
    source = archive.read(page_name).decode("utf-8")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(source)
    assert document.get("lang") == "nl"
    tags = {element.tag for element in document.iter()}
    assert not tags & {
        "script",
        "style",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "form",
        "base",
    }
    for element in document.iter():
        assert "src" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        href = element.get("href")
        assert href is None or href.startswith("#"), href
    assert "http" not in source
    assert "url(" not in source  # nothing for the style sheet to load either
    assert "Je gegevens op Dorpsplein" in source
    assert EDITED_TEXT in source
    assert FIRST_TEXT in source
    assert "Maak het wat algemener, graag." in source


def test_an_english_member_gets_english(app, member, linda_client):
    set_site(app, "trust_threshold", "0")
    write_thread(app, member, title="Koffie in de kring", body=FIRST_TEXT)
    switched = submit(
        linda_client, "/account/taal", {"lang": "en", "next": "/"}, "/account/profiel"
    )
    assert switched.status_code == 302
    archive, response = fetch_zip(linda_client)
    assert "my-data.html" in archive.namelist()
    page = archive.read("my-data.html").decode("utf-8")
    assert 'lang="en"' in page
    assert "Your data on Dorpsplein" in page
    assert "Je gegevens op Dorpsplein" not in page
    [post] = json_files(archive)["posts"]
    assert (post["status_label"], post["kind_label"]) == ("Published", "Question")
    assert "dorpsplein-data-" in response.headers["Content-Disposition"]
    assert outbox(app, member.email)[-1][1] == "Your data is ready"


def test_a_hidden_post_is_listed_without_its_text(app, member, moderator, linda_client):
    """The download shows no more than the forum: a hidden post's text is for moderators."""
    set_site(app, "trust_threshold", "0")
    hidden = write_thread(app, member, title="Een verhaal", body="Een tekst die verborgen wordt.")
    with app.test_request_context():
        post = db.session.get(Post, hidden.id)
        actions.hide_post(post, db.session.get(User, moderator.id), "Te herkenbaar.")
        db.session.commit()
        db.session.remove()
    archive, _response = fetch_zip(linda_client)
    [post] = json_files(archive)["posts"]
    assert (post["id"], post["status"], post["text_shown"]) == (hidden.id, "hidden", False)
    assert post["text_markdown"] is None
    assert "Een tekst die verborgen wordt." not in all_text(archive)
    notice = next(n for n in json_files(archive)["notifications"] if n["event"] == "post_hidden")
    assert notice["details"]["reason"] == "Te herkenbaar."  # what the forum told her


def test_the_profile_links_to_it_and_a_suspended_member_may_use_it(app, member, linda_client):
    profile = linda_client.get("/account/profiel").text
    assert f'href="{PAGE}"' in profile
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.id == member.id).values(suspended_indefinitely=True)
        )
        db.session.commit()
    assert "Mijn gegevens aanvragen" in linda_client.get(PAGE).text
    assert fetch_zip(linda_client)[1].mimetype == "application/zip"


# --- how it is served ---------------------------------------------------------------------------


def test_the_answer_is_an_attachment_nobody_keeps(app, linda_client):
    _archive, response = fetch_zip(linda_client)
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r'filename="?dorpsplein-gegevens-\d{4}-\d{2}-\d{2}\.zip', disposition)
    assert response.headers["Cache-Control"] == "no-store"
    assert "X-Page-Cache" not in response.headers
    again = get(linda_client, response.request.path)  # a second download, never from a cache
    assert again.status_code == 200
    assert "X-Page-Cache" not in again.headers
    assert again.data == response.data


def test_the_link_is_stored_hashed_and_mailed(app, member, linda_client):
    asked = ask(linda_client)
    token = asked.headers["Location"].removeprefix(LINK)
    assert link_in_mail(app, member.email, LINK) == asked.headers["Location"]
    subject = outbox(app, member.email)[-1][1]
    assert subject == "Je gegevens staan klaar"
    with app.app_context():
        [row] = db.session.scalars(sa.select(DataDownload)).all()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        columns = sa.select(*DataDownload.__table__.columns)
        values = [str(value) for value in db.session.execute(columns).one()]
        assert not any(token in value for value in values)
        db.session.remove()


def test_someone_elses_link_does_not_exist(app, linda_client, piet, moderator):
    location = ask(linda_client).headers["Location"]
    for person in (piet, moderator):
        other = app.test_client()
        login(other, person.email)
        assert get(other, location).status_code == 404
    assert app.test_client().get(LINK + "not-a-real-token").status_code == 302  # visitors: login
    assert linda_client.get(LINK + "not-a-real-token").status_code == 404


def test_a_visitor_is_sent_to_login_and_comes_back(app, member, linda_client):
    location = ask(linda_client).headers["Location"]
    visitor = app.test_client()
    for url in (PAGE, location):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/inloggen")
    answer = submit(
        visitor,
        f"/account/inloggen?next={location}",
        {"email": member.email, "password": member.password},
    )
    assert answer.headers["Location"] == location
    assert get(visitor, location).mimetype == "application/zip"


def test_an_expired_link_is_gone_and_purged(app, linda_client, download_dir):
    location = ask(linda_client).headers["Location"]
    with app.app_context():
        db.session.execute(
            sa.update(DataDownload).values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    assert [path.name for path in download_dir.iterdir()] != []
    gone = get(linda_client, location)
    assert gone.status_code == 410
    assert "Deze link werkt niet meer" in gone.text
    with app.app_context():
        assert download.purge_expired_downloads(utcnow()) == 1
        db.session.commit()
        assert db.session.scalars(sa.select(DataDownload)).all() == []
        db.session.remove()
    assert list(download_dir.iterdir()) == []
    assert get(linda_client, location).status_code == 404


def test_a_new_request_ends_the_earlier_link(app, linda_client):
    first = ask(linda_client).headers["Location"]
    second = ask(linda_client).headers["Location"]
    assert first != second
    assert get(linda_client, first).status_code == 410
    assert get(linda_client, second).status_code == 200


def test_purge_removes_stray_files_but_nothing_else(app, download_dir):
    download_dir.mkdir()
    stray, other = download_dir / f"{'a' * 32}.zip", download_dir / "notes.txt"
    fresh = download_dir / f"{'b' * 32}.zip.part"
    for path in (stray, other, fresh):
        path.write_bytes(b"x")
    old = time.time() - 2 * 3600
    os.utime(stray, (old, old))
    os.utime(other, (old, old))
    with app.app_context():
        download.purge_expired_downloads(utcnow())
        db.session.commit()
    assert sorted(path.name for path in download_dir.iterdir()) == [fresh.name, other.name]


def test_a_build_costs_the_same_queries_however_much_there_is(app, users, member, tmp_path):
    piet = users.make(email="piet@example.org", name="Piet Pieters")
    set_site(app, "trust_threshold", "0")
    counts = []
    for round_ in range(2):
        for number in range(1 + 5 * round_):
            thread = write_thread(app, member, title=f"Vraag {round_}.{number}", body="Een vraag.")
            write_reply(app, piet, thread.thread_id, body="Een antwoord.")
        with app.test_request_context(), force_locale("nl"):
            user = db.session.get(User, member.id)
            with count_queries(app) as statements:
                own_data.write(user, tmp_path / f"{round_}.zip")
            counts.append(len(statements))
            db.session.remove()
    assert counts[0] == counts[1]


# --- large accounts: the worker -----------------------------------------------------------------


@pytest.fixture
def large(app, member, monkeypatch):
    """Linda counts as large: her download is built by the worker."""
    monkeypatch.setitem(app.config, "FORUM_DATA_DOWNLOAD_INLINE_POSTS", 1)
    set_site(app, "trust_threshold", "0")
    for number in range(2):
        write_thread(app, member, title=f"Vraag {number}", body=f"Een vraag, nummer {number}.")


def test_the_worker_builds_a_large_one_and_mails_the_link(app, member, large, linda_client):
    asked = ask(linda_client)
    assert asked.status_code == 302
    assert asked.headers["Location"] == PAGE
    page = linda_client.get(PAGE).text
    assert "Je krijgt een mail zodra je ze kunt downloaden." in page
    assert "We zijn je gegevens aan het klaarmaken" in page
    assert outbox(app, member.email) == []
    again = ask(linda_client)  # a second click while it is built adds nothing
    assert "al aan het klaarmaken" in linda_client.get(again.headers["Location"]).text

    result = Worker(app).run_once()
    assert (result.downloads, result.failures) == (1, 0)
    [(_to, subject, body)] = outbox(app, member.email)
    assert subject == "Je gegevens staan klaar"
    assert "alleen als je bent ingelogd" in body
    link = link_in_mail(app, member.email, LINK)
    response = get(linda_client, link)
    assert response.mimetype == "application/zip"
    posts = json_files(zipfile.ZipFile(io.BytesIO(response.data)))["posts"]
    assert sorted(post["thread_title"] for post in posts) == ["Vraag 0", "Vraag 1"]
    assert "Je gegevens staan klaar" in linda_client.get(PAGE).text
    assert Worker(app).run_once().downloads == 0  # built once


def test_two_workers_never_build_one_twice(app, member, large, linda_client, download_dir):
    ask(linda_client)
    start = threading.Barrier(2)
    results, errors = [], []

    def work(name: str) -> None:
        try:
            start.wait(timeout=20)
            results.append(Worker(app, name=name).run_once())
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(result.downloads for result in results) == [0, 1]
    assert len(outbox(app, member.email)) == 1
    assert len(list(download_dir.iterdir())) == 1


def test_a_claim_is_taken_once_and_a_dead_workers_claim_goes_stale(
    app, member, large, linda_client
):
    ask(linda_client)
    now = utcnow()
    with app.app_context():
        first = download.claim_next("worker-a", now)
        db.session.commit()
        assert first is not None
        assert download.claim_next("worker-b", now) is None
        later = now + timedelta(minutes=app.config["FORUM_MAIL_CLAIM_MINUTES"] + 1)
        assert download.claim_next("worker-b", later) == first
        db.session.commit()
        row = db.session.get(DataDownload, first)
        assert (row.claimed_by, row.attempts) == ("worker-b", 2)
        db.session.remove()
