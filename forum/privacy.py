"""The privacy check (herleidbaarheidscheck): find what could make a child or parent recognisable.

Pure functions over plain text. The base is ``deduce`` (Dutch de-identification: names, places,
institutions, dates, phone numbers, e-mail addresses, BSN, URLs); rules of our own add what a forum
about children needs: exact ages with a class or group, school and childcare names, social media
handles, postcodes, dates of birth, and BSN by the 11-test.

deduce needs its lookup tables built once after install (``python -m forum.privacy --build``,
done by ``make``) and about 10 s and 1 GB to load in a process. ``load_model`` loads it; call it
once per process before requests arrive (``wsgi.py`` does, before gunicorn forks). A request never
starts the load: ``screen`` raises ``CheckUnavailable`` instead, and the post waits for a moderator.
"""

from __future__ import annotations

import enum
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context

from forum.i18n import _l
from forum.privacy_lists import NOT_IDENTIFYING, PUBLIC_SITES


class Kind(enum.StrEnum):
    PERSON = "person"
    PLACE = "place"
    INSTITUTION = "institution"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"
    AGE_GROUP = "age_group"
    PHONE = "phone"
    EMAIL = "email"
    BSN = "bsn"
    URL = "url"
    HANDLE = "handle"


LABELS = {
    Kind.PERSON: _l("naam"),
    Kind.PLACE: _l("plaats"),
    Kind.INSTITUTION: _l("naam van een school of organisatie"),
    Kind.ADDRESS: _l("adres of postcode"),
    Kind.BIRTH_DATE: _l("geboortedatum of datum"),
    Kind.AGE_GROUP: _l("leeftijd met groep of klas"),
    Kind.PHONE: _l("telefoonnummer"),
    Kind.EMAIL: _l("e-mailadres"),
    Kind.BSN: _l("burgerservicenummer"),
    Kind.URL: _l("link"),
    Kind.HANDLE: _l("account op sociale media"),
}

SUGGESTIONS = {
    Kind.PERSON: _l(
        "Vervang de naam, bijvoorbeeld door ‘een meisje uit groep 4’, ‘een moeder’ "
        "of ‘een collega’."
    ),
    Kind.PLACE: _l("Laat de plaats weg, of schrijf ‘in een grote stad’ of ‘in een dorp’."),
    Kind.INSTITUTION: _l(
        "Noem de naam van de school of opvang niet; schrijf ‘onze school’ of "
        "‘een kinderdagverblijf’."
    ),
    Kind.ADDRESS: _l("Laat het adres en de postcode weg."),
    Kind.BIRTH_DATE: _l("Laat de datum weg, of schrijf ‘vorig jaar’ of ‘in het voorjaar’."),
    Kind.AGE_GROUP: _l("Noem leeftijd en groep niet samen; ‘een meisje uit groep 4’ is genoeg."),
    Kind.PHONE: _l("Haal het telefoonnummer weg."),
    Kind.EMAIL: _l("Haal het e-mailadres weg."),
    Kind.BSN: _l("Haal het burgerservicenummer weg."),
    Kind.URL: _l("Haal de link weg als die naar een persoon, school of organisatie leidt."),
    Kind.HANDLE: _l("Haal de accountnaam weg."),
}


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    kind: Kind

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(int(data["start"]), int(data["end"]), Kind(data["kind"]))


class CheckUnavailable(RuntimeError):
    """The deduce model is not loaded (yet) in this process."""


# --- our own rules -----------------------------------------------------------------------------

