"""Meedenken: professionals sign up once per address on a public page; researchers list, filter,
mark as contacted, export and remove entries on request. Nobody else reaches the list."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.research.models import InterestEntry
from tests.helpers import login, submit

SIGNUP = "/meedenken"
THANKS = "/meedenken/bedankt"
LIST = "/onderzoek/meedenkers"
EXPORT = "/onderzoek/meedenkers.csv"


def details(**changes: str) -> dict[str, str]:
    return {
        "name": "Anna de Vries",
        "email": "Anna@Example.org",
        "profession": "pedagogisch_medewerker",
        "setting": "2",
        "topic": "Hoe je samen met ouders de overstap naar school voorbereidt.",
        "consent": "y",
        **changes,
    }


def sign_up(client, **changes: str):
    return submit(client, SIGNUP, details(**changes))


def stored(app) -> list[InterestEntry]:
    with app.app_context():
        rows = db.session.scalars(sa.select(InterestEntry).order_by(InterestEntry.id)).all()
        db.session.expunge_all()
    return list(rows)


def audit_rows(app, prefix: str = "interest.") -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.id)
        ).all()
        db.session.expunge_all()
    return list(rows)


@pytest.fixture
def researcher_client(app, researcher):
    client = app.test_client()
    login(client, researcher.email)
    return client


def entry_id(app, email: str) -> int:
    return next(e.id for e in stored(app) if e.email_normalized == email.lower())


# --- signing up -----------------------------------------------------------------------------------


def test_the_page_invites_and_explains_what_happens_with_the_data(client):
    page = client.get(SIGNUP)
    assert page.status_code == 200
    assert "Meedenken" in page.text
    assert "Wil je niet meer op de lijst staan? Mail naar privacy@nji.nl." in page.text
    assert "Pedagogisch medewerker" in page.text  # the forum's own professions
    assert "Kinderopvang" in page.text  # and werkvelden
    assert 'name="consent"' in page.text


def test_a_sign_up_is_stored_and_thanked(app, client):
    answer = sign_up(client)
    assert answer.status_code == 302
    assert answer.headers["Location"] == THANKS
    assert "Dank je wel! Je staat op de lijst om mee te denken." in client.get(THANKS).text
    [entry] = stored(app)
    assert (entry.name, entry.email, entry.email_normalized) == (
        "Anna de Vries",
        "Anna@Example.org",
        "anna@example.org",
    )
    assert (entry.profession.value, entry.setting_id, entry.consent_to_contact) == (
        "pedagogisch_medewerker",
        2,
        True,
    )
    assert entry.topic.startswith("Hoe je samen met ouders")
    assert entry.contacted_at is None


def test_a_second_sign_up_with_the_same_address_looks_the_same_and_changes_nothing(app, client):
    first = sign_up(client)
    second = sign_up(
        app.test_client(), name="Iemand Anders", email="  ANNA@example.ORG ", topic="Iets anders"
    )
    assert second.status_code == first.status_code == 302
    assert second.headers["Location"] == first.headers["Location"] == THANKS
    [entry] = stored(app)
    assert (entry.name, entry.topic) == ("Anna de Vries", details()["topic"])


def test_consent_to_be_contacted_is_required(app, client):
    answer = sign_up(client, consent="")
    assert answer.status_code == 400
    assert "Zonder deze toestemming kunnen we geen contact met je opnemen." in answer.text
    assert stored(app) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Anna\x00"}, "nul-byte"),
        ({"topic": "Ouders " + "x" * 5000}, "Hoogstens 2000 tekens."),
        ({"name": "A" * 101}, "Een naam heeft hoogstens 100 tekens."),
        ({"email": "geen-adres"}, "Dit is geen geldig e-mailadres."),
        ({"email": "a@" + "b" * 300 + ".nl"}, "Dit is geen geldig e-mailadres."),
        ({"topic": ""}, "Schrijf kort waarover je zou willen praten."),
        ({"profession": "astronaut"}, "Ongeldige keuze"),
        ({"setting": "999"}, "Ongeldige keuze"),
        ({"setting": "abc"}, "Ongeldige keuze"),
    ],
)
def test_bad_input_gives_form_errors_not_a_crash(app, client, changes, message):
    answer = sign_up(client, **changes)
    assert answer.status_code == 400
    assert message in answer.text
    assert stored(app) == []


def test_without_the_csrf_token_nothing_is_stored(app, client):
    assert client.post(SIGNUP, data=details()).status_code == 400
    assert stored(app) == []


def test_sign_ups_are_rate_limited_per_address_but_mistakes_do_not_count(app, client):
    for _attempt in range(6):
        assert sign_up(client, email="").status_code == 400
    for number in range(5):
        assert sign_up(client, email=f"collega{number}@example.org").status_code == 302
    assert sign_up(client, email="collega5@example.org").status_code == 429
    assert len(stored(app)) == 5


# --- who reaches the list -------------------------------------------------------------------------


def test_visitors_members_and_moderators_get_404_on_every_researcher_page(
    app, client, users, member, moderator
):
    sign_up(client)
    number = entry_id(app, "anna@example.org")
    for person in (None, member, moderator):
        other = app.test_client()
        if person is not None:
            login(other, person.email)
        assert other.get(LIST).status_code == 404
        assert other.get(EXPORT).status_code == 404
        assert other.get(f"{LIST}/{number}/verwijderen").status_code == 404
        for url, data in (
            (f"{LIST}/{number}/benaderd", {}),
            (f"{LIST}/{number}/verwijderen", {"confirm": "y"}),
        ):
            assert submit(other, url, data, form_url=SIGNUP).status_code == 404
    [entry] = stored(app)
    assert entry.contacted_at is None
    assert audit_rows(app) == []


def test_researchers_and_admins_see_the_list(app, client, researcher_client, admin):
    sign_up(client)
    page = researcher_client.get(LIST)
    assert page.status_code == 200
    assert "Anna de Vries" in page.text
    assert "Anna@Example.org" in page.text
    assert "Nog niet benaderd" in page.text
    boss = app.test_client()
    login(boss, admin.email)
    assert "Anna de Vries" in boss.get(LIST).text


def test_the_list_filters_by_werkveld_profession_and_contacted(app, client, researcher_client):
    sign_up(client)
    sign_up(
        client,
        name="Bram Leerkracht",
        email="bram@example.org",
        profession="leerkracht",
        setting="1",
    )
    submit(researcher_client, f"{LIST}/{entry_id(app, 'bram@example.org')}/benaderd", {}, LIST)

    def names(query: str) -> tuple[bool, bool]:
        text = researcher_client.get(f"{LIST}?{query}").text
        return "Anna de Vries" in text, "Bram Leerkracht" in text

    assert names("") == (True, True)
    assert names("werkveld=1") == (False, True)
    assert names("werkveld=2") == (True, False)
    assert names("beroep=leerkracht") == (False, True)
    assert names("benaderd=ja") == (False, True)
    assert names("benaderd=nee") == (True, False)
    assert names("werkveld=2&benaderd=ja") == (False, False)
    wrong = researcher_client.get(f"{LIST}?beroep=astronaut")
    assert wrong.status_code == 400
    assert "Anna de Vries" not in wrong.text


# --- contacted, removed ---------------------------------------------------------------------------


def test_marking_as_contacted_is_kept_and_audited(app, client, researcher, researcher_client):
    sign_up(client)
    number = entry_id(app, "anna@example.org")
    answer = submit(researcher_client, f"{LIST}/{number}/benaderd", {}, LIST)
    assert answer.status_code == 302
    [entry] = stored(app)
    assert entry.contacted_at is not None
    assert entry.contacted_by_id == researcher.id
    [entry_audit] = audit_rows(app)
    assert (entry_audit.actor_id, entry_audit.action, entry_audit.target_id) == (
        researcher.id,
        "interest.contacted",
        number,
    )
    assert "anna" not in str(entry_audit.data).lower()

    again = submit(researcher_client, f"{LIST}/{number}/benaderd", {}, LIST)
    page = researcher_client.get(again.headers["Location"])
    assert "Dit was al gemarkeerd als benaderd door Onderzoeker Ot." in page.text
    assert len(audit_rows(app)) == 1


def test_removal_on_request_needs_a_confirmation_and_deletes_the_row(
    app, client, researcher, researcher_client
):
    sign_up(client)
    sign_up(client, name="Blijft Staan", email="blijft@example.org")
    number = entry_id(app, "anna@example.org")
    url = f"{LIST}/{number}/verwijderen"
    page = researcher_client.get(url)
    assert page.status_code == 200
    assert "Anna de Vries" in page.text

    unconfirmed = submit(researcher_client, url, {"confirm": ""})
    assert unconfirmed.status_code == 400
    assert "Vink aan dat je de aanmelding wilt verwijderen." in unconfirmed.text
    assert len(stored(app)) == 2

    done = submit(researcher_client, url, {"confirm": "y", "reason": "per mail aan privacy@nji.nl"})
    assert done.status_code == 302
    assert [e.name for e in stored(app)] == ["Blijft Staan"]
    [removal] = audit_rows(app)
    assert (removal.actor_id, removal.action, removal.target_id) == (
        researcher.id,
        "interest.removed",
        number,
    )
    assert "anna" not in f"{removal.data} {removal.reason}".lower()
    assert researcher_client.get(url).status_code == 404
    # Removed means removed: the same address can sign up again.
    sign_up(app.test_client())
    assert len(stored(app)) == 2


# --- export ---------------------------------------------------------------------------------------


def read_csv(answer) -> list[list[str]]:
    text = answer.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_the_filtered_list_and_the_export_is_audited(
    app, client, researcher, researcher_client
):
    sign_up(client)
    sign_up(
        client,
        name="Bram Leerkracht",
        email="bram@example.org",
        profession="leerkracht",
        setting="1",
    )
    answer = researcher_client.get(f"{EXPORT}?werkveld=2")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["Cache-Control"] == "no-store"
    header, *rows = read_csv(answer)
    assert header[:5] == ["naam", "e-mailadres", "beroep", "werkveld", "onderwerp"]
    assert len(rows) == 1
    assert rows[0][:6] == [
        "Anna de Vries",
        "Anna@Example.org",
        "Pedagogisch medewerker",
        "Kinderopvang",
        details()["topic"],
        "ja",
    ]
    [export] = audit_rows(app)
    assert (export.actor_id, export.action) == (researcher.id, "interest.exported")
    assert export.data["count"] == 1
    assert export.data["filters"]["setting_id"] == 2
    assert "anna" not in str(export.data).lower()

    everyone = read_csv(researcher_client.get(EXPORT))
    assert len(everyone) == 3


def test_the_csv_cannot_smuggle_formulas_into_a_spreadsheet(app, client, researcher_client):
    sign_up(client, name='=HYPERLINK("http://kwaad.example","klik")', topic="+31 6 1234 5678")
    sign_up(client, name="@SUM(A1:A9)", email="twee@example.org", topic="-2+3")
    rows = read_csv(researcher_client.get(EXPORT))[1:]
    cells = {cell for row in rows for cell in row}
    assert '\'=HYPERLINK("http://kwaad.example","klik")' in cells
    assert "'+31 6 1234 5678" in cells
    assert "'@SUM(A1:A9)" in cells
    assert "'-2+3" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_a_bad_filter_exports_nothing(app, client, researcher_client):
    sign_up(client)
    assert researcher_client.get(f"{EXPORT}?werkveld=abc").status_code == 400
    assert audit_rows(app) == []
