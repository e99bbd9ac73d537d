"""Word-level differences between two versions of a post's text (difflib).

``change_segments`` is what an author is told after a moderator edited their post: what stayed
and what was added, with the place of removed text marked but never the removed text itself (it
is stored in a notification, and redaction must not leave it behind). ``display_segments`` keeps
the removed text, for a moderator's screen only (a pending edit), never for storage.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

SAME, ADDED, REMOVED = "same", "added", "removed"

# Words and the white space between them, so joining the tokens gives the text back.
_TOKENS = re.compile(r"\s+|[^\s]+")


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _opcodes(old: str, new: str) -> tuple[list[str], list[str], list[tuple]]:
    a, b = tokens(old), tokens(new)
    return a, b, SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _append(parts: list[list[str]], op: str, text: str) -> None:
    """Add a segment, merging it with the previous one of the same kind."""
    if op != REMOVED and not text:
        return
    if parts and parts[-1][0] == op:
        parts[-1][1] += text
    else:
        parts.append([op, text])


def display_segments(old: str, new: str) -> list[list[str]]:
    """[op, text] pieces from ``old`` to ``new``, removed text included (for display only)."""
    a, b, codes = _opcodes(old, new)
    # (same, removed, added) per opcode; a mere space between two changes joins them, so
    # "Sanne (7)" → "een meisje" reads as one change rather than two.
    pieces = [
        ("".join(a[i1:i2]), None, None)
        if tag == "equal"
        else (None, "".join(a[i1:i2]), "".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in codes
    ]
    parts: list[list[str]] = []
    removed = added = ""
    for index, (same, gone, new_text) in enumerate(pieces):
        between_changes = 0 < index < len(pieces) - 1 and pieces[index + 1][0] is None
        if same is not None and not (same.isspace() and between_changes and (removed or added)):
            _flush(parts, removed, added)
            removed = added = ""
            _append(parts, SAME, same)
        elif same is not None:
            removed, added = removed + same, added + same
        else:
            removed, added = removed + (gone or ""), added + (new_text or "")
    _flush(parts, removed, added)
    return parts


def _flush(parts: list[list[str]], removed: str, added: str) -> None:
    if removed:
        _append(parts, REMOVED, removed)
    if added:
        _append(parts, ADDED, added)


def change_segments(old: str, new: str) -> list[list[str]]:
    """[op, text] pieces from ``old`` to ``new``; "removed" pieces always have the text ""."""
    parts: list[list[str]] = []
    for op, text in display_segments(old, new):
        _append(parts, op, "" if op == REMOVED else text)
    return parts


def removed_passages(old: str, new: str) -> list[str]:
    """The runs of text in ``old`` that are not in ``new`` (trimmed, without mere white space)."""
    passages = []
    for op, text in display_segments(old, new):
        if op == REMOVED and text.strip():
            passages.append(text.strip())
    return passages
