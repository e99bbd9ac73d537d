"""Research after an account deletion: the person's pseudonym never appears in a later export,
not even when someone new registers right after (SQLite would hand out the same id again), their
kept posts are placeholders, and the export log lists what left in earlier exports."""

from __future__ import annotations

import json
import re

import pytest

from forum.discussions.models import PostStatus
from tests.accounts.rights.support import delete_own
from tests.helpers import login, write_reply
from tests.test_exports import (
    KEY,
    PLACEHOLDER,
    build_world,
    export_file,
    force,
    jsonl_rows,
    new_project,
    pseudonym_of,
)

WITHDRAWN = re.compile(r'<span class="withdrawn-id">(\d+)</span> · ([^<]+)</li>')


@pytest.fixture
def setting(app, users, researcher):
    old = app.config.get("FORUM_RESEARCH_KEY")
    app.config["FORUM_RESEARCH_KEY"] = KEY
    world = build_world(app, users, researcher)
    client = app.test_client()
    login(client, researcher.email)
    yield world, client
    app.config["FORUM_RESEARCH_KEY"] = old


def withdrawn(client, project: int) -> dict[int, str]:
    page = client.get(f"/onderzoek/projecten/{project}").text
    return {int(post_id): why.strip() for post_id, why in WITHDRAWN.findall(page)}


@pytest.mark.parametrize("posts", ["keep", "remove"])
def test_a_deleted_persons_pseudonym_never_comes_back(app, users, setting, posts):
    world, researcher = setting
    project = new_project(researcher)
    carla = next(person for person in world.people if person.id == world.carla_id)
    old = pseudonym_of(KEY, carla.id)
    before = jsonl_rows(export_file(researcher, project, "jsonl"))
    assert old in {row["deelnemer"] for row in before}
    assert withdrawn(researcher, project) == {}

    own = app.test_client()
    login(own, carla.email)
    assert delete_own(own, posts=posts).status_code == 302
    newcomer = users.make(email="nieuw@example.org", name="Nieuw Lid")
    assert newcomer.id != carla.id
    reply = write_reply(app, newcomer, world.thread1, "Wij vragen ouders eerst wat zij willen.")
    force(app, reply.id, PostStatus.APPROVED, consent=True)

    after = jsonl_rows(export_file(researcher, project, "jsonl"))
    authors = {row["deelnemer"] for row in after}
    assert old not in authors
    assert old not in json.dumps(after)
    assert pseudonym_of(KEY, newcomer.id) in authors
    texts = [row["tekst"] for row in after]
    assert not any("luistert" in text for text in texts)  # Carla's reply
    assert not any("begroeten we elke ouder" in text for text in texts)  # her thread
    reason = "account verwijderd" if posts == "keep" else "verborgen of verwijderd"
    assert withdrawn(researcher, project) == {
        world.carla_reply: reason,
        world.carla_opening: reason,
    }
    if posts == "keep":
        assert texts.count(PLACEHOLDER) == 3  # Bob's, and Carla's two that stayed
