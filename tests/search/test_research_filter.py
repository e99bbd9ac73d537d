"""Researchers narrow results to a code (research registers the filter; the search room does not
import research). Others never see the filter, the codes, or any effect of a code in the URL."""

from __future__ import annotations

import pytest

from forum.db import db
from forum.research.models import Code, PassageCoding, ThreadCoding
from tests.helpers import login, set_site
from tests.search.helpers import found, search, write


@pytest.fixture
def coded(app, users, researcher):
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    on_thread = write(app, author, "Een ouderavond met tolk.", title="Ouderavond")
    on_passage = write(app, author, "Een ouderavond zonder koffie.", title="Koffie")
    reply = write(app, author, "Onze ouderavond was druk.", thread_id=on_thread.thread_id)
    plain = write(app, author, "Een ouderavond in de gymzaal.", title="Gymzaal")
    with app.app_context():
        code = Code(name="vertrouwen")
        db.session.add(code)
        db.session.flush()
        db.session.add(ThreadCoding(thread_id=on_thread.thread_id, code_id=code.id))
        db.session.add(
            PassageCoding(post_id=on_passage.id, code_id=code.id, start_offset=0, end_offset=4,
                          quote="Een ")
        )  # fmt: skip
        db.session.commit()
        code_id = code.id
        db.session.remove()
    return {"code": code_id, "kept": {on_thread.href, on_passage.href, reply.href}, "plain": plain}


def test_researchers_filter_results_by_code(app, client, researcher, coded):
    login(client, researcher.email)
    page = search(client, "ouderavond").text
    assert '<label for="code">Code</label>' in page
    assert f'<option value="{coded["code"]}">vertrouwen</option>' in page
    assert set(found(client, "ouderavond", code=str(coded["code"]))) == coded["kept"]
    assert len(found(client, "ouderavond")) == 4
    assert "Not a valid choice" not in search(client, "ouderavond", code="999999").text
    assert found(client, "ouderavond", code="999999") == []


def test_members_see_no_code_filter_and_a_code_in_the_url_changes_nothing(
    app, client, member, coded
):
    login(client, member.email)
    page = search(client, "ouderavond", code=str(coded["code"])).text
    assert 'name="code"' not in page
    assert "vertrouwen" not in page
    assert len(found(client, "ouderavond", code=str(coded["code"]))) == 4
