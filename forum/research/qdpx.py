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
exact time. Every other entity gets a fresh GUID per export. Every selection is checked against
the text it points into before its source is written: a wrong offset is a bug we refuse to ship
(the export fails, and the worker deletes its partial file).

It is written as a stream (``write``), so a forum of a million posts fits in memory: the threads
come a batch at a time; each source's text file goes into the zip at once and its ``TextSource``
into a temporary file; only the participants (pseudonym, beroep, the numbers of their threads),
the source GUIDs and the counts are kept. At the end ``project.qde`` is written in the schema's
order, the ``Sources`` copied from the temporary file. The request (``render``: one batch, into
memory) and the worker (``export_jobs``: many batches, into a file) use the same writer.
"""

from __future__ import annotations

import io
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from array import array
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

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


def serialized(element: ET.Element, level: int) -> str:
    """One element as indented XML at ``level`` (two spaces a level), on lines of its own."""
    ET.indent(element, level=level)
    return "  " * level + ET.tostring(element, encoding="unicode") + "\n"


class Writer:
    """Writes one export: the source files as the threads come, ``project.qde`` at the end.

    Between batches it keeps only what the first parts of ``project.qde`` need: the source
    GUIDs, per participant the beroep and the numbers of their threads, which variables have a
    value, and the counts."""

    def __init__(self, project: ResearchProject, now: datetime, researcher_id: int | None) -> None:
        self.project = project
        self.now = now
        self.stamp = xml_datetime(now)
        self.user = exporting_researcher(project, research_key(), researcher_id)
        self.codes = load_codebook()
        self.code_guids = {code.id: new_guid() for code in self.codes}
        # Every variable gets its GUID now; the ones left without a value are left out at the end.
        self.variable_guids = {name: new_guid() for name in VARIABLES}
        self.filled: set[str] = set()
        self.source_guids: list[str] = []
        self.people: dict[str, tuple[Term | None, array[int]]] = {}
        self.counts: dict[str, int] = {"threads": 0} | dict.fromkeys(export.COUNTED, 0)
        self.post_ids: list[int] = []

    def created(self) -> dict[str, str]:
        """The attributes that say who made an element and when (QualCoder needs both)."""
        return {"creatingUser": self.user.guid, "creationDateTime": self.stamp}

    def add(self, archive: zipfile.ZipFile, sources: IO[str], data: ExportData) -> None:
        """One batch: each thread's text into the zip, its ``TextSource`` into ``sources``."""
        for name, value in data.counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        self.post_ids.extend(data.post_ids)
        for thread in data.threads:
            guid = new_guid()
            self.meet(thread, len(self.source_guids))
            self.source_guids.append(guid)
            element, text = self.source(thread, guid)
            sources.write(self.with_values(serialized(element, 2), source_values(thread)))
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))

    def meet(self, thread: ThreadOut, number: int) -> None:
        """Note the thread's participants (in order of their first post) and its variables."""
        for post in thread.posts:
            if not post.consented or post.pseudonym is None:
                continue
            threads = self.people.setdefault(post.pseudonym, (post.profession, array("I")))[1]
            if not threads or threads[-1] != number:  # threads come in order: no repeats
                threads.append(number)
        self.filled |= {name for name, value in source_values(thread).items() if value}

    def with_values(self, source: str, values: dict[str, str]) -> str:
        """The serialized ``TextSource`` with its VariableValues, one line each, so that those of
        a variable that turns out to have no value anywhere can be dropped line by line."""
        lines = []
        for name, value in values.items():
            element = ET.Element("VariableValue")
            sub(element, "VariableRef", targetGUID=self.variable_guids[name])
            text_element(element, "TextValue", " ".join(value.split()))
            lines.append("      " + ET.tostring(element, encoding="unicode") + "\n")
        close = "    </TextSource>\n"
        if source.endswith(" />\n"):  # no memo and no coding: the element had no children
            return source.removesuffix(" />\n") + ">\n" + "".join(lines) + close
        return source.removesuffix(close) + "".join(lines) + close

    def finish(self, archive: zipfile.ZipFile, sources: IO[str]) -> None:
        """``project.qde`` in the schema's order, then the note files."""
        for profession, _threads in self.people.values():
            self.filled |= {name for name, value in case_values(profession).items() if value}
        notes = [
            (new_guid(), note) for note in project_notes(self.project, self.summary(), self.now)
        ]
        with (
            archive.open("project.qde", "w") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
        ):
            out.write("<?xml version='1.0' encoding='UTF-8'?>\n" + self.opening())
            users = ET.Element("Users")
            sub(users, "User", guid=self.user.guid, name=self.user.name)
            out.write(serialized(users, 1))
            for part in (self.codebook(), self.variables()):
                if part is not None:
                    out.write(serialized(part, 1))
            self.cases(out)
            self.copy_sources(sources, out)
            if notes:
                out.write(serialized(self.notes(notes), 1))
            out.write(serialized(self.description(), 1) + "</Project>\n")
        for guid, note in notes:
            archive.writestr(f"sources/{guid}.txt", note.text.encode("utf-8"))
        # project.qde is written last but listed first in the zip's directory, where readers
        # look for it (every zip reader reads the directory, not the order of the entries).
        archive.filelist.insert(
            0, archive.filelist.pop(archive.filelist.index(archive.getinfo("project.qde")))
        )

    def summary(self) -> ExportData:
        return ExportData([], self.counts, [])

    def opening(self) -> str:
        attributes = {
            "xmlns": NAMESPACE,
            "name": self.project.name,
            "origin": ORIGIN,
            "creatingUserGUID": self.user.guid,
            "creationDateTime": self.stamp,
        }
        return ET.tostring(ET.Element("Project", attributes), encoding="unicode")[:-3] + ">\n"

    def variables(self) -> ET.Element | None:
        valued = [name for name in VARIABLES if name in self.filled]
        if not valued:
            return None
        variables = ET.Element("Variables")
        for name in valued:
            guid = self.variable_guids[name]
            sub(variables, "Variable", guid=guid, name=name, typeOfVariable="Text")
        return variables

    def codebook(self) -> ET.Element | None:
        if not self.codes:
            return None
        known = {code.id for code in self.codes}
        children: dict[int | None, list[CodeOut]] = defaultdict(list)
        for code in self.codes:
            parent = code.parent_id if code.parent_id in known else None
            children[parent].append(code)
        codebook = ET.Element("CodeBook")
        codes = sub(codebook, "Codes")

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
        return codebook

    def cases(self, out: IO[str]) -> None:
        """One Case a participant, written one by one (a SourceRef per thread they wrote in)."""
        if not self.people:
            return
        out.write("  <Cases>\n")
        for name, (profession, threads) in self.people.items():
            case = ET.Element("Case", guid=new_guid(), name=name)
            for variable, value in case_values(profession).items():
                if variable in self.filled:
                    element = sub(case, "VariableValue")
                    sub(element, "VariableRef", targetGUID=self.variable_guids[variable])
                    text_element(element, "TextValue", value)
            for number in threads:
                sub(case, "SourceRef", targetGUID=self.source_guids[number])
            out.write(serialized(case, 2))
        out.write("  </Cases>\n")

    def copy_sources(self, sources: IO[str], out: IO[str]) -> None:
        """The ``TextSource`` elements from the temporary file, without the VariableValues of
        variables that no thread and no participant has a value for."""
        if not self.source_guids:
            return
        empty = [
            f'<VariableRef targetGUID="{guid}"'
            for name, guid in self.variable_guids.items()
            if name not in self.filled
        ]
        out.write("  <Sources>\n")
        sources.seek(0)
        for line in sources:
            if not any(marker in line for marker in empty):
                out.write(line)
        out.write("  </Sources>\n")

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

    def source(self, thread: ThreadOut, guid: str) -> tuple[ET.Element, str]:
        """The thread's ``TextSource`` (without its VariableValues) and its text."""
        text, starts = source_text(thread)
        element = ET.Element(
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
        return element, text

    def notes(self, found: list[tuple[str, Any]]) -> ET.Element:
        notes = ET.Element("Notes")
        for guid, note in found:
            sub(
                notes,
                "Note",
                guid=guid,
                name=note.name,
                plainTextPath=f"internal://{guid}.txt",
                creatingUser=self.user.guid,
                creationDateTime=xml_datetime(note.created),
            )
        return notes

    def description(self) -> ET.Element:
        question = self.project.question.replace("\r\n", "\n").replace("\r", "\n")
        question += "\n\n" + export.anonymous_note(self.project.links_anonymous_posts)
        description = ET.Element("Description")
        description.text = question
        return description


def write(
    target: IO[bytes],
    project: ResearchProject,
    batches: Iterable[ExportData],
    now: datetime,
    researcher_id: int | None = None,
) -> tuple[dict[str, int], list[int]]:
    """Write the ``.qdpx`` into ``target`` (need not be seekable), the threads a batch at a time
    in their order; returns the summed counts and the exported post ids. ``researcher_id``: who
    exports (default: the signed-in user, else the project's creator); only a keyed hash of it
    is written."""
    writer = Writer(project, now, researcher_id)
    with (
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as sources,
    ):
        for data in batches:
            writer.add(archive, sources, data)
        writer.finish(archive, sources)
    return writer.counts, writer.post_ids


def render(
    project: ResearchProject, data: ExportData, now: datetime, researcher_id: int | None = None
) -> bytes:
    """The ``.qdpx`` of threads collected at once (in the request), as bytes."""
    buffer = io.BytesIO()
    write(buffer, project, [data], now, researcher_id)
    return buffer.getvalue()
