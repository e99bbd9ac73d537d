"""An independent reader of ``.qdpx`` files for the tests: it takes each item from where the QDA
tools take it (QualCoder's REFI-QDA importer is the strictest of them, and its behaviour is what
this follows), and lists everything such an importer would fail on, drop or put elsewhere in
``problems``, so a test can require that list to be empty. It shares no code with the exporter.

Where things land (QualCoder's words in brackets):
- ``Code`` nested in ``Code``: a subcode; its ``Description``: the code memo.
- ``TextSource``: a document whose text is the ``plainTextPath`` file in ``sources/``; its
  ``Description``: the document memo; a ``NoteRef`` on it: a text annotation, not a memo.
- ``PlainTextSelection`` with a ``Coding``: a coding of ``text[start:end]`` (code points, end
  exclusive); its ``Description``: the coding memo; without a ``Coding``: an annotation.
- ``VariableValue`` on a source: a document variable; on a named ``Case``: a case variable;
  ``SourceRef`` on a case: the documents the case is linked to (ATLAS.ti, MAXQDA, NVivo).
- ``Note`` under ``Notes`` not referenced from a source: a journal, read from its text file;
  undated it crashes the import, without a file it is dropped, a second one of the same name
  crashes it too.
- ``creatingUser``: resolved through ``Users``; an unknown GUID becomes the owner "default".
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

Q = "{urn:QDA-XML:project:1.0}"


@dataclass
class Coding:
    code: str | None
    start: int
    end: int
    text: str
    memo: str
    owner: str
    date: str | None


@dataclass
class Source:
    name: str
    text: str
    memo: str
    owner: str
    date: str | None
    codings: list[Coding] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Code:
    name: str
    parent: str | None
    memo: str
    colour: str | None


@dataclass
class Case:
    name: str
    memo: str
    attributes: dict[str, str]
    sources: list[str]


@dataclass
class Journal:
    name: str
    text: str
    owner: str
    date: str | None


@dataclass
class QdaProject:
    name: str
    origin: str | None
    memo: str
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: dict[str, Code] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)  # name -> "file" or "case"
    sources: dict[str, Source] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    journals: dict[str, Journal] = field(default_factory=dict)
    annotations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


def _text(element: etree._Element | None) -> str:
    return (element.text or "") if element is not None else ""


class Reader:
    def __init__(self, data: bytes) -> None:
        archive = zipfile.ZipFile(io.BytesIO(data))
        self.files = {name: archive.read(name) for name in archive.namelist()}
        self.root = etree.fromstring(self.files["project.qde"])
        folders = {name.split("/", 1)[0] for name in self.files if "/" in name}
        self.folder = "sources" if "sources" in folders else "Sources"
        self.out = QdaProject(
            name=self.root.get("name"),
            origin=self.root.get("origin"),
            memo=_text(self.root.find(f"{Q}Description")),
            files=self.files,
        )
        self.code_guids: dict[str, str] = {}
        self.variable_guids: dict[str, str] = {}
        self.source_guids: dict[str, str] = {}
        self.annotated: set[str] = set()  # notes a source refers to

    def problem(self, message: str) -> None:
        self.out.problems.append(message)

    def owner(self, element: etree._Element) -> str:
        guid = element.get("creatingUser") or element.get("modifyingUser")
        if guid not in self.out.users:
            self.problem(f"{element.tag}: creatingUser {guid!r} is no user")
            return "default"
        return self.out.users[guid]

    def internal_file(self, element: etree._Element) -> str | None:
        path = element.get("plainTextPath") or ""
        if not path.startswith("internal://"):
            return None
        raw = self.files.get(f"{self.folder}/{path.removeprefix('internal://')}")
        if raw is None:
            self.problem(f"{path} is not in the archive")
            return None
        if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
            self.problem(f"{path} has a byte-order mark or CR line ends")
        return raw.decode("utf-8")

    def read(self) -> QdaProject:
        if not self.out.origin:
            self.problem("Project has no origin")
        for user in self.root.iterfind(f"{Q}Users/{Q}User"):
            self.out.users[user.get("guid")] = user.get("name")
        for code in self.root.iterfind(f"{Q}CodeBook/{Q}Codes/{Q}Code"):
            self.code(code, None)
        for variable in self.root.iterfind(f"{Q}Variables/{Q}Variable"):
            self.variable_guids[variable.get("guid")] = variable.get("name")
            self.out.variables[variable.get("name")] = "file"
        for source in self.root.iterfind(f"{Q}Sources/{Q}TextSource"):
            self.source(source)
        for note in self.root.iterfind(f"{Q}Notes/{Q}Note"):
            self.note(note)
        for case in self.root.iterfind(f"{Q}Cases/{Q}Case"):
            self.case(case)
        for element in self.root.iter(f"{Q}NoteRef"):
            parent = element.getparent()
            if parent.tag != f"{Q}TextSource":
                self.problem(f"a NoteRef on {parent.tag} becomes a journal, not its memo")
        self.check_variables()
        return self.out

    def code(self, element: etree._Element, parent: str | None) -> None:
        name = element.get("name")
        if name in self.out.codes:
            self.problem(f"code {name!r} twice: the second loses its codings")
        else:
            memo = _text(element.find(f"{Q}Description"))
            self.out.codes[name] = Code(name, parent, memo, element.get("color"))
            self.code_guids[element.get("guid")] = name
        for child in element.iterfind(f"{Q}Code"):
            self.code(child, name)

    def source(self, element: etree._Element) -> None:
        name = element.get("name")
        if element.find(f"{Q}PlainTextContent") is not None:
            self.problem(f"source {name!r}: inline text instead of a file")
        text = self.internal_file(element)
        if text is None:
            self.problem(f"source {name!r}: no plainTextPath file")
            return
        if element.get("creationDateTime") is None:
            self.problem(f"source {name!r} has no creationDateTime")
        memo = _text(element.find(f"{Q}Description"))
        owner = self.owner(element)
        source = Source(name, text, memo, owner, element.get("creationDateTime"))
        self.out.sources[name] = source
        self.source_guids[element.get("guid")] = name
        for selection in element.iterfind(f"{Q}PlainTextSelection"):
            self.selection(source, selection)
        for ref in element.iterfind(f"{Q}NoteRef"):
            self.annotated.add(ref.get("targetGUID"))
        for name_, value in self.values(element):
            source.attributes[name_] = value

    def selection(self, source: Source, element: etree._Element) -> None:
        start, end = int(element.get("startPosition")), int(element.get("endPosition"))
        memo = _text(element.find(f"{Q}Description"))
        owner, date = self.owner(element), element.get("creationDateTime")
        if date is None:
            self.problem(f"a selection in {source.name!r} has no creationDateTime")
        codings = element.findall(f"{Q}Coding")
        if not codings:
            self.out.annotations.append(memo)
        for coding in codings:
            code = self.code_guids.get(coding.find(f"{Q}CodeRef").get("targetGUID"))
            if code is None:
                self.problem(f"a coding in {source.name!r} points at no code")
            text = source.text[start:end]
            source.codings.append(Coding(code, start, end, text, memo, owner, date))

    def values(self, element: etree._Element) -> list[tuple[str, str]]:
        found = []
        for value in element.iterfind(f"{Q}VariableValue"):
            guid = value.find(f"{Q}VariableRef").get("targetGUID")
            if guid not in self.variable_guids:
                self.problem(f"a value of an unknown variable {guid}")
                continue
            found.append((self.variable_guids[guid], _text(value[1]).strip()))
        return found

    def note(self, element: etree._Element) -> None:
        name = element.get("name")
        date = element.get("creationDateTime") or element.get("modifiedDateTime")
        if date is None:
            self.problem(f"note {name!r} has no creationDateTime: the import stops here")
            return
        if element.get("guid") in self.annotated:
            self.out.annotations.append(_text(element.find(f"{Q}PlainTextContent")))
            return
        text = self.internal_file(element)
        if text is None or not name:
            self.problem(f"note {name!r} has no plainTextPath file or no name: dropped")
            return
        if name in self.out.journals:
            self.problem(f"two journals named {name!r}: the import stops here")
            return
        self.out.journals[name] = Journal(name, text, self.owner(element), date)

    def case(self, element: etree._Element) -> None:
        name = element.get("name")
        sources = [
            self.source_guids.get(ref.get("targetGUID"), "?")
            for ref in element.iterfind(f"{Q}SourceRef")
        ]
        if name is None:  # MAXQDA's way of giving file variables; we do not write those
            self.problem("a case without a name")
            return
        values = dict(self.values(element))
        for variable in values:
            self.out.variables[variable] = "case"
        memo = _text(element.find(f"{Q}Description"))
        self.out.cases[name] = Case(name, memo, values, sources)

    def check_variables(self) -> None:
        filled = {
            variable
            for holder in [*self.out.sources.values(), *self.out.cases.values()]
            for variable, value in holder.attributes.items()
            if value
        }
        for variable in self.out.variables:
            if variable not in filled:
                self.problem(f"variable {variable!r} has no value anywhere")


def read_qdpx(data: bytes) -> QdaProject:
    """The project as a QDA tool would import it, with what it would trip over."""
    return Reader(data).read()
