"""The codebook over HTTP: adding and changing codes, unique names, one level of parents, colours,
archive-not-delete for codes in use, and the starter codes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.research import codebook
from forum.research.models import Code, ThreadCoding
from tests.helpers import csrf_token, login, set_site, submit, write_thread

CODE = {
    "name": "Vertrouwen",
    "definition": "Of mensen op elkaar durven rekenen.",
    "use_when": "Als vertrouwen groeit of ontbreekt.",
    "not_when": "Bij gewone afspraken.",
    "example": "Pas later vertelde ze wat er speelde.",
    "colour": "#7a3e9d",
    "parent": "",
}


def new_code(client, **fields):
    return submit(client, "/onderzoek/codes/nieuw", {**CODE, **fields})


def edit_code(client, code_id: int, **fields):
    return submit(client, f"/onderzoek/codes/{code_id}/bewerken", {**CODE, **fields})


def press(client, url: str, page: str):
    return submit(client, url, {}, form_url=page)


def codes(app) -> list[tuple[str, int | None, bool]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Code).order_by(Code.id)).scalars().all()
        result = [(c.name, c.parent_id, c.archived) for c in rows]
        db.session.remove()
    return result


def code_id(app, name: str) -> int:
    with app.app_context():
        ident = db.session.execute(sa.select(Code.id).where(Code.name == name)).scalar_one()
        db.session.remove()
    return ident


def actions(app) -> list[str]:
    with app.app_context():
        rows = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars()
        result = list(rows)
        db.session.remove()
    return result


@pytest.fixture
def researching(client, researcher):
    login(client, researcher.email)
    return client


def test_a_researcher_adds_a_code_and_sees_it_in_the_codebook(app, researching, researcher):
    answer = new_code(researching)
    assert answer.status_code == 302
    ident = code_id(app, "Vertrouwen")
    assert answer.headers["Location"] == f"/onderzoek/codes/{ident}"
    page = researching.get("/onderzoek/codes")
    assert "Vertrouwen" in page.text
    assert "Of mensen op elkaar durven rekenen." in page.text
    detail = researching.get(f"/onderzoek/codes/{ident}")
    assert "Bij gewone afspraken." in detail.text
    assert "#7a3e9d" in detail.text
    with app.app_context():
        entry = db.session.execute(sa.select(AuditEntry)).scalar_one()
        assert (entry.action, entry.actor_id, entry.target_id) == (
            "code.created",
            researcher.id,
            ident,
        )
        assert db.session.get(Code, ident).created_by_id == researcher.id


def test_names_are_unique_whatever_the_capitals(app, researching):
    assert new_code(researching).status_code == 302
    again = new_code(researching, name="  vertrouwen ")
    assert again.status_code == 400
    assert "Er is al een code met deze naam." in again.text
    other = new_code(researching, name="Communicatie")
    assert other.status_code == 302
    renamed = edit_code(researching, code_id(app, "Communicatie"), name="VERTROUWEN")
    assert renamed.status_code == 400
    assert [name for name, _, _ in codes(app)] == ["Vertrouwen", "Communicatie"]
    # Keeping its own name (with other capitals) is fine.
    assert edit_code(researching, code_id(app, "Vertrouwen"), name="vertrouwen").status_code == 302
    assert [name for name, _, _ in codes(app)] == ["vertrouwen", "Communicatie"]


@pytest.mark.parametrize("colour", ["red", "#12345g", "#1234567", "123456", ""])
def test_a_colour_must_be_rrggbb(app, researching, colour):
    answer = new_code(researching, colour=colour)
    assert answer.status_code == 400
    assert codes(app) == []


def test_colours_are_stored_in_lower_case(app, researching):
    new_code(researching, colour="#AABBCC")
    with app.app_context():
        assert db.session.execute(sa.select(Code.colour)).scalar_one() == "#aabbcc"


def test_a_name_is_required_and_fields_have_limits(app, researching):
    assert new_code(researching, name="   ").status_code == 400
    assert new_code(researching, definition="x" * 2001).status_code == 400
    assert new_code(researching, name="x" * 81).status_code == 400
    assert codes(app) == []


def test_parents_go_one_level_deep(app, researching):
    new_code(researching, name="Communicatie")
    top = code_id(app, "Communicatie")
    assert new_code(researching, name="Appjes", parent=str(top)).status_code == 302
    child = code_id(app, "Appjes")
    # A subcode cannot be a parent: it is not offered, and sending it anyway is refused.
    form = researching.get("/onderzoek/codes/nieuw")
    assert f'<option value="{top}">' in form.text
    assert f'<option value="{child}">' not in form.text
    assert new_code(researching, name="Emoji", parent=str(child)).status_code == 400
    # A code with subcodes cannot get a parent.
    new_code(researching, name="Vertrouwen")
    other = code_id(app, "Vertrouwen")
    assert edit_code(researching, top, name="Communicatie", parent=str(other)).status_code == 400
    # Nor can a code be its own parent.
    assert edit_code(researching, other, parent=str(other)).status_code == 400
    assert codes(app) == [
        ("Communicatie", None, False),
        ("Appjes", top, False),
        ("Vertrouwen", None, False),
    ]


def test_the_service_keeps_the_one_level_rule_too(app_ctx, users):
    person = users.make(roles=["researcher"])
    top = codebook.create_code(person, codebook.CodeData(name="Top"))
    child = codebook.create_code(person, codebook.CodeData(name="Kind", parent_id=top.id))
    with pytest.raises(codebook.CodebookError):
        codebook.create_code(person, codebook.CodeData(name="Klein", parent_id=child.id))
    other = codebook.create_code(person, codebook.CodeData(name="Ander"))
    with pytest.raises(codebook.CodebookError):
        codebook.update_code(person, top, codebook.CodeData(name="Top", parent_id=other.id))
    with pytest.raises(codebook.CodebookError):
        codebook.create_code(person, codebook.CodeData(name="Los", parent_id=999_999))


def test_unknown_parent_and_unknown_code_ids(app, researching):
    assert new_code(researching, parent="999999").status_code == 400
    assert new_code(researching, parent="abc").status_code == 400
    assert researching.get("/onderzoek/codes/999999").status_code == 404
    assert researching.get("/onderzoek/codes/999999/bewerken").status_code == 404
    assert researching.get("/onderzoek/codes/99999999999").status_code == 404
    assert codes(app) == []


def test_an_unused_code_is_deleted(app, researching):
    new_code(researching)
    ident = code_id(app, "Vertrouwen")
    page = f"/onderzoek/codes/{ident}"
    assert "Verwijderen" in researching.get(page).text
    answer = press(researching, f"{page}/verwijderen", page)
    assert answer.status_code == 302
    assert codes(app) == []
    assert actions(app) == ["code.created", "code.deleted"]


def test_a_code_in_use_is_archived_never_deleted(app, researching, researcher, member):
    set_site(app, "trust_threshold", "0")
    thread = write_thread(app, member)
    new_code(researching)
    ident = code_id(app, "Vertrouwen")
    with app.app_context():
        db.session.add(
            ThreadCoding(thread_id=thread.thread_id, code_id=ident, coder_id=researcher.id)
        )
        db.session.commit()
    page = f"/onderzoek/codes/{ident}"
    detail = researching.get(page)
    assert "/verwijderen" not in detail.text
    token = csrf_token(detail.text)
    answer = researching.post(
        f"{page}/verwijderen", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Deze code is al gebruikt" in answer.text
    assert codes(app) == [("Vertrouwen", None, False)]
    assert press(researching, f"{page}/archiveren", page).status_code == 302
    assert codes(app) == [("Vertrouwen", None, True)]
    assert "gearchiveerd" in researching.get("/onderzoek/codes").text
    # An archived code is not offered for coding.
    coding_page = researching.get(f"/onderzoek/gesprek/{thread.thread_id}")
    assert f'<option value="{ident}">' not in coding_page.text
    assert press(researching, f"{page}/terugzetten", page).status_code == 302
    assert codes(app) == [("Vertrouwen", None, False)]
    assert actions(app)[-2:] == ["code.archived", "code.unarchived"]


def test_a_code_with_subcodes_is_not_deleted(app, researching):
    new_code(researching, name="Top")
    top = code_id(app, "Top")
    new_code(researching, name="Kind", parent=str(top))
    page = f"/onderzoek/codes/{top}"
    token = csrf_token(researching.get(page).text)
    answer = researching.post(
        f"{page}/verwijderen", data={"csrf_token": token}, follow_redirects=True
    )
    assert "subcodes" in answer.text
    assert len(codes(app)) == 2


def test_editing_a_code_keeps_its_id_and_is_audited(app, researching):
    new_code(researching)
    ident = code_id(app, "Vertrouwen")
    form = researching.get(f"/onderzoek/codes/{ident}/bewerken")
    assert 'value="Vertrouwen"' in form.text
    assert "Of mensen op elkaar durven rekenen." in form.text
    answer = edit_code(researching, ident, name="Vertrouwen en wantrouwen", colour="#000000")
    assert answer.status_code == 302
    with app.app_context():
        code = db.session.get(Code, ident)
        assert (code.name, code.colour) == ("Vertrouwen en wantrouwen", "#000000")
        entry = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "code.changed")
        ).scalar_one()
        assert entry.data["old_name"] == "Vertrouwen"


def test_starter_codes_load_once(app, researching):
    new_code(researching, name="communicatie")
    answer = press(researching, "/onderzoek/codes/startcodes", "/onderzoek/codes")
    assert answer.status_code == 302
    names = [name for name, _, _ in codes(app)]
    assert len(names) == 8  # seven starters added; "Communicatie" was already there
    assert "Overgangen thuis–school–opvang" in names
    assert "Zorgen delen" in names
    press(researching, "/onderzoek/codes/startcodes", "/onderzoek/codes")
    assert len(codes(app)) == 8
    with app.app_context():
        assert codebook.load_starter_codes() == []
        definitions = db.session.execute(sa.select(Code.definition)).scalars().all()
        assert all(definitions[1:])  # every starter has a definition


def test_load_starter_codes_without_actor(app_ctx):
    added = codebook.load_starter_codes()
    db.session.commit()
    assert len(added) == 8
    assert codebook.load_starter_codes() == []
    assert len(codebook.all_codes()) == 8