INSTITUTION_WORDS = (
    r"basisschool|vrije school|montessorischool|daltonschool|jenaplanschool|kinderopvang|"
    r"school|obs|cbs|pcbs|rkbs|kbs|sbo|so|vso|ikc|kindcentrum|kindcentra|"
    r"kinderdagverblijf|kdv|bso|buitenschoolse opvang|peuterspeelzaal|peuteropvang|peutergroep|"
    r"gastouderbureau|opvang|college|lyceum|gymnasium|scholengemeenschap|mavo|havo|vwo|vmbo|"
    r"buurthuis|jongerencentrum|wijkcentrum|speeltuin|sportvereniging|voetbalclub|kerk|moskee"
)
# Words of a name stay on one line: "peutergroep\n\nDe …" is a heading and a new sentence.
CAPITALISED_NAME = r"(?:(?:[Dd]e|[Hh]et|'t)[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3}"
# The kind of place in any case ("Basisschool", "basisschool"), the name capitalised.
INSTITUTION_RE = re.compile(rf"\b(?i:{INSTITUTION_WORDS})[ \t]+(?:‘|'|\")?{CAPITALISED_NAME}")
# Named groups in childcare and school: "de Dolfijnengroep", "babygroep Pinguïns".
GROUP_NAME_RE = re.compile(
    r"\b(?:[Dd]e\s+)?[A-Z][a-zà-ÿ]+groep\b|"
    r"\b(?i:groep|babygroep|peutergroep|dreumesgroep|baby's|peuters)[ \t]+(?:de[ \t]+)?"
    r"[A-Z][a-zà-ÿ]+"
)
NEIGHBOURHOOD_RE = re.compile(r"\b(?i:wijk|buurt|dorp|gemeente|stadsdeel)\s+[A-Z][\w'’-]+")
NAMED_COLLEGE_RE = re.compile(r"\b(?:[A-Z][\w-]+\s+){1,3}(?:College|Lyceum|Gymnasium)\b")
AGE_GROUP_RE = re.compile(
    r"(?:\(\s*\d{1,2}\s*(?:jaar|jr\.?)?\s*\)|\bvan\s+\d{1,2}(?:\s+jaar)?)"
    r"[^.!?\n]{0,25}?\b(?:uit|in|van|op|zit in)\s+(?:de\s+)?\w*(?:groep|klas|leerjaar)\b"
    r"(?:\s+\w+)?",
    re.IGNORECASE,
)
AGE_AFTER_GROUP_RE = re.compile(
    r"\b(?:groep|klas)\s+\d{1,2}[^.!?\n]{0,20}?\b\d{1,2}\s+jaar\b", re.IGNORECASE
)
POSTCODE_RE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
STREET_RE = re.compile(
    r"\b[A-Z][a-z]+(?:straat|weg|laan|plein|singel|gracht|kade|dijk|hof|pad|dreef|steeg)"
    r"\s+\d{1,4}[a-zA-Z]?\b"
)
BIRTH_RE = re.compile(
    r"\b(?:geboren(?:\s+op)?|geboortedatum|geb\.|verjaardag(?:\s+is)?(?:\s+op)?|"
    r"jarig(?:\s+op)?)\s*:?\s*"
    r"(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}\s+[a-z]+(?:\s+\d{4})?)",
    re.IGNORECASE,
)
BIRTH_YEAR_RE = re.compile(
    r"\bin\s+(?:19|20)\d{2}\s+geboren\b|\bgeboren\s+in\s+(?:19|20)\d{2}\b", re.IGNORECASE
)
FULL_DATE_RE = re.compile(
    r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b|"
    r"\b\d{1,2}\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december)\s+(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:6(?:[\s-]?\d){8}|[1-9]\d(?:[\s-]?\d){7}|"
    r"[1-9]\d{2}[\s-]?\d(?:[\s-]?\d){5})(?!\d)"
)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+", re.IGNORECASE)
HANDLE_RE = re.compile(
    r"(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b|"
    r"\b(?:instagram|insta|tiktok|snapchat|snap|facebook|twitter|x)\s*:\s*[\w.]{2,30}",
    re.IGNORECASE,
)
BSN_CANDIDATE_RE = re.compile(
    r"(?<![\d-])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?!\d)"
)


