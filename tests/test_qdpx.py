"""REFI-QDA export: every project.qde validates against the QDA-XML 1.0 schema, the zip layout is
what importers expect, and every selection's offsets cut exactly the coded text out of the
shipped source file."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.research.models import Code, Memo, PassageCoding
from tests.helpers import login, set_site, submit, write_thread
from tests.test_exports import (  # noqa: F401  (research_key and world are fixtures)
    csv_rows,
    export_file,
    force,
    jsonl_rows,
    new_project,
    offsets,
    research_key,
    world,
)

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "refi-qda/Project-mrt2019.xsd")))
NS = {"q": "urn:QDA-XML:project:1.0"}
GUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def open_qdpx(response) -> tuple[etree._Element, dict[str, str], zipfile.ZipFile]:
    """Validate the archive and its project.qde; return the parsed project and the sources."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert ".qdpx" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names[0] == "project.qde"
    raw = archive.read("project.qde")
    assert raw[:5] == b"<?xml"  # no byte-order mark
    project = etree.fromstring(raw)
    SCHEMA.assertValid(project)
    sources: dict[str, str] = {}
    for name in names[1:]:
        assert re.fullmatch(r"sources/" + GUID_RE.pattern + r"\.txt", name), name
        data = archive.read(name)
        assert (data[:3] == b"\xef\xbb\xbf", b"\r" in data) == (False, False), name
        sources[name.removeprefix("sources/").removesuffix(".txt")] = data.decode("utf-8")
    return project, sources, archive


def text_sources(project, sources) -> dict[str, str]:
    """The shipped texts of the TextSources (the other files in sources/ are notes)."""
    return {s.get("guid"): sources[s.get("guid")] for s in project.iterfind(".//q:TextSource", NS)}


