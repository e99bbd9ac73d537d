"""Research exports over HTTP (CSV and JSON Lines here, REFI-QDA in test_qdpx.py): only approved
posts with consent carry text, pseudonyms, masking, months, the export record and its hash, the
withdrawn list, and that nobody but researchers reaches any of it."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import zipfile
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from forum.accounts.models import Profession
from forum.audit import AuditEntry
from forum.db import db
from forum.discussions import services
from forum.discussions.models import Post, PostStatus
from forum.research.models import (
    Code,
    ExportRecord,
    Memo,
    PassageCoding,
    ResearchProject,
    ThreadCoding,
)
from tests.helpers import csrf_token, login, set_site, submit, write_reply, write_thread

KEY = "onderzoekssleutel-alleen-voor-tests"
OTHER_KEY = "een-heel-andere-onderzoekssleutel"
PLACEHOLDER = "[bijdrage zonder toestemming]"

ANNA_OPENING = (
    "Wij nodigen ouders uit voor een startgesprek. Mail me op anna.jansen@example.nl of bel "
    "06-12345678. Vertrouwen groeit door echt samen te praten."
)
BOB_REPLY = "Ik ben Bob de Vries en bij ons komen ouders altijd te laat."
CARLA_REPLY = "Ouders 👪 voelen zich welkom als je écht luistert. Volg ons op @kinderopvang_zon!"
ANNA_REPLY = "Dank je, dat probeer ik morgen meteen uit."


@dataclass
class World:
    thread1: int
    thread2: int
    pending_thread: int
    anna_opening: int
    bob_reply: int
    carla_reply: int
    anna_reply: int
    pending: int
    hidden: int
    rejected: int
    carla_opening: int
    people: list  # PersonRef of everyone who wrote or exported
    anna_id: int
    carla_id: int


@pytest.fixture
def research_key(app):
    old = app.config.get("FORUM_RESEARCH_KEY")
    app.config["FORUM_RESEARCH_KEY"] = KEY
    yield KEY
    app.config["FORUM_RESEARCH_KEY"] = old


def force(app, post_id: int, status: PostStatus | None = None, consent: bool | None = None):
    """Set a post's status (through the one service that does it) and research consent."""
    with app.test_request_context():
        post = db.session.get(Post, post_id)
        if status is not None and post.status is not status:
            services.set_status(post, status)
        if consent is not None:
            post.research_consent = consent
        db.session.commit()
        db.session.remove()


def offsets(app, post_id: int, quote: str) -> tuple[int, int]:
    with app.app_context():
        body = db.session.get(Post, post_id).body_text
        db.session.remove()
    start = body.index(quote)
    return start, start + len(quote)


