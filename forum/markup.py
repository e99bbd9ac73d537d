"""Markdown to safe HTML, once, when a post is written. Templates only ever show the result.

markdown-it-py parses a CommonMark subset (no raw HTML, no images, no headings); bleach then keeps
only an allowlist of tags and attributes, turns bare addresses into links and gives every link
``rel="nofollow ugc noopener"``. ``to_text`` gives the plain text that the privacy check, search
and research offsets work on.
"""

from __future__ import annotations

from functools import partial
from html.parser import HTMLParser

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
    ["image", "heading", "lheading", "html_block", "html_inline"]
)


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_set_rel],
            skip_tags=["pre", "code"],
            # bleach's own list also links bare data:, ftp:, feed: … addresses; links that the
            # linkifier makes skip the protocol allowlist above, so give it the same list.
            url_re=build_url_re(protocols=ALLOWED_PROTOCOLS),
        )
    ],
)


def render(source: str) -> str:
    """Sanitised HTML for a post's Markdown source."""
    return _cleaner.clean(_markdown.render(source)).strip()


BLOCK_TAGS = {"p", "li", "blockquote", "pre", "ul", "ol", "hr"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.after_br = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.after_br = tag == "br"
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self._block_break()

    def handle_endtag(self, tag: str) -> None:
        self.after_br = False
        if tag in BLOCK_TAGS:
            self._block_break()

    def handle_data(self, data: str) -> None:
        if self.after_br and data.startswith("\n"):
            # markdown-it writes "<br>\n": one line break, not a blank line.
            data = data[1:]
        self.after_br = False
        self.parts.append(data)

    def _block_break(self) -> None:
        if self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.parts.append("\n\n")


def to_text(html: str) -> str:
    """The readable text of sanitised HTML: paragraphs separated by a blank line."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [line.rstrip() for line in text.split("\n")]
    collapsed: list[str] = []
    for line in lines:
        if line == "" and collapsed and collapsed[-1] == "":
            continue
        collapsed.append(line)
    return "\n".join(collapsed).strip()
