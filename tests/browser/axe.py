"""Run axe-core (bundled with axe-playwright-python) against a page, for WCAG 2.1 A and AA."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page) -> None:
    result = Axe().run(page, options=WCAG_21_AA)
    assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"