def build_world(app, users, researcher) -> World:
    set_site(app, "trust_threshold", "0")
    anna = users.make(email="anna@example.org", name="Anna Jansen")
    bob = users.make(email="bob@example.org", name="Bob de Vries")
    carla = users.make(
        email="carla@example.org", name="Carla Smit", profession=Profession.GASTOUDER
    )
    opening = write_thread(app, anna, body=ANNA_OPENING, title="Startgesprek: bel 0612345678")
    force(app, opening.id, PostStatus.APPROVED, consent=True)
    thread1 = opening.thread_id
    bob_reply = write_reply(app, bob, thread1, BOB_REPLY)
    force(app, bob_reply.id, PostStatus.APPROVED, consent=False)
    carla_reply = write_reply(app, carla, thread1, CARLA_REPLY)
    force(app, carla_reply.id, PostStatus.APPROVED, consent=True)
    pending = write_reply(app, carla, thread1, "Deze reactie wacht nog op een moderator.")
    force(app, pending.id, PostStatus.PENDING, consent=True)
    hidden = write_reply(app, bob, thread1, "Deze reactie is verborgen door een moderator.")
    force(app, hidden.id, PostStatus.HIDDEN, consent=True)
    rejected = write_reply(app, anna, thread1, "Deze reactie is afgewezen door een moderator.")
    force(app, rejected.id, PostStatus.REJECTED, consent=True)
    anna_reply = write_reply(app, anna, thread1, ANNA_REPLY)
    force(app, anna_reply.id, PostStatus.APPROVED, consent=True)
    second = write_thread(
        app,
        carla,
        body="Bij de kinderopvang begroeten we elke ouder bij naam.",
        title="Een warm welkom",
        setting_id=2,
        kind="example",
    )
    force(app, second.id, PostStatus.APPROVED, consent=True)
    waiting = write_thread(app, anna, body="Een gesprek dat nog wacht.", title="Wacht nog")
    force(app, waiting.id, PostStatus.PENDING, consent=True)

    trust_at = offsets(app, opening.id, "Vertrouwen groeit door echt samen te praten")
    mail_at = offsets(app, opening.id, "Mail me op anna.jansen@example.nl")
    listen_at = offsets(app, carla_reply.id, "écht luistert")
    bob_at = offsets(app, bob_reply.id, "ouders altijd te laat")
    with app.app_context():
        parent = Code(name="Samenwerking", colour="#123456", definition="Samen optrekken.")
        trust = Code(
            name="Vertrouwen",
            parent=parent,
            colour="#aa0000",
            use_when="Als iemand over vertrouwen praat.",
            example="Bel me gerust: 0612345678",
        )
        communication = Code(name="Communicatie", colour="#00aa00")
        archived = Code(name="Oud", archived=True)
        db.session.add_all([parent, trust, communication, archived])
        db.session.flush()
        db.session.add_all(
            [
                ThreadCoding(thread_id=thread1, code_id=trust.id),
                ThreadCoding(thread_id=second.thread_id, code_id=communication.id),
            ]
        )

        def passage(post_id, code, at, quote):
            coding = PassageCoding(
                post_id=post_id, code_id=code.id, start_offset=at[0], end_offset=at[1], quote=quote
            )
            db.session.add(coding)
            db.session.flush()
            return coding

        first = passage(opening.id, trust, trust_at, "Vertrouwen groeit door echt samen te praten")
        passage(opening.id, communication, mail_at, "Mail me op anna.jansen@example.nl")
        passage(carla_reply.id, communication, listen_at, "écht luistert")
        passage(bob_reply.id, trust, bob_at, "ouders altijd te laat")
        db.session.add_all(
            [
                Memo(thread_id=thread1, text="Sterk voorbeeld; vraag onderzoeker@nji.nl ernaar."),
                Memo(passage_id=first.id, text="Kernpassage over vertrouwen."),
                Memo(code_id=trust.id, text="Let op het verschil met communicatie."),
            ]
        )
        db.session.commit()
        db.session.remove()
    return World(
        thread1=thread1,
        thread2=second.thread_id,
        pending_thread=waiting.thread_id,
        anna_opening=opening.id,
        bob_reply=bob_reply.id,
        carla_reply=carla_reply.id,
        anna_reply=anna_reply.id,
        pending=pending.id,
        hidden=hidden.id,
        rejected=rejected.id,
        carla_opening=second.id,
        people=[anna, bob, carla, researcher],
        anna_id=anna.id,
        carla_id=carla.id,
    )


@pytest.fixture
def world(app, users, researcher) -> World:
    return build_world(app, users, researcher)


def new_project(client, **fields) -> int:
    data = {"name": "Ouders betrekken", "question": "Hoe betrekken professionals ouders?"}
    response = submit(client, "/onderzoek/projecten/nieuw", {**data, **fields})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def export_file(client, project_id: int, fmt: str):
    page = f"/onderzoek/projecten/{project_id}"
    return submit(client, f"{page}/export", {"format": fmt}, form_url=page)


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def jsonl_rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    return [json.loads(line) for line in response.data.decode("utf-8").splitlines()]


