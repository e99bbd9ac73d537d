"""REFI-QDA project export (``.qdpx``), QDA-XML 1.0 (Project-mrt2019.xsd).

The zip holds ``project.qde`` and ``sources/<guid>.txt`` (lower-case folder; UTF-8, LF only, no
byte-order mark). In ``project.qde``, in the schema's order:

- ``CodeBook``: the whole codebook (names are unique in the database), children nested under their
  parent, colour, the definition and rules as Description, code memos as NoteRefs.
- ``Variables``: werkveld, werkveld_code, soort, soort_code, maand (per thread) and beroep,
  beroep_code (per participant), all Text: the names and words of the CSV columns (``vocabulary``).
- ``Cases``: one per participant pseudonym, with its beroep and a SourceRef to every thread the
  participant wrote in.
- ``Sources``: one TextSource per thread, its text in ``internal://<guid>.txt``: the title, then
  each post after a header line "[deelnemer-…, Leerkracht, 2026-11]" (placeholders stand alone).
  Passage codings are PlainTextSelections whose start/end count code points in exactly that file;
  thread codings are a PlainTextSelection covering the whole file. Thread memos are NoteRefs on the
  source, passage memos NoteRefs on their selection; werkveld, soort (each with its code) and
  maand as VariableValues.
- ``Notes``: every memo as a Note with PlainTextContent.
- ``Description``: the project's question.

Every entity gets a fresh GUID per export. Before anything is written every selection is checked
against the text it points into: a wrong offset is a bug we refuse to ship.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from forum.db import db
from forum.research import export
from forum.research.export import ExportData, PostOut, ThreadOut, mask_text, memos_of
from forum.research.models import Code, Memo, ResearchProject
from forum.research.vocabulary import BEROEP, SOORT, WERKVELD, Term, term_columns, term_values

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = "Dorpsplein"
VARIABLES = (*term_columns(WERKVELD), *term_columns(SOORT), "maand", *term_columns(BEROEP))


@dataclass
class CodeOut:
    id: int
    name: str
    parent_id: int | None
    colour: str
    description: str
    memos: list[str]


def code_description(code: Code) -> str:
    parts = [
        ("Definitie", code.definition),
        ("Gebruik als", code.use_when),
        ("Niet gebruiken als", code.not_when),
        ("Voorbeeld", code.example),
    ]
    return mask_text("\n".join(f"{label}: {text}" for label, text in parts if text.strip()))


def load_codebook() -> list[CodeOut]:
    """The whole codebook, archived codes too (names are unique), with the memos on each code."""
    memos = memos_of(Memo.code_id, sa.select(Code.id))
    return [
        CodeOut(
            c.id,
            c.name,
            c.parent_id,
            c.colour,
            code_description(c) + ("\n(gearchiveerd)" if c.archived else ""),
            memos.get(c.id, []),
        )
        for c in db.session.execute(sa.select(Code).order_by(Code.name)).scalars()
    ]


def new_guid() -> str:
    return str(uuid.uuid4())


def xml_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, attributes)


def text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = sub(parent, tag)
    element.text = text
    return element


def post_header(post: PostOut) -> str:
    parts = [post.pseudonym or "", post.profession.label if post.profession else "", post.month]
    return "[" + ", ".join(part for part in parts if part) + "]"


def source_text(thread: ThreadOut) -> tuple[str, dict[int, int]]:
    """The thread as one plain text, and where each post's text starts in it (by post id)."""
    pieces: list[str] = [thread.title, "\n\n"]
    length = len(thread.title) + 2
    starts: dict[int, int] = {}
    for index, post in enumerate(thread.posts):
        if index:
            pieces.append("\n\n")
            length += 2
        if post.consented:
            header = post_header(post) + "\n"
            pieces.append(header)
            length += len(header)
        starts[post.post_id] = length
        pieces.append(post.text)
        length += len(post.text)
    pieces.append("\n")
    return "".join(pieces), starts


