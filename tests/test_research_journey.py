"""Issue 5's whole journey over HTTP: a researcher codes three threads and two passages, writes a
memo, sees it in the insights, creates a project and exports all three formats; the exports hold
exactly the consented, approved posts under pseudonyms with masked contact details; the .qdpx
validates with offsets that cut the coded passages; a member who withdraws consent becomes a
placeholder in the next export and appears on the withdrawn list."""

from __future__ import annotations

import re

import sqlalchemy as sa

from forum.db import db
from forum.research.models import Code
from tests.helpers import login, set_site, submit, write_reply, write_thread
from tests.test_coding import add_memo, code_passage, code_thread, consenting
from tests.test_exports import (  # noqa: F401  (research_key is a fixture)
    export_file,
    jsonl_rows,
    new_project,
    pseudonym_of,
    research_key,
)
from tests.test_moderation_journey import moderate
from tests.test_qdpx import SCHEMA, open_qdpx, selections

PASSAGE_ONE = "een vast moment voor een kop koffie"
PASSAGE_TWO = "ouders die zelf het gesprek leiden"


def test_the_whole_research_journey(app, users, researcher, research_key):  # noqa: F811
    set_site(app, "trust_threshold", "0")
    anna = users.make(email="anna@example.org", name="Anna Aalders")
    bert = users.make(email="bert@example.org", name="Bert Bos")
    consenting(app, anna)
    consenting(app, bert)
    threads = [
        write_thread(
            app,
            anna,
            title=f"Ouders betrekken, deel {n}",
            body=f"Wat bij ons werkt is {PASSAGE_ONE} bij de deur. Mail me: anna@example.org",
        )
        for n in range(3)
    ]
    reply = write_reply(
        app, bert, threads[0].thread_id, body=f"Wij hebben goede ervaring met {PASSAGE_TWO}."
    )
    quiet = users.make(email="stil@example.org", name="Stille Sanne")  # no consent
    silent = write_reply(app, quiet, threads[0].thread_id, body="Dit wil ik liever niet delen.")

    # The e-mail address made the opening posts wait: a moderator approves them.
    moderator = app.test_client()
    login(moderator, users.make(roles=["moderator"]).email)
    for ref in threads:
        assert ref.status == "pending"
        assert moderate(moderator, ref.id, "goedkeuren").status_code == 302

    client = app.test_client()
    login(client, researcher.email)
    loaded = submit(client, "/onderzoek/codes/startcodes", {}, form_url="/onderzoek/codes")
    assert loaded.status_code == 302
    with app.app_context():
        codes = [c.id for c in db.session.scalars(sa.select(Code).order_by(Code.id)).all()][:2]

    # Three threads and two passages coded, a memo written.
    for ref in threads:
        assert code_thread(client, ref.thread_id, codes[0]).status_code == 302
    assert (
        code_passage(client, threads[0].thread_id, threads[0].id, codes[1], PASSAGE_ONE)
    ).status_code == 302
    assert (
        code_passage(client, threads[0].thread_id, reply.id, codes[1], PASSAGE_TWO)
    ).status_code == 302
    memo_page = f"/onderzoek/gesprek/{threads[0].thread_id}"
    memo = add_memo(
        client, f"{memo_page}/notitie", memo_page, "notitie", "Koffie als drempelverlager."
    )
    assert memo.status_code == 302

    # The insights show it.
    insights = client.get("/onderzoek/inzichten")
    assert insights.status_code == 200
    assert "<svg" in insights.text
    assert re.search(r"<td[^>]*>\s*3\s*</td>", insights.text)  # three coded threads somewhere

    # A project and all three formats.
    project = new_project(client)
    rows = jsonl_rows(export_file(client, project, "jsonl"))
    texts = [row["tekst"] for row in rows]
    assert any(PASSAGE_ONE in text for text in texts)
    assert "[bijdrage zonder toestemming]" in texts  # the silent member's reply, in its place
    assert "Dit wil ik liever niet delen." not in " ".join(texts)
    for row in rows:
        assert "anna@example.org" not in row["tekst"]
        assert "Anna" not in (row["deelnemer"] or "")
    assert {
        row["deelnemer"] for row in rows if row["tekst"] != "[bijdrage zonder toestemming]"
    } == {
        pseudonym_of(research_key, anna.id),
        pseudonym_of(research_key, bert.id),
    }
    assert "[e-mail]" in " ".join(texts)
    csv_export = export_file(client, project, "csv")
    assert csv_export.status_code == 200
    assert b"anna@example.org" not in csv_export.data
    qdpx = export_file(client, project, "qdpx")
    root, sources, _zip = open_qdpx(qdpx)
    SCHEMA.assertValid(root)
    cut = [quoted for _code, quoted, _whole in selections(root, sources)]
    assert PASSAGE_ONE in cut
    assert PASSAGE_TWO in cut

    # Bert withdraws consent for his reply: a placeholder next time, and on the withdrawn list.
    bert_client = app.test_client()
    login(bert_client, bert.email)
    withdrawn = submit(
        bert_client,
        f"/bericht/{reply.id}/toestemming",
        {"consent": "0"},
        form_url=f"/gesprek/{threads[0].thread_id}",
    )
    assert withdrawn.status_code == 302
    again = jsonl_rows(export_file(client, project, "jsonl"))
    assert not any(PASSAGE_TWO in row["tekst"] for row in again)
    withdrawn_list = client.get(f"/onderzoek/projecten/{project}").text
    listed = withdrawn_list.split('id="ingetrokken"', 1)[1]
    assert re.search(rf"\b{reply.id}\b", listed)
    assert not re.search(rf"\b{silent.id}\b", listed.split("</section>", 1)[0])
