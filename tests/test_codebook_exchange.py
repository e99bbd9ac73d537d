"""The codebook as a REFI-QDA codebook (.qdc): the download is valid and nests subcodes, GUIDs stay
the same per code, an import merges by name (no duplicates, parents kept, descriptions only where
none), and hostile or wrong files get a form error, never a 500."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from forum.audit import AuditEntry
from forum.db import db
from forum.research.models import Code
from tests.helpers import csrf_token, login

SCHEMA = Path(__file__).parent / "refi-qda" / "codebook-structure.xsd"
NS = {"c": "urn:QDA-XML:codebook:1.0"}
IMPORT = "/onderzoek/codes/importeren"


@pytest.fixture
def researching(client, researcher):
    login(client, researcher.email)
    return client


def add_codes(app) -> None:
    with app.app_context():
        parent = Code(
            name="Samenwerking",
            colour="#123456",
            definition="Samen optrekken.",
            use_when="Als taken gedeeld worden.\nOok bij overdrachten.",
        )
        child = Code(name="Vertrouwen", parent=parent, colour="#aa0000", example="“Pas later.”")
        db.session.add_all(
            [
                parent,
                child,
                Code(name="Communicatie", colour="#00aa00", not_when="Niet bij ruzie."),
                Code(name="Oud", archived=True, colour="#0d6259"),
            ]
        )
        db.session.commit()
        db.session.remove()


def tree(app) -> list[tuple]:
    """The codebook as a user sees it: name, parent's name, archived, colour and the texts."""
    with app.app_context():
        codes = db.session.execute(sa.select(Code).order_by(Code.name)).scalars().all()
        result = [
            (
                c.name,
                c.parent.name if c.parent else None,
                c.archived,
                c.colour,
                c.definition,
                c.use_when,
                c.not_when,
                c.example,
            )
            for c in codes
        ]
        db.session.remove()
    return result


def empty_codebook(app) -> None:
    with app.app_context():
        db.session.execute(sa.update(Code).values(parent_id=None))
        db.session.execute(sa.delete(Code))
        db.session.commit()
        db.session.remove()


def download(client) -> bytes:
    response = client.get("/onderzoek/codes/codeboek.qdc")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".qdc" in response.headers["Content-Disposition"]
    return response.data


def upload(client, payload: bytes, name: str = "codes.qdc"):
    token = csrf_token(client.get(IMPORT).text)
    # Encoded in memory: the test client's own temporary file for large bodies stays open.
    body, length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(payload), filename=name), "csrf_token": token},
        use_tempfile=False,
    )
    return client.post(
        IMPORT,
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_the_download_is_a_valid_codebook_with_subcodes_nested(app, researching):
    add_codes(app)
    payload = download(researching)
    assert payload.startswith(b"<?xml")
    root = etree.fromstring(payload)
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(root)
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    assert root.get("origin") == "Dorpsplein"
    top = [code.get("name") for code in root.iterfind("c:Codes/c:Code", NS)]
    assert top == ["Communicatie", "Oud", "Samenwerking"]
    nested = root.find("c:Codes/c:Code[@name='Samenwerking']/c:Code", NS)
    assert nested.get("name") == "Vertrouwen"
    assert nested.get("color") == "#aa0000"
    old = root.find("c:Codes/c:Code[@name='Oud']", NS)
    assert old.get("isCodable") == "false"  # archived: can no longer be applied
    description = root.findtext("c:Codes/c:Code[@name='Samenwerking']/c:Description", None, NS)
    assert description.startswith("Definitie: Samen optrekken.\nGebruik als: Als taken")
    guids = {code.get("name"): code.get("guid") for code in root.iter("{*}Code")}
    assert len(set(guids.values())) == 4
    assert all(str(uuid.UUID(guid)) == guid for guid in guids.values())
    again = etree.fromstring(download(researching))
    assert {code.get("name"): code.get("guid") for code in again.iter("{*}Code")} == guids


def test_an_empty_codebook_has_nothing_to_download(researching):
    response = researching.get("/onderzoek/codes/codeboek.qdc", follow_redirects=True)
    assert "Het codeboek is leeg" in response.text


def test_round_trip_into_an_empty_codebook_and_twice_without_duplicates(app, researching):
    add_codes(app)
    before = tree(app)
    payload = download(researching)
    empty_codebook(app)
    answer = upload(researching, payload)
    assert answer.status_code == 302
    page = researching.get(answer.headers["Location"])
    assert "4 codes toegevoegd, 0 bestonden al" in page.text
    assert tree(app) == before
    page = researching.get(upload(researching, payload).headers["Location"])
    assert "0 codes toegevoegd, 4 bestonden al" in page.text
    assert tree(app) == before
    with app.app_context():
        entries = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "code.imported")
        ).scalars()
        data = [entry.data for entry in entries]
        db.session.remove()
    assert [(sorted(d["added"]), d["existing"]) for d in data] == [
        (["Communicatie", "Oud", "Samenwerking", "Vertrouwen"], 0),
        ([], 4),
    ]


