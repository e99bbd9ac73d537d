"""Sanitiser fuzzing: generated Markdown and HTML through the real write path, read back the way a
browser reads it (html5lib), must never carry script, event handlers, style, forms, frames,
plugins or a link that is not http(s), mailto or relative. The same for thread titles and
display names as pages show them, and for search snippets.

Post bodies: ``forum.markup.render`` (what every write stores), the services that store posts,
and a few examples through the real form over HTTP. Titles and names: written through the
services, shown by the real pages; they must come out as the text that was typed, never as
markup. ``tests/test_xss.py`` holds the fixed list of known payloads; this file finds new ones.
"""

from __future__ import annotations

import secrets

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forum import markup
from forum.accounts.models import Profession, User
from forum.core.models import Setting
from forum.db import db
from forum.extensions import limiter
from forum.search.snippets import START, STOP, marked
from tests.helpers import login, set_site, submit, write_thread
from tests.inert_html import elements, localname, parse_fragment, parse_page, problems, text_of

FIXTURES_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

# --- what is generated -------------------------------------------------------------------------

BAD_SCHEMES = ["javascript", "JaVaScRiPt", "JAVASCRIPT", "vbscript", "VbScRiPt", "data", "DaTa"]
SCHEME_TRICKS = [
    lambda s: s,
    lambda s: f" {s}",
    lambda s: s[:4] + "\t" + s[4:],
    lambda s: s[:4] + "\n" + s[4:],
    lambda s: s[:4] + "&#x09;" + s[4:],
    lambda s: s[:4] + "&Tab;" + s[4:],
    lambda s: s[:4] + "&NewLine;" + s[4:],
    lambda s: "&#" + str(ord(s[0])) + ";" + s[1:],
    lambda s: "&#x" + format(ord(s[0]), "x") + ";" + s[1:],
    lambda s: "".join(f"&#{ord(c)};" for c in s),
]
COLONS = [":", "&colon;", "&#58;", "&#x3A;", "%3A"]
PAYLOADS = ["alert(1)", "alert`1`", "text/html,<script>alert(1)</script>", "msgbox(1)", "//x"]
GOOD_URLS = [
    "https://voorbeeld.nl/pad?a=1&b=2",
    "http://voorbeeld.nl",
    "mailto:iemand@voorbeeld.nl",
    "/gesprek/1",
    "#bericht-2",
    "//voorbeeld.nl/x",
    "www.voorbeeld.nl",
]


@st.composite
def urls(draw) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(GOOD_URLS))
    trick = draw(st.sampled_from(SCHEME_TRICKS))
    return (
        trick(draw(st.sampled_from(BAD_SCHEMES)))
        + draw(st.sampled_from(COLONS))
        + draw(st.sampled_from(PAYLOADS))
    )


TAGS = [
    "a", "A", "img", "script", "ScRiPt", "svg", "math", "iframe", "style", "form", "input",
    "object", "embed", "div", "p", "span", "details", "video", "source", "base", "link", "meta",
    "body", "x", "mglyph", "mtext", "table", "noscript", "textarea", "title", "template",
    "button", "select", "strong", "em", "code", "pre", "li", "blockquote", "annotation-xml",
]  # fmt: skip
ATTRIBUTES = [
    "href", "HREF", "src", "onclick", "onerror", "ONLOAD", "onmouseover", "style", "xlink:href",
    "formaction", "action", "data", "srcdoc", "background", "poster", "rel", "class", "start",
]  # fmt: skip


