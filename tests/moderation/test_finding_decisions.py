"""A moderator marks a privacy finding "niet herleidbaar" in the queue: only the finding's words
and a short window around them are kept, the post still waits, the mark can be undone, the team
reviews the marks (and downloads them as corpus lines), and redaction removes them like any copy.

The findings are stored on the posts by the tests themselves, so these tests do not depend on
what the privacy check finds today.
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db, utcnow
from forum.discussions.models import Post, PostStatus
from forum.moderation import findings
from forum.moderation.models import FindingDecision, PendingEdit
from forum.screening import WaitReason
from tests.helpers import (
    count_queries,
    csrf_token,
    login,
    post_status,
    set_site,
    submit,
    write_thread,
)
from tests.test_redaction import where_is

TITLE = "Een stil meisje in de klas"
# Long enough that a context window of 40 characters either side is clearly not the post.
BODY = (
    "Ik werk al een paar jaar in groep 4 en dit jaar is er iets dat me bezighoudt. "
    "Roos zit sinds de zomer bij mij in de klas en zegt bijna niets in de kring. "
    "Haar vader belde me op 06-12345678 en vroeg wat wij op school kunnen doen. "
    "Hoe pakken jullie zoiets aan met ouders, zonder dat het kind zich bekeken voelt?"
)
ROOS_CONTEXT = "dit jaar is er iets dat me bezighoudt. Roos zit sinds de zomer bij mij in de klas"
FORM_RE = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.DOTALL)
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def set_findings(app, post_id: int, words: list[tuple[str, str]], edit_id: int | None = None):
    """Store findings for ``words`` (text, kind) on the post (or its waiting edit), as the privacy
    check would: offsets into the screened text."""
    with app.app_context():
        source = db.session.get(PendingEdit if edit_id else Post, edit_id or post_id)
        text = source.screened_text
        stored = []
        for word, kind in words:
            start = text.index(word)
            stored.append({"start": start, "end": start + len(word), "kind": kind})
        source.privacy_findings = sorted(stored, key=lambda finding: finding["start"])
        source.wait_reasons = sorted({*source.wait_reasons, WaitReason.PRIVACY.value})
        db.session.commit()
        db.session.remove()


def waiting_post(app, author, body: str = BODY, title: str = TITLE) -> int:
    post = write_thread(app, author, body=body, title=title)
    assert post.status == "pending"
    set_findings(app, post.id, [("Roos", "person"), ("06-12345678", "phone")])
    return post.id


def form_for(page: str, label: str) -> tuple[str, dict[str, str]]:
    """The action and hidden values of the form whose button is named ``label``."""
    for action, body in FORM_RE.findall(page):
        if f'aria-label="{label}"' in html.unescape(body):
            values = {name: html.unescape(value) for name, value in HIDDEN_RE.findall(body)}
            return html.unescape(action), values
    raise AssertionError(f"no form with a button named {label!r}")


def press(client, page_url: str, label: str, **extra: str):
    """Open ``page_url`` and press the button named ``label``, as a browser would."""
    page = client.get(page_url)
    assert page.status_code == 200
    action, values = form_for(page.text, label)
    return client.post(action, data={**values, **extra})


def decisions(app) -> list[FindingDecision]:
    with app.app_context():
        rows = list(db.session.execute(sa.select(FindingDecision)).scalars())
        db.session.expunge_all()
        db.session.remove()
    return rows


def audit_actions(app) -> list[str]:
    with app.app_context():
        actions = list(
            db.session.execute(
                sa.select(AuditEntry.action)
                .where(AuditEntry.action.like("finding.%"))
                .order_by(AuditEntry.id)
            ).scalars()
        )
        db.session.remove()
    return actions


@pytest.fixture
def mod_client(app, moderator):
    client = app.test_client()
    login(client, moderator.email)
    return client


def marks_in(page: str) -> list[str]:
    """The words highlighted as a risk in the checked texts of a page."""
    return re.findall(r'<mark class="finding finding-[a-z_]+">([^<]*)<', page)


def test_a_moderator_marks_a_finding_and_only_its_words_and_context_are_kept(
    app, member, moderator, mod_client
):
    post_id = waiting_post(app, member)
    queue = mod_client.get("/moderatie/")
    assert marks_in(queue.text) == ["Roos", "06-12345678"]

    response = press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderatie/#vondsten-post-{post_id}"
    [decision] = decisions(app)
    assert (decision.post_id, decision.edit_id) == (post_id, None)
    assert (decision.kind, decision.span_text) == ("person", "Roos")
    assert decision.moderator_id == moderator.id
    # A window around the finding, whole words, never the whole post.
    assert decision.context == ROOS_CONTEXT
    assert len(decision.context) <= len("Roos") + 2 * findings.CONTEXT_CHARS
    assert "06-12345678" not in decision.context
    assert TITLE not in decision.context
    # Marking decides nothing about the post: it still waits.
    assert post_status(app, post_id) == "pending"
    assert audit_actions(app) == ["finding.marked_not_identifying"]

    queue = mod_client.get("/moderatie/")
    assert marks_in(queue.text) == ["06-12345678"]
    assert '<span class="finding finding-cleared">Roos' in queue.text
    assert "gemarkeerd als niet herleidbaar door Moderator Mo" in queue.text
    assert 'aria-label="Markering van ‘Roos’ ongedaan maken"' in html.unescape(queue.text)
    assert "‘06-12345678’ is niet herleidbaar" in html.unescape(queue.text)
    item = mod_client.get(f"/moderatie/bericht/{post_id}")
    assert "gemarkeerd als niet herleidbaar door Moderator Mo" in item.text


def test_the_mark_can_be_undone_and_the_finding_is_a_risk_again(app, member, mod_client):
    waiting_post(app, member)
    press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")
    [decision] = decisions(app)

    response = press(mod_client, "/moderatie/", "Markering van ‘Roos’ ongedaan maken")

    assert response.status_code == 302
    assert decisions(app) == []
    queue = mod_client.get("/moderatie/")
    assert marks_in(queue.text) == ["Roos", "06-12345678"]
    assert "‘Roos’ is niet herleidbaar" in html.unescape(queue.text)
    assert audit_actions(app) == ["finding.marked_not_identifying", "finding.unmarked"]
    # Undoing twice (a second tab) changes nothing and says so.
    again = mod_client.post(
        f"/moderatie/vondsten/{decision.id}/ongedaan",
        data={"csrf_token": csrf_token(queue.text), "next": "/moderatie/"},
        follow_redirects=True,
    )
    assert "al ongedaan gemaakt" in again.text


def test_marking_twice_keeps_one_mark_and_a_note_on_the_item_page(app, member, mod_client):
    post_id = waiting_post(app, member)
    item = f"/moderatie/bericht/{post_id}"
    page = mod_client.get(item)
    action, values = form_for(page.text, "‘Roos’ is niet herleidbaar")
    assert 'name="note"' in page.text  # the item page offers a note, the queue list does not

    first = mod_client.post(action, data={**values, "note": "  Een personage uit een boek.  "})
    second = mod_client.post(action, data=values)

    assert first.headers["Location"] == f"{item}#vondsten-post-{post_id}"
    assert second.status_code == 302
    [decision] = decisions(app)
    assert decision.note == "Een personage uit een boek."
    assert "Een personage uit een boek." in mod_client.get(item).text
    assert 'name="note"' not in mod_client.get("/moderatie/").text


def test_a_finding_in_a_waiting_edit_is_marked_on_that_edit(app, users, member, mod_client):
    set_site(app, "trust_threshold", "0")
    published = write_thread(app, member, body="Een gewone vraag over ouderavonden.")
    set_site(app, "trust_threshold", "3")
    assert published.status == "approved"
    with app.test_request_context():
        from forum.accounts.models import User
        from forum.discussions import services

        post = db.session.get(Post, published.id)
        services.edit_post(post, db.session.get(User, member.id), BODY)
        db.session.commit()
        edit_id = db.session.execute(sa.select(PendingEdit.id)).scalar_one()
        db.session.remove()
    set_findings(app, published.id, [("Roos", "person")], edit_id=edit_id)

    response = press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")

    assert response.headers["Location"] == f"/moderatie/#vondsten-edit-{edit_id}"
    [decision] = decisions(app)
    assert (decision.post_id, decision.edit_id, decision.span_text) == (
        published.id,
        edit_id,
        "Roos",
    )
    # The mark outlives the edit: approving it keeps the mark for the team.
    page = mod_client.get("/moderatie/")
    mod_client.post(
        f"/moderatie/bericht/{published.id}/wijziging/{edit_id}/goedkeuren",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert post_status(app, published.id) == "approved"
    assert len(decisions(app)) == 1
    assert "Roos" in mod_client.get("/moderatie/vondsten").text


@pytest.mark.parametrize("role", ["member", "researcher"])
def test_members_and_researchers_can_neither_mark_nor_review(
    app, users, member, moderator, mod_client, role
):
    post_id = waiting_post(app, member)
    person = member if role == "member" else users.make(roles=["researcher"])
    client = app.test_client()
    login(client, person.email)
    token = csrf_token(client.get("/").text)
    _action, values = form_for(mod_client.get("/moderatie/").text, "‘Roos’ is niet herleidbaar")

    mark = client.post(
        f"/moderatie/bericht/{post_id}/niet-herleidbaar", data={**values, "csrf_token": token}
    )
    review = client.get("/moderatie/vondsten")
    download = client.get("/moderatie/vondsten.tsv")

    assert (mark.status_code, review.status_code, download.status_code) == (403, 403, 403)
    assert "Roos" not in review.text + download.text
    assert decisions(app) == []
    press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")
    [decision] = decisions(app)
    undo = client.post(f"/moderatie/vondsten/{decision.id}/ongedaan", data={"csrf_token": token})
    assert undo.status_code == 403
    assert len(decisions(app)) == 1
    visitor = app.test_client().get("/moderatie/vondsten")
    assert visitor.status_code == 302
    assert "/account/inloggen" in visitor.headers["Location"]


def test_forged_or_stale_marks_are_refused(app, users, member, mod_client):
    post_id = waiting_post(app, member)
    page = mod_client.get("/moderatie/")
    action, values = form_for(page.text, "‘Roos’ is niet herleidbaar")

    # Offsets that are not a finding: the span is never taken from the form.
    moved = mod_client.post(action, data={**values, "end": str(int(values["end"]) + 20)})
    assert moved.status_code == 302
    assert decisions(app) == []
    for field, value in [("start", "abc"), ("start", "9" * 30), ("kind", "onzin"), ("edit", "x")]:
        assert mod_client.post(action, data={**values, field: value}).status_code == 400, field
    assert mod_client.post(action, data={**values, "start": "\x00"}).status_code == 400
    assert mod_client.post(action, data={**values, "note": "x" * 201}).status_code == 302
    assert mod_client.post(action, data={**values, "csrf_token": "fout"}).status_code == 400
    unknown = "/moderatie/bericht/999999/niet-herleidbaar"
    assert mod_client.post(unknown, data=values).status_code == 404
    gone_edit = mod_client.post(action, data={**values, "edit": "999999"}, follow_redirects=True)
    assert "Deze wijziging wacht niet meer" in gone_edit.text
    assert decisions(app) == []
    # Back to another site is never where a mark leads: the queue instead.
    evil = mod_client.post(action, data={**values, "next": "//evil.example/"})
    assert evil.headers["Location"] == f"/moderatie/#vondsten-post-{post_id}"
    assert [decision.span_text for decision in decisions(app)] == ["Roos"]

    # Once the post is approved there is nothing to mark any more.
    with app.app_context():
        db.session.execute(sa.delete(FindingDecision))
        db.session.get(Post, post_id).status = PostStatus.APPROVED
        db.session.commit()
        db.session.remove()
    assert mod_client.post(action, data=values).status_code == 403
    assert decisions(app) == []


def test_the_queue_loads_the_marks_of_a_whole_page_in_one_query(app, users, mod_client):
    def fill(count: int) -> None:
        for _ in range(count):
            author = users.make()
            post_id = waiting_post(app, author)
            with app.app_context():
                post = db.session.get(Post, post_id)
                start = post.screened_text.index("Roos")
                db.session.add(
                    FindingDecision(
                        post_id=post_id,
                        kind="person",
                        span_start=start,
                        span_end=start + 4,
                        span_text="Roos",
                        context="Roos zit",
                        moderator_id=None,
                        created_at=utcnow(),
                    )
                )
                db.session.commit()
                db.session.remove()

    def measure() -> tuple[int, str]:
        mod_client.get("/moderatie/")
        with count_queries(app) as statements:
            page = mod_client.get("/moderatie/")
        assert page.status_code == 200
        return len(statements), page.text

    fill(2)
    few, few_page = measure()
    fill(6)
    many, many_page = measure()

    assert few_page.count("finding-cleared") == 2
    assert many_page.count("finding-cleared") == 8
    assert "door een oud-moderator" in many_page
    assert many == few


def test_the_review_page_lists_marks_newest_first_and_downloads_corpus_lines(
    app, users, member, moderator, admin, mod_client
):
    post_id = waiting_post(app, member)
    with app.app_context():
        db.session.add(
            FindingDecision(
                post_id=post_id,
                kind="place",
                span_start=0,
                span_end=5,
                span_text="Ouder",
                context="Tabs\tkomen en\nregels\r\ngaan",
                moderator_id=moderator.id,
                created_at=utcnow(),
            )
        )
        db.session.commit()
        db.session.remove()
    press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")

    page = mod_client.get("/moderatie/vondsten")
    assert page.status_code == 200
    assert "Als niet herleidbaar gemarkeerd" in page.text
    assert "niets gaat vanzelf naar het testcorpus" in page.text
    assert page.text.index("bezighoudt. Roos zit") < page.text.index("Tabs")  # newest first
    assert "Moderator Mo" in page.text
    assert "<td>naam</td>" in page.text
    assert 'href="/moderatie/vondsten"' in mod_client.get("/moderatie/").text  # sub-navigation

    download = mod_client.get("/moderatie/vondsten.tsv")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    assert "attachment" in download.headers["Content-Disposition"]
    lines = download.text.split("\n")
    assert lines[0] == "expect\tcategory\ttext"
    assert lines[1].startswith("# ")
    assert lines[2] == f"pass\tperson\t{ROOS_CONTEXT}"
    assert lines[3] == "pass\tplace\tTabs komen en\\nregels\\ngaan"
    assert lines[4:] == [""]
    assert all(line.count("\t") == 2 for line in lines[2:4])
    assert "06-12345678" not in download.text  # the context, never the whole post

    admin_client = app.test_client()
    login(admin_client, admin.email)
    assert admin_client.get("/moderatie/vondsten").status_code == 200
    assert mod_client.get("/moderatie/vondsten?page=2").status_code == 404
    assert mod_client.get("/moderatie/vondsten?page=abc").status_code == 404


def test_the_review_page_makes_the_same_queries_for_few_and_many_marks(
    app, users, member, mod_client
):
    post_id = waiting_post(app, member)

    def add(count: int, offset: int) -> None:
        moderators = [users.make(roles=["moderator"]) for _ in range(count)]
        with app.app_context():
            for n, moderator in enumerate(moderators):
                db.session.add(
                    FindingDecision(
                        post_id=post_id,
                        kind="person",
                        span_start=offset + n,
                        span_end=offset + n + 1,
                        span_text="x",
                        context="x",
                        moderator_id=moderator.id,
                        created_at=utcnow(),
                    )
                )
            db.session.commit()
            db.session.remove()

    def measure() -> int:
        mod_client.get("/moderatie/vondsten")
        with count_queries(app) as statements:
            assert mod_client.get("/moderatie/vondsten").status_code == 200
        return len(statements)

    add(2, 0)
    few = measure()
    add(10, 100)
    assert measure() == few


def test_corpus_text_follows_the_corpus_format():
    assert findings.corpus_text("a\tb\nc\r\nd\re\u2028f") == "a b\\nc\\nd\\ne\\nf"


def test_redaction_removes_marked_words_and_scrubs_contexts(app, member, mod_client):
    post_id = waiting_post(app, member)
    # A second finding whose context quotes the phone number that the redaction will remove.
    set_findings(app, post_id, [("Roos", "person"), ("06-12345678", "phone"), ("vroeg", "place")])
    press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")
    press(mod_client, "/moderatie/", "‘vroeg’ is niet herleidbaar")
    contexts = {decision.span_text: decision.context for decision in decisions(app)}
    assert "06-12345678" in contexts["vroeg"]
    assert where_is(app, "Roos")
    assert where_is(app, "06-12345678")

    clean = BODY.replace("Roos", "Een meisje").replace(" op 06-12345678", "")
    item = f"/moderatie/bericht/{post_id}"
    response = submit(
        mod_client, f"{item}/aanpassen", {"title": TITLE, "body": clean}, form_url=item
    )

    assert response.status_code == 302
    assert where_is(app, "Roos") == []
    assert where_is(app, "06-12345678") == []
    [left] = decisions(app)
    assert left.span_text == "vroeg"
    assert "[…]" in left.context


def test_deleting_a_post_deletes_its_marks(app, member, mod_client):
    post_id = waiting_post(app, member)
    press(mod_client, "/moderatie/", "‘Roos’ is niet herleidbaar")
    writer = app.test_client()
    login(writer, member.email)
    token = csrf_token(writer.get("/").text)
    response = writer.post(f"/bericht/{post_id}/verwijderen", data={"csrf_token": token})
    assert response.status_code == 302
    assert post_status(app, post_id) == "gone"
    assert decisions(app) == []
