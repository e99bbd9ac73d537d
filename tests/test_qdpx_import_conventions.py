"""Issue 14, items 1 and 2: a project built through the forum's own forms (codes with a parent,
three threads by three participants, passage and thread codings, a memo on a thread, a passage
and a code, the project's question) exported as .qdpx and read back the way QDA tools read it
(tests/refi_qda_reader.py): every item in its place, nothing an importer trips over, no personal
data anywhere in the archive."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from lxml import etree

from forum.accounts.models import Profession
from forum.db import db
from forum.discussions.models import PostStatus
from forum.research.models import Code, PassageCoding
from tests.helpers import login, set_site, submit, write_reply, write_thread
from tests.refi_qda_reader import QdaProject, read_qdpx
from tests.test_coding import add_memo, code_passage, code_thread
from tests.test_exports import (  # noqa: F401  (research_key is a fixture)
    export_file,
    force,
    new_project,
    pseudonym_of,
    research_key,
)
from tests.test_qdpx import SCHEMA

QUESTION = "Hoe betrekken professionals ouders?"
ANNA_OPENING = "Bij ons werkt een vast moment voor een kop koffie bij de deur heel goed."
BERT_REPLY = "Wij merken dat de taal een drempel is voor veel ouders."
CARLA_OPENING = "Ouders 👪 voelen zich welkom als je écht luistert naar hun verhaal."
BERT_OPENING = "Hoe houden jullie contact met ouders die weinig tijd hebben?"
MEMOS = {
    "thread": "Koffie als drempelverlager.",
    "passage": "Taal als drempel, vergelijk met gesprek 2.",
    "code": "Alles wat ouders tegenhoudt.",
}


@dataclass
class Study:
    export: QdaProject
    raw: bytes
    threads: list[int]
    people: dict[str, object]


def make_code(client, name: str, parent: int | None = None, **fields: str) -> int:
    data = {"name": name, "colour": "#3366cc", "parent": str(parent or ""), **fields}
    assert submit(client, "/onderzoek/codes/nieuw", data).status_code == 302
    return int(db.session.scalar(sa.select(Code.id).where(Code.name == name)))


def written(app, ref) -> int:
    force(app, ref.id, PostStatus.APPROVED, consent=True)
    return ref.id


@pytest.fixture
def study(app, users, researcher, research_key) -> Study:  # noqa: F811
    set_site(app, "trust_threshold", "0")
    anna = users.make(
        email="anna@example.org", name="Anna Aalders", profession=Profession.LEERKRACHT
    )
    bert = users.make(email="bert@example.org", name="Bert Bos", profession=Profession.DOCENT)
    carla = users.make(
        email="carla@example.org", name="Carla Smit", profession=Profession.GASTOUDER
    )
    opening = write_thread(app, anna, body=ANNA_OPENING, title="Koffie bij de deur")
    thread1 = opening.thread_id
    posts = {"anna": written(app, opening)}
    posts["bert"] = written(app, write_reply(app, bert, thread1, BERT_REPLY))
    second = write_thread(app, carla, body=CARLA_OPENING, title="Luisteren", setting_id=2)
    posts["carla"] = written(app, second)
    third = write_thread(app, bert, body=BERT_OPENING, title="Weinig tijd: wat nu?", kind="example")
    written(app, third)

    client = app.test_client()
    login(client, researcher.email)
    with app.app_context():
        parent = make_code(client, "Ouderbetrokkenheid", definition="Ouders doen mee.")
        barrier = make_code(client, "Drempels", parent)
        welcome = make_code(client, "Welkom voelen", parent)
        tone = make_code(client, "Toon")
    page = f"/onderzoek/gesprek/{thread1}"
    for thread_id, post_id, code, quote in [
        (thread1, posts["anna"], welcome, "een vast moment voor een kop koffie"),
        (thread1, posts["bert"], barrier, "de taal een drempel"),
        (second.thread_id, posts["carla"], welcome, "écht luistert"),
    ]:
        assert code_passage(client, thread_id, post_id, code, quote).status_code == 302
    assert code_thread(client, thread1, tone).status_code == 302
    assert add_memo(client, f"{page}/notitie", page, "notitie", MEMOS["thread"]).status_code == 302
    with app.app_context():
        passage = db.session.scalar(
            sa.select(PassageCoding.id).where(PassageCoding.post_id == posts["bert"])
        )
    memo = add_memo(
        client, f"/onderzoek/passage/{passage}/notitie", page, f"p{passage}", MEMOS["passage"]
    )
    assert memo.status_code == 302
    code_page = f"/onderzoek/codes/{barrier}"
    memo = add_memo(client, f"{code_page}/notitie", code_page, "notitie", MEMOS["code"])
    assert memo.status_code == 302
    project = new_project(client, question=QUESTION)
    response = export_file(client, project, "qdpx")
    assert response.status_code == 200
    people = {"anna": anna, "bert": bert, "carla": carla, "researcher": researcher}
    threads = [thread1, second.thread_id, third.thread_id]
    return Study(read_qdpx(response.data), response.data, threads, people)


def source_named(export: QdaProject, title: str):
    (source,) = [s for s in export.sources.values() if s.name.endswith(f" - {title}")]
    return source


def test_a_qda_tool_imports_everything_without_a_problem(study):
    export = study.export
    assert export.problems == []
    assert export.annotations == []  # no memo turned into a text annotation
    assert (export.name, export.origin) == ("Ouders betrekken", "Dorpsplein")
    assert export.memo.startswith(QUESTION + "\n\n")
    assert "zonder naam" in export.memo  # the rule for anonymous posts, said in the project
    SCHEMA.assertValid(etree.fromstring(export.files["project.qde"]))


def test_code_tree_sources_and_each_coded_passage(study):
    export = study.export
    parents = {name: code.parent for name, code in export.codes.items()}
    assert parents == {
        "Ouderbetrokkenheid": None,
        "Drempels": "Ouderbetrokkenheid",
        "Welkom voelen": "Ouderbetrokkenheid",
        "Toon": None,
    }
    assert [s.name.split(" - ")[0][:8] for s in export.sources.values()] == ["gesprek-"] * 3
    first = source_named(export, "Koffie bij de deur")
    assert first.text.startswith("Koffie bij de deur\n\n[deelnemer-")
    assert ANNA_OPENING in first.text
    assert BERT_REPLY in first.text
    assert CARLA_OPENING in source_named(export, "Luisteren").text
    cuts = sorted((c.code, c.text) for s in export.sources.values() for c in s.codings)
    assert cuts == [
        ("Drempels", "de taal een drempel"),
        ("Toon", first.text),  # the thread coding covers the whole document
        ("Welkom voelen", "een vast moment voor een kop koffie"),
        ("Welkom voelen", "écht luistert"),
    ]


def test_each_memo_where_the_tool_shows_it(study):
    export = study.export
    assert source_named(export, "Koffie bij de deur").memo == MEMOS["thread"]  # document memo
    assert [s.memo for s in export.sources.values()][1:] == ["", ""]
    memos = {c.text: c.memo for s in export.sources.values() for c in s.codings}
    assert memos["de taal een drempel"] == MEMOS["passage"]  # coding memo
    assert memos["écht luistert"] == ""
    assert export.codes["Drempels"].memo == f"Memo: {MEMOS['code']}"  # code memo
    assert export.codes["Ouderbetrokkenheid"].memo == "Definitie: Ouders doen mee."
    (journal,) = export.journals.values()  # the project memo, as the researcher's journal
    assert journal.name == "Project: Ouders betrekken"
    assert journal.text.startswith(f"Onderzoeksvraag: {QUESTION}\n\n")
    assert "3 gesprekken, 4 bijdragen met toestemming" in journal.text


def test_one_case_per_participant_with_variables_and_sources(study, research_key):  # noqa: F811
    export = study.export
    people = study.people
    names = {key: pseudonym_of(research_key, people[key].id) for key in ("anna", "bert", "carla")}
    assert set(export.cases) == set(names.values())
    titles = ("Koffie bij de deur", "Luisteren", "Weinig tijd wat nu")
    first, second, third = (source_named(export, title).name for title in titles)
    expected = {
        "anna": ("Leerkracht", "leerkracht", [first]),
        "bert": ("Docent", "docent", [first, third]),
        "carla": ("Gastouder", "gastouder", [second]),
    }
    for key, (label, code, sources) in expected.items():
        case = export.cases[names[key]]
        assert case.attributes == {"beroep": label, "beroep_code": code}
        assert case.sources == sources
    assert export.variables == {
        "werkveld": "file",
        "werkveld_code": "file",
        "soort": "file",
        "soort_code": "file",
        "maand": "file",
        "beroep": "case",
        "beroep_code": "case",
    }
    for source in export.sources.values():
        assert set(source.attributes) == {
            "werkveld",
            "werkveld_code",
            "soort",
            "soort_code",
            "maand",
        }
        assert all(source.attributes.values())
        assert re.fullmatch(r"\d{4}-\d{2}", source.attributes["maand"])
    # Named as a file: QualCoder copies each source to "<name>.txt" (Windows refuses ":?").
    assert source_named(export, "Weinig tijd wat nu").text.startswith("Weinig tijd: wat nu?\n")
    kinds = {s.name.split(" - ", 1)[1]: s.attributes["soort_code"] for s in export.sources.values()}
    assert kinds == {
        "Koffie bij de deur": "question",
        "Luisteren": "question",
        "Weinig tijd wat nu": "example",
    }


def test_creation_dates_and_the_researchers_user_guid(app, study, users, research_key):  # noqa: F811
    export = study.export
    ((guid, name),) = export.users.items()
    assert re.fullmatch(r"onderzoeker-[0-9a-f]{10}", name)
    dated = [
        *export.sources.values(),
        *(c for s in export.sources.values() for c in s.codings),
        *export.journals.values(),
    ]
    assert len(dated) == 3 + 4 + 1
    assert {
        (item.owner, bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item.date)))
        for item in dated
    } == {(name, True)}
    root = etree.fromstring(export.files["project.qde"])
    assert root.get("creatingUserGUID") == guid
    # Stable per researcher, another researcher gets another: and none is the bare id.
    again = app.test_client()
    login(again, study.people["researcher"].email)
    project = new_project(again, name="Tweede project")
    assert list(read_qdpx(export_file(again, project, "qdpx").data).users) == [guid]
    other = users.make(email="tweede@example.org", name="Tweede Onderzoeker", roles=["researcher"])
    third = app.test_client()
    login(third, other.email)
    project = new_project(third, name="Derde project")
    other_guid = list(read_qdpx(export_file(third, project, "qdpx").data).users)
    assert other_guid != [guid]
    assert len(other_guid) == 1


def test_no_personal_data_anywhere_in_the_archive(study):
    everything = b"\n".join(study.export.files.values()).decode("utf-8")
    for person in study.people.values():
        assert person.email not in everything
        for part in person.name.split():
            assert not re.search(rf"\b{part}\b", everything), part
    assert "@" not in everything
    root = etree.fromstring(study.export.files["project.qde"])
    for element in root.iter():
        for attribute, value in element.attrib.items():
            if attribute not in ("startPosition", "endPosition"):
                assert not value.isdigit(), (element.tag, attribute, value)  # no forum ids
    for thread_id in study.threads:
        assert f"/gesprek/{thread_id}" not in everything


def rezip(files: dict[str, bytes], qde: etree._Element) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", etree.tostring(qde, xml_declaration=True, encoding="UTF-8"))
        for name, data in files.items():
            if name != "project.qde":
                archive.writestr(name, data)
    return buffer.getvalue()


def test_the_reader_sees_what_an_importer_trips_over(study):
    # The layouts the issue found failing must not read as fine.
    q = "{urn:QDA-XML:project:1.0}"

    def changed(change) -> QdaProject:
        root = etree.fromstring(study.export.files["project.qde"])
        note = next(root.iter(f"{q}Note"))
        change(root, note)
        return read_qdpx(rezip(study.export.files, root))

    def undated(root, note):
        del note.attrib["creationDateTime"]

    def memo_as_noteref_on_source(root, note):
        values = next(root.iter(f"{q}TextSource")).find(f"{q}VariableValue")
        values.addprevious(etree.Element(f"{q}NoteRef", targetGUID=note.get("guid")))

    def memo_as_noteref_on_code(root, note):
        next(root.iter(f"{q}Code")).insert(1, etree.Element(f"{q}NoteRef", targetGUID="0" * 8))

    def inline_only(root, note):
        del note.attrib["plainTextPath"]

    assert changed(undated).problems == [
        "note 'Project: Ouders betrekken' has no creationDateTime: the import stops here"
    ]
    annotated = changed(memo_as_noteref_on_source)
    assert (annotated.journals, len(annotated.annotations)) == ({}, 1)
    assert changed(memo_as_noteref_on_code).problems == [
        f"a NoteRef on {q}Code becomes a journal, not its memo"
    ]
    assert changed(inline_only).problems == [
        "note 'Project: Ouders betrekken' has no plainTextPath file or no name: dropped"
    ]
