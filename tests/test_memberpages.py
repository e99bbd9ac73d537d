"""A plain member's pages are kept for that member (forum.core.memberpages): a repeat view costs
one query, and whatever changes for them — new content, their read position, a follow, a notice
read, their language — shows at once; nobody else ever gets their page."""

from __future__ import annotations

import re
import sys

import pytest
import sqlalchemy as sa

from forum.core import memberpages, pagecache
from forum.db import db
from tests.helpers import count_queries, login, submit, write_reply, write_thread
from tests.notifications.support import read

UNREAD_NOTICE = 'Meldingen <span class="count">(1'
KEY = re.compile(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"')


@pytest.fixture
def thread_id(app, users) -> int:
    author = users.make(name="Schrijver Sanne", roles=["moderator"])  # approved at once
    return write_thread(app, author, title="Ouders op de eerste schooldag").thread_id


@pytest.fixture
def reader(app, member):
    client = app.test_client()
    login(client, member.email)
    client.get("/")  # the welcome message, shown once
    return client


def pages(thread_id: int) -> list[str]:
    return ["/", "/werkveld/school", f"/gesprek/{thread_id}", "/zoeken?q=schooldag"]


def kept(client, url: str):
    """The page from the store, after it was rendered and kept."""
    for _ in range(3):
        page = client.get(url)
        if page.headers.get("X-Page-Cache") == "hit":
            return page
    raise AssertionError(f"{url} was never served from the store")


def test_a_members_repeat_view_is_theirs_and_costs_one_query(app, reader, thread_id):
    for url in pages(thread_id):
        first = kept(reader, url)
        with count_queries(app) as log:
            again = reader.get(url)
        assert again.headers["X-Page-Cache"] == "hit", url
        assert len(log) == 1
        assert "page_versions" in log[0]
        assert "Uitloggen" in again.text  # their own header, their own CSRF token
        assert KEY.sub("", again.text) == KEY.sub("", first.text)
        assert "Set-Cookie" not in again.headers


def test_another_member_or_a_visitor_never_gets_a_members_page(
    app, client, users, reader, thread_id
):
    url = f"/gesprek/{thread_id}"
    mine = kept(reader, url)
    other = users.make(email="ander@example.org", name="Ander Anna")
    someone = app.test_client()
    login(someone, other.email)
    theirs = someone.get(url)
    assert theirs.headers.get("X-Page-Cache") != "hit"
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert token.search(theirs.text).group(1) != token.search(mine.text).group(1)
    visitor = client.get(url)
    assert "Uitloggen" not in visitor.text


def test_two_tabs_of_a_kept_page_post_two_replies(app, reader, thread_id):
    url = f"/gesprek/{thread_id}"
    first, second = kept(reader, url), reader.get(url)
    assert second.headers["X-Page-Cache"] == "hit"
    keys = [KEY.search(page.text).group(1) for page in (first, second)]
    assert keys[0] != keys[1]
    for number, (page, key) in enumerate(zip((first, second), keys, strict=True)):
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        answer = reader.post(
            f"/gesprek/{thread_id}/reageren",
            data={
                "csrf_token": token.group(1),
                "submission_key": key,
                "body": f"Reactie {number}: wij beginnen met een kort gesprek bij de deur.",
                "submit": "Plaatsen",
            },
        )
        assert answer.status_code == 302
    page = reader.get(url).text
    assert "Reactie 0:" in page
    assert "Reactie 1:" in page


def test_new_content_reaches_a_member_at_once(app, users, reader, thread_id):
    url = f"/gesprek/{thread_id}"
    kept(reader, url)
    kept(reader, "/")
    writer = users.make(name="Collega Cor", roles=["moderator"])
    write_reply(app, writer, thread_id, "Wij bellen elke ouder in de eerste schoolweek.")
    assert "Wij bellen elke ouder" in reader.get(url).text
    assert "1 reactie" in reader.get("/").text


def test_what_a_member_has_read_is_not_shown_as_new_again(app, users, reader, thread_id):
    url = f"/gesprek/{thread_id}"
    read(reader, url)
    writer = users.make(name="Collega Cor", roles=["moderator"])
    write_reply(app, writer, thread_id, "Wij bellen elke ouder in de eerste schoolweek.")
    assert "Nieuw sinds je vorige bezoek" in kept(reader, url).text
    # The page's read mark moves their position: the kept page with the divider is not used again.
    read(reader, url)
    assert "Nieuw sinds je vorige bezoek" not in reader.get(url).text


def test_following_and_reading_notices_show_at_once(app, users, member, reader, thread_id):
    url = f"/gesprek/{thread_id}"
    assert ">Volgen<" in kept(reader, url).text
    answer = submit(reader, f"/gesprek/{thread_id}/volgen", {}, form_url=url)
    assert answer.status_code == 302
    assert "Niet meer volgen" in reader.get(url).text
    writer = users.make(name="Collega Cor", roles=["moderator"])
    write_reply(app, writer, thread_id, "Wij bellen elke ouder in de eerste schoolweek.")
    home = kept(reader, "/werkveld/school").text
    assert UNREAD_NOTICE in home
    # Marking notices read writes only the member's own rows: no visible content changes.
    before = db_value(app, "SELECT value FROM content_generation WHERE id = 1")
    submit(reader, "/meldingen/gelezen", {}, form_url="/meldingen")
    assert db_value(app, "SELECT value FROM content_generation WHERE id = 1") == before
    assert UNREAD_NOTICE not in reader.get("/werkveld/school").text


def test_a_new_language_gives_a_member_a_page_made_anew(app, reader, thread_id):
    kept(reader, "/")
    answer = submit(reader, "/account/taal", {"lang": "en", "next": "/"}, form_url="/")
    assert answer.status_code == 302
    home = reader.get("/")
    assert home.headers.get("X-Page-Cache") != "hit"
    assert 'lang="en"' in home.text


def test_staff_and_signed_out_sessions_are_always_rendered(app, users, reader, thread_id):
    moderator = users.make(email="mod@example.org", roles=["moderator"])
    staff = app.test_client()
    login(staff, moderator.email)
    url = f"/gesprek/{thread_id}"
    staff.get(url)
    assert staff.get(url).headers.get("X-Page-Cache") != "hit"
    kept(reader, url)
    submit(reader, "/account/uitloggen", {}, form_url=url)
    assert "Uitloggen" not in reader.get(url).text


def db_value(app, sql: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.text(sql))


def test_every_table_is_either_shown_personal_or_off_member_pages(app):
    tables = set(db.metadata.tables) | {"alembic_version"}
    private = pagecache.PRIVATE_TABLES
    personal = set(memberpages.PERSONAL_TABLES)
    assert personal <= private
    assert private - personal == memberpages.NOT_ON_MEMBER_PAGES & private
    assert tables >= memberpages.NOT_ON_MEMBER_PAGES
    with app.app_context():
        users_fks = {
            table.name
            for table in db.metadata.sorted_tables
            for fk in table.foreign_keys
            if fk.column.table.name == "users" and table.name in private
        }
    # A new private table with a person in it must say which of the two it is.
    assert users_fks <= personal | memberpages.NOT_ON_MEMBER_PAGES
    secrets = {"password_hash", "email_normalized"}
    assert pagecache.PRIVATE_COLUMNS["users"] - secrets <= memberpages.STATE_COLUMNS


def test_every_write_to_a_personal_table_raises_the_persons_page_version(app, member, thread_id):
    with app.app_context():
        for table, owner in memberpages.PERSONAL_TABLES.items():
            column = db.metadata.tables[table].c[owner]
            assert column.references(db.metadata.tables["users"].c.id), table
        version = "SELECT COALESCE(MAX(value), 0) FROM page_versions WHERE user_id = :id"
        before = db.session.scalar(sa.text(version), {"id": member.id})
        db.session.execute(
            sa.text(
                "INSERT INTO thread_follows (user_id, thread_id, created_at) "
                "VALUES (:id, :thread, CURRENT_TIMESTAMP)"
            ),
            {"id": member.id, "thread": thread_id},
        )
        db.session.execute(
            sa.text("DELETE FROM thread_follows WHERE user_id = :id"), {"id": member.id}
        )
        db.session.commit()
        # Raised once per statement (SQLite) or once per commit (PostgreSQL): raised, either way.
        assert db.session.scalar(sa.text(version), {"id": member.id}) > before
        # A person's rows going with them (cascade) raise nothing and fail nothing.
        db.session.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": member.id})
        db.session.commit()
        assert db.session.scalar(sa.text(version), {"id": member.id}) == 0


def test_a_hard_reload_renders_the_page_anew_for_members_and_visitors(
    app, client, reader, thread_id
):
    for who in (reader, client):
        kept(who, "/")
        fresh = who.get("/", headers={"Cache-Control": "no-cache"})
        assert fresh.headers["X-Page-Cache"] == "miss"
        assert who.get("/").headers["X-Page-Cache"] == "hit"


def test_people_noted_in_opposite_orders_do_not_deadlock(app, users):
    """Two transactions writing notices for the same two people in opposite orders both commit:
    on PostgreSQL the versions are raised at commit, in id order, not as the rows are written."""
    import threading

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time: writes cannot interleave")
    first, second = users.make(), users.make()
    insert = sa.text(
        "INSERT INTO notifications (user_id, event, data, created_at) "
        "VALUES (:user, 'mention', '{}', CURRENT_TIMESTAMP)"
    )
    with app.app_context():
        version = "SELECT COALESCE(MAX(value), 0) FROM page_versions WHERE user_id = :id"
        before = [db.session.scalar(sa.text(version), {"id": who.id}) for who in (first, second)]
        db.session.remove()
        engine = db.engine
    one, two = engine.connect(), engine.connect()
    try:
        a, b = one.begin(), two.begin()
        for connection in (one, two):  # a regression fails here instead of hanging
            connection.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
        one.execute(insert, {"user": first.id})
        two.execute(insert, {"user": second.id})
        one.execute(insert, {"user": second.id})  # with row locks taken here, this would wait
        two.execute(insert, {"user": first.id})  # …and this would close the circle
        errors: list[BaseException] = []

        def commit(transaction) -> None:
            try:
                transaction.commit()
            except BaseException as error:  # reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=commit, args=(t,)) for t in (a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
    finally:
        one.close()
        two.close()
    with app.app_context():
        after = [db.session.scalar(sa.text(version), {"id": who.id}) for who in (first, second)]
        assert after == [before[0] + 2, before[1] + 2]
        assert db.session.scalar(sa.text("SELECT COUNT(*) FROM page_version_changes")) == 0


def test_a_lost_database_connection_renders_the_page_instead_of_failing(
    app, client, reader, thread_id, monkeypatch
):
    """The check before a kept page uses a pool without pings: when its connection turns out
    dead, the page is rendered (through the ping-checked pool), not answered with an error."""

    class DeadConnection:
        def __enter__(self):
            raise sa.exc.OperationalError(
                "SELECT 1",
                {},
                Exception("server closed the connection unexpectedly"),
                connection_invalidated=True,
            )

        def __exit__(self, *_exc):
            return False

    class DeadEngine:
        def connect(self):
            return DeadConnection()

    # The module (the package's ``forum.db`` attribute is the SQLAlchemy object).
    monkeypatch.setattr(sys.modules["forum.db"], "reading_engine", DeadEngine)
    for who in (reader, client):
        page = who.get("/")
        assert page.status_code == 200
        assert page.headers.get("X-Page-Cache") != "hit"
