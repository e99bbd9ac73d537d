"""What a person typed, read as a search: words, "exact phrases", ``-excluded`` words and ``or``.

Any string is valid input. Only letters, digits and the marks on them make up words; everything
else (quotes aside) separates them, so no character a person types can reach a database's query
syntax. The backends turn a ``SearchQuery`` into their own expression from these clean words:
FTS5 as quoted strings, PostgreSQL through ``plainto_tsquery``/``phraseto_tsquery`` with bound
parameters.

Meaning, the same on both databases: every term must occur (AND), ``a or b`` lets either do,
``"a b"`` wants the words side by side, ``-a`` or ``-"a b"`` leaves out what contains it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import snowballstemmer

# Longer input is a form error (forms.py); more terms than this are ignored, and the page says so.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10


@dataclass(frozen=True)
class Term:
    """One word, or several that must stand side by side (a phrase)."""

    words: tuple[str, ...]
    # Typed between quotes: find exactly these words (no prefix or stem variants).
    exact: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class SearchQuery:
    """Groups of terms: every group must match, one term of a group is enough."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    # More than MAX_TERMS terms were typed; the rest was left out.
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: no words, or only excluded ones."""
        return not self.groups


def is_word_char(char: str) -> bool:
    """Letters, digits and combining marks (so "reünie" typed as e + ¨ stays one word)."""
    return unicodedata.category(char)[0] in "LNM"


# Characters that join words into one term, searched side by side ("e-mail", "i.v.m.",
# "'s-Hertogenbosch", "06-1234"); any other non-word character just separates terms.
JOINERS = frozenset("-'’./_@&+")


def pieces_of(chunk: str) -> list[str]:
    """Split an unquoted chunk at characters that are neither word characters nor joiners."""
    pieces, current = [], []
    for char in chunk:
        if is_word_char(char) or char in JOINERS:
            current.append(char)
        else:
            pieces.append("".join(current))
            current = []
    pieces.append("".join(current))
    return [piece for piece in pieces if piece]


def words_of(chunk: str) -> tuple[str, ...]:
    """The words in a piece of text; a word needs at least one letter or digit."""
    words, current = [], []
    for char in chunk:
        if is_word_char(char):
            current.append(char)
        else:
            words.append("".join(current))
            current = []
    words.append("".join(current))
    return tuple(w for w in words if any(unicodedata.category(c)[0] in "LN" for c in w))


def split_chunks(text: str) -> list[tuple[str, bool]]:
    """Pieces of the input: (text, quoted). A quote without its partner runs to the end."""
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            if quoted or current:
                chunks.append(("".join(current), quoted))
            current, quoted = [], not quoted
        elif char.isspace() and not quoted:
            if current:
                chunks.append(("".join(current), False))
            current = []
        else:
            current.append(char)
    if current:
        chunks.append(("".join(current), quoted))
    return chunks


def parse(text: str) -> SearchQuery:
    """Read any string as a search (never raises)."""
    text = unicodedata.normalize("NFC", text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    count, shortened = 0, False
    join_next = negate_next = False
    for chunk, quoted in split_chunks(text):
        negated = negate_next
        negate_next = False
        if not quoted:
            if chunk in ("or", "OR", "Or", "|"):
                join_next = bool(groups)
                continue
            if chunk in ("AND", "&", "+"):
                continue
            if chunk == "NOT":
                negate_next = True
                continue
            if chunk.startswith("-") and chunk.strip("-"):
                negated, chunk = True, chunk.lstrip("-")
            elif chunk in ("-", "!"):
                # A lone minus before a quoted phrase: -"a b" typed as - "a b".
                negate_next = True
                continue
        for piece in [chunk] if quoted else pieces_of(chunk):
            words = words_of(piece)
            if not words:
                continue
            if count == MAX_TERMS:
                shortened = True
                break
            count += 1
            term = Term(words, exact=quoted)
            if negated:
                excluded.append(term)
                join_next = False
            elif join_next:
                groups[-1].append(term)
                join_next = False
            else:
                groups.append([term])
        if shortened:
            break
    return SearchQuery(
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded),
        shortened=shortened,
    )


@cache
def _stemmer() -> snowballstemmer.stemmer:
    # The classic Dutch Snowball stemmer: the one PostgreSQL's 'dutch' configuration uses.
    return snowballstemmer.stemmer("dutch_porter")


def stem(word: str) -> str:
    """The Dutch stem of a word ("ouders" → "ouder", "gesprekken" → "gesprek")."""
    return _stemmer().stemWord(word.lower())
