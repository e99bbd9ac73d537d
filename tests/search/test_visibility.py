"""Only what the searcher may see: results, snippets and counts follow the one visibility policy
for every status and every role, so a waiting, returned, hidden or rejected post never shows up
for another member, not even as a count or a snippet."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum.discussions.models import PostStatus
from tests.helpers import login, set_site
from tests.search.helpers import Written, found, search, shown_count, write

COMMON = "tafelgesprek"
# One word per post, found in no other post: opening posts (their threads have that status) …
OPENING_WORDS = {
    PostStatus.APPROVED: "zonnebloem",
    PostStatus.PENDING: "regenboog",
    PostStatus.RETURNED: "kikkerdril",
    PostStatus.REJECTED: "sneeuwpop",
    PostStatus.HIDDEN: "vlinderstrik",
}
# … and replies with that status in the approved thread.
REPLY_WORDS = {
    PostStatus.APPROVED: "paardenbloem",
    PostStatus.PENDING: "wolkenkrabber",
    PostStatus.RETURNED: "duinpan",
    PostStatus.REJECTED: "ijsberg",
    PostStatus.HIDDEN: "boomhut",
}
# An approved reply in the hidden thread: its thread is gone for members, so is the reply.
IN_HIDDEN_THREAD = "zandkasteel"
VIEWERS = ["visitor", "other", "author", "moderator", "researcher", "admin"]
ROLES = {"moderator": ["moderator"], "researcher": ["researcher"], "admin": ["admin"]}


def sees(viewer: str, status: PostStatus, public: bool) -> bool:
    """The product table (DESIGN §3) for something "author" wrote; admins count as moderators."""
    if viewer in ("moderator", "admin"):
        return True
    if status is PostStatus.APPROVED:
        return viewer != "visitor" or public
    if status is PostStatus.HIDDEN:
        return False
    return viewer == "author"


@dataclass
class Case:
    word: str
    post: Written
    status: PostStatus
    thread_status: PostStatus


@pytest.fixture
def cases(app, users) -> tuple[dict[str, object], list[Case]]:
    people = {
        name: users.make(name=name.capitalize(), roles=ROLES.get(name, ())) for name in VIEWERS[1:]
    }
    author = people["author"]
    result = []
    threads = {}
    for status, word in OPENING_WORDS.items():
        post = write(app, author, f"{COMMON} {word}", title=f"Vraag {word}", status=status)
        threads[status] = post.thread_id
        result.append(Case(word, post, status, status))
    for status, word in REPLY_WORDS.items():
        post = write(
            app, author, f"{COMMON} {word}", thread_id=threads[PostStatus.APPROVED], status=status
        )
        result.append(Case(word, post, status, PostStatus.APPROVED))
    post = write(app, author, f"{COMMON} {IN_HIDDEN_THREAD}", thread_id=threads[PostStatus.HIDDEN])
    result.append(Case(IN_HIDDEN_THREAD, post, PostStatus.APPROVED, PostStatus.HIDDEN))
    return people, result


@pytest.mark.parametrize("public", [False, True], ids=["members-only", "public"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_results_snippets_and_counts_follow_the_policy(app, client, cases, viewer, public):
    people, all_cases = cases
    set_site(app, "public_read", "1" if public else "0")
    if viewer != "visitor":
        login(client, people[viewer].email)
    if viewer == "visitor" and not public:
        answer = search(client, COMMON)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/account/inloggen")
        return

    expected = [
        case
        for case in all_cases
        if sees(viewer, case.status, public) and sees(viewer, case.thread_status, public)
    ]
    page = search(client, COMMON)
    assert page.status_code == 200
    assert set(found(client, COMMON)) == {case.post.href for case in expected}
    assert shown_count(page.text) == len(expected)
    for case in all_cases:
        visible = case in expected
        # Not in the snippets of the common search, and not found on its own word.
        assert (case.word in page.text) is visible, (case.word, case.status)
        alone = search(client, case.word)
        assert (case.post.href in found(client, case.word)) is visible, case.word
        assert shown_count(alone.text) == (1 if visible else 0), case.word
        if not visible:
            assert "Niets gevonden" in alone.text


def test_the_header_search_box_shows_where_reading_is_allowed(app, client, member):
    set_site(app, "public_read", "0")
    assert 'role="search"' not in client.get("/").text  # a visitor would only be sent to log in
    set_site(app, "public_read", "1")
    home = client.get("/").text
    assert '<form class="header-search" method="get" action="/zoeken" role="search">' in home
    assert '<label for="zoek-kop" class="visually-hidden">Zoeken in de gesprekken</label>' in home
    login(client, member.email)
    for page in ("/", "/account/profiel", "/werkveld/school", "/meldingen"):
        assert 'action="/zoeken" role="search"' in client.get(page).text, page
    # The results page has one search form of its own, not a second one in the header.
    assert client.get("/zoeken?q=ouders").text.count('role="search"') == 1