def pseudonym_of(key: str, user_id: int) -> str:
    digest = hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()
    return "deelnemer-" + digest[:10]


@pytest.fixture
def researcher_client(client, researcher, research_key):
    login(client, researcher.email)
    return client


def test_only_approved_posts_and_placeholders_in_order(app, world, researcher_client):
    project = new_project(researcher_client)
    rows = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    first = [row for row in rows if row["titel"].startswith("Startgesprek")]
    assert [row["volgnummer"] for row in first] == [1, 2, 3, 4]
    texts = [row["tekst"] for row in first]
    assert (texts[1], texts[3]) == (PLACEHOLDER, ANNA_REPLY)
    assert (texts[0][:22], texts[2][:8]) == ("Wij nodigen ouders uit", "Ouders 👪")
    placeholder = first[1]
    assert (placeholder["deelnemer"], placeholder["beroep"]) == (None, None)
    assert (placeholder["gesprekscodes"], placeholder["passagecodes"]) == ([], [])
    body = json.dumps(rows, ensure_ascii=False)
    for absent in ("wacht nog op een moderator", "verborgen door", "afgewezen door", "Wacht nog"):
        assert absent not in body
    assert ("Bob de Vries" in body, "altijd te laat" in body) == (False, False)
    assert (len(rows), {row["werkveld"] for row in rows}) == (5, {"Onderwijs", "Kinderopvang"})
    assert {row["werkveld_code"] for row in rows} == {"school", "childcare"}
    assert (first[0]["soort"], rows[-1]["soort"]) == ("Vraag", "Voorbeeld")
    assert (first[0]["soort_code"], rows[-1]["soort_code"]) == ("question", "example")
    assert (placeholder["beroep_code"], first[0]["beroep_code"]) == (None, "leerkracht")


def test_pseudonyms_stable_per_key_and_different_with_another(app, world, researcher_client):
    project = new_project(researcher_client)
    first = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    again = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    assert [row["deelnemer"] for row in first] == [row["deelnemer"] for row in again]
    anna = pseudonym_of(KEY, world.anna_id)
    by_anna = [row for row in first if row["deelnemer"] == anna]
    assert [row["tekst"][:10] for row in by_anna] == ["Wij nodige", "Dank je, d"]
    assert {(row["beroep"], row["beroep_code"]) for row in by_anna} == {
        ("Leerkracht", "leerkracht")
    }
    carla = [row for row in first if row["deelnemer"] == pseudonym_of(KEY, world.carla_id)]
    assert (len(carla), {row["beroep"] for row in carla}) == (2, {"Gastouder"})
    app.config["FORUM_RESEARCH_KEY"] = OTHER_KEY
    other = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    assert pseudonym_of(OTHER_KEY, world.anna_id) in {row["deelnemer"] for row in other}
    assert not {row["deelnemer"] for row in first if row["deelnemer"]} & {
        row["deelnemer"] for row in other
    }
    assert first[0]["gesprek"] != other[0]["gesprek"]
    for row in first + other:
        if row["deelnemer"]:
            assert re.fullmatch(r"deelnemer-[0-9a-f]{10}", row["deelnemer"])


def test_masking_and_months(app, world, researcher_client):
    project = new_project(researcher_client)
    rows = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    opening, carla = rows[0], rows[2]
    assert "Mail me op [e-mail] of bel [telefoonnummer]." in opening["tekst"]
    assert opening["titel"] == "Startgesprek: bel [telefoonnummer]"
    assert carla["tekst"].endswith("Volg ons op [account]!")
    assert all(re.fullmatch(r"\d{4}-\d{2}", row["maand"]) for row in rows)
    raw = json.dumps(rows, ensure_ascii=False)
    for secret in ("anna.jansen@example.nl", "12345678", "@kinderopvang_zon"):
        assert secret not in raw


