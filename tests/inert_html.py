"""HTML as a browser reads it (html5lib, the WHATWG parsing algorithm), and what must never be in
it where people's text ends up: script, event handlers, style, forms, frames, plugins and links
to anything but http(s), mailto or this site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

import html5lib

# Elements no piece of user text may ever produce.
FORBIDDEN = frozenset(
    {
        "script", "style", "form", "input", "button", "select", "textarea", "iframe", "frame",
        "frameset", "object", "embed", "applet", "base", "link", "meta", "svg", "math", "img",
        "template", "noscript", "video", "audio", "source", "portal",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "srcset", "poster", "background", "xlink:href"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
C0_OR_SPACE = "".join(chr(code) for code in range(0x21))


def localname(tag: str) -> str:
    """``{http://www.w3.org/2000/svg}svg`` → ``svg``."""
    return tag.rsplit("}", 1)[-1].lower()


def parse_fragment(html: str) -> Element:
    """A fragment as the children of a ``<div>``, the way a post body sits in the page."""
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def parse_page(html: str) -> Element:
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def elements(root: Element) -> Iterator[Element]:
    """Every element below ``root`` (comments, which the etree builder also gives, left out)."""
    for element in root.iter():
        if element is not root and isinstance(element.tag, str):
            yield element


def scheme_of(url: str) -> str | None:
    """The scheme a browser finds (WHATWG URL parser): surrounding C0 controls and spaces
    stripped, tabs and newlines anywhere removed, entities already decoded by the parser."""
    cleaned = re.sub("[\t\n\r]", "", url.strip(C0_OR_SPACE))
    match = SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def url_problem(url: str) -> str | None:
    scheme = scheme_of(url)
    if scheme is None or scheme in SAFE_SCHEMES:
        return None
    return f"a {scheme}: address {url!r}"


def problems(root: Element, *, page: bool = False) -> list[str]:
    """Everything dangerous in the tree. ``page``: a whole page of ours, which has its own forms
    and scripts: there only scripts from /static and the rest of the rules are checked."""
    found = []
    for element in elements(root):
        name = localname(element.tag)
        if page and name in {"form", "input", "button", "select", "textarea", "meta", "link"}:
            pass
        elif page and name == "script":
            if not element.get("src", "").startswith("/static/") or (element.text or "").strip():
                found.append("a <script> that is not one of ours")
        elif name in FORBIDDEN:
            found.append(f"a <{name}> element")
        for attribute, value in element.attrib.items():
            attribute = localname(attribute)
            if attribute.startswith("on"):
                found.append(f"an event handler {attribute}= on <{name}>")
            elif attribute in {"style", "srcdoc"}:
                found.append(f"a {attribute}= attribute on <{name}>")
            elif attribute in URL_ATTRIBUTES and (problem := url_problem(value)):
                found.append(f"{problem} in {attribute}= on <{name}>")
    return found


def text_of(element: Element) -> str:
    return "".join(element.itertext())
