"""Accounts through the real forms: register, verify, log in and out, passwords, profile, modes."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from werkzeug.security import check_password_hash

from forum import policy
from forum.accounts import services as accounts
from forum.accounts.models import ConsentRecord, EmailToken, Profession, Role, TokenPurpose
from forum.audit import AuditEntry
from forum.db import db, utcnow
from forum.security import safe_next_url
from tests.helpers import PASSWORD, csrf_token, link_in_mail, login, outbox, submit

REGISTER = "/account/registreren"
LOGIN = "/account/inloggen"
RESET = "/account/wachtwoord-vergeten"
NEW_PASSWORD = "een-heel-ander-wachtwoord"
SENT = "Kijk in je mail"
INVALID_LINK = "Deze link werkt niet meer"


def form(email: str = "anna@example.org", **overrides: str) -> dict[str, str]:
    data = {
        "email": email,
        "display_name": "Anna de Vries",
        "password": PASSWORD,
        "profession": "pedagogisch_medewerker",
        "main_setting": "2",
        "accept_guidelines": "y",
    }
    return {**data, **overrides}


def user_count(app, email: str) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(db.func.count())
            .select_from(accounts.User)
            .where(accounts.User.email_normalized == email.lower())
        ).scalar_one()


def blank_values(html: str, *texts: str) -> str:
    """A page with every value attribute (CSRF tokens, echoed input) and ``texts`` blanked."""
    html = re.sub(r'value="[^"]*"', 'value=""', html)
    for text in texts:
        html = html.replace(text, "…")
    return html


def set_mode(app, admin_email: str, mode: str) -> None:
    client = app.test_client()
    login(client, admin_email)
    answer = submit(client, "/beheer/instellingen", {"registration_mode": mode, "public_read": "0"})
    assert answer.status_code == 302


def expire_tokens(app, purpose: TokenPurpose) -> None:
    with app.app_context():
        db.session.execute(
            db.update(EmailToken)
            .where(EmailToken.purpose == purpose)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()


# --- registration ---------------------------------------------------------------------------


def test_register_stores_every_field_and_mails_a_verification_link(app, client):
    answer = submit(client, REGISTER, form("Anna@Example.org"))
    assert answer.status_code == 200
    assert SENT in answer.text
    with app.app_context():
        user = accounts.user_by_email("anna@example.org")
        assert (user.email, user.display_name, user.profession, user.main_setting_id) == (
            "Anna@Example.org", "Anna de Vries", Profession.PEDAGOGISCH_MEDEWERKER, 2
        )  # fmt: skip
        assert user.guidelines_accepted_at is not None
        assert (user.email_verified, user.approved, user.research_consent) == (False, True, False)
        assert user.roles == {Role.MEMBER}
        assert user.password_hash.startswith("scrypt:")
        assert check_password_hash(user.password_hash, PASSWORD)
        records = db.session.execute(db.select(ConsentRecord)).scalars().all()
        assert [(r.user_id, r.granted) for r in records] == [(user.id, False)]
    [(to, subject, _body)] = outbox(app)
    assert (to, subject) == ("Anna@Example.org", "Bevestig je e-mailadres voor Dorpsplein")


def test_register_with_research_consent_stores_it_with_a_consent_record(app, client):
    assert submit(client, REGISTER, form(research_consent="y")).status_code == 200
    with app.app_context():
        user = accounts.user_by_email("anna@example.org")
        assert user.research_consent is True
        record = db.session.execute(db.select(ConsentRecord)).scalar_one()
        assert (record.user_id, record.granted) == (user.id, True)
        assert record.text_version == accounts.CONSENT_TEXT_VERSION


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("accept_guidelines", "", "Je kunt alleen meedoen als je de gespreksregels volgt."),
        ("password", "kort", "Een wachtwoord heeft minstens 10 en hoogstens 200 tekens."),
        ("email", "geen-adres", "Dit is geen geldig e-mailadres."),
        ("display_name", "A", "Een naam heeft 2 tot 60 tekens."),
        ("profession", "astronaut", ""),
        ("main_setting", "99", ""),
    ],
)
def test_register_refuses_invalid_input(app, client, field, value, message):
    data = form(**{field: value})
    if not value:
        del data[field]
    answer = submit(client, REGISTER, data)
    assert answer.status_code == 400
    assert "Er klopt nog iets niet" in answer.text
    assert message in answer.text
    assert user_count(app, "anna@example.org") == 0
    assert outbox(app) == []


def test_register_with_a_known_address_in_other_case_answers_the_same(app, client, member):
    duplicate = submit(app.test_client(), REGISTER, form("LID@Example.ORG"))
    fresh = submit(app.test_client(), REGISTER, form("nieuw@example.org"))
    assert duplicate.status_code == fresh.status_code == 200
    assert blank_values(duplicate.text, "LID@Example.ORG") == blank_values(
        fresh.text, "nieuw@example.org"
    )
    assert user_count(app, "lid@example.org") == 1
    [(_to, subject, body)] = outbox(app, "lid@example.org")
    assert subject == "Iemand probeerde een account te maken met jouw e-mailadres"
    assert "/account/wachtwoord-vergeten" in body


# --- e-mail verification ----------------------------------------------------------------------


def test_verification_link_shows_a_button_verifies_on_post_and_works_once(app, client):
    submit(client, REGISTER, form())
    link = link_in_mail(app, "anna@example.org", "/account/bevestigen/")
    page = client.get(link)
    assert page.status_code == 200
    assert "Bevestig mijn e-mailadres" in page.text
    assert user_count(app, "anna@example.org") == 1
    with app.app_context():
        assert not accounts.user_by_email("anna@example.org").email_verified  # GET changes nothing

    answer = submit(client, link, {})
    assert answer.status_code == 302
    assert answer.headers["Location"] == LOGIN
    with app.app_context():
        assert accounts.user_by_email("anna@example.org").email_verified

    assert client.get(link).status_code == 404
    again = submit(client, link, {}, form_url=LOGIN)
    assert again.status_code == 400
    assert INVALID_LINK in again.text


def test_expired_verification_link_fails(app, client):
    submit(client, REGISTER, form())
    link = link_in_mail(app, "anna@example.org", "/account/bevestigen/")
    expire_tokens(app, TokenPurpose.VERIFY)
    page = client.get(link)
    assert page.status_code == 404
    assert INVALID_LINK in page.text
    assert submit(client, link, {}, form_url=LOGIN).status_code == 400
    with app.app_context():
        assert not accounts.user_by_email("anna@example.org").email_verified


def test_unverified_member_may_log_in_but_not_write(app, client):
    submit(client, REGISTER, form())
    login(client, "anna@example.org")
    assert "Bevestig je e-mailadres via de link in je mail" in client.get("/account/profiel").text
    with app.test_request_context():  # the denial reason is translated, so it needs a request
        decision = policy.can_write(accounts.user_by_email("anna@example.org"))
        assert not decision
        assert "Bevestig eerst je e-mailadres" in decision.reason
    submit(client, link_in_mail(app, "anna@example.org", "/account/bevestigen/"), {})
    with app.test_request_context():
        assert policy.can_write(accounts.user_by_email("anna@example.org"))


# --- logging in and out -----------------------------------------------------------------------


def test_login_and_logout_with_csrf_and_any_case_of_address(client, member):
    assert client.post(LOGIN, data={"email": member.email, "password": PASSWORD}).status_code == 400
    assert client.get("/account/profiel").status_code == 302

    answer = login(client, "LID@EXAMPLE.ORG")
    assert answer.headers["Location"] == "/"
    assert client.get("/account/profiel").status_code == 200

    assert client.post("/account/uitloggen").status_code == 400  # no token: still logged in
    assert client.get("/account/profiel").status_code == 200
    out = submit(client, "/account/uitloggen", {}, form_url="/account/profiel")
    assert out.status_code == 302
    assert client.get("/account/profiel").headers["Location"].startswith(LOGIN)


def test_remember_me_sets_a_cookie_that_ends_with_a_password_change(app, client, member):
    forgetful = app.test_client()
    login(forgetful, member.email)
    assert forgetful.get_cookie("remember_token") is None  # not without remember me
    answer = submit(client, LOGIN, {"email": member.email, "password": PASSWORD, "remember": "y"})
    assert answer.status_code == 302
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.expires is not None

    remembered = app.test_client()
    remembered.set_cookie("remember_token", cookie.value)
    assert remembered.get("/account/profiel").status_code == 200
    change = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert submit(client, "/account/wachtwoord", change).status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", cookie.value)
    assert stale.get("/account/profiel").status_code == 302


def test_login_answers_the_same_for_unknown_address_and_wrong_password(app, member):
    unknown = submit(app.test_client(), LOGIN, {"email": "niemand@example.org", "password": "x"})
    wrong = submit(app.test_client(), LOGIN, {"email": member.email, "password": "fout-fout-fout"})
    assert unknown.status_code == wrong.status_code == 400
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in wrong.text
    assert blank_values(unknown.text) == blank_values(wrong.text)


SAFE = ["/account/profiel", "/", "/beheer/mensen?page=2#lijst"]
UNSAFE = ["//evil.com", "/\\evil.com", "https://evil.com", "javascript:alert(1)", "///evil.com"]
UNSAFE += ["\\\\evil.com", "/\t/evil.com", " //evil.com", "http:evil.com", "", None]


@pytest.mark.parametrize("target", SAFE)
def test_safe_next_url_accepts_paths_on_this_site(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize("target", UNSAFE)
def test_safe_next_url_refuses_other_sites(target):
    assert safe_next_url(target) is None


@pytest.mark.parametrize(
    ("target", "location"),
    [("/account/profiel", "/account/profiel"), *((t, "/") for t in UNSAFE[:4])],
)
def test_login_follows_next_only_to_this_site(client, member, target, location):
    url = f"{LOGIN}?{urlencode({'next': target})}"
    answer = submit(client, url, {"email": member.email, "password": PASSWORD})
    assert answer.status_code == 302
    assert answer.headers["Location"] == location
    assert client.get(url).headers["Location"] == location  # already logged in


# --- passwords --------------------------------------------------------------------------------


def test_reset_request_answers_the_same_and_mails_only_known_addresses(app, member):
    known = submit(app.test_client(), RESET, {"email": "LID@example.org"})
    unknown = submit(app.test_client(), RESET, {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.text
    assert blank_values(known.text, "LID@example.org") == blank_values(
        unknown.text, "niemand@example.org"
    )
    [(to, subject, _body)] = outbox(app)
    assert (to, subject) == ("lid@example.org", "Nieuw wachtwoord voor Dorpsplein")


def test_reset_link_works_once_and_logs_out_old_sessions(app, client, member):
    old_session = app.test_client()
    login(old_session, member.email)
    submit(client, RESET, {"email": member.email})
    link = link_in_mail(app, member.email, "/account/nieuw-wachtwoord/")

    mismatch = submit(client, link, {"password": NEW_PASSWORD, "confirm": "iets-anders-123"})
    assert mismatch.status_code == 400
    assert "De wachtwoorden zijn niet gelijk." in mismatch.text
    answer = submit(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert answer.status_code == 302
    assert answer.headers["Location"] == LOGIN

    assert old_session.get("/account/profiel").status_code == 302
    again = client.get(link)
    assert again.status_code == 404
    assert INVALID_LINK in again.text
    old_password = {"email": member.email, "password": PASSWORD}
    assert submit(app.test_client(), LOGIN, old_password).status_code == 400
    login(app.test_client(), member.email, NEW_PASSWORD)


def test_expired_reset_link_fails(app, client, member):
    submit(client, RESET, {"email": member.email})
    link = link_in_mail(app, member.email, "/account/nieuw-wachtwoord/")
    expire_tokens(app, TokenPurpose.RESET)
    page = client.get(link)
    assert page.status_code == 404
    assert INVALID_LINK in page.text
    login(app.test_client(), member.email)  # the old password still works


def test_change_password_needs_the_current_one_and_ends_other_sessions(app, client, member):
    login(client, member.email)
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    assert other.get("/account/profiel").status_code == 200

    data = {"current_password": "niet-mijn-wachtwoord", "password": NEW_PASSWORD}
    wrong = submit(client, "/account/wachtwoord", {**data, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert "Je huidige wachtwoord klopt niet." in wrong.text
    assert other.get("/account/profiel").status_code == 200

    data["current_password"] = PASSWORD
    answer = submit(client, "/account/wachtwoord", {**data, "confirm": NEW_PASSWORD})
    assert answer.status_code == 302
    assert client.get("/account/profiel").status_code == 200  # this browser stays logged in
    assert other.get("/account/profiel").headers["Location"].startswith(LOGIN)
    login(app.test_client(), member.email, NEW_PASSWORD)


# --- profile ----------------------------------------------------------------------------------


def test_profile_edit_stores_fields_and_each_consent_change(app, client, member):
    assert client.get("/account/profiel").headers["Location"].startswith(LOGIN)
    login(client, member.email)
    data = {"display_name": "Linda L.", "profession": "gastouder", "main_setting": "3"}
    answer = submit(client, "/account/profiel", {**data, "locale": "en", "research_consent": "y"})
    assert answer.status_code == 302
    assert client.get_cookie("lang").value == "en"
    submit(client, "/account/profiel", {**data, "locale": "nl"})
    with app.app_context():
        user = accounts.user_by_email(member.email)
        assert (user.display_name, user.profession, user.main_setting_id, user.locale) == (
            "Linda L.", Profession.GASTOUDER, 3, "nl"
        )  # fmt: skip
        assert user.research_consent is False
        records = db.session.execute(
            db.select(ConsentRecord.granted)
            .where(ConsentRecord.user_id == user.id)
            .order_by(ConsentRecord.id)
        ).scalars()
        assert list(records) == [False, True, False]  # registration, granted, withdrawn


# --- registration modes -----------------------------------------------------------------------


def test_approval_mode_waits_for_an_admin(app, client, admin):
    set_mode(app, admin.email, "approval")
    answer = submit(client, REGISTER, form())
    assert "Een beheerder kijkt daarna naar je aanmelding." in answer.text
    refused = submit(client, LOGIN, {"email": "anna@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    assert "wacht nog op goedkeuring" in refused.text
    assert client.get("/account/profiel").status_code == 302

    admin_client = app.test_client()
    login(admin_client, admin.email)
    with app.app_context():
        anna_id = accounts.user_by_email("anna@example.org").id
    assert "Anna de Vries" in admin_client.get("/beheer/mensen?waiting=1").text
    person = f"/beheer/mensen/{anna_id}"
    approve = submit(admin_client, f"{person}/goedkeuren", {}, form_url=person)
    assert approve.status_code == 302
    assert outbox(app, "anna@example.org")[-1][1] == "Je account op Dorpsplein is goedgekeurd"
    with app.app_context():
        entry = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "user.registration_approved")
        ).scalar_one()
        assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "user", anna_id)
    login(client, "anna@example.org")


def test_invite_mode_needs_an_invitation_that_fixes_the_address_and_works_once(app, admin):
    set_mode(app, admin.email, "invite")
    closed = app.test_client().get(REGISTER)
    assert closed.status_code == 403
    assert "alleen meedoen als je een uitnodiging hebt gekregen" in closed.text

    admin_client = app.test_client()
    login(admin_client, admin.email)
    sent = submit(
        admin_client, "/beheer/uitnodigen", {"email": "Nieuw@Example.org"}, "/beheer/mensen"
    )
    assert sent.status_code == 302
    link = link_in_mail(app, "Nieuw@Example.org", "/account/registreren?invite=")

    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200
    assert 'value="nieuw@example.org"' in page.text
    other = submit(guest, link, form("ander@example.org"))
    assert other.status_code == 400
    assert "Gebruik het e-mailadres waarop je de uitnodiging kreeg." in other.text
    assert user_count(app, "ander@example.org") == 0
    assert submit(guest, link, form("nieuw@example.org")).status_code == 200
    with app.app_context():
        assert accounts.user_by_email("nieuw@example.org").approved
        invited = db.select(AuditEntry).where(AuditEntry.action == "user.invited")
        assert db.session.execute(invited).scalar_one().actor_id == admin.id

    again = app.test_client().get(link)
    assert again.status_code == 403
    assert "Deze uitnodigingslink werkt niet meer" in again.text


def test_mail_links_use_the_base_url_not_the_host_header(app, client, member, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_BASE_URL", "https://dorpsplein.example")
    forged = "http://evil.example"
    page = client.get(RESET, base_url=forged)
    token = csrf_token(page.text)
    client.post(RESET, data={"email": member.email, "csrf_token": token}, base_url=forged)
    [(_to, _subject, body)] = outbox(app)
    assert "https://dorpsplein.example/account/nieuw-wachtwoord/" in body
    assert "evil.example" not in body