def test_passage_codes_point_at_the_masked_text(app, world, researcher_client):
    project = new_project(researcher_client)
    rows = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    opening, carla = rows[0], rows[2]
    cut = {p["code"]: opening["tekst"][p["start"] : p["end"]] for p in opening["passagecodes"]}
    assert cut == {
        "Vertrouwen": "Vertrouwen groeit door echt samen te praten",
        "Communicatie": "Mail me op [e-mail]",
    }
    assert all(
        p["tekst"] == opening["tekst"][p["start"] : p["end"]] for p in opening["passagecodes"]
    )
    (listen,) = carla["passagecodes"]
    assert carla["tekst"][listen["start"] : listen["end"]] == "écht luistert"
    assert opening["gesprekscodes"] == ["Vertrouwen"]
    assert rows[-1]["gesprekscodes"] == ["Communicatie"]


def test_csv_has_the_same_rows_and_guards_formulas(app, world, users, researcher_client):
    sneaky = write_reply(app, users.make(), world.thread1, '=HYPERLINK("http://x")')
    force(app, sneaky.id, PostStatus.APPROVED, consent=True)
    project = new_project(researcher_client)
    response = export_file(researcher_client, project, "csv")
    rows = csv_rows(response)
    assert response.mimetype == "text/csv"
    assert list(rows[0]) == [
        "gesprek", "bijdrage", "volgnummer", "titel", "werkveld", "werkveld_code", "soort",
        "soort_code", "maand", "deelnemer", "beroep", "beroep_code", "tekst", "gesprekscodes",
        "passagecodes",
    ]  # fmt: skip
    assert (rows[0]["werkveld"], rows[0]["soort"], rows[0]["beroep"]) == (
        "Onderwijs",
        "Vraag",
        "Leerkracht",
    )
    assert (rows[1]["beroep"], rows[1]["beroep_code"]) == ("", "")  # a placeholder
    assert [row["tekst"] for row in rows][1] == PLACEHOLDER
    assert rows[0]["passagecodes"] == "Communicatie [46-65]; Vertrouwen [91-134]"
    assert '\'=HYPERLINK("http://x")' in [row["tekst"] for row in rows]
    assert not any(cell.startswith("=") for row in rows for cell in row.values())


def test_no_personal_data_in_any_export_file(app, world, researcher_client):
    project = new_project(researcher_client)
    forbidden = [p.email for p in world.people] + [p.name for p in world.people]
    forbidden += ["anna.jansen@example.nl", "onderzoeker@nji.nl", app.config["SECRET_KEY"], KEY]
    for fmt in ("csv", "jsonl", "qdpx"):
        response = export_file(researcher_client, project, fmt)
        assert response.status_code == 200
        texts = [response.data.decode("utf-8-sig")] if fmt != "qdpx" else []
        if fmt == "qdpx":
            with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
                texts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
        blob = "\n".join(texts)
        assert "Wij nodigen ouders uit" in blob  # the export did carry text
        leaked = [value for value in forbidden if value.lower() in blob.lower()]
        assert leaked == [], fmt


def test_export_record_hash_download_and_audit(app, world, researcher, researcher_client):
    project = new_project(researcher_client)
    response = export_file(researcher_client, project, "jsonl")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=dorpsplein-project-\d+-[\d-]+\.jsonl", disposition)
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        record = db.session.scalars(sa.select(ExportRecord)).one()
        assert record.file_hash == hashlib.sha256(response.data).hexdigest()
        assert (record.project_id, record.requester_id, record.format.value) == (
            project,
            researcher.id,
            "jsonl",
        )
        assert sorted(record.post_ids) == sorted(
            [world.anna_opening, world.carla_reply, world.anna_reply, world.carla_opening]
        )
        counts = record.counts
        assert (counts["threads"], counts["posts"], counts["placeholders"]) == (2, 4, 1)
        assert record.filters["settings"] == []
        audit = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "research_export.created")
        ).one()
        assert (audit.actor_id, audit.target_id) == (researcher.id, record.id)
        assert "Wij nodigen" not in json.dumps(audit.data)
        file_hash = record.file_hash
        db.session.remove()
    listing = researcher_client.get("/onderzoek/exports")
    assert listing.status_code == 200
    assert (file_hash in listing.text, "Ouders betrekken" in listing.text) == (True, True)
    assert file_hash in researcher_client.get(f"/onderzoek/projecten/{project}").text


