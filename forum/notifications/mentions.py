"""Mentions: ``@Naam`` and ``@[Naam met spaties]`` in a post tell that member.

Display names may hold spaces and need not be unique, so:

- ``@[Leerkracht Lotte]`` names everyone whose display name is exactly that (case and spaces
  aside);
- ``@Lotte`` names whoever is called exactly "Lotte", or else the one member whose name starts
  with the word "Lotte" — when several do, nobody is told (write ``@[…]`` then).

Mentions in quotes, code and link texts do not count (quoting a post does not mention again),
nor does an e-mail address. At most ``MAX_MENTIONS`` names per post. Only people who may see
the post are found (``policy.people_who_can_view``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import sqlalchemy as sa

from forum import policy
from forum.accounts.models import User
from forum.db import db

MAX_MENTIONS = 10
# A common first word ("@Persoon") can match many people: that many is enough to know that
# it is not one person.
MAX_CANDIDATES = 500
MENTION_RE = re.compile(
    r"(?<![\w@./\\])@(?:\[(?P<full>[^\[\]\n]{1,60})\]|(?P<word>[^\W\d_][\w-]{0,59}))"
)
SKIPPED_TAGS = frozenset({"blockquote", "code", "pre", "a"})


@dataclass(frozen=True)
class Mention:
    name: str  # as written, spaces collapsed
    whole: bool  # @[…]: the whole display name; otherwise one word

    @property
    def key(self) -> str:
        return self.name.casefold()


def normal(name: str) -> str:
    return " ".join(name.split())


class _OwnText(HTMLParser):
    """The text of a post outside quotes, code and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED_TAGS:
            self.depth += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.depth:
            self.depth -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def mentions_in(html: str) -> list[Mention]:
    """The distinct mentions in a post's sanitised HTML, in order, at most ``MAX_MENTIONS``."""
    parser = _OwnText()
    parser.feed(html)
    parser.close()
    found: dict[tuple[str, bool], Mention] = {}
    for match in MENTION_RE.finditer("".join(parser.parts)):
        full, word = match.group("full"), match.group("word")
        mention = Mention(normal(full), True) if full else Mention(word.rstrip("-"), False)
        if mention.name and (mention.key, mention.whole) not in found:
            found[mention.key, mention.whole] = mention
        if len(found) >= MAX_MENTIONS:
            break
    return list(found.values())


def _like_prefix(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped} %"


def mentioned_ids(post: Any) -> set[int]:
    """The members ``post`` mentions who may see it (one query; none without mentions)."""
    mentions = mentions_in(post.body_html)
    if not mentions:
        return set()
    lowered = sa.func.lower(User.display_name)
    exact, first_words = [], []
    for mention in mentions:
        # lower() folds only ASCII on SQLite: match the name as written too.
        exact += [lowered == mention.name.lower(), User.display_name == mention.name]
        if not mention.whole:
            first_words.append(lowered.like(_like_prefix(mention.name.lower()), escape="\\"))
    stmt = (
        sa.select(User.id, User.display_name)
        .where(sa.or_(*exact, *first_words))
        .order_by(sa.case((sa.or_(*exact), 0), else_=1), User.id)  # exact names first
        .limit(MAX_CANDIDATES)
    )
    rows = db.session.execute(policy.people_who_can_view(stmt, post)).all()
    names = [(user_id, normal(name).casefold()) for user_id, name in rows]
    told: set[int] = set()
    for mention in mentions:
        named = {user_id for user_id, name in names if name == mention.key}
        if named or mention.whole:
            told |= named
            continue
        first_word = {user_id for user_id, name in names if name.split(" ")[0] == mention.key}
        if len(first_word) == 1:
            told |= first_word
    return told
