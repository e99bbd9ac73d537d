"""The safeguarding signpost: does a post suggest an unsafe home situation?

This forum is not a reporting channel. When a post suggests violence, abuse or neglect, the
author (on preview and after posting) and the moderator see a notice pointing to the
organisation's meldcode and Veilig Thuis. The check only shows that notice; it never blocks.
"""

from __future__ import annotations

from forum.textmatch import contains

# Whole words or phrases, matched case- and diacritics-insensitively. Stems cover inflections
# where a prefix match is safe (``prefix=True``).
SIGNALS: tuple[tuple[str, bool], ...] = (
    ("mishandeling", True),
    ("mishandeld", False),
    ("kindermishandeling", False),
    ("huiselijk geweld", False),
    ("geweld thuis", False),
    ("thuis geslagen", False),
    ("geslagen", False),
    ("slaat hem", False),
    ("slaat haar", False),
    ("schopt hem", False),
    ("blauwe plekken", False),
    ("blauwe plek", False),
    ("brandwonden", False),
    ("verwaarlozing", False),
    ("verwaarloosd", False),
    ("misbruik", True),
    ("seksueel", True),
    ("aangerand", False),
    ("onveilig thuis", False),
    ("onveilige thuissituatie", False),
    ("bang om naar huis", False),
    ("durft niet naar huis", False),
    ("komt zonder eten", False),
    ("heeft honger", False),
    ("opgesloten", False),
    ("dreigt hem", False),
    ("dreigt haar", False),
    ("zelfbeschadiging", False),
    ("suicide", True),
    ("zelfmoord", True),
    ("eergerelateerd", True),
    ("uithuwelijking", False),
    ("vrouwelijke genitale verminking", False),
    ("loverboy", True),
)


def suggests_unsafe_home(text: str) -> bool:
    return any(contains(text, phrase, whole_word=not prefix) for phrase, prefix in SIGNALS)