def test_export_refused_without_research_key(app, world, researcher, client):
    login(client, researcher.email)
    old = app.config.get("FORUM_RESEARCH_KEY")
    app.config["FORUM_RESEARCH_KEY"] = ""
    try:
        project = new_project(client)
        page = client.get(f"/onderzoek/projecten/{project}")
        assert "FORUM_RESEARCH_KEY" in page.text
        app.config["FORUM_RESEARCH_KEY"] = KEY
        token_page = client.get(f"/onderzoek/projecten/{project}")
        app.config["FORUM_RESEARCH_KEY"] = ""
        response = client.post(
            f"/onderzoek/projecten/{project}/export",
            data={"format": "csv", "csrf_token": csrf_token(token_page.text)},
        )
        assert response.status_code == 302
        assert "onderzoekssleutel" in client.get(response.headers["Location"]).text
        app.config["FORUM_RESEARCH_KEY"] = app.config["SECRET_KEY"]
        response = client.post(
            f"/onderzoek/projecten/{project}/export",
            data={"format": "csv", "csrf_token": csrf_token(token_page.text)},
        )
        assert response.status_code == 302
        with app.app_context():
            assert db.session.scalars(sa.select(ExportRecord)).all() == []
            db.session.remove()
    finally:
        app.config["FORUM_RESEARCH_KEY"] = old


def test_withdrawn_consent_becomes_placeholder_and_is_listed(app, world, researcher_client):
    project = new_project(researcher_client)
    before = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    assert before[3]["tekst"] == ANNA_REPLY
    page = researcher_client.get(f"/onderzoek/projecten/{project}").text
    assert "Geen: alle geëxporteerde bijdragen" in page
    force(app, world.anna_reply, consent=False)  # the member withdraws consent
    force(app, world.carla_opening, PostStatus.HIDDEN)  # a moderator hides a post
    page = researcher_client.get(f"/onderzoek/projecten/{project}").text
    listed = [int(n) for n in re.findall(r'<span class="withdrawn-id">(\d+)</span>', page)]
    assert sorted(listed) == sorted([world.anna_reply, world.carla_opening])
    assert ("toestemming ingetrokken" in page, "verborgen of verwijderd" in page) == (True, True)
    after = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    assert (after[3]["tekst"], after[3]["deelnemer"]) == (PLACEHOLDER, None)
    assert len(after) == 4  # the hidden thread is gone
    with app.app_context():
        newest = db.session.scalars(
            sa.select(ExportRecord).order_by(ExportRecord.id.desc())
        ).first()
        assert world.anna_reply not in newest.post_ids
        db.session.remove()


def test_project_selection_filters_threads(app, world, researcher_client):
    by_setting = new_project(researcher_client, settings=["2"])
    rows = jsonl_rows(export_file(researcher_client, by_setting, "jsonl"))
    assert {(row["werkveld"], row["werkveld_code"]) for row in rows} == {
        ("Kinderopvang", "childcare")
    }
    by_kind = new_project(researcher_client, kinds=["question"])
    assert {
        row["soort"] for row in jsonl_rows(export_file(researcher_client, by_kind, "jsonl"))
    } == {"Vraag"}
    with app.app_context():
        trust = db.session.scalar(sa.select(Code.id).where(Code.name == "Vertrouwen"))
        db.session.remove()
    by_code = new_project(researcher_client, codes=[str(trust)])
    rows = jsonl_rows(export_file(researcher_client, by_code, "jsonl"))
    assert {row["titel"] for row in rows} == {"Startgesprek: bel [telefoonnummer]"}
    future = new_project(researcher_client, period_start="2999-01-01")
    assert jsonl_rows(export_file(researcher_client, future, "jsonl")) == []
    past = new_project(researcher_client, period_end="2000-12-31")
    assert jsonl_rows(export_file(researcher_client, past, "jsonl")) == []


