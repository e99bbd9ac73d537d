"""Issue 17 in a browser: after a member brings a post forward and a visitor asks for a removal,
a moderator who holds every role finds both pages by clicking through the navigation only. The
header stays on one line at 1280 px, counts keep their space, and axe-core finds nothing."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.test_discussions_journey import log_in
from tests.helpers import UserFactory, login, set_site, submit, write_reply, write_thread


def rows_of(items: Locator) -> set[float]:
    """The distinct top edges of the header's items: one value means one line."""
    return {round(box["y"]) for box in (item.bounding_box() for item in items.all()) if box}


def test_a_moderator_reaches_reports_and_removal_requests_from_the_navigation(
    page: Page, app, users: UserFactory
) -> None:
    set_site(app, "trust_threshold", "0")
    author = users.make(email="schrijver@example.org", name="Schrijver Sam")
    member = users.make(email="lid@example.org", name="Lid Linda")
    staff = users.make(
        email="alles@example.org",
        name="Beheerder Bea",
        roles=["admin", "moderator", "researcher"],
    )
    opening = write_thread(app, author)
    reply = write_reply(app, author, opening.thread_id)
    reporter = app.test_client()
    login(reporter, member.email)
    data = {"reason": "identifiable", "text": "Er staat een schoolnaam in."}
    assert submit(reporter, f"/bericht/{reply.id}/voorleggen", data).status_code == 302
    ask = {"post": f"/bericht/{opening.id}", "reason": "Ik herken mijn zoon.", "contact": ""}
    assert submit(app.test_client(), "/verwijderverzoek", ask).status_code == 302

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, staff.email, staff.password)
    header = page.locator(".header-inner")
    assert len(rows_of(header.locator(".brand, .main-nav li"))) == 1, "the header wraps"
    main_nav = page.get_by_role("navigation", name="Hoofdmenu")
    queue_link = main_nav.get_by_role("link", name=re.compile(r"^Te beoordelen \(2 wachtend"))
    assert queue_link.inner_text().startswith("Te beoordelen (2")  # the space is rendered

    queue_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Te beoordelen")
    moderation = page.get_by_role("navigation", name="Moderatie")
    expect(moderation.get_by_role("link", name=re.compile(r"^Te beoordelen"))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    moderation.get_by_role("link", name=re.compile(r"^Voorgelegd \(1 wachtend")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorgelegd")
    expect(page.get_by_text("Er staat een schoolnaam in.")).to_be_visible()
    assert len(rows_of(header.locator(".brand, .main-nav li"))) == 1, "the header wraps"
    assert_accessible(page)

    moderation = page.get_by_role("navigation", name="Moderatie")
    moderation.get_by_role("link", name=re.compile(r"^Verwijderverzoeken \(1 wachtend")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwijderverzoeken")
    expect(page.get_by_text("Ik herken mijn zoon.")).to_be_visible()
    assert_accessible(page)

    # The notices lead there too.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=re.compile(r"^Meldingen")
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Bekijk wat is voorgelegd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorgelegd")
