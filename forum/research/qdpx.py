"""REFI-QDA project export (``.qdpx``), QDA-XML 1.0 (Project-mrt2019.xsd).

The zip holds ``project.qde`` and ``sources/<guid>.txt`` (lower-case folder; UTF-8, LF only, no
byte-order mark): one file per thread and one per note. In ``project.qde``, in the schema's order,
each item where QDA tools read it (QualCoder's importer is the strictest we know):

- ``Users``: one user, the exporting researcher (a keyed-hash GUID and name, ``qdpx_parts``); its
  GUID is the ``creatingUser`` of every source, selection, coding and note.
- ``CodeBook``: the whole codebook (names are unique in the database), children nested under their
  parent, colour; definition, rules and the code's memos as its ``Description`` (the code memo).
- ``Variables``: werkveld, werkveld_code, soort, soort_code, maand (per thread) and beroep,
  beroep_code (per participant), all Text, named as the CSV columns (``vocabulary``); a variable
  without any value is left out (QualCoder would keep it as an empty file variable).
- ``Cases``: one per participant pseudonym, with a value for each participant variable and a
  SourceRef to every thread the participant wrote in.
- ``Sources``: one TextSource per thread, named "gesprek-… - title" (usable as a file name), its
  text in ``internal://<guid>.txt``: the title, then each post after a header line
  "[deelnemer-…, Leerkracht, 2026-11]" (placeholders stand alone).
  The thread's memos are its ``Description`` (the document memo; a NoteRef there would become a
  text annotation). Passage codings are PlainTextSelections whose start/end count code points in
  exactly that file, the passage's memos their ``Description`` (the coding memo); thread codings
  are a PlainTextSelection covering the whole file. werkveld, soort (each with its code) and
  maand as VariableValues.
- ``Notes``: the project memo (journal), each Note with name, creation date, creating user and its
  text in a ``plainTextPath`` file (QualCoder drops inline-only notes and fails on undated ones).
- ``Description``: the project's question, and whether posts without name are linkable.

Creation dates are the moment of the export: the export carries months, never a participant's
exact time. Every other entity gets a fresh GUID per export. Before anything is written every
selection is checked against the text it points into: a wrong offset is a bug we refuse to ship.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from datetime import datetime

from forum.research import export
from forum.research.export import ExportData, ThreadOut, research_key
from forum.research.models import ResearchProject
from forum.research.qdpx_parts import (
    NAMESPACE,
    ORIGIN,
    CodeOut,
    exporting_researcher,
    file_safe,
    load_codebook,
    memo_text,
    new_guid,
    project_notes,
    source_text,
    sub,
    text_element,
    xml_datetime,
)
from forum.research.vocabulary import BEROEP, SOORT, WERKVELD, Term, term_columns, term_values

SOURCE_VARIABLES = (*term_columns(WERKVELD), *term_columns(SOORT), "maand")
CASE_VARIABLES = term_columns(BEROEP)
VARIABLES = (*SOURCE_VARIABLES, *CASE_VARIABLES)


def source_values(thread: ThreadOut) -> dict[str, str]:
    values = term_values(WERKVELD, thread.setting) | term_values(SOORT, thread.kind)
    return {name: value or "" for name, value in values.items()} | {"maand": thread.month}


def case_values(profession: Term | None) -> dict[str, str]:
    return {name: value or "" for name, value in term_values(BEROEP, profession).items()}


class Builder:
    """Builds ``project.qde`` and the source files for one export."""

    def __init__(
        self, project: ResearchProject, data: ExportData, now: datetime, researcher_id: int | None
    ) -> None:
        self.project = project
        self.data = data
        self.now = now
        self.stamp = xml_datetime(now)
        self.user = exporting_researcher(project, research_key(), researcher_id)
        self.codes = load_codebook()
        self.code_guids = {code.id: new_guid() for code in self.codes}
        self.source_guids = {thread.thread_id: new_guid() for thread in data.threads}
        self.people = self.participants()
        self.variable_guids = {name: new_guid() for name in self.valued_variables()}
        self.files: dict[str, str] = {}

    def created(self) -> dict[str, str]:
        """The attributes that say who made an element and when (QualCoder needs both)."""
        return {"creatingUser": self.user.guid, "creationDateTime": self.stamp}

    def participants(self) -> dict[str, tuple[Term | None, list[int]]]:
        """Per pseudonym: the participant's beroep and the threads they wrote in, in order."""
        people: dict[str, tuple[Term | None, list[int]]] = {}
        for thread in self.data.threads:
            for post in thread.posts:
                if not post.consented or post.pseudonym is None:
                    continue
                threads = people.setdefault(post.pseudonym, (post.profession, []))[1]
                if thread.thread_id not in threads:
                    threads.append(thread.thread_id)
        return people

    def valued_variables(self) -> list[str]:
        """The variables that have at least one non-empty value somewhere in this export."""
        filled: set[str] = set()
        for thread in self.data.threads:
            filled |= {name for name, value in source_values(thread).items() if value}
        for profession, _threads in self.people.values():
            filled |= {name for name, value in case_values(profession).items() if value}
        return [name for name in VARIABLES if name in filled]

    def variable_values(self, parent: ET.Element, values: dict[str, str]) -> None:
        for name, value in values.items():
            if name not in self.variable_guids:
                continue
            element = sub(parent, "VariableValue")
            sub(element, "VariableRef", targetGUID=self.variable_guids[name])
            text_element(element, "TextValue", value)

    def build(self) -> bytes:
        root = ET.Element(
            "Project",
            {
                "xmlns": NAMESPACE,
                "name": self.project.name,
                "origin": ORIGIN,
                "creatingUserGUID": self.user.guid,
                "creationDateTime": self.stamp,
            },
        )
        sub(sub(root, "Users"), "User", guid=self.user.guid, name=self.user.name)
        self.codebook(root)
        if self.variable_guids:
            variables = sub(root, "Variables")
            for name, guid in self.variable_guids.items():
                sub(variables, "Variable", guid=guid, name=name, typeOfVariable="Text")
        self.cases(root)
        if self.data.threads:
            sources = sub(root, "Sources")
            for thread in self.data.threads:
                self.source(sources, thread)
        self.notes(root)
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
            if code.description:
                text_element(element, "Description", code.description)
            if depth < 2:  # the codebook has one level of children; never loop
                for child in children.get(code.id, []):
                    add(element, child, depth + 1)

        for code in children[None]:
            add(codes, code, 0)

    def cases(self, root: ET.Element) -> None:
        if not self.people:
            return
        cases = sub(root, "Cases")
        for name, (profession, threads) in self.people.items():
            case = sub(cases, "Case", guid=new_guid(), name=name)
            self.variable_values(case, case_values(profession))
            for thread_id in threads:
                sub(case, "SourceRef", targetGUID=self.source_guids[thread_id])

    def selection(
        self, parent: ET.Element, code: tuple[int, str], span: tuple[int, int], memos: list[str]
    ) -> None:
        selection = sub(
            parent,
            "PlainTextSelection",
            guid=new_guid(),
            name=code[1],
            startPosition=str(span[0]),
            endPosition=str(span[1]),
            **self.created(),
        )
        if memo_text(memos):
            text_element(selection, "Description", memo_text(memos))
        coding = sub(selection, "Coding", guid=new_guid(), **self.created())
        sub(coding, "CodeRef", targetGUID=self.code_guids[code[0]])

    def source(self, sources: ET.Element, thread: ThreadOut) -> None:
        guid = self.source_guids[thread.thread_id]
        text, starts = source_text(thread)
        element = sub(
            sources,
            "TextSource",
            guid=guid,
            name=f"{thread.ref} - {file_safe(thread.title)}",
            plainTextPath=f"internal://{guid}.txt",
            **self.created(),
        )
        if memo_text(thread.memos):
            text_element(element, "Description", memo_text(thread.memos))
        for post in thread.posts:
            for passage in post.passages:
                start = starts[post.post_id] + passage.start
                end = starts[post.post_id] + passage.end
                if text[start:end] != passage.quote:
                    raise ValueError(f"selection {start}-{end} does not cut the coded passage")
                code = (passage.code_id, passage.code_name)
                self.selection(element, code, (start, end), passage.memos)
        for code in thread.codes:
            self.selection(element, code, (0, len(text)), [])
        self.variable_values(element, source_values(thread))
        self.files[f"sources/{guid}.txt"] = text

    def notes(self, root: ET.Element) -> None:
        found = project_notes(self.project, self.data, self.now)
        if not found:
            return
        notes = sub(root, "Notes")
        for note in found:
            guid = new_guid()
            sub(
                notes,
                "Note",
                guid=guid,
                name=note.name,
                plainTextPath=f"internal://{guid}.txt",
                creatingUser=self.user.guid,
                creationDateTime=xml_datetime(note.created),
            )
            self.files[f"sources/{guid}.txt"] = note.text


def render(
    project: ResearchProject, data: ExportData, now: datetime, researcher_id: int | None = None
) -> bytes:
    """The ``.qdpx`` file as bytes. ``researcher_id``: who exports (default: the signed-in user,
    else the project's creator); only a keyed hash of it is written."""
    builder = Builder(project, data, now, researcher_id)
    qde = builder.build()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for path, text in builder.files.items():
            archive.writestr(path, text.encode("utf-8"))
    return buffer.getvalue()
