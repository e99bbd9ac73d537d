"""The pieces of the REFI-QDA export that are not XML structure (``qdpx`` builds the XML).

- the codebook with each code's definition, rules and memos as one Description text (QualCoder,
  ATLAS.ti and MAXQDA show a code's Description as its memo or comment);
- a thread as one plain text, with where each post starts in it;
- the exporting researcher as a REFI-QDA user: a GUID and a name derived from the researcher's
  id with the research key (HMAC), so they are stable per researcher and tell nothing about the
  id; separate from the participant pseudonyms, so a researcher who also posts is not linked;
- the project-level notes (journals in QualCoder, memos in ATLAS.ti/MAXQDA/NVivo).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from forum.db import db
from forum.research.export import ExportData, PostOut, ThreadOut, mask_text, memos_of
from forum.research.models import Code, Memo, ResearchProject

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = "Dorpsplein"


@dataclass
class CodeOut:
    id: int
    name: str
    parent_id: int | None
    colour: str
    description: str


@dataclass
class NoteOut:
    """A project-level note: its own text file, listed under ``<Notes>``."""

    name: str
    text: str
    created: datetime


@dataclass
class Researcher:
    guid: str
    name: str


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


def file_safe(name: str) -> str:
    """QualCoder copies each source to a file named after it: no character Windows refuses."""
    return " ".join(re.sub(r'[<>:"/\\|?*\x00-\x1f]', " ", name).split())


def memo_text(memos: list[str]) -> str:
    """Several memos on one thing as one Description, a blank line between them."""
    return "\n\n".join(memo.strip() for memo in memos if memo.strip())


# --- the codebook -------------------------------------------------------------------------------


def code_description(code: Code, memos: list[str]) -> str:
    parts = [
        ("Definitie", code.definition),
        ("Gebruik als", code.use_when),
        ("Niet gebruiken als", code.not_when),
        ("Voorbeeld", code.example),
    ]
    lines = [f"{label}: {text}" for label, text in parts if text.strip()]
    if code.archived:
        lines.append("(gearchiveerd)")
    rules = mask_text("\n".join(lines))
    # memos_of has masked the memos already
    return "\n\n".join(part for part in [rules, *(f"Memo: {m}" for m in memos)] if part.strip())


def load_codebook() -> list[CodeOut]:
    """The whole codebook, archived codes too (names are unique), memos in the Description."""
    memos = memos_of(Memo.code_id, sa.select(Code.id))
    return [
        CodeOut(c.id, c.name, c.parent_id, c.colour, code_description(c, memos.get(c.id, [])))
        for c in db.session.execute(sa.select(Code).order_by(Code.name)).scalars()
    ]


# --- the sources --------------------------------------------------------------------------------


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


# --- who exports, and the project's own notes ---------------------------------------------------


def exporting_researcher(project: ResearchProject, key: str, user_id: int | None) -> Researcher:
    """The researcher as a user: the one who exports (given, or signed in), else the project's
    creator. GUID and name come from a keyed hash: stable per researcher, the id stays inside."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    if user_id is None:
        user_id = project.created_by_id
    message = f"researcher:{user_id if user_id is not None else 'onbekend'}"
    digest = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    guid = uuid.UUID(bytes=digest[:16], version=4)
    return Researcher(str(guid), "onderzoeker-" + digest[16:21].hex())


def project_notes(project: ResearchProject, data: ExportData, now: datetime) -> list[NoteOut]:
    """The project memo: the question and what this export holds, as the researcher's journal."""
    counts = data.counts
    question = project.question.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = (
        f"Onderzoeksvraag: {question}\n\n"
        f"Deze export ({xml_datetime(now)}): {counts.get('threads', 0)} gesprekken, "
        f"{counts.get('posts', 0)} bijdragen met toestemming, {counts.get('placeholders', 0)} "
        f"zonder (alleen als plaatshouder), {counts.get('thread_codings', 0)} gecodeerde "
        f"gesprekken, {counts.get('passage_codings', 0)} gecodeerde passages.\n"
    )
    return [NoteOut(f"Project: {project.name}", mask_text(text), now)]