@st.composite
def attributes(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    value = draw(st.one_of(urls(), st.sampled_from(["alert(1)", "color:red", "x", ""])))
    quote = draw(st.sampled_from(['"', "'", "", "`"]))
    space = draw(st.sampled_from([" ", "\n", "/", "\t"]))
    return f"{space}{name}={quote}{value}{quote}"


@st.composite
def tags(draw) -> str:
    name = draw(st.sampled_from(TAGS))
    attrs = "".join(draw(st.lists(attributes(), max_size=3)))
    end = draw(st.sampled_from([">", "/>", " >", ""]))
    closing = draw(st.sampled_from(["", f"</{name}>", "</", f"</{name}"]))
    return f"<{name}{attrs}{end}{draw(words)}{closing}"


words = st.sampled_from(
    ["ouders", "Het gesprek", "klik", "x", " ", "\n", "\n\n", "&amp;", "&lt;", "&#60;", "&gt;",
     "&quot;", "\"", "'", "`", "<", ">", "&", "&#0;", "&#xD800;", "\u00a0", "é", "\u200b"]
)  # fmt: skip


@st.composite
def markdown_bits(draw) -> str:
    url = draw(urls())
    text = draw(words)
    return draw(
        st.sampled_from(
            [
                f"[{text}]({url})",
                f'[{text}]({url} "titel")',
                f"[{text}](<{url}>)",
                f"<{url}>",
                f"![{text}]({url})",
                f"[{text}][r]\n\n[r]: {url}\n",
                f"{url} ",
                f"`{url}`",
                f"```\n{url}\n```\n",
                f"    {url}\n",
                "*",
                "**",
                "_",
                "> ",
                "- ",
                "1. ",
                "# ",
                "---\n",
                "<!-- ",
                " -->",
                "<![CDATA[",
                "]]>",
                "\\",
            ]
        )
    )


sources = st.lists(st.one_of(markdown_bits(), tags(), words), max_size=25).map("".join)
# What a title or a display name can hold: anything a form accepts on one line.
letters = st.text(st.characters(codec="utf-8", categories=["L", "P", "S", "Zs"]), max_size=5)
one_line = st.lists(st.one_of(tags(), words, urls(), letters), max_size=8).map(
    lambda parts: " ".join("".join(parts).split())
)


def assert_inert_body(html: str) -> None:
    """A stored post body: nothing dangerous, and only the allowlist of markup.py."""
    root = parse_fragment(html)
    assert problems(root) == [], html
    for element in elements(root):
        name = localname(element.tag)
        assert name in markup.ALLOWED_TAGS, (name, html)
        assert set(element.attrib) <= set(markup.ALLOWED_ATTRIBUTES.get(name, [])), html
        if name == "a":
            assert element.get("rel") == markup.LINK_REL, html


# --- post bodies ---------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(sources)
@example('<a href="jav&#x09;ascript:alert(1)">x</a>')
@example("[x](JaVaScRiPt&colon;alert(1))")
@example("<svg><a xlink:href=javascript:alert(1)>x</a></svg>")
@example("www.voorbeeld.nl/<script>alert(1)</script>")
def test_rendered_markdown_is_inert(source):
    assert_inert_body(markup.render(source))


@pytest.fixture
def writer(app, users):
    return users.make(name="Schrijver Sam")


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES_OK)
@given(body=sources)
def test_posts_are_stored_inert_by_the_services(app, writer, body):
    from forum.discussions.models import Post

    if not body.strip():
        body = "leeg"
    ref = write_thread(app, writer, body=body, title="Een titel om te testen")
    with app.app_context():
        post = db.session.get(Post, ref.id)
        stored = post.body_html
        db.session.remove()
    assert_inert_body(stored)


@pytest.fixture
def writing_client(client, writer):
    login(client, writer.email)
    return client


def assert_inert_post_bodies(html: str) -> None:
    page = parse_page(html)
    assert problems(page, page=True) == []
    bodies = [e for e in elements(page) if "post-body" in e.get("class", "").split()]
    assert bodies
    for body in bodies:
        for element in elements(body):
            assert localname(element.tag) in markup.ALLOWED_TAGS


@settings(max_examples=6, deadline=None, suppress_health_check=FIXTURES_OK)
@given(body=sources.filter(lambda text: text.strip()))
def test_posts_written_through_the_form_show_inert(writing_client, body):
    limiter.reset()  # the posting limit counts every example
    form = {"setting": "1", "kind": "question", "title": "Een vraag om te testen", "body": body}
    form["submission_key"] = secrets.token_hex(16)
    preview = submit(writing_client, "/gesprek/nieuw", {**form, "preview": "Bekijk voorbeeld"})
    assert preview.status_code == 200
    assert_inert_post_bodies(preview.text)
    answer = submit(writing_client, "/gesprek/nieuw", {**form, "submit": "Plaatsen"})
    assert answer.status_code == 302, answer.text
    assert_inert_post_bodies(writing_client.get(answer.headers["Location"]).text)


# --- titles and display names, as pages show them ------------------------------------------------

OPEN, CLOSE = "⟦", "⟧"  # never generated, so they bracket exactly what was typed


