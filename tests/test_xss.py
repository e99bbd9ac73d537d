"""Every payload of a broad XSS list, posted through the real new-thread form as title and as
body, renders inert on the thread page, the werkveld page, the home page and in the preview."""

from __future__ import annotations

import re
import secrets
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from forum.db import db
from forum.discussions.models import Post, Thread
from forum.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL
from tests.helpers import login, submit

J = "javascript:alert(1)"
PAYLOADS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '```" onmouseover="alert(1)\ncode\n```',
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    # event handlers on many tags
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover=alert(1)>beweeg</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<x onclick=alert(1)>klik</x>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    f'<svg><a xlink:href="{J}"><text y="9">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    f'<math href="{J}">x</math>',
    f'<math><maction actiontype="statusline" xlink:href="{J}">x</maction></math>',
    # frames, objects, styles, base, meta, forms
    f'<iframe src="{J}"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    f'<object data="{J}"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    f"<style>body{{background:url({J})}}</style>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    f'<meta http-equiv="refresh" content="0;url={J}">',
    f'<form action="{J}"><button>x</button></form>',
    f'<button formaction="{J}">x</button>',
    # javascript: links in every encoding, as HTML
    f'<a href="{J}">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    '<a href="&#x6A;avascript:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">klik</a>',
    '<a href=" javascript:alert(1)">klik</a>',
    "<a href=javascript&colon;alert(1)>klik</a>",
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">klik</a>',
    # … and as Markdown links, autolinks and reference links
    f"[klik]({J})",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](&#x6A;avascript:alert(1))",
    "[klik](jav&#x09;ascript:alert(1))",
    "[klik](javascript&colon;alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](java\nscript:alert(1))",
    "[klik](%6Aavascript:alert(1))",
    "[klik](java\0script:alert(1))",
    "[klik](\x01javascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[klik](<{J}>)",
    f"<{J}>",
    "<data:text/html,<script>alert(1)</script>>",
    f"[klik][r]\n\n[r]: {J}",
    f"[klik][r]\n\n[r]: <{J}>",
    J,
    "zie data:text.com/html;base64,PHNjcmlwdD4=",
    # attribute breakouts
    '[klik](https://ok.example "onmouseover=alert(1)")',
    '[klik](https://ok.example/" onmouseover="alert(1))',
    'https://ok.example/" onmouseover="alert(1)',
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    # template injection
    "{{7*7}}",
    "{{ config.SECRET_KEY }}",
    "{% raw %}{{7*7}}{% endraw %}",
    "${7*7} #{7*7}",
]
assert len(PAYLOADS) >= 40

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset",
    "applet", "template", "noscript", "marquee", "video", "audio", "source", "img",
}  # fmt: skip
# The site's own <meta> and <link> elements (base.html); a payload may add none.
SITE_META = [{"charset": "utf-8"}, {"name": "viewport"}]
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def refused_by_the_form(payload: str) -> bool:
    """NUL and other control characters (other than tab and newlines) are a form error."""
    return any(ord(c) < 32 and c not in "\t\n\r" for c in payload)


