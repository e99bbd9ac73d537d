"""forum.markup: the Markdown subset, sanitised once, and the plain text made from it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, render, to_text


class Elements(HTMLParser):
    """Every element (tag, attributes) and the text a browser would show."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def links(self) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == "a"]

    def shown(self) -> str:
        return "".join(self.text)


# --- what the Markdown subset does --------------------------------------------------------------


def test_emphasis_and_strong():
    assert render("*schuin* en **vet** en _ook schuin_") == (
        "<p><em>schuin</em> en <strong>vet</strong> en <em>ook schuin</em></p>"
    )


def test_bullet_and_numbered_lists():
    assert render("- appel\n- peer") == "<ul>\n<li>appel</li>\n<li>peer</li>\n</ul>"
    assert render("1. eerst\n2. dan") == "<ol>\n<li>eerst</li>\n<li>dan</li>\n</ol>"
    # A list that starts at another number keeps its start (the one allowed attribute on <ol>).
    assert render("3. derde") == '<ol start="3">\n<li>derde</li>\n</ol>'


def test_quote_and_rule_and_line_break():
    assert render("> Een ouder zei: *dank je*") == (
        "<blockquote>\n<p>Een ouder zei: <em>dank je</em></p>\n</blockquote>"
    )
    assert render("boven\n\n---\n\nonder") == "<p>boven</p>\n<hr>\n<p>onder</p>"
    assert render("regel een  \nregel twee") == "<p>regel een<br>\nregel twee</p>"


def test_markdown_link_gets_rel_and_keeps_only_href():
    html = render('[de meldcode](https://www.rijksoverheid.nl/meldcode "titel")')
    assert html == (
        f'<p><a href="https://www.rijksoverheid.nl/meldcode" rel="{LINK_REL}">de meldcode</a></p>'
    )
    assert LINK_REL == "nofollow ugc noopener"


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("kijk op https://www.nji.nl/ouders voor meer", "https://www.nji.nl/ouders"),
        ("zie http://example.org/a?b=1&c=2.", "http://example.org/a?b=1&c=2"),
        ("of www.nji.nl", "http://www.nji.nl"),
        ("<https://example.org/pad>", "https://example.org/pad"),
        ("<info@example.org>", "mailto:info@example.org"),
    ],
)
def test_bare_and_angle_addresses_become_links_with_rel(source, href):
    links = Elements(render(source)).links()
    assert links == [{"href": href, "rel": LINK_REL}]


@pytest.mark.parametrize(
    "source",
    [
        "ftp://example.org/bestand",
        "data://example.org/x",
        "zie data:text.com/html;base64,PHNjcmlwdD4=",
        "feed://example.org/rss",
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "[klik](vbscript:msgbox(1))",
        "[klik](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[klik][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_links_only_ever_use_allowed_protocols(source):
    """Markdown links and the linkifier both stay within http, https and mailto (or relative)."""
    for link in Elements(render(source)).links():
        href = (link["href"] or "").lower()
        assert href.startswith(("http://", "https://", "mailto:")), (source, href)
        assert link["rel"] == LINK_REL


def test_every_link_has_rel_and_nothing_else():
    source = "[a](https://a.nl) en https://b.nl en <c@d.nl> en [e](/gesprek/1)"
    links = Elements(render(source)).links()
    assert len(links) == 4
    assert all(set(link) == {"href", "rel"} and link["rel"] == LINK_REL for link in links)


# --- code shows exactly what was typed ----------------------------------------------------------


def test_fenced_code_is_escaped_once_and_shown_as_typed():
    html = render("```\n<b>&amp;\n```")
    assert html == "<pre><code>&lt;b&gt;&amp;amp;\n</code></pre>"
    assert Elements(html).shown() == "<b>&amp;\n"
    assert to_text(html) == "<b>&amp;"


def test_inline_and_indented_code_are_escaped_once():
    inline = render("typ `<b>&amp;` in je bericht")
    assert inline == "<p>typ <code>&lt;b&gt;&amp;amp;</code> in je bericht</p>"
    assert Elements(inline).shown() == "typ <b>&amp; in je bericht"
    indented = render("    if a < b && c:\n        <i>x</i>")
    assert Elements(indented).tags() == ["pre", "code"]
    assert Elements(indented).shown() == "if a < b && c:\n    <i>x</i>\n"


def test_addresses_and_markdown_inside_code_stay_literal():
    html = render("```\nhttps://example.org *niet schuin*\n```")
    assert Elements(html).tags() == ["pre", "code"]
    assert "https://example.org *niet schuin*" in Elements(html).shown()


def test_ampersands_and_angle_brackets_in_text_are_escaped_once():
    html = render("ouders & school < 5 > 3 &amp; meer")
    assert html == "<p>ouders &amp; school &lt; 5 &gt; 3 &amp; meer</p>"
    assert Elements(html).shown() == "ouders & school < 5 > 3 & meer"


# --- what is switched off ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<b>vet</b> <i>schuin</i>",
        '<a href="https://evil.example" onclick="x()">klik</a>',
        '<div style="color:red">rood</div>',
        "<!-- commentaar --> tekst",
        "<img src=x onerror=alert(1)>",
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_raw_html_is_shown_as_text_not_as_elements(source):
    html = render(source)
    assert set(Elements(html).tags()) <= {"p"}, html
    assert Elements(html).shown() == source


def test_script_tag_comes_out_escaped():
    assert render("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_images_are_not_rendered():
    html = render("![een foto van de klas](https://example.org/klas.jpg)")
    assert "<img" not in html
    assert "img" not in Elements(html).tags()
    # The alt text stays readable; the address becomes at most an ordinary link.
    assert "een foto van de klas" in to_text(html)


@pytest.mark.parametrize("source", ["# Kop", "## Kop", "###### Kop", "Kop\n===", "Kop\n---"])
def test_headings_are_not_rendered(source):
    html = render(source)
    assert not any(tag.startswith("h") and tag != "hr" for tag in Elements(html).tags()), html
    assert "Kop" in to_text(html)


@pytest.mark.parametrize(
    "source",
    [
        "*a* **b** - c\n\n1. d\n2. e\n\n> f\n\n`g`\n\n```\nh\n```\n\n---\n\n[i](https://j.nl)\\\nl",
        "<table><tr><td>x</td></tr></table> <u>u</u> <sup>2</sup> <details>d</details>",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "~~doorgestreept~~ [ ] taak",
    ],
)
def test_output_only_uses_the_allowlist(source):
    for tag, attrs in Elements(render(source)).elements:
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= set(ALLOWED_ATTRIBUTES.get(tag, [])), (tag, attrs)


# --- plain text ----------------------------------------------------------------------------------


def test_to_text_separates_blocks_with_a_blank_line():
    html = render("Eerste alinea met *nadruk*.\n\nTweede alinea.\n\n- punt een\n- punt twee")
    assert to_text(html) == "Eerste alinea met nadruk.\n\nTweede alinea.\n\npunt een\n\npunt twee"


def test_to_text_keeps_a_hard_line_break_as_one_newline():
    assert to_text(render("regel een  \nregel twee")) == "regel een\nregel twee"
    assert to_text(render("a\\\nb\\\nc")) == "a\nb\nc"


def test_to_text_decodes_entities_and_keeps_link_text():
    html = render("Zie [de site](https://nji.nl) & <b>dit</b> — café")
    assert to_text(html) == "Zie de site & <b>dit</b> — café"


def test_to_text_of_nothing_is_empty():
    assert render("") == ""
    assert to_text("") == ""
    assert to_text(render("   \n\n  ")) == ""