def assert_shown_as_text(html: str, typed: str, earlier: set[str]) -> None:
    """Wherever ``OPEN + text + CLOSE`` lands on the page — in text or in an attribute — a
    browser sees one piece of text from OPEN to CLOSE, equal to what was typed (``typed``, or
    an ``earlier`` example's on the same list): no element and no attribute came out of it."""
    root = parse_page(html)
    assert problems(root, page=True) == []
    shown = []
    for element in elements(root):
        for attribute in element.attrib:
            assert OPEN not in attribute, attribute
            assert CLOSE not in attribute, attribute
        for piece in (element.text, element.tail, *element.attrib.values()):
            if piece and (OPEN in piece or CLOSE in piece):
                assert piece.count(OPEN) == piece.count(CLOSE), piece
                shown += [part.split(CLOSE, 1)[0] for part in piece.split(OPEN)[1:]]
    assert typed in shown, "the text is not on the page as typed"
    assert set(shown) <= {typed, *earlier}, set(shown) - {typed, *earlier}
    earlier.add(typed)


@pytest.fixture
def typed_before() -> set[str]:
    """What earlier examples of one test typed: their threads stay on the lists."""
    return set()


@settings(max_examples=15, deadline=None, suppress_health_check=FIXTURES_OK)
@given(title=one_line.filter(lambda text: 3 <= len(text) <= 140))
@example(title='"><script>alert(1)</script>')
@example(title="</title><svg onload=alert(1)>")
def test_thread_titles_are_shown_as_typed(app, writing_client, writer, typed_before, title):
    ref = write_thread(app, writer, title=OPEN + title + CLOSE)
    thread = writing_client.get(f"/gesprek/{ref.thread_id}")
    assert thread.status_code == 200
    assert_shown_as_text(thread.text, title, set())
    werkveld = writing_client.get("/werkveld/school")  # the author's waiting threads are listed
    assert_shown_as_text(werkveld.text, title, typed_before)


def rename(app, person, name: str) -> None:
    from forum.accounts import services as accounts

    with app.test_request_context():
        user = db.session.get(User, person.id)
        accounts.update_profile(
            user,
            display_name=name,
            profession=Profession.LEERKRACHT,
            main_setting=db.session.get(Setting, 1),
            locale="nl",
            research_consent=False,
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture
def reader_client(app, users):
    reader = users.make(name="Lezer Lou")
    client = app.test_client()
    login(client, reader.email)
    return client


@settings(max_examples=15, deadline=None, suppress_health_check=FIXTURES_OK)
@given(name=one_line.filter(lambda text: 2 <= len(text) <= 56))
@example(name='" onfocus="alert(1)" autofocus="')
@example(name="<img src=x onerror=alert(1)>")
def test_display_names_are_shown_as_typed(app, writing_client, reader_client, writer, name):
    set_site(app, "trust_threshold", "0")  # the thread is public at once, for the reader
    ref = write_thread(app, writer)
    rename(app, writer, OPEN + name + CLOSE)
    assert_shown_as_text(reader_client.get(f"/gesprek/{ref.thread_id}").text, name, set())
    profile = writing_client.get("/account/profiel")  # the name in a value= attribute
    assert_shown_as_text(profile.text, name, set())


# --- search snippets -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(tags(), words, urls(), st.sampled_from([START, STOP])), max_size=20))
def test_snippets_mark_only_the_matches(parts):
    text = "".join(parts)
    root = parse_fragment(str(marked(text)))
    assert problems(root) == []
    for element in elements(root):
        assert localname(element.tag) == "mark"
        assert not element.attrib
        assert not list(element)  # marks never nest
    assert text_of(root) == text.replace(START, "").replace(STOP, "")


@pytest.fixture
def moderator_client(client, moderator):
    login(client, moderator.email)
    return client


@settings(max_examples=8, deadline=None, suppress_health_check=FIXTURES_OK)
@given(body=sources)
def test_search_results_show_snippets_and_titles_inert(app, moderator_client, moderator, body):
    word = "fietsenstalling"  # a moderator's posts never wait: searchable at once
    write_thread(app, moderator, body=f"{body} {word} {body}", title=f"{word} <b>{body[:60]}")
    page = moderator_client.get(f"/zoeken?q={word}")
    assert page.status_code == 200
    root = parse_page(page.text)
    assert problems(root, page=True) == []
    snippets = [e for e in elements(root) if "search-snippet" in e.get("class", "").split()]
    titles = [e for e in elements(root) if "search-hit-title" in e.get("class", "").split()]
    assert snippets
    assert titles
    for snippet in snippets:
        assert {localname(e.tag) for e in elements(snippet)} <= {"mark"}
    for title in titles:
        assert {localname(e.tag) for e in elements(title)} <= {"a", "mark"}
