"""Matching words in text the way people expect: case- and diacritics-insensitive, optionally
whole words only. Used by watched words and the safeguarding signpost."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case without diacritics: 'Café' and 'cafe' fold to the same text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=512)
def phrase_pattern(phrase: str, whole_word: bool) -> re.Pattern[str]:
    words = [re.escape(word) for word in fold(phrase).split()]
    body = r"\s+".join(words)
    if whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body)


def contains(text: str, phrase: str, whole_word: bool = True) -> bool:
    """Does ``text`` contain ``phrase`` (folded; spaces in the phrase match any white space)?"""
    if not phrase.strip():
        return False
    return phrase_pattern(phrase, whole_word).search(fold(text)) is not None