def dangerous_url(value: str) -> bool:
    """The scheme a browser would see: entities already decoded by the parser, then white space
    and control characters removed, lower-cased. (Browsers do not undo %-escapes in a scheme:
    ``%6Aavascript:`` and ``jav%09ascript:`` are harmless relative addresses.)"""
    return CONTROL.sub("", value).lower().startswith(BAD_SCHEMES)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """Elements (with whether they sit inside a post body) and the text of titles and bodies."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], bool]] = []
        self.open: list[tuple[str, str | None]] = []  # (tag, which text it collects)
        self.text_of: dict[str, list[str]] = {"h1": [], "thread-title": [], "post-body": []}
        self.feed(html)
        self.close()

    def in_post_body(self) -> bool:
        return any(key == "post-body" for _tag, key in self.open)

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values, self.in_post_body()))
        if tag in VOID:
            return
        key = None
        if tag == "h1":
            key = "h1"
        elif tag == "a" and values.get("class") == "thread-title":
            key = "thread-title"
        elif tag == "div" and values.get("class") == "post-body":
            key = "post-body"
        if key:
            self.text_of[key].append("")
        self.open.append((tag, key))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, {n: v or "" for n, v in attrs}, self.in_post_body()))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        for key in {key for _tag, key in self.open if key}:
            self.text_of[key][-1] += data


def assert_inert(html: str, payload: str) -> Page:
    page = Page(html)
    metas = []
    for tag, attrs, in_post in page.elements:
        assert tag not in FORBIDDEN_TAGS, f"<{tag}> on the page"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name}= on <{tag}>"
            assert name not in ("style", "srcdoc", "formaction"), f"{name}= on <{tag}>"
            assert not dangerous_url(value), f"<{tag} {name}={value!r}>"
        if tag == "meta":
            metas.append({k: v for k, v in attrs.items() if k != "content"})
        if tag == "link":
            assert attrs.get("href", "").startswith("/static/"), attrs
        if in_post:
            assert tag in ALLOWED_TAGS, f"<{tag}> in a post body"
            assert set(attrs) <= set(ALLOWED_ATTRIBUTES.get(tag, [])), (tag, attrs)
            if tag == "a":
                assert attrs["rel"] == LINK_REL
    assert metas == SITE_META
    if "<" in payload:
        assert payload not in html, "the payload came through unescaped"
    assert "49" not in "".join(page.text_of["post-body"] + page.text_of["h1"])
    return page


@pytest.fixture
def writer(client, users):
    """A moderator: posts are approved at once, so they show on every list."""
    person = users.make(roles=["moderator"])
    login(client, person.email)
    return client


def post_thread(client, title: str, body: str, preview: bool = False):
    data = {
        "setting": "1",
        "kind": "question",
        "title": title,
        "body": body,
        "submission_key": secrets.token_hex(16),
        **({"preview": "Bekijk voorbeeld"} if preview else {"submit": "Plaatsen"}),
    }
    return submit(client, "/gesprek/nieuw", data)


def stored_threads(app) -> list[tuple[int, str, int, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Thread.id, Thread.title, Post.id, Post.body_source, Post.body_html).join(
                Post, Post.thread_id == Thread.id
            )
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def assert_refused(response, app):
    assert response.status_code == 400
    assert "ongeldig teken" in response.text or "stuurteken" in response.text
    assert stored_threads(app) == []


def pages(client, thread_id: int) -> dict[str, str]:
    found = {}
    for name, url in (
        ("thread", f"/gesprek/{thread_id}"),
        ("werkveld", "/werkveld/school"),
        ("home", "/"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        found[name] = response.text
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_as_title_is_shown_as_text(app, writer, payload):
    response = post_thread(writer, payload, "Een gewone vraag over een gesprek met een ouder.")
    if refused_by_the_form(payload):
        assert_refused(response, app)
        return
    assert response.status_code == 302, response.text[:500]
    [(thread_id, title, *_rest)] = stored_threads(app)
    assert title == payload.strip()
    assert response.headers["Location"] == f"/gesprek/{thread_id}"
    for name, html in pages(writer, thread_id).items():
        page = assert_inert(html, payload)
        shown = page.text_of["h1"] if name == "thread" else page.text_of["thread-title"]
        assert payload.strip() in shown, f"the title is not shown as typed on the {name} page"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_as_body_is_inert_in_preview_and_after_posting(app, writer, payload):
    preview = post_thread(writer, "Een vraag met code", payload, preview=True)
    if refused_by_the_form(payload):
        assert_refused(preview, app)
        return
    assert preview.status_code == 200
    assert "Zo ziet je bericht eruit" in preview.text
    assert len(assert_inert(preview.text, payload).text_of["post-body"]) == 1
    assert stored_threads(app) == []

    response = post_thread(writer, "Een vraag met code", payload)
    assert response.status_code == 302
    [(thread_id, _title, _post_id, source, body_html)] = stored_threads(app)
    assert source == payload
    for html in pages(writer, thread_id).values():
        assert_inert(html, payload)
    thread_page = pages(writer, thread_id)["thread"]
    assert f'<div class="post-body">{body_html}</div>' in thread_page


def test_template_syntax_is_shown_literally(app, writer):
    assert (
        post_thread(writer, "Som {{7*7}} en {{ config }}", "{{7*7}} en {{ config }}").status_code
        == 302
    )
    [(thread_id, *_rest)] = stored_threads(app)
    html = writer.get(f"/gesprek/{thread_id}").text
    page = Page(html)
    assert page.text_of["h1"] == ["Som {{7*7}} en {{ config }}"]
    assert page.text_of["post-body"] == ["{{7*7}} en {{ config }}"]
    assert app.config["SECRET_KEY"] not in html


def test_the_checker_catches_what_it_should():
    """The checks above are only worth something if they fail on real injections."""
    for bad in (
        "<p><script>x</script></p>",
        f'<div class="post-body"><a href="&#106;avascript:x" rel="{LINK_REL}">x</a></div>',
        '<p onclick="x">y</p>',
        '<a href=" JaVa\tScRiPt:x">y</a>',
        '<a href="&#x6A;AVA&#09;script:x">y</a>',
        '<form action="DATA:text/html,x"></form>',
        '<meta http-equiv="refresh" content="0">',
        '<div class="post-body"><span>x</span></div>',
        '<div class="post-body"><a href="https://x.nl">no rel</a></div>',
        '<svg><a href="https://x.nl">x</a></svg>',
    ):
        with pytest.raises((AssertionError, KeyError)):
            assert_inert(
                '<meta charset="utf-8"><meta name="viewport" content="w">' + bad, "payload"
            )
