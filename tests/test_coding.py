"""Coding over HTTP, through the real forms: codes on threads, passages by quote (and by the
offsets the selection script sends), memos, the research list of threads, a code's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_login import login_user

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db, utcnow
from forum.discussions.models import Post, Thread
from forum.research import codebook
from forum.research.models import Code, Memo, PassageCoding, ThreadCoding
from tests.helpers import count_queries, csrf_token, login, set_site, write_reply, write_thread

EMOJI_BODY = "Café 😀 overleg met de juf.\nDe moeder vertelde dat ze zich niet gehoord voelde."


# --- helpers (also used by test_research_privacy) ---------------------------------------------


def consenting(app, person) -> None:
    """The person gives research consent in their profile (their next posts copy it)."""
    with app.app_context():
        db.session.get(User, person.id).research_consent = True
        db.session.commit()
        db.session.remove()


def make_codes(app, *names: str) -> list[int]:
    with app.app_context():
        ids = [codebook.create_code(None, codebook.CodeData(name=name)).id for name in names]
        db.session.commit()
        db.session.remove()
    return ids


def post_form(client, url: str, page: str, prefix: str | None, data: dict, **kwargs):
    """Open ``page``, then post one of its forms (fields named ``prefix-…``) with its token."""
    html = client.get(page)
    assert html.status_code == 200, f"GET {page} gave {html.status_code}"
    token = csrf_token(html.text)
    name = f"{prefix}-" if prefix else ""
    fields = {f"{name}{key}": value for key, value in data.items()}
    return client.post(url, data={**fields, f"{name}csrf_token": token}, **kwargs)


def code_thread(client, thread_id: int, code_id: int):
    page = f"/onderzoek/gesprek/{thread_id}"
    return post_form(client, f"{page}/codes", page, "gesprek", {"code": str(code_id)})


def code_passage(client, thread_id: int, post_id: int, code_id: int, quote: str, **offsets):
    data = {"quote": quote, "code": str(code_id), **{k: str(v) for k, v in offsets.items()}}
    return post_form(
        client,
        f"/onderzoek/passage/bericht/{post_id}",
        f"/onderzoek/gesprek/{thread_id}",
        f"b{post_id}",
        data,
    )


def add_memo(client, url: str, page: str, prefix: str, text: str):
    return post_form(client, url, page, prefix, {"text": text})


def rows(app, model, **where) -> list:
    with app.app_context():
        stmt = sa.select(model).filter_by(**where).order_by(model.id)
        result = db.session.execute(stmt).unique().scalars().all()
        db.session.expunge_all()
        db.session.remove()
    return result


def body_text(app, post_id: int) -> str:
    with app.app_context():
        text = db.session.get(Post, post_id).body_text
        db.session.remove()
    return text


@pytest.fixture
def forum(app, users):
    """A consenting member with an approved thread and a reply; two codes."""
    set_site(app, "trust_threshold", "0")
    author = users.make(email="schrijver@example.org", name="Schrijver Sam")
    consenting(app, author)
    opening = write_thread(app, author, body=EMOJI_BODY)
    reply = write_reply(app, author, opening.thread_id, body="Herkenbaar. Herkenbaar en lastig.")
    assert (opening.status, reply.status) == ("approved", "approved")
    codes = make_codes(app, "Vertrouwen", "Zorgen delen")
    return {"author": author, "opening": opening, "reply": reply, "codes": codes}


@pytest.fixture
def researching(client, researcher):
    login(client, researcher.email)
    return client


# --- threads ----------------------------------------------------------------------------------


def test_coding_a_thread_keeps_who_and_when(app, researching, researcher, forum):
    thread_id = forum["opening"].thread_id
    before = utcnow()
    answer = code_thread(researching, thread_id, forum["codes"][0])
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/onderzoek/gesprek/{thread_id}#codes"
    [coding] = rows(app, ThreadCoding)
    assert (coding.thread_id, coding.code_id, coding.coder_id) == (
        thread_id,
        forum["codes"][0],
        researcher.id,
    )
    assert coding.created_at >= before - timedelta(seconds=1)
    page = researching.get(f"/onderzoek/gesprek/{thread_id}")
    assert "Vertrouwen" in page.text
    assert "Onderzoeker Ot" in page.text
    # The same code twice is refused; the code is no longer offered.
    assert f'<option value="{forum["codes"][0]}">' not in page.text.split('id="notities"')[0]
    assert code_thread(researching, thread_id, forum["codes"][0]).status_code == 400
    assert len(rows(app, ThreadCoding)) == 1


def test_removing_a_thread_coding_is_audited(app, researching, researcher, forum):
    thread_id = forum["opening"].thread_id
    code_thread(researching, thread_id, forum["codes"][0])
    [coding] = rows(app, ThreadCoding)
    page = f"/onderzoek/gesprek/{thread_id}"
    answer = post_form(researching, f"{page}/codes/{coding.id}/weghalen", page, None, {})
    assert answer.status_code == 302
    assert rows(app, ThreadCoding) == []
    [entry] = rows(app, AuditEntry, action="coding.thread_removed")
    assert entry.actor_id == researcher.id
    assert entry.target_id == thread_id
    assert entry.data["code_id"] == forum["codes"][0]
    assert entry.data["coder_id"] == researcher.id


def test_unknown_ids_answer_404(app, researching, forum, users):
    thread_id = forum["opening"].thread_id
    page = f"/onderzoek/gesprek/{thread_id}"
    assert researching.get("/onderzoek/gesprek/999999").status_code == 404
    assert researching.get("/onderzoek/gesprek/0").status_code == 404
    assert (
        post_form(researching, "/onderzoek/passage/bericht/999999", page, None, {}).status_code
        == 404
    )
    assert (
        post_form(researching, "/onderzoek/passage/999999/weghalen", page, None, {}).status_code
        == 404
    )
    assert (
        post_form(researching, "/onderzoek/passage/999999/notitie", page, None, {}).status_code
        == 404
    )
    assert (
        post_form(researching, "/onderzoek/memo/999999/bewerken", page, None, {}).status_code == 404
    )
    assert (
        post_form(researching, f"{page}/codes/999999/weghalen", page, None, {}).status_code == 404
    )
    # An unknown code in the select is a form error, not a crash.
    assert code_thread(researching, thread_id, 999999).status_code == 400
    quote = "De moeder vertelde"
    answer = code_passage(researching, thread_id, forum["opening"].id, 999999, quote)
    assert answer.status_code == 400
    # A thread coding of another thread cannot be removed through this thread.
    other = write_thread(app, forum["author"], title="Een ander gesprek", body="Iets anders.")
    code_thread(researching, other.thread_id, forum["codes"][0])
    [coding] = rows(app, ThreadCoding)
    answer = post_form(researching, f"{page}/codes/{coding.id}/weghalen", page, None, {})
    assert answer.status_code == 404
    assert len(rows(app, ThreadCoding)) == 1


def test_a_waiting_thread_cannot_be_coded(app, researching, users, forum):
    newcomer = users.make()
    set_site(app, "trust_threshold", "3")
    waiting = write_thread(app, newcomer, title="Wacht nog even", body="Nog niet goedgekeurd.")
    assert waiting.status == "pending"
    assert researching.get(f"/onderzoek/gesprek/{waiting.thread_id}").status_code == 404
    page = f"/onderzoek/gesprek/{forum['opening'].thread_id}"
    answer = post_form(
        researching,
        f"/onderzoek/passage/bericht/{waiting.id}",
        page,
        f"b{waiting.id}",
        {"quote": "Nog niet", "code": str(forum["codes"][0])},
    )
    assert answer.status_code == 404
    assert rows(app, PassageCoding) == []


# --- passages ---------------------------------------------------------------------------------


def test_a_passage_by_quote_counts_code_points(app, researching, researcher, forum):
    opening = forum["opening"]
    quote = "De moeder vertelde"
    answer = code_passage(researching, opening.thread_id, opening.id, forum["codes"][1], quote)
    assert answer.status_code == 302
    [passage] = rows(app, PassageCoding)
    text = body_text(app, opening.id)
    assert text[passage.start_offset : passage.end_offset] == quote == passage.quote
    # Code points: é and the emoji count one each (not two bytes / two UTF-16 units).
    assert passage.start_offset == text.index(quote)
    assert passage.start_offset == len("Café 😀 overleg met de juf.\n")
    assert (passage.coder_id, passage.code_id) == (researcher.id, forum["codes"][1])
    assert answer.headers["Location"].endswith(f"#passage-{passage.id}")
    page = researching.get(f"/onderzoek/gesprek/{opening.thread_id}")
    assert '<mark class="coded-passage">De moeder vertelde</mark>' in page.text
    [entry] = rows(app, AuditEntry, action="coding.passage_added")
    assert quote not in str(entry.data)
    assert "moeder" not in str(entry.data)


def test_the_quote_may_break_lines_differently(app, researching, forum):
    opening = forum["opening"]
    quote = "met de   juf. De\r\nmoeder"
    answer = code_passage(researching, opening.thread_id, opening.id, forum["codes"][0], quote)
    assert answer.status_code == 302
    [passage] = rows(app, PassageCoding)
    text = body_text(app, opening.id)
    assert (
        passage.quote == "met de juf.\nDe moeder" == text[passage.start_offset : passage.end_offset]
    )


def test_offsets_from_the_selection_script_are_used_when_they_fit(app, researching, forum):
    reply = forum["reply"]
    text = body_text(app, reply.id)
    quote = "Herkenbaar"
    second = text.index(quote, 1)
    # The quote alone is ambiguous; the offsets say which one.
    answer = code_passage(
        researching,
        reply.thread_id,
        reply.id,
        forum["codes"][0],
        quote,
        start=second,
        end=second + len(quote),
    )
    assert answer.status_code == 302
    [passage] = rows(app, PassageCoding)
    assert (passage.start_offset, passage.end_offset) == (second, second + len(quote))


def test_emoji_offsets_sent_by_the_script_are_code_points(app, researching, forum):
    opening = forum["opening"]
    text = body_text(app, opening.id)
    quote = "overleg"
    start = text.index(quote)
    # UTF-16 offsets (one more for the emoji) do not fit: the quote is searched for instead.
    answer = code_passage(
        researching,
        opening.thread_id,
        opening.id,
        forum["codes"][0],
        quote,
        start=start + 1,
        end=start + 1 + len(quote),
    )
    assert answer.status_code == 302
    [passage] = rows(app, PassageCoding)
    assert (passage.start_offset, passage.end_offset) == (start, start + len(quote))


@pytest.mark.parametrize(
    ("start", "end"), [("-1", "5"), ("abc", "def"), ("99999999", "100000000"), ("5", "2")]
)
def test_bad_offsets_never_store_a_wrong_passage(app, researching, forum, start, end):
    opening = forum["opening"]
    answer = code_passage(
        researching,
        opening.thread_id,
        opening.id,
        forum["codes"][0],
        "De moeder",
        start=start,
        end=end,
    )
    assert answer.status_code == 302
    [passage] = rows(app, PassageCoding)
    text = body_text(app, opening.id)
    assert text[passage.start_offset : passage.end_offset] == "De moeder"


def test_bad_offsets_with_a_quote_that_is_not_there_are_refused(app, researching, forum):
    opening = forum["opening"]
    answer = code_passage(
        researching,
        opening.thread_id,
        opening.id,
        forum["codes"][0],
        "Dit staat er niet",
        start=0,
        end=17,
    )
    assert answer.status_code == 400
    assert "staat niet letterlijk in het bericht" in answer.text
    assert rows(app, PassageCoding) == []


def test_a_quote_not_found_or_found_twice_asks_for_more(app, researching, forum):
    reply = forum["reply"]
    missing = code_passage(researching, reply.thread_id, reply.id, forum["codes"][0], "herkenbaar")
    assert missing.status_code == 400
    assert "staat niet letterlijk in het bericht" in missing.text
    twice = code_passage(researching, reply.thread_id, reply.id, forum["codes"][0], "Herkenbaar")
    assert twice.status_code == 400
    assert "meer dan eens" in twice.text
    # The form is shown again, open, with what was typed.
    assert '<details class="passage-new" open>' in twice.text
    empty = code_passage(researching, reply.thread_id, reply.id, forum["codes"][0], "   ")
    assert empty.status_code == 400
    longer = code_passage(
        researching, reply.thread_id, reply.id, forum["codes"][0], "Herkenbaar en"
    )
    assert longer.status_code == 302
    assert [p.quote for p in rows(app, PassageCoding)] == ["Herkenbaar en"]


def test_the_same_passage_and_code_twice_is_refused(app, researching, forum):
    opening = forum["opening"]
    args = (opening.thread_id, opening.id, forum["codes"][0], "De moeder")
    assert code_passage(researching, *args).status_code == 302
    assert code_passage(researching, *args).status_code == 400
    assert len(rows(app, PassageCoding)) == 1


def test_posts_without_consent_are_not_coded(app, researching, forum, users):
    other = users.make(name="Zonder Toestemming")
    reply = write_reply(app, other, forum["opening"].thread_id, body="Mijn eigen ervaring hier.")
    page = researching.get(f"/onderzoek/gesprek/{reply.thread_id}")
    assert f"/onderzoek/passage/bericht/{reply.id}" not in page.text
    assert "geen toestemming voor onderzoek" in page.text
    answer = post_form(
        researching,
        f"/onderzoek/passage/bericht/{reply.id}",
        f"/onderzoek/gesprek/{reply.thread_id}",
        f"b{reply.id}",
        {"quote": "eigen ervaring", "code": str(forum["codes"][0])},
    )
    assert answer.status_code == 400
    assert "geen toestemming" in answer.text
    assert rows(app, PassageCoding) == []


def test_removing_a_passage_coding_is_audited_and_takes_its_memos(
    app, researching, researcher, forum
):
    opening = forum["opening"]
    code_passage(researching, opening.thread_id, opening.id, forum["codes"][0], "De moeder")
    [passage] = rows(app, PassageCoding)
    page = f"/onderzoek/gesprek/{opening.thread_id}"
    add_memo(
        researching,
        f"/onderzoek/passage/{passage.id}/notitie",
        page,
        f"p{passage.id}",
        "Vergelijk met het gesprek over overdracht.",
    )
    assert len(rows(app, Memo)) == 1
    answer = post_form(researching, f"/onderzoek/passage/{passage.id}/weghalen", page, None, {})
    assert answer.status_code == 302
    assert rows(app, PassageCoding) == []
    assert rows(app, Memo) == []
    [entry] = rows(app, AuditEntry, action="coding.passage_removed")
    assert entry.target_id == opening.id
    assert entry.data["coder_id"] == researcher.id
    assert entry.data["memos_removed"] == 1
    assert "moeder" not in str(entry.data)


def test_an_archived_code_is_not_applied(app, researching, forum):
    with app.app_context():
        db.session.get(Code, forum["codes"][0]).archived = True
        db.session.commit()
    opening = forum["opening"]
    assert code_thread(researching, opening.thread_id, forum["codes"][0]).status_code == 400
    answer = code_passage(
        researching, opening.thread_id, opening.id, forum["codes"][0], "De moeder"
    )
    assert answer.status_code == 400
    assert rows(app, ThreadCoding) == []
    assert rows(app, PassageCoding) == []


def test_an_edited_post_shows_its_passage_as_outdated(app, researching, forum):
    opening = forum["opening"]
    code_passage(researching, opening.thread_id, opening.id, forum["codes"][0], "De moeder")
    with app.app_context():
        db.session.get(Post, opening.id).body_text = "Heel andere tekst nu."
        db.session.commit()
    page = researching.get(f"/onderzoek/gesprek/{opening.thread_id}")
    assert "het bericht is sinds het coderen bewerkt" in page.text
    assert "<mark" not in page.text


# --- memos ------------------------------------------------------------------------------------


def test_memos_on_thread_passage_and_code(app, researching, researcher, forum):
    opening = forum["opening"]
    page = f"/onderzoek/gesprek/{opening.thread_id}"
    answer = add_memo(researching, f"{page}/notitie", page, "notitie", "Veel herkenning.")
    assert answer.status_code == 302
    code_passage(researching, opening.thread_id, opening.id, forum["codes"][0], "De moeder")
    [passage] = rows(app, PassageCoding)
    add_memo(
        researching,
        f"/onderzoek/passage/{passage.id}/notitie",
        page,
        f"p{passage.id}",
        "Typisch voorbeeld van niet gehoord worden.",
    )
    code_page = f"/onderzoek/codes/{forum['codes'][0]}"
    add_memo(researching, f"{code_page}/notitie", code_page, "notitie", "Grens met Zorgen delen?")
    memos = rows(app, Memo)
    assert [(m.thread_id, m.passage_id, m.code_id) for m in memos] == [
        (opening.thread_id, None, None),
        (None, passage.id, None),
        (None, None, forum["codes"][0]),
    ]
    assert {m.author_id for m in memos} == {researcher.id}
    html = researching.get(page).text
    assert "Veel herkenning." in html
    assert "Typisch voorbeeld van niet gehoord worden." in html
    assert "Notitie van Onderzoeker Ot" in html
    assert "Grens met Zorgen delen?" in researching.get(code_page).text
    added = rows(app, AuditEntry, action="memo.added")
    assert len(added) == 3
    assert not any("herkenning" in str(e.data) for e in added)


def test_an_empty_memo_is_refused(app, researching, forum):
    page = f"/onderzoek/gesprek/{forum['opening'].thread_id}"
    answer = add_memo(researching, f"{page}/notitie", page, "notitie", "   ")
    assert answer.status_code == 400
    assert rows(app, Memo) == []


def test_only_the_author_edits_a_memo(app, client, researching, researcher, users, forum):
    page = f"/onderzoek/gesprek/{forum['opening'].thread_id}"
    add_memo(researching, f"{page}/notitie", page, "notitie", "Eerste gedachte.")
    [memo] = rows(app, Memo)
    answer = add_memo(
        researching, f"/onderzoek/memo/{memo.id}/bewerken", page, f"m{memo.id}", "Tweede gedachte."
    )
    assert answer.status_code == 302
    [changed] = rows(app, Memo)
    assert changed.text == "Tweede gedachte."
    assert changed.updated_at >= changed.created_at
    assert rows(app, AuditEntry, action="memo.changed")
    colleague = users.make(roles=["researcher"], name="Collega Cor")
    other = app.test_client()
    login(other, colleague.email)
    html = other.get(page).text
    assert "Tweede gedachte." in html
    assert f"/onderzoek/memo/{memo.id}/bewerken" not in html
    answer = add_memo(
        other, f"/onderzoek/memo/{memo.id}/bewerken", page, f"m{memo.id}", "Overschreven!"
    )
    assert answer.status_code == 404
    assert rows(app, Memo)[0].text == "Tweede gedachte."


# --- research views ---------------------------------------------------------------------------


def backdate(app, thread_id: int, days: int) -> None:
    with app.app_context():
        db.session.get(Thread, thread_id).created_at = utcnow() - timedelta(days=days)
        db.session.commit()


def listed(html: str) -> list[str]:
    return re.findall(r'class="thread-title" href="/onderzoek/gesprek/\d+">([^<]*)</a>', html)


def test_threads_filtered_by_codes_werkveld_kind_and_period(app, researching, forum):
    author = forum["author"]
    first = forum["opening"].thread_id
    second = write_thread(
        app, author, title="Tweede gesprek", body="Over de wijk.", setting_id=3, kind="dilemma"
    ).thread_id
    third = write_thread(
        app,
        author,
        title="Derde gesprek",
        body="Een voorbeeld uit de opvang.",
        setting_id=2,
        kind="example",
    )
    trust, worry = forum["codes"]
    code_thread(researching, first, trust)
    code_thread(researching, first, worry)
    code_thread(researching, second, trust)
    # A passage code counts for its thread.
    code_passage(researching, third.thread_id, third.id, worry, "voorbeeld uit")
    backdate(app, second, 40)

    everything = listed(researching.get("/onderzoek/gesprekken").text)
    assert everything == [
        "Derde gesprek",
        "Ouders betrekken bij het startgesprek",
        "Tweede gesprek",
    ]
    both = researching.get(f"/onderzoek/gesprekken?code={trust}&code={worry}")
    assert listed(both.text) == ["Ouders betrekken bij het startgesprek"]
    assert listed(researching.get(f"/onderzoek/gesprekken?code={worry}").text) == [
        "Derde gesprek",
        "Ouders betrekken bij het startgesprek",
    ]
    assert listed(researching.get("/onderzoek/gesprekken?werkveld=3").text) == ["Tweede gesprek"]
    assert listed(researching.get("/onderzoek/gesprekken?soort=example").text) == ["Derde gesprek"]
    old = (utcnow() - timedelta(days=30)).date().isoformat()
    assert listed(researching.get(f"/onderzoek/gesprekken?tot={old}").text) == ["Tweede gesprek"]
    recent = researching.get(f"/onderzoek/gesprekken?vanaf={old}&code={trust}")
    assert listed(recent.text) == ["Ouders betrekken bij het startgesprek"]
    # Each listed thread shows its codes.
    assert "Zorgen delen" in both.text
    assert "Vertrouwen" in both.text


def test_bad_filters_do_not_crash(app, researching, forum):
    for query in (
        "code=abc",
        "code=999999",
        "werkveld=x",
        "soort=onbekend",
        "vanaf=gisteren",
        "vanaf=2026-05-01&tot=2026-01-01",
        "page=abc",
    ):
        answer = researching.get(f"/onderzoek/gesprekken?{query}")
        assert answer.status_code in (200, 404), query
        assert answer.status_code != 500


def test_the_thread_list_uses_a_constant_number_of_queries(app, researching, forum):
    trust, worry = forum["codes"]

    def measure() -> int:
        with count_queries(app) as statements:
            answer = researching.get(f"/onderzoek/gesprekken?code={trust}")
        assert answer.status_code == 200
        return len(statements)

    code_thread(researching, forum["opening"].thread_id, trust)
    few = measure()
    for word in ("spelen", "lezen", "rekenen", "tekenen", "zingen", "bouwen"):
        ref = write_thread(
            app,
            forum["author"],
            title=f"Samen {word} met ouders",
            body=f"Hoe pakken jullie samen {word} aan?",
        )
        assert ref.status == "approved"
        code_thread(researching, ref.thread_id, trust)
        code_passage(researching, ref.thread_id, ref.id, worry, f"samen {word}")
    assert measure() == few


def test_paging_keeps_every_chosen_code(app, researching, forum):
    trust, worry = forum["codes"]
    with app.app_context():
        for number in range(26):
            thread = Thread(
                setting_id=1,
                kind="question",
                title=f"Gesprek {number}",
                status="approved",
                author_id=forum["author"].id,
            )
            db.session.add(thread)
            db.session.flush()
            db.session.add_all(
                [
                    ThreadCoding(thread_id=thread.id, code_id=trust),
                    ThreadCoding(thread_id=thread.id, code_id=worry),
                ]
            )
        db.session.commit()
    first = researching.get(f"/onderzoek/gesprekken?code={trust}&code={worry}")
    assert len(listed(first.text)) == 25
    assert f'href="/onderzoek/gesprekken?code={trust}&amp;code={worry}&amp;page=2"' in first.text
    second = researching.get(f"/onderzoek/gesprekken?code={trust}&code={worry}&page=2")
    assert len(listed(second.text)) == 1


def test_a_code_page_lists_threads_passages_and_memos(app, researching, forum):
    opening = forum["opening"]
    trust = forum["codes"][0]
    code_thread(researching, opening.thread_id, trust)
    code_passage(researching, opening.thread_id, opening.id, trust, "zich niet gehoord voelde")
    page = researching.get(f"/onderzoek/codes/{trust}")
    assert "Ouders betrekken bij het startgesprek" in page.text
    assert "zich niet gehoord voelde" in page.text
    assert f"/onderzoek/gesprek/{opening.thread_id}" in page.text
    assert "gecodeerd door" in page.text
    other = researching.get(f"/onderzoek/codes/{forum['codes'][1]}")
    assert "zich niet gehoord voelde" not in other.text


# --- the box on the normal thread page ---------------------------------------------------------


def render_panel(app, person_id: int | None, thread_id: int) -> str:
    with app.test_request_context("/"):
        if person_id is not None:
            login_user(db.session.get(User, person_id))
        html = render_template("research/_panel.html", thread=db.session.get(Thread, thread_id))
        db.session.remove()
    return html


def test_the_panel_shows_codes_to_researchers_only(
    app, researching, researcher, member, moderator, forum
):
    thread_id = forum["opening"].thread_id
    code_thread(researching, thread_id, forum["codes"][0])
    html = render_panel(app, researcher.id, thread_id)
    assert "Coderen" in html
    assert "Vertrouwen" in html
    assert f'href="/onderzoek/gesprek/{thread_id}"' in html
    for person in (member.id, moderator.id, None):
        assert render_panel(app, person, thread_id).strip() == ""


def test_a_hidden_post_keeps_its_coding_but_not_its_text_on_the_code_page(app, researching, forum):
    from forum.discussions import services
    from forum.discussions.models import PostStatus

    opening, trust = forum["opening"], forum["codes"][0]
    reply = forum["reply"]
    code_passage(researching, reply.thread_id, reply.id, trust, "Herkenbaar en lastig")
    with app.app_context():
        services.set_status(db.session.get(Post, reply.id), PostStatus.HIDDEN)
        db.session.commit()
    page = researching.get(f"/onderzoek/codes/{trust}")
    assert "Herkenbaar en lastig" not in page.text
    assert "niet meer zichtbaar" in page.text
    thread_page = researching.get(f"/onderzoek/gesprek/{opening.thread_id}")
    assert "Herkenbaar en lastig" not in thread_page.text
    assert len(rows(app, PassageCoding)) == 1
