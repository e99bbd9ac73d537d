"""Who may see and do what. Every permission rule of the forum lives in this package.

Views call ``require(can_…(…))``, templates ask ``can('…', …)``, and queries use the ``visible_…``
filters, so a rule is written once. A ``Decision`` is truthy when allowed; a denial may carry a
reason a person can act on (shown on a 403 page). A denial without reason becomes a 404, so the
existence of something hidden is not revealed.

Everything is imported from here (``from forum import policy``); the rules live in
``decisions`` (the building blocks), ``people`` (roles), ``reading`` (visibility, in predicate
and WHERE form) and ``contributions`` (writing, moderating, research consent, own data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user

from forum.policy.contributions import (
    DECIDABLE,
    can_ask_own_data,
    can_change_post_consent,
    can_decide_post,
    can_delete_post,
    can_download_own_data,
    can_edit_memo,
    can_edit_post,
    can_follow_setting,
    can_follow_thread,
    can_hide_post,
    can_manage_thread,
    can_mark_finding,
    can_redact_post,
    can_reply,
    can_report_post,
    can_restore_post,
    can_reveal_author,
    can_review_finding_decisions,
    can_see_author,
    can_start_thread,
    own_post_text_in_download,
)
from forum.policy.decisions import (
    ALLOW,
    Decision,
    F,
    deny,
    has_role,
    is_suspended,
    require,
    rule_required,
    signed_in,
)
from forum.policy.people import (
    STAFF_ROLES,
    admins,
    can_act_on_person,
    can_delete_account,
    can_manage_moderation_settings,
    can_manage_people,
    can_manage_settings,
    can_moderate,
    can_research,
    can_reset_two_factor,
    can_write,
    moderator_ids,
    moderators,
    must_use_two_factor,
    researchers_only,
)
from forum.policy.reading import (
    AUTHOR_SEES,
    can_read_forum,
    can_see_thread_title,
    can_view_post,
    can_view_thread,
    listed_threads,
    own_waiting_threads,
    people_who_can_view,
    thread_posts,
    visible_posts,
    visible_threads,
)

RULES: dict[str, Callable[..., Decision]] = {
    "manage_people": can_manage_people,
    "manage_settings": can_manage_settings,
    "moderate": can_moderate,
    "read_forum": can_read_forum,
    "research": can_research,
    "write": can_write,
    "start_thread": can_start_thread,
    "reply": can_reply,
    "edit_post": can_edit_post,
    "delete_post": can_delete_post,
    "view_post": can_view_post,
    "reveal_author": can_reveal_author,
    "see_author": lambda user, post: Decision(can_see_author(user, post)),
    "see_thread_title": can_see_thread_title,
    "follow_thread": can_follow_thread,
    "follow_setting": can_follow_setting,
    "decide_post": can_decide_post,
    "mark_finding": can_mark_finding,
    "review_finding_decisions": can_review_finding_decisions,
    "hide_post": can_hide_post,
    "restore_post": can_restore_post,
    "redact_post": can_redact_post,
    "manage_thread": can_manage_thread,
    "report_post": can_report_post,
    "act_on_person": can_act_on_person,
    "delete_account": can_delete_account,
    "reset_two_factor": can_reset_two_factor,
    "manage_moderation_settings": can_manage_moderation_settings,
    "change_post_consent": can_change_post_consent,
}


def can(rule: str, *args: Any) -> bool:
    """Template helper: ``can('moderate')`` asks the rule for the current person."""
    # The person once, not a proxy look-up in every rule it passes through (hundreds a page).
    return bool(RULES[rule](current_user._get_current_object(), *args))


__all__ = [
    "ALLOW",
    "AUTHOR_SEES",
    "DECIDABLE",
    "RULES",
    "STAFF_ROLES",
    "Decision",
    "F",
    "admins",
    "can",
    "can_act_on_person",
    "can_ask_own_data",
    "can_change_post_consent",
    "can_decide_post",
    "can_delete_account",
    "can_delete_post",
    "can_download_own_data",
    "can_edit_memo",
    "can_edit_post",
    "can_follow_setting",
    "can_follow_thread",
    "can_hide_post",
    "can_manage_moderation_settings",
    "can_manage_people",
    "can_manage_settings",
    "can_manage_thread",
    "can_mark_finding",
    "can_moderate",
    "can_read_forum",
    "can_redact_post",
    "can_reply",
    "can_report_post",
    "can_research",
    "can_reset_two_factor",
    "can_restore_post",
    "can_reveal_author",
    "can_review_finding_decisions",
    "can_see_author",
    "can_see_thread_title",
    "can_start_thread",
    "can_view_post",
    "can_view_thread",
    "can_write",
    "deny",
    "has_role",
    "is_suspended",
    "listed_threads",
    "moderator_ids",
    "moderators",
    "must_use_two_factor",
    "own_post_text_in_download",
    "own_waiting_threads",
    "people_who_can_view",
    "require",
    "researchers_only",
    "rule_required",
    "signed_in",
    "thread_posts",
    "visible_posts",
    "visible_threads",
]
