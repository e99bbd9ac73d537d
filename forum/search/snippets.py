"""Highlighted snippets, built safely.

The databases mark matched words with two control characters that stored text never holds
(forms refuse control characters). Here every piece of text between the marks is escaped, and
only the marks become ``<mark>`` tags, always balanced: user text is never marked safe as HTML.
"""

from __future__ import annotations

from markupsafe import Markup, escape

START = "\x01"
STOP = "\x02"


def marked(text: str | None) -> Markup:
    """``text`` as HTML: escaped, with each START…STOP stretch in ``<mark>``."""
    if not text:
        return Markup("")
    parts: list[str] = []
    inside = False
    piece: list[str] = []
    for char in text:
        if char == START and not inside:
            parts.append(str(escape("".join(piece))))
            piece, inside = [], True
        elif char == STOP and inside:
            parts.append(f"<mark>{escape(''.join(piece))}</mark>")
            piece, inside = [], False
        elif char not in (START, STOP):
            piece.append(char)
    rest = escape("".join(piece))
    parts.append(f"<mark>{rest}</mark>" if inside else str(rest))
    return Markup("".join(parts))  # noqa: S704 (every piece above is escaped)
