"""The codebook alone as a REFI-QDA codebook (``.qdc``, QDA-XML codebook 1.0), both ways.

Export: ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Dorpsplein">`` with ``<Codes>``;
subcodes nested under their parent. Each code's GUID is a keyed hash of its id (stable across
exports, tells nothing about the id); archived codes are ``isCodable="false"``; the definition and
rules are the Description, one "Label: text" line each (contact details masked, as in exports).

Import merges by name, whatever the capitals and spaces: a code that exists (archived too) is
kept as it is, only given the description when it has none; a new code goes under its parent
when that parent exists by name (or under the parent's own parent: the codebook has one level).
A file that is too large, not well-formed, has a DTD or entities, or is no codebook is refused
as a whole, before anything is written.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from lxml import etree

from forum import audit
from forum.db import db
from forum.i18n import _
from forum.research.codebook import COLOUR_RE, DEFAULT_COLOUR, CodebookError
from forum.research.export import mask_text
from forum.research.models import Code

NAMESPACE = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Dorpsplein"
MAX_BYTES = 2 * 1024 * 1024
MAX_CODES = 5000  # far above any real codebook; stops a file that is only many tiny codes
NAME_MAX = 80
TEXT_MAX = 2000
# The Description's lines, in this order; the same words as the .qdpx export.
FIELDS = (
    ("definition", "Definitie"),
    ("use_when", "Gebruik als"),
    ("not_when", "Niet gebruiken als"),
    ("example", "Voorbeeld"),
)


def code_guid(code_id: int) -> str:
    """Stable per code while the site's key stays: a team can re-import and match."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    digest = hmac.new(key, f"qdc-code:{code_id}".encode(), hashlib.sha256).hexdigest()
    return str(uuid.UUID(hex=digest[:32]))


def description_of(code: Code) -> str:
    texts = [(label, (getattr(code, name) or "").strip()) for name, label in FIELDS]
    return mask_text("\n".join(f"{label}: {text}" for label, text in texts if text))


def render_qdc() -> bytes:
    """The whole codebook, archived codes included (they still have codings somewhere)."""
    codes = list(db.session.execute(sa.select(Code).order_by(sa.func.lower(Code.name))).scalars())
    children: dict[int | None, list[Code]] = {}
    known = {code.id for code in codes}
    for code in codes:
        parent = code.parent_id if code.parent_id in known else None
        children.setdefault(parent, []).append(code)
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE}, origin=ORIGIN)
    holder = etree.SubElement(root, f"{{{NAMESPACE}}}Codes")

    def add(parent: Any, code: Code, depth: int) -> None:
        element = etree.SubElement(
            parent,
            f"{{{NAMESPACE}}}Code",
            guid=code_guid(code.id),
            name=code.name,
            isCodable="false" if code.archived else "true",
            color=code.colour,
        )
        if text := description_of(code):
            etree.SubElement(element, f"{{{NAMESPACE}}}Description").text = text
        if depth == 0:  # one level of subcodes; never loop on bad data
            for child in children.get(code.id, []):
                add(element, child, 1)

    for code in children.get(None, []):
        add(holder, code, 0)
    if not codes:
        # The schema wants at least one Code; an empty codebook has nothing to share.
        raise CodebookError(_("Het codeboek is leeg: er is niets om te exporteren."))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading a .qdc -----------------------------------------------------------------------------


@dataclass
class FileCode:
    name: str
    parent: str | None  # normalised name of the parent in the file
    archived: bool
    colour: str
    fields: dict[str, str] = field(default_factory=dict)


def normal(name: str) -> str:
    """Names match whatever their capitals and spaces."""
    return " ".join(name.split()).casefold()


def dtd_refused() -> str:
    return _(
        "Het bestand bevat een DTD of entiteiten; dat laten we om veiligheidsredenen niet toe."
    )


def _declares_dtd(payload: bytes) -> bool:
    """A DTD can declare entities (billion laughs, external files): a codebook never needs one.
    Looked for before parsing, in UTF-8 and UTF-16, and once more in the parsed document."""
    return any(
        marker.encode(encoding) in payload
        for marker in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    )


