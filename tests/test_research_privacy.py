"""Research data stays on research pages: members, moderators and visitors never see codes, memos
or that a thread was coded, and every research URL is a 404 for them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.db import db
from forum.research.models import Code, Memo, PassageCoding, ThreadCoding
from tests.helpers import csrf_token, login, set_site, write_reply, write_thread
from tests.test_coding import add_memo, code_passage, code_thread, consenting, make_codes, rows

CODE_NAME = "Zwijgcode Kwartel"
MEMO_THREAD = "Memo-gesprek-Vlinderdas"
MEMO_PASSAGE = "Memo-passage-Zeppelin"
MEMO_CODE = "Memo-code-Sprinkhaan"
# Nothing on a member-visible page may contain any of these (compared in lower case).
FORBIDDEN = [
    CODE_NAME,
    MEMO_THREAD,
    MEMO_PASSAGE,
    MEMO_CODE,
    "gecodeerd",
    "coderen",
    "/onderzoek/gesprek",
    "/onderzoek/codes",
    "coded-passage",
    "research-panel",
]


@pytest.fixture
def coded(app, client, users, member, researcher):
    """Two coded threads by a consenting member, a coded passage, and memos everywhere."""
    set_site(app, "trust_threshold", "0")
    consenting(app, member)
    first = write_thread(app, member, body="De moeder vertelde dat ze zich niet gehoord voelde.")
    reply = write_reply(app, member, first.thread_id, body="Wij herkennen dit op school ook.")
    second = write_thread(
        app,
        member,
        title="Overdracht naar de opvang",
        body="Hoe geven jullie informatie door aan de opvang?",
    )
    colleague = users.make(name="Collega Cas")
    theirs = write_reply(app, colleague, first.thread_id, body="Bij ons in de opvang ook.")
    [code_id, other_id] = make_codes(app, CODE_NAME, "Tweede code")
    login(client, researcher.email)
    for thread_id in (first.thread_id, second.thread_id):
        assert code_thread(client, thread_id, code_id).status_code == 302
    page = f"/onderzoek/gesprek/{first.thread_id}"
    assert (
        code_passage(client, first.thread_id, first.id, code_id, "niet gehoord voelde").status_code
        == 302
    )
    assert (
        code_passage(client, first.thread_id, reply.id, other_id, "herkennen dit").status_code
        == 302
    )
    [passage, _] = rows(app, PassageCoding)
    add_memo(client, f"{page}/notitie", page, "notitie", MEMO_THREAD)
    add_memo(
        client, f"/onderzoek/passage/{passage.id}/notitie", page, f"p{passage.id}", MEMO_PASSAGE
    )
    code_page = f"/onderzoek/codes/{code_id}"
    add_memo(client, f"{code_page}/notitie", code_page, "notitie", MEMO_CODE)
    memos = rows(app, Memo)
    assert len(memos) == 3
    thread_coding = rows(app, ThreadCoding)[0]
    client.post("/account/uitloggen", data={"csrf_token": csrf_token(client.get("/").text)})
    return {
        "thread": first.thread_id,
        "other_thread": second.thread_id,
        "post": first.id,
        "reply": reply.id,
        "colleague_reply": theirs.id,
        "code": code_id,
        "passage": passage.id,
        "thread_coding": thread_coding.id,
        "memo": memos[0].id,
    }


def member_pages(ids: dict, member_id: int) -> list[str]:
    return [
        "/",
        "/werkveld/school",
        "/werkveld/school?soort=vraag",
        "/werkveld/childcare",
        f"/gesprek/{ids['thread']}",
        f"/gesprek/{ids['other_thread']}",
        f"/gesprek/{ids['thread']}/nieuwste",
        f"/bericht/{ids['post']}",
        f"/bericht/{ids['reply']}",
        "/gespreksregels",
        "/privacy",
        "/toegankelijkheid",
        "/verwijderverzoek",
    ]


SIGNED_IN_PAGES = ["/account/profiel", "/account/wachtwoord", "/meldingen", "/gesprek/nieuw"]


def moderator_pages(ids: dict, member_id: int) -> list[str]:
    return [
        "/moderatie/",
        f"/moderatie/bericht/{ids['post']}",
        f"/moderatie/bericht/{ids['post']}/verbergen",
        f"/moderatie/gesprek/{ids['thread']}/verplaatsen",
        f"/moderatie/persoon/{member_id}",
        "/moderatie/voorgelegd",
        "/moderatie/verwijderverzoeken",
    ]


def other_get_routes(app, ids: dict, member_id: int) -> list[str]:
    """Every other GET page outside /onderzoek whose arguments we can fill in (so pages added
    later, such as the kennisoogst, are swept too)."""
    values = {
        "thread_id": ids["thread"],
        "post_id": ids["post"],
        "user_id": member_id,
        "slug": "school",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule.startswith("/onderzoek") or rule.endpoint.startswith("research"):
            continue
        if not set(rule.arguments) <= set(values):
            continue
        urls.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule))
    return sorted(set(urls))


def assert_clean(client, url: str, must_answer: bool = True) -> None:
    answer = client.get(url, follow_redirects=True)
    if must_answer:
        assert answer.status_code == 200, f"{url} gave {answer.status_code}"
    text = answer.get_data(as_text=True).lower()
    found = [word for word in FORBIDDEN if word.lower() in text]
    assert found == [], f"{url} shows research data: {found}"


def test_members_moderators_and_visitors_never_see_research_data(
    app, client, member, moderator, coded
):
    pages = member_pages(coded, member.id)
    set_site(app, "public_read", "1")
    for url in pages:
        assert_clean(client, url)
    login(client, member.email)
    for url in [
        *pages,
        *SIGNED_IN_PAGES,
        f"/bericht/{coded['post']}/bewerken",
        f"/bericht/{coded['colleague_reply']}/voorleggen",
    ]:
        assert_clean(client, url)
    for url in other_get_routes(app, coded, member.id):
        assert_clean(client, url, must_answer=False)

    moderating = app.test_client()
    login(moderating, moderator.email)
    for url in [*pages, *SIGNED_IN_PAGES, *moderator_pages(coded, member.id)]:
        assert_clean(moderating, url)
    for url in other_get_routes(app, coded, member.id):
        assert_clean(moderating, url, must_answer=False)


def test_the_checks_would_notice_research_data(app, client, researcher, coded):
    """The same sweep as a researcher does find the data (on the research pages)."""
    login(client, researcher.email)
    html = client.get(f"/onderzoek/gesprek/{coded['thread']}").text.lower()
    assert CODE_NAME.lower() in html
    assert MEMO_THREAD.lower() in html
    assert MEMO_PASSAGE.lower() in html
    assert "coderen" in html


# --- every research URL ----------------------------------------------------------------------


def research_urls(ids: dict) -> tuple[list[str], list[str]]:
    """(GET pages, POST actions) of the research blueprint, every one of them."""
    code = f"/onderzoek/codes/{ids['code']}"
    thread = f"/onderzoek/gesprek/{ids['thread']}"
    get = [
        "/onderzoek/codes",
        "/onderzoek/codes/nieuw",
        code,
        f"{code}/bewerken",
        "/onderzoek/gesprekken",
        f"/onderzoek/gesprekken?code={ids['code']}",
        thread,
    ]
    post = [
        "/onderzoek/codes/startcodes",
        "/onderzoek/codes/nieuw",
        f"{code}/bewerken",
        f"{code}/archiveren",
        f"{code}/terugzetten",
        f"{code}/verwijderen",
        f"{code}/notitie",
        f"{thread}/codes",
        f"{thread}/codes/{ids['thread_coding']}/weghalen",
        f"{thread}/notitie",
        f"/onderzoek/passage/bericht/{ids['post']}",
        f"/onderzoek/passage/{ids['passage']}/weghalen",
        f"/onderzoek/passage/{ids['passage']}/notitie",
        f"/onderzoek/memo/{ids['memo']}/bewerken",
    ]
    return get, post


def test_the_list_of_research_urls_is_complete(app, coded):
    get, post = research_urls(coded)
    covered = set()
    adapter = app.url_map.bind("localhost")
    for method, urls in (("GET", get), ("POST", post)):
        for url in urls:
            endpoint, _ = adapter.match(url.split("?")[0], method=method)
            covered.add((endpoint, method))
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("research.")
        for method in rule.methods & {"GET", "POST"}
    }
    assert routes == covered


def snapshot(app) -> list:
    with app.app_context():
        result = [
            db.session.execute(sa.select(Code.name, Code.archived).order_by(Code.id)).all(),
            db.session.execute(sa.select(ThreadCoding.id).order_by(ThreadCoding.id)).all(),
            db.session.execute(sa.select(PassageCoding.id).order_by(PassageCoding.id)).all(),
            db.session.execute(sa.select(Memo.id, Memo.text).order_by(Memo.id)).all(),
        ]
        db.session.remove()
    return [list(map(tuple, part)) for part in result]


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_every_research_url_is_a_404_for_others(app, client, users, member, moderator, coded, who):
    set_site(app, "public_read", "1")
    if who == "member":
        login(client, member.email)
    elif who == "moderator":
        login(client, moderator.email)
    get, post = research_urls(coded)
    for url in get:
        answer = client.get(url)
        assert answer.status_code == 404, f"GET {url} gave {answer.status_code} to a {who}"
        assert CODE_NAME not in answer.text
    before = snapshot(app)
    # A valid token, so only the role decides (a visitor's only form is the login form).
    token = csrf_token(client.get("/account/inloggen" if who == "visitor" else "/").text)
    for url in post:
        data = {
            "csrf_token": token,
            "text": "Ingebroken",
            "notitie-text": "Ingebroken",
            "gesprek-code": str(coded["code"]),
            "name": "Ingebroken",
            "colour": "#000000",
        }
        answer = client.post(url, data=data)
        assert answer.status_code == 404, f"POST {url} gave {answer.status_code} to a {who}"
    assert snapshot(app) == before


@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_every_research_page_opens_for_researchers(app, client, users, coded, role):
    person = users.make(roles=[role])
    login(client, person.email)
    get, _ = research_urls(coded)
    for url in get:
        answer = client.get(url)
        assert answer.status_code == 200, f"GET {url} gave {answer.status_code} to a {role}"
