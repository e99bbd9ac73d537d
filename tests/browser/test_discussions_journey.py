"""Issue 3's journey in a real browser: a new member's thread waits, a moderator approves it,
another member then reads it; every page passes axe-core."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import give_code_if_asked
from tests.helpers import UserFactory, write_reply, write_thread


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/account/inloggen")
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    give_code_if_asked(page, email)
    expect(page.get_by_text("Je bent ingelogd.")).to_be_visible()


def test_thread_waits_until_a_moderator_approves_it(
    page: Page, browser: Browser, base_url: str, users: UserFactory
) -> None:
    member = users.make(email="nieuw-lid@example.org")
    moderator = users.make(email="mod@example.org", roles=["moderator"])
    other = users.make(email="collega@example.org")

    log_in(page, member.email, member.password)
    page.goto("/gesprek/nieuw")
    assert_accessible(page)
    page.get_by_label("Dilemma").check()
    page.get_by_label("Titel").fill("Delen we onze zorg met beide ouders?")
    page.get_by_label("Je bericht").fill("Wat er speelt: een vader en moeder wonen apart.")
    page.get_by_role("button", name="Bekijk voorbeeld").click()
    expect(page.get_by_role("heading", name="Zo ziet je bericht eruit")).to_be_visible()
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_text("wacht op goedkeuring door een moderator").first).to_be_visible()
    thread_url = page.url
    assert_accessible(page)

    reader = browser.new_context(base_url=base_url).new_page()
    log_in(reader, other.email, other.password)
    assert reader.goto(thread_url).status == 404

    moderator_page = browser.new_context(base_url=base_url).new_page()
    log_in(moderator_page, moderator.email, moderator.password)
    moderator_page.goto(thread_url)
    assert_accessible(moderator_page)
    moderator_page.get_by_role("link", name="Beoordelen", exact=True).click()
    assert_accessible(moderator_page)
    moderator_page.get_by_role("button", name="Goedkeuren", exact=True).click()
    expect(moderator_page.get_by_text("Het bericht is goedgekeurd.")).to_be_visible()

    assert reader.goto(thread_url).status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Delen we onze zorg met beide ouders?"
    )
    reader.goto("/werkveld/school")
    expect(reader.get_by_role("link", name="Delen we onze zorg met beide ouders?")).to_be_visible()
    assert_accessible(reader)


def test_the_page_script_moves_the_read_position_once_the_end_is_seen(
    page: Page, app, users: UserFactory
) -> None:
    author = users.make(name="Schrijver Sanne", roles=["moderator"])  # approved at once
    reader = users.make(email="lezer@example.org")
    thread = write_thread(app, author, title="Ouders op de eerste schooldag").thread_id
    log_in(page, reader.email, reader.password)
    page.goto(f"/gesprek/{thread}")
    # The script sends the read mark in the background and hides its button.
    expect(page.locator("form[data-read-mark]")).to_be_hidden()
    write_reply(app, author, thread, "Wij bellen elke ouder in de eerste schoolweek.")
    page.goto("/werkveld/school")
    expect(page.get_by_role("link", name="Nieuwe berichten")).to_be_visible()
    page.goto(f"/gesprek/{thread}")
    expect(page.get_by_text("Nieuw sinds je vorige bezoek")).to_be_visible()
    expect(page.locator("form[data-read-mark]")).to_be_hidden()
    assert_accessible(page)
    page.goto("/werkveld/school")
    expect(page.get_by_role("link", name="Nieuwe berichten")).to_have_count(0)
