"""The foundation's main journey in a real browser, and axe-core on every page it passes."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from forum.db import db
from forum.notifications.outbox import OutboxMessage
from tests.browser.axe import assert_accessible
from tests.browser.conftest import give_code_if_asked
from tests.helpers import UserFactory

LINK = re.compile(r"https?://\S+/account/bevestigen/\S+")


def verification_link(app: Flask, email: str) -> str:
    with app.app_context():
        bodies = (
            db.session.execute(
                db.select(OutboxMessage.body).where(OutboxMessage.to_address == email)
            )
            .scalars()
            .all()
        )
        db.session.remove()
    links = [match.group(0) for body in bodies for match in [LINK.search(body)] if match]
    assert links, f"no verification mail for {email}"
    return links[-1]


def test_register_verify_login_switch_language_logout(page: Page, app: Flask) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page)

    page.get_by_role("link", name="Aanmelden").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden bij Dorpsplein")
    assert_accessible(page)
    page.get_by_label("E-mailadres", exact=True).fill("nieuw@example.org")
    page.get_by_label("Naam die anderen zien").fill("Nieuwe Noor")
    page.get_by_label("Wachtwoord", exact=True).fill("een-goed-wachtwoord")
    page.get_by_label("Beroep").select_option("pedagogisch_medewerker")
    page.get_by_label("Je belangrijkste werkveld").select_option(label="Kinderopvang")
    page.get_by_label("Ik heb de gespreksregels gelezen").check()
    page.get_by_role("button", name="Account maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je mail")

    page.goto(verification_link(app, "nieuw@example.org"))
    page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    expect(page.get_by_text("Je e-mailadres is bevestigd")).to_be_visible()

    page.get_by_label("E-mailadres", exact=True).fill("nieuw@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("een-goed-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    # Signed out, the same buttons are a GET form: only this browser's cookie changes.
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("link", name="Inloggen").first).to_be_visible()


def test_keyboard_reaches_content_and_login(page: Page) -> None:
    page.goto("/account/inloggen")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The first control in the main content is the e-mail field of the login form.
    expect(page.get_by_label("E-mailadres", exact=True)).to_be_focused()


def test_admin_pages_are_accessible(page: Page, users: UserFactory) -> None:
    admin = users.make(email="beheer@example.org", roles=["admin"])
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres", exact=True).fill(admin.email)
    page.get_by_label("Wachtwoord", exact=True).fill(admin.password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    assert_accessible(page)
    give_code_if_asked(page, admin.email)
    for path in [
        "/beheer/mensen",
        f"/beheer/mensen/{admin.id}",
        "/beheer/instellingen",
        "/beheer/logboek",
        "/account/profiel",
        "/account/wachtwoord",
        "/account/tweestapsverificatie/",
        "/account/tweestapsverificatie/herstelcodes",
        "/account/tweestapsverificatie/uitzetten",
    ]:
        page.goto(path)
        assert_accessible(page)


def test_public_pages_are_accessible_at_360px(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for path in [
        "/",
        "/gespreksregels",
        "/privacy",
        "/toegankelijkheid",
        "/account/inloggen",
        "/account/registreren",
        "/account/wachtwoord-vergeten",
        "/bestaat-niet",
    ]:
        page.goto(path)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360 px ({width}px)"
