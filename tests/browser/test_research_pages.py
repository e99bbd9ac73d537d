"""Every research page, the public Meedenken page and the kennisoogst pass axe-core in Chromium,
with data on them (codes, a coded thread, a project, a published kennisoogst)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from forum.db import db
from forum.research import codebook
from tests.browser.axe import assert_accessible
from tests.browser.test_discussions_journey import log_in
from tests.helpers import UserFactory, set_site, write_thread


def test_research_pages_are_accessible(
    page: Page, browser: Browser, base_url: str, users: UserFactory, app
) -> None:
    set_site(app, "trust_threshold", "0")
    researcher = users.make(email="onderzoeker@example.org", roles=["researcher"])
    author = users.make(email="auteur@example.org")
    thread = write_thread(app, author, body="Een vast koffiemoment bij de deur helpt ouders.")
    with app.test_request_context():
        codebook.load_starter_codes()
        db.session.commit()

    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto("/meedenken")
    assert_accessible(visitor)

    log_in(page, researcher.email, researcher.password)
    for url in (
        "/onderzoek/gesprekken",
        "/onderzoek/codes",
        "/onderzoek/codes/nieuw",
        f"/onderzoek/gesprek/{thread.thread_id}",
        "/onderzoek/inzichten",
        "/onderzoek/projecten",
        "/onderzoek/projecten/nieuw",
        "/onderzoek/exports",
        "/onderzoek/kennisoogst",
        "/onderzoek/kennisoogst/nieuw",
        "/onderzoek/meedenkers",
        "/kennisoogst",
        f"/gesprek/{thread.thread_id}",
    ):
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        assert_accessible(page)