def passes_eleven_test(digits: str) -> bool:
    """The BSN 11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11 (and not zero)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def own_rules(text: str) -> list[Finding]:
    found: list[Finding] = []

    def add(regex: re.Pattern[str], kind: Kind, group: int = 0) -> None:
        for match in regex.finditer(text):
            found.append(Finding(match.start(group), match.end(group), kind))

    add(INSTITUTION_RE, Kind.INSTITUTION)
    add(NAMED_COLLEGE_RE, Kind.INSTITUTION)
    add(GROUP_NAME_RE, Kind.INSTITUTION)
    add(NEIGHBOURHOOD_RE, Kind.PLACE)
    add(BIRTH_YEAR_RE, Kind.BIRTH_DATE)
    add(AGE_GROUP_RE, Kind.AGE_GROUP)
    add(AGE_AFTER_GROUP_RE, Kind.AGE_GROUP)
    add(POSTCODE_RE, Kind.ADDRESS)
    add(STREET_RE, Kind.ADDRESS)
    add(BIRTH_RE, Kind.BIRTH_DATE, group=1)
    add(FULL_DATE_RE, Kind.BIRTH_DATE)
    add(PHONE_RE, Kind.PHONE)
    add(EMAIL_RE, Kind.EMAIL)
    for match in URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?'\"’":
            end -= 1  # a link at the end of a sentence
        if not PUBLIC_SITE_RE.match(text[match.start() : end]):
            found.append(Finding(match.start(), end, Kind.URL))
    add(HANDLE_RE, Kind.HANDLE)
    for match in BSN_CANDIDATE_RE.finditer(text):
        if passes_eleven_test(re.sub(r"\D", "", match.group(1))):
            found.append(Finding(match.start(1), match.end(1), Kind.BSN))
    return found


# --- deduce -----------------------------------------------------------------------------------

DEDUCE_KINDS = {
    "persoon": Kind.PERSON,
    "patient": Kind.PERSON,
    "locatie": Kind.PLACE,
    "instelling": Kind.INSTITUTION,
    "ziekenhuis": Kind.INSTITUTION,
    "telefoonnummer": Kind.PHONE,
    "emailadres": Kind.EMAIL,
    "url": Kind.URL,
    "bsn": Kind.BSN,
}
PUBLIC_SITE_RE = re.compile(
    r"^(?:https?://)?(?:[\w-]+\.)*(?:"
    + "|".join(re.escape(s) for s in PUBLIC_SITES)
    + r")(?:[/?#]|$)",
    re.IGNORECASE,
)
LEADING_ORDINARY_WORD_RE = re.compile(r"^(\w+)[.,!?:;]*\s+")

_model: Any = None
_model_lock = threading.Lock()


def load_model() -> None:
    """Load deduce into this process (about 10 s); safe to call more than once."""
    global _model
    with _model_lock:
        if _model is None:
            from deduce import Deduce

            _model = Deduce()


def model_loaded() -> bool:
    return _model is not None


def deduce_findings(text: str) -> list[Finding]:
    if _model is None:
        if has_request_context():
            raise CheckUnavailable("the privacy check is still loading")
        load_model()
    found = []
    for annotation in _model.deidentify(text).annotations:
        kind = DEDUCE_KINDS.get(annotation.tag)
        if kind is None or kind is Kind.URL:
            continue  # links: our own rule, which knows public sites
        start, end = trim_ordinary_words(text, annotation.start_char, annotation.end_char)
        if start < end:
            found.append(Finding(start, end, kind))
    return found


def trim_ordinary_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop ordinary words that deduce took for (the start of) a name: "Mooi. Sanne" → "Sanne";
    "Mooi" alone → nothing (start == end)."""
    while start < end:
        piece = text[start:end]
        if piece.strip(" .,!?:;").lower() in NOT_IDENTIFYING:
            return start, start
        leading = LEADING_ORDINARY_WORD_RE.match(piece)
        if leading is None or leading.group(1).lower() not in NOT_IDENTIFYING:
            break
        start += leading.end()
    return start, end


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted findings without overlaps: where two overlap, the longer one stays."""
    result: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if result and finding.start < result[-1].end:
            if finding.end > result[-1].end:
                last = result.pop()
                result.append(Finding(last.start, finding.end, last.kind))
            continue
        result.append(finding)
    return result


def screen(text: str) -> list[Finding]:
    """Everything in ``text`` that could identify someone, as character offsets into ``text``.

    Offsets count code points in exactly the text given (posts are stored in NFC).
    """
    if not text.strip():
        return []
    return merge([*own_rules(text), *deduce_findings(text)])


def segments(text: str, findings: Iterable[Finding]) -> list[tuple[str, Kind | None]]:
    """Split text into (piece, kind) parts for highlighting; kind is None for plain text."""
    parts: list[tuple[str, Kind | None]] = []
    position = 0
    for finding in merge(findings):
        start, end = max(finding.start, position), min(finding.end, len(text))
        if start >= end:
            continue
        if start > position:
            parts.append((text[position:start], None))
        parts.append((text[start:end], finding.kind))
        position = end
    if position < len(text):
        parts.append((text[position:], None))
    return parts


if __name__ == "__main__":
    if "--build" in sys.argv:
        print(
            "Building the privacy check's lookup tables (deduce). The first time this takes a "
            "few minutes; later runs take about 10 seconds.",
            flush=True,
        )
        load_model()
        print("Privacy check ready.")