FOREIGN = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">
  <Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="  VERTROUWEN " isCodable="true"
          color="#F0A">
      <Description>Wat anderen onder vertrouwen verstaan.</Description>
      <Code guid="22222222-2222-2222-2222-222222222222" name="Herstel van vertrouwen"
            isCodable="true">
        <Code guid="33333333-3333-3333-3333-333333333333" name="Excuses" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="44444444-4444-4444-4444-444444444444" name="oud" isCodable="true">
      <Description>Een andere betekenis.</Description>
    </Code>
    <Code guid="55555555-5555-5555-5555-555555555555" name="Humor" isCodable="true" color="#F0A"/>
  </Codes>
  <Sets><Set guid="66666666-6666-6666-6666-666666666666" name="Groep"/></Sets>
</CodeBook>
"""


def test_merging_by_name_keeps_parents_and_adds_descriptions_only_where_none(app, researching):
    with app.app_context():
        db.session.add_all(
            [Code(name="Vertrouwen", colour="#aa0000"), Code(name="Oud", archived=True)]
        )
        db.session.add(Code(name="Oud-2", definition="Eigen tekst."))
        db.session.commit()
        db.session.remove()
    page = researching.get(upload(researching, FOREIGN).headers["Location"])
    assert "3 codes toegevoegd, 2 bestonden al" in page.text
    codes = {row[0]: row for row in tree(app)}
    assert set(codes) == {
        "Vertrouwen",
        "Oud",
        "Oud-2",
        "Herstel van vertrouwen",
        "Excuses",
        "Humor",
    }
    # The forum's own code stays: its colour, and it gets the description it did not have.
    assert codes["Vertrouwen"][3] == "#aa0000"
    assert codes["Vertrouwen"][4] == "Wat anderen onder vertrouwen verstaan."
    assert codes["Herstel van vertrouwen"][1] == "Vertrouwen"
    # One level of subcodes: the file's grandchild joins its grandparent.
    assert codes["Excuses"][1] == "Vertrouwen"
    # An archived code counts as existing, and stays archived.
    assert codes["Oud"][2] is True
    assert codes["Oud"][4] == "Een andere betekenis."
    assert codes["Humor"][3] == "#ff00aa"


HOSTILE = {
    "not xml": (b"dit is geen xml", "Dit is geen geldig XML-bestand"),
    "broken xml": (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>", "geen geldig XML"),
    "a project, not a codebook": (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>',
        "Dit is geen REFI-QDA-codeboek",
    ),
    "no codes": (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
        "Dit codeboek heeft geen codes",
    ),
    "billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="11111111-1111-1111-'
        b'1111-111111111111" name="&c;" isCodable="true"/></Codes></CodeBook>',
        "DTD of entiteiten",
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="11111111-1111-1111-'
        b'1111-111111111111" name="&e;" isCodable="true"/></Codes></CodeBook>',
        "DTD of entiteiten",
    ),
    "too large": (b"<!-- " + b"x" * (2 * 1024 * 1024) + b" -->", "groter dan 2 MB"),
    "empty": (b"", "Het bestand is leeg"),
    "a name too long": (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="11111111-1111-1111-'
        b'1111-111111111111" name="' + b"x" * 81 + b'" isCodable="true"/></Codes></CodeBook>',
        "langer dan 80 tekens",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_wrong_or_hostile_files_get_a_form_error_and_change_nothing(app, researching, case):
    payload, message = HOSTILE[case]
    answer = upload(researching, payload)
    assert answer.status_code == 400
    assert message in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert tree(app) == []
    with app.app_context():
        imported = sa.select(AuditEntry.id).where(AuditEntry.action == "code.imported")
        assert db.session.execute(imported).first() is None
        db.session.remove()


def test_a_file_far_over_the_limit_is_refused_before_it_is_read(researching):
    answer = upload(researching, b"x" * (3 * 1024 * 1024))
    assert answer.status_code == 413
