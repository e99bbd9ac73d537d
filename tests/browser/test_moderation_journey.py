"""Issue 4's journey in two browsers: a new member's post with a child's name and a phone number
waits with the reason shown; the moderator sees both highlighted, returns it with a note; the
member edits and resubmits; the moderator approves. A visitor's removal request hides a post.
Every page on the way passes axe-core and the main actions work from the keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.test_discussions_journey import log_in
from tests.helpers import UserFactory, set_site, write_thread

PRIVATE = (
    "Wat er speelt: Sanne (7) uit groep 4 wil 's ochtends niet naar binnen. Haar moeder belde "
    "me op 06-12345678."
)
REWRITTEN = "Wat er speelt: een meisje uit de onderbouw wil 's ochtends niet naar binnen."


def test_a_post_is_returned_rewritten_and_approved(
    page: Page, browser: Browser, base_url: str, users: UserFactory
) -> None:
    member = users.make(email="nieuw-lid@example.org", name="Nieuw Lid")
    moderator = users.make(email="mod@example.org", name="Moderator Mo", roles=["moderator"])

    log_in(page, member.email, member.password)
    page.goto("/gesprek/nieuw")
    page.get_by_label("Dilemma").check()
    page.get_by_label("Titel").fill("Een meisje dat niet naar binnen wil")
    page.get_by_label("Je bericht").fill(PRIVATE)
    page.get_by_role("button", name="Bekijk voorbeeld").click()
    check = page.locator(".privacy-check")
    expect(check.locator("mark", has_text="Sanne")).to_be_visible()
    expect(check.locator("mark", has_text="06-12345678")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_text("De privacycheck vond iets").first).to_be_visible()
    thread_url = page.url
    assert_accessible(page)

    mod = browser.new_context(base_url=base_url).new_page()
    log_in(mod, moderator.email, moderator.password)
    mod.get_by_role("link", name=re.compile(r"^Te beoordelen")).click()
    assert_accessible(mod)
    mod.goto(thread_url)
    mod.get_by_role("link", name="Beoordelen", exact=True).click()
    expect(mod.locator("mark.finding-person", has_text="Sanne")).to_be_visible()
    expect(mod.locator("mark.finding-phone", has_text="06-12345678")).to_be_visible()
    assert_accessible(mod)
    mod.get_by_label("Wat moet de schrijver aanpassen?").fill("Haal de naam en het nummer weg.")
    mod.get_by_role("button", name="Terugsturen", exact=True).focus()
    mod.keyboard.press("Enter")
    expect(mod.get_by_text("teruggestuurd").first).to_be_visible()

    page.goto(thread_url)
    expect(page.get_by_text("Haal de naam en het nummer weg.")).to_be_visible()
    page.get_by_role("link", name="Bewerken").click()
    page.get_by_label("Je bericht").fill(REWRITTEN)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Wacht op goedkeuring").first).to_be_visible()

    mod.goto(thread_url)
    mod.get_by_role("link", name="Beoordelen", exact=True).click()
    expect(mod.get_by_text("Aangepast na terugsturen").first).to_be_visible()
    mod.get_by_role("button", name="Goedkeuren", exact=True).click()
    expect(mod.get_by_text("Het bericht is goedgekeurd.")).to_be_visible()

    page.goto("/meldingen")
    assert_accessible(page)
    page.goto(thread_url)
    expect(page.get_by_text("Wacht op goedkeuring")).to_have_count(0)


def test_a_visitors_removal_request_hides_the_post(
    page: Page, browser: Browser, base_url: str, users: UserFactory, app
) -> None:
    set_site(app, "public_read", "1")
    set_site(app, "trust_threshold", "0")
    author = users.make(email="schrijver@example.org")
    post = write_thread(app, author, body="Een verhaal over een jongen die altijd te laat komt.")
    assert post.status == "approved"

    page.goto(f"/gesprek/{post.thread_id}")
    page.get_by_role("link", name="Vraag om verwijdering").first.click()
    assert_accessible(page)
    page.get_by_label("Waarom moet het bericht weg?").fill("Ik herken mijn zoon hierin.")
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_text("We hebben je verzoek ontvangen")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/gesprek/{post.thread_id}")
    assert page.goto(f"/gesprek/{post.thread_id}").status == 404
