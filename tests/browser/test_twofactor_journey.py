"""Two-factor sign-in in a real browser: a new moderator sets it up from the QR page (the key
typed into "an app", pyotp), keeps the recovery codes, then signs in with a code; every page of
it passes axe-core."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.helpers import UserFactory


def test_a_new_moderator_sets_it_up_and_signs_in_with_a_code(
    page: Page, users: UserFactory
) -> None:
    moderator = users.make(email="nieuwe-mod@example.org", roles=["moderator"], two_factor=False)
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres", exact=True).fill(moderator.email)
    page.get_by_label("Wachtwoord", exact=True).fill(moderator.password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert_accessible(page)

    page.goto("/moderatie/")  # not before the second step is set up
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    secret = page.locator("#sleutel").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je herstelcodes")
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()
    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    page.get_by_role("link", name="Te beoordelen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Te beoordelen")

    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres", exact=True).fill(moderator.email)
    page.get_by_label("Wachtwoord", exact=True).fill(moderator.password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    totp = pyotp.TOTP(secret)
    near = {totp.at(page_time(page) + offset) for offset in (-30, 0, 30)}
    page.get_by_label("Code", exact=True).fill(
        next(c for c in ("000000", "111111") if c not in near)
    )
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_text("Deze code klopt niet")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill(totp.at(page_time(page) + 30))
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()


def page_time(page: Page) -> float:
    """Now, in seconds (the browser runs on this machine, as the server does)."""
    return page.evaluate("Date.now() / 1000")
