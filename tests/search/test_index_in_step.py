"""The index follows every change in the same transaction: create, edit, approve, hide, restore,
reject, redaction and delete, through the real forms; a rollback leaves the index as it was;
``flask --app forum search reindex`` rebuilds it."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.core.models import Setting
from forum.db import db
from forum.discussions import services
from forum.discussions.models import Post, PostStatus, ThreadKind
from forum.search import postgres, sqlite
from forum.search.query import stem
from tests.helpers import login, set_site, submit
from tests.search.helpers import found, post_status, write


def index_table(app) -> sa.TableClause:
    with app.app_context():
        name = db.engine.dialect.name
    return postgres.DOCUMENTS if name == "postgresql" else sqlite.INDEX


def in_index(app, word: str) -> bool:
    """Does the index itself (not only what search shows) still hold ``word``?"""
    table = index_table(app)
    count = sa.select(sa.func.count()).select_from(table)
    with app.app_context():
        if table is postgres.DOCUMENTS:
            document = table.c.document
            lexeme = sa.cast(document, sa.Text).like(f"%'{stem(word)}%")
            matches = document.op("@@")(sa.func.plainto_tsquery(postgres.CONFIG, word))
            stmts = [count.where(sa.or_(matches, lexeme))]
        else:
            match = sa.literal_column(sqlite.NAME).op("MATCH")(f'"{word}"')
            text = sa.or_(table.c.title.like(f"%{word}%"), table.c.body.like(f"%{word}%"))
            stmts = [count.where(match), count.where(text)]  # MATCH cannot be OR-ed
        total = sum(db.session.execute(stmt).scalar_one() for stmt in stmts)
        db.session.remove()
    return total > 0


def index_size(app) -> int:
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count()).select_from(index_table(app))
        ).scalar_one()
        db.session.remove()
    return count


@pytest.fixture
def people(app, users, member, moderator):
    reader = app.test_client()
    login(reader, users.make(name="Lezer Lot").email)
    writer = app.test_client()
    login(writer, member.email)
    mod = app.test_client()
    login(mod, moderator.email)
    return {"reader": reader, "writer": writer, "mod": mod}


def new_thread(client, title: str, body: str):
    data = {"setting": "1", "kind": "question", "title": title, "body": body}
    return submit(client, "/gesprek/nieuw", {**data, "submission_key": secrets.token_hex(16)})


def test_a_new_post_is_found_at_once_and_an_edit_replaces_its_words(app, people):
    set_site(app, "trust_threshold", "0")
    written = new_thread(people["writer"], "Over de oudercommissie", "Wie zit er in de raad?")
    assert written.status_code == 302
    thread_href = written.headers["Location"]
    assert found(people["reader"], "oudercommissie") == [thread_href]
    with app.app_context():
        post_id = db.session.execute(sa.select(Post.id)).scalar_one()
        db.session.remove()

    edited = submit(
        people["writer"],
        f"/bericht/{post_id}/bewerken",
        {"title": "Over de medezeggenschap", "body": "Wie zit er in het bestuur?"},
    )

    assert edited.status_code == 302
    assert found(people["reader"], "oudercommissie") == []
    assert found(people["reader"], "raad") == []
    assert found(people["reader"], "medezeggenschap") == [thread_href]
    assert found(people["reader"], "bestuur") == [thread_href]
    assert not in_index(app, "oudercommissie")


def test_approve_hide_restore_and_reject_show_at_once(app, people, member):
    # A new member's post waits: only its author (and moderators) find it.
    waiting = write(app, member, "Hoe vieren jullie het suikerfeest?", status=PostStatus.PENDING)
    item = f"/moderatie/bericht/{waiting.id}"
    assert found(people["reader"], "suikerfeest") == []
    assert found(people["writer"], "suikerfeest") == [waiting.href]
    assert found(people["mod"], "suikerfeest") == [waiting.href]

    assert submit(people["mod"], f"{item}/goedkeuren", {}, form_url=item).status_code == 302
    assert found(people["reader"], "suikerfeest") == [waiting.href]

    hide = f"/moderatie/bericht/{waiting.id}/verbergen"
    assert submit(people["mod"], hide, {"reason": "Even nakijken."}).status_code == 302
    assert post_status(app, waiting.id) is PostStatus.HIDDEN
    assert found(people["reader"], "suikerfeest") == []
    assert found(people["writer"], "suikerfeest") == []
    assert found(people["mod"], "suikerfeest") == [waiting.href]

    restore = f"/moderatie/bericht/{waiting.id}/terugzetten"
    assert submit(people["mod"], restore, {}, form_url=waiting.href).status_code == 302
    assert found(people["reader"], "suikerfeest") == [waiting.href]

    other = write(app, member, "Een vraag over het offerfeest.", status=PostStatus.PENDING)
    item = f"/moderatie/bericht/{other.id}"
    rejected = submit(people["mod"], f"{item}/afwijzen", {"reason": "Past hier niet."}, item)
    assert rejected.status_code == 302
    assert post_status(app, other.id) is PostStatus.REJECTED
    assert found(people["reader"], "offerfeest") == []
    assert found(people["writer"], "offerfeest") == [other.href]  # the author still sees it


@pytest.mark.parametrize("action", ["aanpassen", "gegevens-weghalen"])
def test_redacted_text_is_gone_from_the_index(app, people, member, action):
    body = "Ik maak me zorgen om Sanne Jansen uit groep vier. Ze is vaak stil."
    status = PostStatus.PENDING if action == "aanpassen" else PostStatus.APPROVED
    post = write(app, member, body, title="Een stil meisje", status=status)
    assert found(people["mod"], "Jansen") == [post.href]
    assert in_index(app, "Jansen")
    item = f"/moderatie/bericht/{post.id}"
    clean = {"title": "Een stil meisje", "body": "Ik maak me zorgen om een meisje. Ze is stil."}

    assert submit(people["mod"], f"{item}/{action}", clean, form_url=item).status_code == 302

    for viewer in ("mod", "writer", "reader"):
        assert found(people[viewer], "Jansen") == []
        assert found(people[viewer], "Sanne") == []
    assert found(people["reader"], "meisje") == [post.href]
    assert not in_index(app, "Jansen")
    assert not in_index(app, "Sanne")


def test_deleted_posts_leave_the_index(app, people, member):
    opening = write(app, member, "Wie kent een goede logopedist?", status=PostStatus.PENDING)
    page = f"/gesprek/{opening.thread_id}"
    assert found(people["writer"], "logopedist") == [opening.href]

    deleted = submit(people["writer"], f"/bericht/{opening.id}/verwijderen", {}, form_url=page)

    assert deleted.status_code == 302
    assert found(people["writer"], "logopedist") == []
    assert not in_index(app, "logopedist")
    assert index_size(app) == 0


def test_a_post_deleted_any_other_way_leaves_the_index_too(app, member):
    """The trigger (SQLite) and the cascading foreign key (PostgreSQL) catch deletes that do not
    go through the services, such as a thread removed with its replies."""
    opening = write(app, member, "Een gesprek over zwemles.")
    write(app, member, "Zwemles op school is er niet meer.", thread_id=opening.thread_id)
    assert index_size(app) == 2
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM threads"))
        db.session.commit()
        db.session.remove()
    assert index_size(app) == 0


def test_the_index_changes_only_when_the_post_is_committed(app, member, people):
    with app.test_request_context():
        author = db.session.get(User, member.id)
        setting = db.session.get(Setting, 1)
        services.start_thread(author, setting, ThreadKind.QUESTION, "Een titel", "Over bijles.")
        db.session.rollback()
        db.session.remove()
    assert index_size(app) == 0
    assert not in_index(app, "bijles")


def test_reindex_rebuilds_the_index_with_a_progress_bar(app, member, people):
    set_site(app, "trust_threshold", "0")
    posts = [write(app, member, f"Over de peuterspeelzaal, deel {n}.") for n in range(5)]
    with app.app_context():
        db.session.execute(sa.delete(index_table(app)))
        db.session.commit()
        db.session.remove()
    assert found(people["reader"], "peuterspeelzaal") == []

    result = app.test_cli_runner().invoke(args=["search", "reindex", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    assert "Indexing posts" in result.output
    assert "Indexed 5 post(s)." in result.output
    assert set(found(people["reader"], "peuterspeelzaal")) == {p.href for p in posts}
    assert index_size(app) == 5
