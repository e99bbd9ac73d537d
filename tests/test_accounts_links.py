"""A link from a mail that no longer works says what to do next, in words about that link: a
verification link leads to a new verification link (or to logging in, when the address is
verified already), a password link to a new password link."""

from __future__ import annotations

from datetime import timedelta

from forum.accounts import services as accounts
from forum.accounts.models import EmailToken, TokenPurpose
from forum.db import db, utcnow
from tests.helpers import PASSWORD, csrf_token, link_in_mail, login, outbox, submit

REGISTER = "/account/registreren"
VERIFY = "/account/bevestigen/"
INVALID = "Deze link werkt niet meer"
PASSWORD_WORDS = ("wachtwoord", "/account/wachtwoord-vergeten")
EMAIL = "anna@example.org"


def register(app, client) -> str:
    """Register through the real form; returns the verification link from the mail."""
    data = {
        "email": EMAIL,
        "display_name": "Anna de Vries",
        "password": PASSWORD,
        "profession": "pedagogisch_medewerker",
        "main_setting": "2",
        "accept_guidelines": "y",
    }
    assert submit(client, REGISTER, data).status_code == 200
    return link_in_mail(app, EMAIL, VERIFY)


def content(page: str) -> str:
    """The page's main content, without the layout around it (navigation, footer)."""
    return page.split('id="inhoud"', 1)[1].split("</main>", 1)[0]


def expire(app, purpose: TokenPurpose) -> None:
    with app.app_context():
        db.session.execute(
            db.update(EmailToken)
            .where(EmailToken.purpose == purpose)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
        db.session.remove()


def test_a_used_verification_link_says_the_address_is_verified_and_offers_log_in(app, client):
    link = register(app, client)
    assert submit(client, link, {}).status_code == 302  # first use: verified

    again = submit(client, link, {}, form_url="/account/inloggen")
    shown = client.get(link)

    for page, status in ((again, 400), (shown, 404)):
        assert page.status_code == status
        main = content(page.text)
        assert INVALID in main
        assert "Je e-mailadres is al bevestigd." in main
        assert 'href="/account/inloggen"' in main
        for words in PASSWORD_WORDS:
            assert words not in main


def test_an_expired_verification_link_leads_to_a_new_one_after_logging_in(app, client):
    link = register(app, client)
    expire(app, TokenPurpose.VERIFY)

    page = client.get(link)

    assert page.status_code == 404
    main = content(page.text)
    assert "De bevestigingslink is al gebruikt, verlopen" in main
    assert 'href="/account/inloggen?next=/account/profiel"' in main
    assert "nieuwe bevestigingsmail" in main
    for words in PASSWORD_WORDS:
        assert words not in main
    # Logging in from there lands on the profile, which has the button.
    answer = submit(
        client,
        "/account/inloggen?next=/account/profiel",
        {"email": EMAIL, "password": PASSWORD},
    )
    assert answer.headers["Location"] == "/account/profiel"
    assert "Stuur de bevestigingsmail opnieuw" in client.get("/account/profiel").text


def test_a_signed_in_unverified_person_gets_the_resend_button_on_the_page(app, client):
    link = register(app, client)
    expire(app, TokenPurpose.VERIFY)
    login(client, EMAIL)

    page = client.get(link)

    main = content(page.text)
    assert page.status_code == 404
    assert 'action="/account/bevestiging-opnieuw"' in main
    assert "Stuur de bevestigingsmail opnieuw" in main
    assert EMAIL in main
    for words in PASSWORD_WORDS:
        assert words not in main
    before = len(outbox(app, EMAIL))
    sent = client.post("/account/bevestiging-opnieuw", data={"csrf_token": csrf_token(page.text)})
    assert sent.status_code == 302
    assert len(outbox(app, EMAIL)) == before + 1
    new_link = link_in_mail(app, EMAIL, VERIFY)
    assert new_link != link
    assert submit(client, new_link, {}).status_code == 302
    with app.app_context():
        assert accounts.user_by_email(EMAIL).email_verified
        db.session.remove()


def test_a_used_password_link_keeps_its_own_words(app, client, member):
    submit(client, "/account/wachtwoord-vergeten", {"email": member.email})
    link = link_in_mail(app, member.email, "/account/nieuw-wachtwoord/")
    new = {"password": "een-heel-ander-wachtwoord", "confirm": "een-heel-ander-wachtwoord"}
    assert submit(client, link, new).status_code == 302

    page = client.get(link)

    assert page.status_code == 404
    main = content(page.text)
    assert INVALID in main
    assert "Vraag een nieuwe link aan om je wachtwoord te veranderen" in main
    assert "al bevestigd" not in main
