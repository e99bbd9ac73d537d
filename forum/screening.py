"""Why a post waits for a moderator: a pure decision, used when a post is written or edited.

Kept low in the tree so discussions (writing) and moderation (judging) share it without importing
each other. The moderation issue adds more reasons (watched words, the privacy check, werkvelden
that are fully pre-moderated, people set to "always moderate").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# Members with fewer approved posts than this wait for a moderator.
DEFAULT_TRUST_THRESHOLD = 3


class WaitReason(enum.StrEnum):
    NEW_MEMBER = "new_member"


@dataclass(frozen=True)
class AuthorStanding:
    approved_posts: int
    is_moderator: bool


def reasons_to_wait(
    author: AuthorStanding, trust_threshold: int = DEFAULT_TRUST_THRESHOLD
) -> list[WaitReason]:
    """Every reason this post must wait; an empty list means it is published at once."""
    reasons: list[WaitReason] = []
    if not author.is_moderator and author.approved_posts < trust_threshold:
        reasons.append(WaitReason.NEW_MEMBER)
    return reasons
