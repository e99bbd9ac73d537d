"""Coding a passage by selecting text (static/js/coding.js): the offsets the script sends are
code points, so an ambiguous quote is stored at the occurrence selected, after an emoji."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from forum.db import db
from forum.discussions.models import Post
from forum.research.models import PassageCoding
from tests.browser.axe import assert_accessible
from tests.browser.test_discussions_journey import log_in
from tests.helpers import UserFactory, set_site, write_thread
from tests.test_coding import consenting, make_codes, rows

SELECT_SECOND = """() => {
  const node = document.querySelector('[data-coding-text]').firstChild;
  const i = node.textContent.lastIndexOf('De moeder');
  const range = document.createRange();
  range.setStart(node, i - 1);  // with the space before it: the script trims it
  range.setEnd(node, i + 'De moeder'.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


def test_selecting_text_codes_that_passage(page: Page, app, users: UserFactory) -> None:
    set_site(app, "trust_threshold", "0")
    author = users.make()
    consenting(app, author)
    body = "Café 😀 overleg.\nDe moeder vertelde dat ze zich niet gehoord voelde. De moeder lachte."
    ref = write_thread(app, author, body=body)
    make_codes(app, "Vertrouwen")
    researcher = users.make(roles=["researcher"])
    log_in(page, researcher.email, researcher.password)
    page.goto(f"/onderzoek/gesprek/{ref.thread_id}")
    assert_accessible(page)
    page.evaluate(SELECT_SECOND)
    expect(page.get_by_label("Neem de passage precies over")).to_have_value("De moeder")
    page.get_by_label("Code", exact=True).last.select_option(label="Vertrouwen")
    page.get_by_role("button", name="Passage coderen").click()
    expect(page.get_by_text("Passage gecodeerd.")).to_be_visible()
    assert_accessible(page)
    [passage] = rows(app, PassageCoding)
    with app.app_context():
        text = db.session.get(Post, ref.id).body_text
    assert passage.start_offset == text.rindex("De moeder")
    assert text[passage.start_offset : passage.end_offset] == "De moeder"
