"""Why a post waits: the pure decision (forum.screening), every reason on its own."""

from __future__ import annotations

import pytest

from forum import privacy
from forum.screening import (
    AuthorStanding,
    WaitReason,
    WatchedAction,
    WatchedRule,
    reasons_to_wait,
    screen_text,
    watched_matches,
)

NEW = AuthorStanding(approved_posts=0, is_moderator=False)
TRUSTED = AuthorStanding(approved_posts=3, is_moderator=False)
MODERATOR = AuthorStanding(approved_posts=0, is_moderator=True)


def nothing_found(text: str) -> list[privacy.Finding]:
    return []


def a_name_found(text: str) -> list[privacy.Finding]:
    return [privacy.Finding(0, 5, privacy.Kind.PERSON)]


def unavailable(text: str) -> list[privacy.Finding]:
    raise privacy.CheckUnavailable("loading")


def test_a_trusted_member_with_clean_text_publishes_at_once():
    assert reasons_to_wait(TRUSTED) == []


@pytest.mark.parametrize(
    ("approved", "threshold", "waits"), [(2, 3, True), (3, 3, False), (0, 0, False), (9, 10, True)]
)
def test_new_members_wait_until_the_threshold(approved, threshold, waits):
    standing = AuthorStanding(approved_posts=approved, is_moderator=False)
    assert (WaitReason.NEW_MEMBER in reasons_to_wait(standing, threshold)) is waits


@pytest.mark.parametrize(
    ("flag", "reason"),
    [
        ("premoderated", WaitReason.PREMODERATED),
        ("watched_requires", WaitReason.WATCHED_WORD),
        ("privacy_found", WaitReason.PRIVACY),
        ("check_unavailable", WaitReason.CHECK_UNAVAILABLE),
    ],
)
def test_each_reason_makes_a_trusted_members_post_wait(flag, reason):
    assert reasons_to_wait(TRUSTED, **{flag: True}) == [reason]


def test_always_moderate_makes_even_a_long_time_member_wait():
    standing = AuthorStanding(approved_posts=500, is_moderator=False, always_moderate=True)
    assert reasons_to_wait(standing) == [WaitReason.ALWAYS_MODERATE]


def test_all_reasons_are_kept_together():
    reasons = reasons_to_wait(NEW, premoderated=True, privacy_found=True)
    assert reasons == [WaitReason.NEW_MEMBER, WaitReason.PREMODERATED, WaitReason.PRIVACY]


def test_moderators_posts_never_wait():
    assert reasons_to_wait(MODERATOR, premoderated=True, privacy_found=True) == []


RULES = [
    WatchedRule("café", True, WatchedAction.FLAG),
    WatchedRule("school", True, WatchedAction.REQUIRE_APPROVAL),
    WatchedRule("idioot", True, WatchedAction.BLOCK),
    WatchedRule("scheld", False, WatchedAction.FLAG),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We zaten in het CAFE om de hoek", {"café"}),
        ("Op het schoolplein was het druk", set()),
        ("De School belde", {"school"}),
        ("Hij scheldt vaak", {"scheld"}),
        ("Wat een idioot!", {"idioot"}),
        ("Een gewone zin", set()),
    ],
)
def test_watched_words_match_whole_words_without_case_or_accents(text, expected):
    found = watched_matches(text, RULES)
    assert {phrase for phrases in found.values() for phrase in phrases} == expected


def test_a_blocking_word_refuses_before_anything_else():
    screening = screen_text("Wat een Idioot", TRUSTED, RULES, check=a_name_found)
    assert screening.blocked_by == "idioot"
    assert screening.findings == []


def test_a_flagged_word_publishes_but_is_noted():
    screening = screen_text("Gesprek in het café", TRUSTED, RULES, check=nothing_found)
    assert not screening.waits
    assert screening.flagged == ["café"]


def test_privacy_findings_make_it_wait_and_are_kept():
    screening = screen_text("Sanne zit in groep 4", TRUSTED, check=a_name_found)
    assert screening.reasons == [WaitReason.PRIVACY]
    assert screening.finding_dicts == [{"start": 0, "end": 5, "kind": "person"}]


def test_when_the_check_is_not_loaded_the_post_waits_instead_of_failing():
    screening = screen_text("Een gewone zin", TRUSTED, check=unavailable)
    assert screening.reasons == [WaitReason.CHECK_UNAVAILABLE]


def test_safeguarding_words_are_noted_without_making_the_post_wait():
    screening = screen_text("Ik zag blauwe plekken op zijn armen", TRUSTED, check=nothing_found)
    assert screening.unsafe
    assert not screening.waits