def test_edited_post_keeps_codings_that_still_match(app, world, researcher_client):
    with app.app_context():
        post = db.session.get(Post, world.anna_opening)
        post.body_text = "Een nieuwe eerste zin. " + post.body_text.replace("Mail me op", "Mail")
        db.session.commit()
        db.session.remove()
    project = new_project(researcher_client)
    rows = jsonl_rows(export_file(researcher_client, project, "jsonl"))
    opening = rows[0]
    assert [p["code"] for p in opening["passagecodes"]] == ["Vertrouwen"]
    (kept,) = opening["passagecodes"]
    assert opening["tekst"][kept["start"] : kept["end"]] == kept["tekst"]
    assert kept["tekst"] == "Vertrouwen groeit door echt samen te praten"
    with app.app_context():
        record = db.session.scalars(sa.select(ExportRecord)).one()
        assert record.counts["passages_skipped"] == 1
        db.session.remove()


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_research_pages_are_404_for_everyone_else(app, world, users, client, who, research_key):
    researcher_client = app.test_client()
    login(researcher_client, world.people[-1].email)
    project = new_project(researcher_client)
    if who != "visitor":
        person = users.make(roles=["moderator"] if who == "moderator" else [])
        login(client, person.email)
    get = [
        "/onderzoek/projecten",
        "/onderzoek/projecten/nieuw",
        f"/onderzoek/projecten/{project}",
        f"/onderzoek/projecten/{project}/bewerken",
        "/onderzoek/exports",
        f"/onderzoek/projecten/{project}/exports/1/bestand",
    ]
    for url in get:
        assert client.get(url).status_code == 404, url
    home = client.get("/account/inloggen" if who == "visitor" else "/")
    token = csrf_token(home.text)  # a valid token of this session: only the role is wrong
    post = {
        f"/onderzoek/projecten/{project}/export": {"format": "csv"},
        "/onderzoek/projecten/nieuw": {"name": "x", "question": "y"},
        f"/onderzoek/projecten/{project}/bewerken": {"name": "x", "question": "y"},
    }
    for url, data in post.items():
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 404, url
    adapter = app.url_map.bind("localhost")
    covered = {(adapter.match(url, method="GET")[0], "GET") for url in get}
    covered |= {(adapter.match(url, method="POST")[0], "POST") for url in post}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("research_exports.")
        for method in rule.methods & {"GET", "POST"}
    }
    assert routes == covered  # a new page must be added to this test
    with app.app_context():
        assert db.session.scalars(sa.select(ExportRecord)).all() == []
        names = db.session.scalars(sa.select(ResearchProject.name)).all()
        assert names == ["Ouders betrekken"]  # neither created nor renamed
        db.session.remove()


def test_the_interest_list_uses_the_same_dutch_vocabulary(app, client, researcher_client):
    from tests.test_interest import EXPORT, read_csv, sign_up

    sign_up(app.test_client())
    page = "/onderzoek/meedenkers"
    data = {"lang": "en", "next": page}
    assert submit(researcher_client, "/account/taal", data, form_url=page).status_code == 302
    assert '<html lang="en">' in researcher_client.get(page).text  # English on screen
    header, row = read_csv(researcher_client.get(EXPORT))
    cells = dict(zip(header, row, strict=True))
    assert (cells["beroep"], cells["beroep_code"]) == (
        "Pedagogisch medewerker",
        "pedagogisch_medewerker",
    )
    assert (cells["werkveld"], cells["werkveld_code"]) == ("Kinderopvang", "childcare")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells["aangemeld_op"])
