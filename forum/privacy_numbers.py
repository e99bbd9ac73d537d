"""Numbers that identify a person: phone numbers (``phonenumbers``), BSN and IBAN (``stdnum``).

The libraries decide what a valid number is; this module decides which candidates to hand them
and which valid numbers are public (helplines, 0800/0900 and company-wide numbers) and pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from stdnum import iban
from stdnum.nl import bsn

from forum.privacy_kinds import Finding, Kind
from forum.privacy_lists import NOT_A_BSN_LABEL_RE, lists

# Numbers anyone may call: toll-free, premium and shared-cost services, and 088 "company"
# numbers (UAN), which belong to organisations, never to one parent.
PUBLIC_NUMBER_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}
# How far before a number a public body's name counts as its owner ("GGD: 030-…").
OWNER_WINDOW = 60
# A plain regex for the research export's masking (forum.research.export), which needs one.
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{2,3}|00\d{2,3}|0)[\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d){6,10}(?!\d)"
)


def phones(text: str) -> Iterator[Finding]:
    # POSSIBLE finds every candidate once; validity is decided here, so a number written in
    # international form that the metadata does not (yet) know as valid is still caught.
    for match in PhoneNumberMatcher(text, "NL", leniency=Leniency.POSSIBLE):
        # A Dutch number is written with its trunk 0 or a country code; nine bare digits
        # ("factuurnummer 202403118") are not dialled as one.
        if match.raw_string.lstrip("(")[:1] not in ("0", "+"):
            continue
        number = match.number
        international = match.raw_string.startswith(("+", "00"))
        # Numbers in ranges not (yet) handed out are still written down as someone's number:
        # a possible number counts when written in full, with a foreign country code or as
        # ten digits starting with 0 ("06-7418 2936").
        digits = sum(ch.isdigit() for ch in match.raw_string)
        written_in_full = (international and number.country_code != 31) or (
            not international and digits == 10
        )
        if not phonenumbers.is_valid_number(number) and not (
            written_in_full and phonenumbers.is_possible_number(number)
        ):
            continue
        if phonenumbers.number_type(number) in PUBLIC_NUMBER_TYPES:
            continue
        if owned_by_public_body(text, match.start):
            continue
        yield Finding(match.start, match.end, Kind.PHONE)


# "nul zes, vier acht, twee negen, …": a number read out in words, ten digits or more.
_DIGIT_WORD = r"(?:nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)"
SPOKEN_NUMBER_RE = re.compile(rf"\b(?i:nul)(?:[ \t]*[,-]?[ \t]*(?i:{_DIGIT_WORD})){{9,}}\b")


def spoken_phones(text: str) -> Iterator[Finding]:
    for match in SPOKEN_NUMBER_RE.finditer(text):
        yield Finding(match.start(), match.end(), Kind.PHONE)


def owned_by_public_body(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - OWNER_WINDOW) : start]
    return bool(lists().public_bodies.spans(before))


# Eight or nine digits, alone or in groups split by spaces, dots or hyphens ("1234.56.782",
# "123-456-782", "12 34 56 782"); never part of a longer number, a decimal or a date.
BSN_CANDIDATE_RE = re.compile(
    r"(?<![\w.,/:+€-])(?<!\d[ .-])(\d(?:[ .-]?\d){7,8})(?![.,-]?\d)(?!\w)"
)
DATE_SHAPE_RE = re.compile(
    r"^(?:\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d{2}|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|"
    r"(?:19|20)\d{2}[-/ ](?:19|20)\d{2}|\d{1,2}[-./]\d{1,2}[-./]\d{2})$"
)
AMOUNT_BEFORE_RE = re.compile(r"(?:€|\beur|\beuro|#)\s*$", re.IGNORECASE)
LABEL_WINDOW = 30


def bsns(text: str) -> Iterator[Finding]:
    for match in BSN_CANDIDATE_RE.finditer(text):
        raw = match.group(1)
        digits = re.sub(r"\D", "", raw)
        if len(digits) not in (8, 9) or DATE_SHAPE_RE.match(raw):
            continue
        # The 11-test lets one random number in eleven through; an 8-digit old sofinummer
        # (a leading 0 restores it) is common enough to check, and amounts, order numbers and
        # article numbers are told apart by what stands before them.
        if not bsn.is_valid(digits):
            continue
        before = text[max(0, match.start() - LABEL_WINDOW) : match.start()]
        if AMOUNT_BEFORE_RE.search(before) or NOT_A_BSN_LABEL_RE.search(before):
            continue
        yield Finding(match.start(1), match.start(1) + len(raw), Kind.BSN)


# Two letters, two check digits, then 10 to 30 letters and digits, optionally in groups of four.
IBAN_CANDIDATE_RE = re.compile(r"\b([A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,30})\b")


def ibans(text: str) -> Iterator[Finding]:
    for match in IBAN_CANDIDATE_RE.finditer(text):
        raw = match.group(1)
        # The candidate may run into the next word ("NL91 ABNA 0417 1643 00 ovm"): shorten it
        # at each space until the checksum holds.
        while raw:
            if iban.is_valid(raw):
                yield Finding(match.start(1), match.start(1) + len(raw), Kind.IBAN)
                break
            if " " not in raw:
                break
            raw = raw.rsplit(" ", 1)[0]


def numbers(text: str) -> list[Finding]:
    return [*phones(text), *spoken_phones(text), *bsns(text), *ibans(text)]


def load() -> None:
    """Load phonenumbers' metadata for every region now, not on the first post (it is lazy)."""
    for region in phonenumbers.SUPPORTED_REGIONS:
        phonenumbers.PhoneMetadata.metadata_for_region(region)
    list(PhoneNumberMatcher("+31 6 12345678 +32 470 12 34 56", "NL"))
