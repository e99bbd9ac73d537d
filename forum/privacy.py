"""The privacy check (herleidbaarheidscheck): find what could make a child or parent recognisable.

Pure functions over plain text, built on well-kept libraries where they exist:

- ``deduce`` (Dutch de-identification) for names, places and institutions, with context rules
  deciding whether a name is private (``forum.privacy_names``);
- ``phonenumbers`` for phone numbers of every region, ``python-stdnum`` for BSN (9-digit and
  8-digit old sofinummers) and IBAN (``forum.privacy_numbers``);
- ``urlextract`` for links, with public bodies passing and social platforms counting as
  accounts, plus e-mail addresses, spelled-out ones and handles (``forum.privacy_web``);
- rules of our own for named schools and clubs, neighbourhoods, addresses, dates of birth and
  an exact age with a class (``forum.privacy_rules``).

deduce needs its lookup tables built once after install (``python -m forum.privacy --build``,
done by ``make``) and about 10 s and 1 GB to load in a process. ``load_model`` loads it and the
other matchers; call it once per process before requests arrive (``wsgi.py`` does, before
gunicorn forks). A request never starts the load: ``screen`` raises ``CheckUnavailable``
instead, and the post waits for a moderator.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable

from flask import has_request_context
from prometheus_client import Histogram

from forum import privacy_lists, privacy_numbers, privacy_web
from forum.privacy_kinds import LABELS, SUGGESTIONS, CheckUnavailable, Finding, Kind
from forum.privacy_names import Names
from forum.privacy_numbers import PHONE_RE
from forum.privacy_rules import rules
from forum.privacy_web import EMAIL_RE, HANDLE_RE

__all__ = [
    "EMAIL_RE",
    "HANDLE_RE",
    "LABELS",
    "PHONE_RE",
    "SUGGESTIONS",
    "CheckUnavailable",
    "Finding",
    "Kind",
    "load_model",
    "merge",
    "model_loaded",
    "passes_eleven_test",
    "screen",
    "segments",
]

# Time of one check of a text (forum.observability serves it on /metrics). Defined here, where it
# is measured, so this module imports nothing of the app's upper floors.
CHECK_SECONDS = Histogram(
    "forum_privacy_check_seconds",
    "Time of one privacy check of a text (screen)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)

_model: Names | None = None
_model_lock = threading.Lock()


def load_model() -> None:
    """Load deduce, phone metadata, the TLD list and our lists (about 10 s); safe to repeat."""
    global _model
    with _model_lock:
        if _model is None:
            privacy_lists.load()
            privacy_numbers.load()
            privacy_web.load()
            _model = Names()


def model_loaded() -> bool:
    return _model is not None


def passes_eleven_test(digits: str) -> bool:
    """The BSN 11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11 (and not zero)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


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
    if _model is None:
        if has_request_context():
            raise CheckUnavailable("the privacy check is still loading")
        load_model()
    model = _model
    if model is None:  # load_model sets it or raises; a guard that python -O keeps
        raise CheckUnavailable("the privacy check did not load")
    with CHECK_SECONDS.time():
        own = [
            finding
            for finding in rules(text)
            if finding.kind is not Kind.PLACE or model.keep_place(text, finding.start, finding.end)
        ]
        return merge(
            [*privacy_numbers.numbers(text), *privacy_web.web(text), *own, *model.findings(text)]
        )


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