class Builder:
    """Builds ``project.qde`` and the source files for one export."""

    def __init__(self, project: ResearchProject, data: ExportData, now: datetime) -> None:
        self.project = project
        self.data = data
        self.now = now
        self.codes = load_codebook()
        self.code_guids = {code.id: new_guid() for code in self.codes}
        self.variable_guids = {name: new_guid() for name in VARIABLES}
        self.source_guids = {thread.thread_id: new_guid() for thread in data.threads}
        self.notes: list[tuple[str, str, str]] = []  # guid, name, text
        self.files: dict[str, str] = {}

    def note_refs(self, parent: ET.Element, memos: list[str], name: str) -> None:
        for text in memos:
            guid = new_guid()
            self.notes.append((guid, name, text))
            sub(parent, "NoteRef", targetGUID=guid)

    def variable_value(self, parent: ET.Element, name: str, value: str) -> None:
        element = sub(parent, "VariableValue")
        sub(element, "VariableRef", targetGUID=self.variable_guids[name])
        text_element(element, "TextValue", value)

    def variable_values(self, parent: ET.Element, name: str, term: Term) -> None:
        """A term as its two variables, the words and the code (as in the CSV)."""
        for variable, value in term_values(name, term).items():
            self.variable_value(parent, variable, value or "")

    def coding(self, parent: ET.Element, code_id: int) -> None:
        coding = sub(parent, "Coding", guid=new_guid())
        sub(coding, "CodeRef", targetGUID=self.code_guids[code_id])

    def build(self) -> bytes:
        root = ET.Element(
            "Project",
            {
                "xmlns": NAMESPACE,
                "name": self.project.name,
                "origin": ORIGIN,
                "creationDateTime": xml_datetime(self.now),
            },
        )
        self.codebook(root)
        variables = sub(root, "Variables")
        for name in VARIABLES:
            sub(
                variables,
                "Variable",
                guid=self.variable_guids[name],
                name=name,
                typeOfVariable="Text",
            )
        self.cases(root)
        if self.data.threads:
            sources = sub(root, "Sources")
            for thread in self.data.threads:
                self.source(sources, thread)
        if self.notes:
            notes = sub(root, "Notes")
            for guid, name, text in self.notes:
                note = sub(notes, "Note", guid=guid, name=name)
                text_element(note, "PlainTextContent", text)
        question = self.project.question.replace("\r\n", "\n").replace("\r", "\n")
        question += "\n\n" + export.anonymous_note(self.project.links_anonymous_posts)
        text_element(root, "Description", question)
        ET.indent(root)
        return ET.tostring(root, encoding="UTF-8", xml_declaration=True)

    def codebook(self, root: ET.Element) -> None:
        if not self.codes:
            return
        known = {code.id for code in self.codes}
        children: dict[int | None, list[CodeOut]] = defaultdict(list)
        for code in self.codes:
            parent = code.parent_id if code.parent_id in known else None
            children[parent].append(code)
        codes = sub(sub(root, "CodeBook"), "Codes")

        def add(parent: ET.Element, code: CodeOut, depth: int) -> None:
            element = sub(
                parent,
                "Code",
                guid=self.code_guids[code.id],
                name=code.name,
                isCodable="true",
                color=code.colour,
            )
            if code.description.strip():
                text_element(element, "Description", code.description.strip())
            self.note_refs(element, code.memos, f"Memo bij code {code.name}")
            if depth < 2:  # the codebook has one level of children; never loop
                for child in children.get(code.id, []):
                    add(element, child, depth + 1)

        for code in children[None]:
            add(codes, code, 0)

    def cases(self, root: ET.Element) -> None:
        people: dict[str, tuple[Term | None, list[int]]] = {}
        for thread in self.data.threads:
            for post in thread.posts:
                if not post.consented or post.pseudonym is None:
                    continue
                profession, threads = people.setdefault(post.pseudonym, (post.profession, []))
                if thread.thread_id not in threads:
                    threads.append(thread.thread_id)
        if not people:
            return
        cases = sub(root, "Cases")
        for name, (profession, threads) in people.items():
            case = sub(cases, "Case", guid=new_guid(), name=name)
            if profession:
                self.variable_values(case, BEROEP, profession)
            for thread_id in threads:
                sub(case, "SourceRef", targetGUID=self.source_guids[thread_id])

    def source(self, sources: ET.Element, thread: ThreadOut) -> None:
        guid = self.source_guids[thread.thread_id]
        text, starts = source_text(thread)
        element = sub(
            sources,
            "TextSource",
            guid=guid,
            name=f"{thread.ref}: {thread.title}",
            plainTextPath=f"internal://{guid}.txt",
        )
        for post in thread.posts:
            for passage in post.passages:
                start = starts[post.post_id] + passage.start
                end = starts[post.post_id] + passage.end
                if text[start:end] != passage.quote:
                    raise ValueError(f"selection {start}-{end} does not cut the coded passage")
                selection = sub(
                    element,
                    "PlainTextSelection",
                    guid=new_guid(),
                    name=passage.code_name,
                    startPosition=str(start),
                    endPosition=str(end),
                )
                self.coding(selection, passage.code_id)
                self.note_refs(selection, passage.memos, f"Memo bij passage in {thread.ref}")
        for code_id, name in thread.codes:
            selection = sub(
                element,
                "PlainTextSelection",
                guid=new_guid(),
                name=name,
                startPosition="0",
                endPosition=str(len(text)),
            )
            self.coding(selection, code_id)
        self.note_refs(element, thread.memos, f"Memo bij {thread.ref}")
        self.variable_values(element, WERKVELD, thread.setting)
        self.variable_values(element, SOORT, thread.kind)
        self.variable_value(element, "maand", thread.month)
        self.files[f"sources/{guid}.txt"] = text


def render(project: ResearchProject, data: ExportData, now: datetime) -> bytes:
    """The ``.qdpx`` file as bytes."""
    builder = Builder(project, data, now)
    qde = builder.build()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for path, text in builder.files.items():
            archive.writestr(path, text.encode("utf-8"))
    return buffer.getvalue()
