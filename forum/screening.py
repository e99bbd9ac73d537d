"""Why a post waits for a moderator: pure decisions, used when a post is written or edited, and
how each reason reads (to the author, and with its figures to moderators).

Kept low in the tree so discussions (writing) and moderation (judging) share it without importing
each other. Inputs are plain values; ``discussions.services`` gathers them from the database.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from forum import privacy
from forum.i18n import _, _l, ngettext
from forum.safeguarding import suggests_unsafe_home
from forum.textmatch import contains

# Members with fewer approved posts than this wait for a moderator (admins change it).
DEFAULT_TRUST_THRESHOLD = 3


class WaitReason(enum.StrEnum):
    NEW_MEMBER = "new_member"
    PREMODERATED = "premoderated"
    WATCHED_WORD = "watched_word"
    PRIVACY = "privacy"
    ALWAYS_MODERATE = "always_moderate"
    CHECK_UNAVAILABLE = "check_unavailable"
    # Set by the writing service, not by this module: the author changed a returned post.
    RESUBMITTED = "resubmitted"


# Shown to the author and to moderators: why a post waits.
REASON_LABELS = {
    WaitReason.NEW_MEMBER: _l("Je bent nieuw: je eerste berichten bekijkt een moderator eerst."),
    WaitReason.PREMODERATED: _l("In dit werkveld bekijkt een moderator elk bericht eerst."),
    WaitReason.WATCHED_WORD: _l("Er staat een woord in dat een moderator eerst wil zien."),
    WaitReason.PRIVACY: _l("De privacycheck vond iets waaraan iemand herkend kan worden."),
    WaitReason.ALWAYS_MODERATE: _l("Een moderator bekijkt je berichten voorlopig eerst."),
    WaitReason.CHECK_UNAVAILABLE: _l(
        "De privacycheck was even niet beschikbaar, dus een moderator kijkt mee."
    ),
    WaitReason.RESUBMITTED: _l("Aangepast na terugsturen."),
}

# Shown to moderators in the queue: what they judge by, not what the author is told. The reasons
# that need figures (new member, watched word, privacy) are worded in ``moderator_reason``.
MODERATOR_REASON_LABELS = {
    WaitReason.PREMODERATED: _l("Werkveld wordt altijd beoordeeld"),
    WaitReason.ALWAYS_MODERATE: _l("Schrijver staat op ‘altijd laten beoordelen’"),
    WaitReason.CHECK_UNAVAILABLE: _l("Privacycheck draaide niet: lees zelf extra goed na"),
    WaitReason.RESUBMITTED: REASON_LABELS[WaitReason.RESUBMITTED],
}


def moderator_reason(
    reason: str,
    *,
    approved_posts: int,
    trust_threshold: int,
    findings: int,
    watched: Sequence[str] = (),
) -> str:
    """One stored wait reason in a moderator's words, with the author's approved posts now,
    the number of privacy findings and the watched words that require approval."""
    if reason == WaitReason.NEW_MEMBER:
        figures = {"approved": approved_posts, "threshold": trust_threshold}
        if approved_posts < trust_threshold:
            return _("Nieuw lid: %(approved)d van %(threshold)d goedgekeurd", **figures)
        # Approved posts since this one was written: it still waits for the reason it had then.
        return _(
            "Was nieuw lid bij het schrijven; nu %(approved)d van %(threshold)d goedgekeurd",
            **figures,
        )
    if reason == WaitReason.WATCHED_WORD:
        if not watched:
            return _("Gevolgd woord (staat niet meer op de lijst)")
        return _("Gevolgd woord: %(words)s", words=", ".join(f"‘{word}’" for word in watched))
    if reason == WaitReason.PRIVACY:
        return ngettext(
            "Privacycheck: %(num)d mogelijk herleidbaar gegeven",
            "Privacycheck: %(num)d mogelijke herleidbare gegevens",
            findings,
        )
    label = MODERATOR_REASON_LABELS.get(reason)
    return str(label) if label is not None else reason


class WatchedAction(enum.StrEnum):
    BLOCK = "block"
    REQUIRE_APPROVAL = "require_approval"
    FLAG = "flag"


@dataclass(frozen=True)
class WatchedRule:
    phrase: str
    whole_word: bool
    action: WatchedAction


@dataclass(frozen=True)
class AuthorStanding:
    approved_posts: int
    is_moderator: bool
    always_moderate: bool = False
    # Trusted by a moderator: no longer counts as new, whatever the number of approved posts.
    trusted: bool = False


@dataclass(frozen=True)
class Screening:
    """Everything the checks found in one text, and what follows from it."""

    reasons: list[WaitReason] = field(default_factory=list)
    findings: list[privacy.Finding] = field(default_factory=list)
    # A watched word with the action "block": the post is refused with a message.
    blocked_by: str | None = None
    # Watched words with the action "flag": published, and put before a moderator.
    flagged: list[str] = field(default_factory=list)
    unsafe: bool = False

    @property
    def waits(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_values(self) -> list[str]:
        return [reason.value for reason in self.reasons]

    @property
    def finding_dicts(self) -> list[dict]:
        return [finding.as_dict() for finding in self.findings]


def reasons_to_wait(
    author: AuthorStanding,
    trust_threshold: int = DEFAULT_TRUST_THRESHOLD,
    *,
    premoderated: bool = False,
    watched_requires: bool = False,
    privacy_found: bool = False,
    check_unavailable: bool = False,
) -> list[WaitReason]:
    """Every reason a post must wait; an empty list means it is published at once.

    Moderators and admins are the reviewers, so their own posts never wait (they would approve
    them themselves); the privacy check still runs for them, shows on their preview and is stored.
    """
    if author.is_moderator:
        return []
    reasons: list[WaitReason] = []
    if not author.trusted and author.approved_posts < trust_threshold:
        reasons.append(WaitReason.NEW_MEMBER)
    if premoderated:
        reasons.append(WaitReason.PREMODERATED)
    if watched_requires:
        reasons.append(WaitReason.WATCHED_WORD)
    if privacy_found:
        reasons.append(WaitReason.PRIVACY)
    if check_unavailable:
        reasons.append(WaitReason.CHECK_UNAVAILABLE)
    if author.always_moderate:
        reasons.append(WaitReason.ALWAYS_MODERATE)
    return reasons


def watched_matches(text: str, rules: Iterable[WatchedRule]) -> dict[WatchedAction, list[str]]:
    """The watched words in ``text``, by action (case- and diacritics-insensitive)."""
    found: dict[WatchedAction, list[str]] = {action: [] for action in WatchedAction}
    for rule in rules:
        if contains(text, rule.phrase, whole_word=rule.whole_word):
            found[rule.action].append(rule.phrase)
    return found


def screen_text(
    text: str,
    author: AuthorStanding,
    rules: Sequence[WatchedRule] = (),
    *,
    trust_threshold: int = DEFAULT_TRUST_THRESHOLD,
    premoderated: bool = False,
    check: Callable[[str], list[privacy.Finding]] = privacy.screen,
) -> Screening:
    """Run every check on a post's plain text and decide whether it waits."""
    watched = watched_matches(text, rules)
    if watched[WatchedAction.BLOCK]:
        return Screening(blocked_by=watched[WatchedAction.BLOCK][0])
    unavailable = False
    try:
        findings = check(text)
    except privacy.CheckUnavailable:
        findings, unavailable = [], True
    reasons = reasons_to_wait(
        author,
        trust_threshold,
        premoderated=premoderated,
        watched_requires=bool(watched[WatchedAction.REQUIRE_APPROVAL]),
        privacy_found=bool(findings),
        check_unavailable=unavailable,
    )
    return Screening(
        reasons=reasons,
        findings=findings,
        flagged=watched[WatchedAction.FLAG],
        unsafe=suggests_unsafe_home(text),
    )