def selections(project, sources) -> list[tuple[str, str, str]]:
    """(code name, text cut out of the shipped file, whole file) per PlainTextSelection."""
    code_names = {code.get("guid"): code.get("name") for code in project.iterfind(".//q:Code", NS)}
    found = []
    for source in project.iterfind(".//q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        assert source.find("q:PlainTextContent", NS) is None
        text = sources[source.get("guid")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            (ref,) = selection.iterfind("q:Coding/q:CodeRef", NS)
            found.append((code_names[ref.get("targetGUID")], text[start:end], text))
    return found


@pytest.fixture
def researcher_client(client, researcher, research_key):  # noqa: F811
    login(client, researcher.email)
    return client


def test_qdpx_validates_and_offsets_cut_the_coded_passages(app, world, researcher_client):  # noqa: F811
    project_id = new_project(researcher_client)
    project, sources, archive = open_qdpx(export_file(researcher_client, project_id, "qdpx"))
    assert project.tag == "{urn:QDA-XML:project:1.0}Project"
    assert (project.get("name"), project.get("origin")) == ("Ouders betrekken", "Dorpsplein")
    notes = project.findall("q:Notes/q:Note", NS)
    assert (len(sources), len(notes), len(archive.namelist())) == (3, 1, 4)
    sources = text_sources(project, sources)
    cuts = selections(project, sources)
    passages = sorted((code, cut) for code, cut, text in cuts if cut != text)
    assert passages == [
        ("Communicatie", "Mail me op [e-mail]"),
        ("Communicatie", "écht luistert"),
        ("Vertrouwen", "Vertrouwen groeit door echt samen te praten"),
    ]
    whole = sorted(code for code, cut, text in cuts if cut == text)
    assert whole == ["Communicatie", "Vertrouwen"]  # the two thread codings
    first = next(text for text in sources.values() if text.startswith("Startgesprek"))
    assert ("[bijdrage zonder toestemming]" in first, "Bob de Vries" in first) == (True, False)
    assert "ouders altijd te laat" not in "".join(sources.values())
    assert re.search(r"^\[deelnemer-[0-9a-f]{10}, Gastouder, \d{4}-\d{2}\]$", first, re.M)


def test_qdpx_codebook_notes_variables_and_unique_guids(app, world, researcher_client):  # noqa: F811
    project_id = new_project(researcher_client)
    project, sources, _archive = open_qdpx(export_file(researcher_client, project_id, "qdpx"))
    guids = [element.get("guid") for element in project.iter() if element.get("guid")]
    assert len(guids) == len(set(guids))
    assert all(GUID_RE.fullmatch(g) for g in guids)
    names = [code.get("name") for code in project.iterfind(".//q:Code", NS)]
    assert sorted(names) == ["Communicatie", "Oud", "Samenwerking", "Vertrouwen"]
    (child,) = project.iterfind(".//q:Code[@name='Samenwerking']/q:Code", NS)
    assert (child.get("name"), child.get("color")) == ("Vertrouwen", "#aa0000")
    assert "[telefoonnummer]" in child.find("q:Description", NS).text
    # Each memo where QDA tools show it: the code's, the thread's and the passage's Description.
    assert child.find("q:Description", NS).text.endswith(
        "\n\nMemo: Let op het verschil met communicatie."
    )
    (thread,) = project.iterfind("q:Sources/q:TextSource[q:Description]", NS)
    assert thread.find("q:Description", NS).text == "Sterk voorbeeld; vraag [e-mail] ernaar."
    described = project.iterfind(".//q:PlainTextSelection/q:Description", NS)
    assert [d.text for d in described] == ["Kernpassage over vertrouwen."]
    assert project.find(".//q:NoteRef", NS) is None  # a NoteRef would become an annotation
    (note,) = project.iterfind("q:Notes/q:Note", NS)
    assert sources[note.get("guid")].startswith("Onderzoeksvraag: Hoe betrekken professionals")
    all_guids = set(guids)
    for ref in project.iterfind(".//*[@targetGUID]"):
        assert ref.get("targetGUID") in all_guids
    variables = {v.get("name") for v in project.iterfind("q:Variables/q:Variable", NS)}
    assert variables == {
        "werkveld", "werkveld_code", "soort", "soort_code", "maand", "beroep", "beroep_code"
    }  # fmt: skip
    values = [v.text for v in project.iterfind(".//q:TextSource/q:VariableValue/q:TextValue", NS)]
    assert {"Onderwijs", "school", "Kinderopvang", "childcare", "Vraag", "question"} <= set(values)
    cases = {case.get("name") for case in project.iterfind("q:Cases/q:Case", NS)}
    assert len(cases) == 2
    assert all(name.startswith("deelnemer-") for name in cases)
    assert project.find("q:Description", NS).text.startswith("Hoe betrekken professionals ouders?")


def test_qdpx_without_codes_or_threads_still_validates(app, researcher, researcher_client):
    empty = new_project(researcher_client, name="Leeg project")
    project, sources, _archive = open_qdpx(export_file(researcher_client, empty, "qdpx"))
    assert (text_sources(project, sources), project.find("q:CodeBook", NS)) == ({}, None)
    assert project.find("q:Variables", NS) is None  # no variable without values
    set_site(app, "trust_threshold", "0")
    post = write_thread(app, researcher, body="Een gesprek over regels.", title="Regels")
    force(app, post.id, PostStatus.APPROVED, consent=True)
    with app.app_context():  # text stored before line ends were normalised
        db.session.get(Post, post.id).body_text = "Een gesprek\r\nover\rtwee regels."
        db.session.commit()
        db.session.remove()
    project, sources, _archive = open_qdpx(export_file(researcher_client, empty, "qdpx"))
    (text,) = text_sources(project, sources).values()
    assert text.startswith("Regels\n\n[deelnemer-")
    assert text.endswith("]\nEen gesprek\nover\ntwee regels.\n")


def test_offsets_after_masks_and_multibyte_characters(app, users, researcher_client):
    set_site(app, "trust_threshold", "0")
    author = users.make()
    body = "Café 👩‍👧 belt 06-12345678 — daarna 🤝 mailt ze juf@school.nl over het kind."
    post = write_thread(app, author, body=body, title="Emoji 🎈 en é")
    force(app, post.id, PostStatus.APPROVED, consent=True)
    # One passage ends inside the phone number, one starts inside the address.
    quotes = ["👩‍👧 belt 06-12", "school.nl over het kind"]
    places = [offsets(app, post.id, quote) for quote in quotes]
    with app.app_context():
        code = Code(name="Grens")
        db.session.add(code)
        db.session.flush()
        for at, quote in zip(places, quotes, strict=True):
            db.session.add(
                PassageCoding(
                    post_id=post.id,
                    code_id=code.id,
                    start_offset=at[0],
                    end_offset=at[1],
                    quote=quote,
                )
            )
        db.session.add(Memo(code_id=code.id, text="Grensgevallen van het maskeren."))
        db.session.commit()
        db.session.remove()
    project_id = new_project(researcher_client)
    project, sources, _archive = open_qdpx(export_file(researcher_client, project_id, "qdpx"))
    cuts = sorted(cut for _code, cut, _text in selections(project, sources))
    assert cuts == ["[e-mail] over het kind", "👩‍👧 belt [telefoonnummer]"]


def variable_values(project, element) -> dict[str, str]:
    names = {v.get("guid"): v.get("name") for v in project.iterfind("q:Variables/q:Variable", NS)}
    return {
        names[value.find("q:VariableRef", NS).get("targetGUID")]: value.find("q:TextValue", NS).text
        for value in element.iterfind("q:VariableValue", NS)
    }


def test_the_three_formats_use_one_dutch_vocabulary(app, world, researcher_client):  # noqa: F811
    # The researcher reads the site in English; the files stay in the exports' Dutch.
    page = "/onderzoek/projecten"
    data = {"lang": "en", "next": page}
    assert submit(researcher_client, "/account/taal", data, form_url=page).status_code == 302
    assert '<html lang="en">' in researcher_client.get(page).text
    project_id = new_project(researcher_client)
    csv_file = csv_rows(export_file(researcher_client, project_id, "csv"))
    jsonl_file = jsonl_rows(export_file(researcher_client, project_id, "jsonl"))
    project, _sources, _archive = open_qdpx(export_file(researcher_client, project_id, "qdpx"))

    terms = ("werkveld", "soort", "beroep")
    columns = [name for term in terms for name in (term, f"{term}_code")]
    assert list(csv_file[0]) == list(jsonl_file[0])  # one set of column names, in one order
    assert set(columns) <= set(csv_file[0])
    variables = {v.get("name") for v in project.iterfind("q:Variables/q:Variable", NS)}
    assert variables == {*columns, "maand"}  # the CSV's own column names
    in_csv = [tuple(row[c] for c in columns) for row in csv_file]
    in_jsonl = [tuple(row[c] or "" for c in columns) for row in jsonl_file]
    assert in_csv == in_jsonl
    assert {row[:4] for row in in_csv} == {
        ("Onderwijs", "school", "Vraag", "question"),
        ("Kinderopvang", "childcare", "Voorbeeld", "example"),
    }
    assert {row[4:] for row in in_csv} == {
        ("Leerkracht", "leerkracht"),
        ("Gastouder", "gastouder"),
        ("", ""),  # a placeholder has no beroep
    }
    by_thread = {row["gesprek"]: row for row in csv_file}
    for source in project.iterfind("q:Sources/q:TextSource", NS):
        row = by_thread[source.get("name").split(" - ", 1)[0]]
        values = variable_values(project, source)
        assert values == {name: row[name] for name in (*columns[:4], "maand")}
    by_person = {row["deelnemer"]: row for row in csv_file if row["deelnemer"]}
    for case in project.iterfind("q:Cases/q:Case", NS):
        row = by_person[case.get("name")]
        assert variable_values(project, case) == {n: row[n] for n in columns[4:]}
