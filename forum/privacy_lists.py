"""Word lists for the privacy check: what is not identifying here, and what is public.

The lists are data in ``forum/privacy_data/`` (one entry a line, ``#`` for comments), read once
per process (``load``, which ``forum.privacy.load_model`` calls before gunicorn forks, so the
workers share them). Phrases are matched by word n-grams (``PhraseIndex``): one pass over a post
whatever a list's length.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "privacy_data"

# Labels before a number that make it an order, article or registration number, not a BSN.
NOT_A_BSN_LABEL_RE = re.compile(
    r"(?i:order|bestel|factuur|artikel|kvk|kamer van koophandel|btw|lrk|registratie|"
    r"klantnummer|klant|ticket|zaaknummer|kenmerk|referentie|pakket|track|lot|batch|isbn|"
    r"postbus|brin|vestigings|serienummer|polis)[\w-]*\W{0,3}(?:nummer|nr\.?)?"
    r"(?:\s+(?:is|was|luidt|van\s+\w+))?\W{0,3}$"
)


@functools.cache
def word_set(section: str) -> frozenset[str]:
    """One ``[section]`` of ``privacy_data/words.txt``, lowercase."""
    current, found = "", set()
    for line in data_lines("words.txt"):
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section:
            found.add(line.lower())
    if not found:
        raise KeyError(section)
    return frozenset(found)


def load() -> None:
    """Read every list now (``forum.privacy.load_model``), not on the first post."""
    lists()
    for line in data_lines("words.txt"):
        if line.startswith("["):
            word_set(line.strip("[]"))


def data_lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.split("\n") if line.strip() and line[0] != "#"]


_EDGE = ".,;:!?()[]{}\"'‘’“”*_<>"
_WORD_RE = re.compile(r"\S+")


def words(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text``, lowercased and without surrounding punctuation, with their spans."""
    result = []
    for match in _WORD_RE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip(_EDGE)
        if stripped:
            start = match.start() + raw.index(stripped)
            result.append((stripped.lower(), start, start + len(stripped)))
    return result


class PhraseIndex:
    """Whole phrases found by word n-grams: one pass over a post, whatever the list's length
    (a regex of hundreds of alternatives is tried at every character)."""

    def __init__(self, phrases: list[str]) -> None:
        self.phrases = {tuple(w for w, _s, _e in words(p)) for p in phrases}
        self.longest = max((len(p) for p in self.phrases), default=0)

    def spans(self, text: str) -> list[tuple[int, int]]:
        tokens = words(text)
        found = []
        for index in range(len(tokens)):
            for size in range(min(self.longest, len(tokens) - index), 0, -1):
                key = tuple(token for token, _s, _e in tokens[index : index + size])
                if key in self.phrases:
                    found.append((tokens[index][1], tokens[index + size - 1][2]))
                    break
        return found

    def fullmatch(self, text: str) -> bool:
        return tuple(w for w, _s, _e in words(text)) in self.phrases


@dataclass(frozen=True)
class Spans:
    """Where the phrases of each list occur in one text."""

    public_figures: list[tuple[int, int]]
    public_bodies: list[tuple[int, int]]
    not_names: list[tuple[int, int]]

    @staticmethod
    def covers(spans: list[tuple[int, int]], start: int, end: int) -> bool:
        return any(s <= start and e >= end for s, e in spans)


@functools.lru_cache(maxsize=16)
def spans(text: str) -> Spans:
    """The list phrases in ``text``; cached, as each rule module asks for the same post."""
    loaded = lists()
    return Spans(
        loaded.public_figures.spans(text),
        loaded.public_bodies.spans(text),
        loaded.not_names.spans(text),
    )


@dataclass(frozen=True)
class Lists:
    public_figures: PhraseIndex
    public_bodies: PhraseIndex
    not_names: PhraseIndex
    public_sites: tuple[str, ...]


@functools.cache
def lists() -> Lists:
    return Lists(
        public_figures=PhraseIndex(data_lines("public_figures.txt")),
        public_bodies=PhraseIndex(data_lines("public_bodies.txt")),
        not_names=PhraseIndex(data_lines("not_names.txt")),
        public_sites=tuple(data_lines("public_sites.txt")),
    )


def is_public_host(host: str) -> bool:
    """A public body's site or a subdomain of one ("www.ggd.nl", "zuid.ggd.nl")."""
    host = host.lower()
    if any(host == site or host.endswith("." + site) for site in lists().public_sites):
        return True
    # "leergeld.nl" beside "Stichting Leergeld": a site named after a public body.
    label = host.split(".")[-2] if host.count(".") >= 1 else host
    return lists().public_bodies.fullmatch(label)