def _parse(payload: bytes) -> Any:
    if len(payload) > MAX_BYTES:
        raise CodebookError(_("Het bestand is groter dan 2 MB."), "file")
    if not payload.strip():
        raise CodebookError(_("Het bestand is leeg."), "file")
    if _declares_dtd(payload):
        raise CodebookError(dtd_refused(), "file")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(payload, parser).getroottree()
    except etree.XMLSyntaxError:
        raise CodebookError(
            _("Dit is geen geldig XML-bestand. Kies een .qdc-bestand uit een QDA-programma."),
            "file",
        ) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CodebookError(dtd_refused(), "file")
    root = tree.getroot()
    if root.tag != f"{{{NAMESPACE}}}CodeBook":
        raise CodebookError(
            _("Dit is geen REFI-QDA-codeboek (urn:QDA-XML:codebook:1.0)."),
            "file",
        )
    return root


def _fields(description: str) -> dict[str, str]:
    """Our own "Label: text" lines back into fields; any other text is the definition."""
    labels = {label.casefold(): name for name, label in FIELDS}
    found: dict[str, list[str]] = {}
    current = "definition"
    for line in description.replace("\r\n", "\n").split("\n"):
        head, sep, rest = line.partition(":")
        if sep and head.strip().casefold() in labels:
            current = labels[head.strip().casefold()]
            line = rest.strip()
        found.setdefault(current, []).append(line)
    return {name: "\n".join(lines).strip()[:TEXT_MAX] for name, lines in found.items()}


def _colour(value: str | None) -> str:
    value = (value or "").strip().lower()
    if len(value) == 4 and COLOUR_RE.match("#" + "".join(c * 2 for c in value[1:])):
        return "#" + "".join(c * 2 for c in value[1:])
    return value if COLOUR_RE.match(value) else DEFAULT_COLOUR


def read_qdc(payload: bytes) -> list[FileCode]:
    """The codes in the file, parents before children; raises CodebookError for a bad file."""
    root = _parse(payload)
    codes_element = root.find(f"{{{NAMESPACE}}}Codes")
    if codes_element is None:
        raise CodebookError(_("Dit codeboek heeft geen codes."), "file")
    result: list[FileCode] = []

    def walk(element: Any, parent: str | None) -> None:
        for child in element.iterchildren(f"{{{NAMESPACE}}}Code"):
            name = " ".join((child.get("name") or "").split())
            if not name:
                raise CodebookError(_("Een code in het bestand heeft geen naam."), "file")
            if len(name) > NAME_MAX:
                raise CodebookError(
                    _("De naam ‘%(name)s…’ is langer dan 80 tekens.", name=name[:40]), "file"
                )
            if len(result) >= MAX_CODES:
                raise CodebookError(_("Het bestand heeft meer dan 5000 codes."), "file")
            description = child.findtext(f"{{{NAMESPACE}}}Description") or ""
            result.append(
                FileCode(
                    name=name,
                    parent=parent,
                    archived=(child.get("isCodable") or "true").strip() in ("false", "0"),
                    colour=_colour(child.get("color")),
                    fields=_fields(description) if description.strip() else {},
                )
            )
            walk(child, normal(name))

    walk(codes_element, None)
    if not result:
        raise CodebookError(_("Dit codeboek heeft geen codes."), "file")
    return result


# --- merging into the forum's codebook ----------------------------------------------------------


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    existing: int = 0
    described: int = 0  # existing codes without any description that got the file's


def _has_description(code: Code) -> bool:
    return any((getattr(code, name) or "").strip() for name, _label in FIELDS)


def import_codes(actor: Any, file_codes: list[FileCode]) -> ImportResult:
    """Merge the file's codes into the codebook (see the module's rules) and audit it."""
    by_name = {normal(code.name): code for code in db.session.execute(sa.select(Code)).scalars()}
    result = ImportResult()
    for item in file_codes:
        key = normal(item.name)
        code = by_name.get(key)
        if code is not None:
            result.existing += 1
            if item.fields and not _has_description(code):
                for name, text in item.fields.items():
                    setattr(code, name, text)
                result.described += 1
            continue
        parent = by_name.get(item.parent) if item.parent else None
        if parent is not None and parent.parent is not None:
            parent = parent.parent  # one level: a subcode's subcode joins its grandparent
        code = Code(
            name=item.name,
            colour=item.colour,
            archived=item.archived,
            created_by_id=getattr(actor, "id", None),
            parent=parent,
            **{name: item.fields.get(name, "") for name, _label in FIELDS},
        )
        db.session.add(code)
        by_name[key] = code
        result.added.append(code.name)
    db.session.flush()
    audit.record(
        actor,
        "code.imported",
        "code",
        None,
        data={"added": result.added, "existing": result.existing, "described": result.described},
    )
    return result
