"""The English catalog is complete, and no Dutch text calls bringing a post to a moderator
"melden" (DESIGN §3: "melden" evokes the meldcode; "Meldingen" are notifications only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "forum/translations/en/LC_MESSAGES/messages.po"


@pytest.fixture(scope="module")
def messages(tmp_path_factory) -> list:
    """Every string in the code and templates, freshly extracted (``_macros/`` included)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
            "--ignore-dirs=.* ._", "-o", str(pot), "--no-location", str(ROOT)]  # fmt: skip
    CommandLineInterface().run(args)
    with pot.open("rb") as file:
        return [message for message in read_po(file) if message.id]


def test_every_string_has_an_english_translation(messages):
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    missing = []
    for message in messages:
        found = catalog.get(message.id)
        strings = [] if found is None else found.string
        strings = [strings] if isinstance(strings, str) else list(strings)
        if not strings or not all(strings):
            missing.append(message.id)
    assert missing == []


def test_templates_in_macros_are_extracted(messages):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    assert "Dit bericht is verwijderd door een moderator." in ids


# Where "meld…" is right: notifications (also "je krijgt een melding"), the meldcode, reporting
# to Veilig Thuis, signing up.
ALLOWED_MELD = re.compile(
    r"meldingen|nieuwe melding|een melding te krijgen|krijgt (?:dan )?een melding|meldcode|"
    r"meldpunt|een melding te doen|meld je aan",
    re.IGNORECASE,
)


def test_no_dutch_text_calls_flagging_melden(messages):
    wrong = []
    for message in messages:
        for text in [message.id] if isinstance(message.id, str) else message.id:
            rest = ALLOWED_MELD.sub("", text)
            if re.search(r"\b(?:ge)?meld", rest, re.IGNORECASE):
                wrong.append(text)
    assert wrong == []
