"""Rules about posts and threads: writing, moderating them, research consent, own data."""

from __future__ import annotations

from typing import Any

from forum.accounts.models import Role
from forum.discussions.models import Post, PostStatus, Thread
from forum.i18n import _l
from forum.policy.decisions import ALLOW, Decision, deny, has_role, signed_in
from forum.policy.people import can_moderate, can_write
from forum.policy.reading import can_view_post, can_view_thread

# --- writing ----------------------------------------------------------------------------------


def can_start_thread(user: Any) -> Decision:
    return can_write(user)


def can_reply(user: Any, thread: Thread) -> Decision:
    allowed = can_write(user)
    if not allowed:
        return allowed
    if thread.locked:
        return deny(_l("Dit gesprek is gesloten. Je kunt niet meer reageren."))
    if thread.status is not PostStatus.APPROVED:
        return deny(_l("Je kunt pas reageren als het gesprek is goedgekeurd."))
    return ALLOW


def can_edit_post(user: Any, post: Post) -> Decision:
    allowed = can_write(user)
    if not allowed:
        return allowed
    if post.author_id != user.id:
        return deny(_l("Je kunt alleen je eigen berichten bewerken."))
    if post.status in (PostStatus.REJECTED, PostStatus.HIDDEN):
        return deny(_l("Dit bericht kan niet meer worden bewerkt."))
    if post.thread.locked and not post.is_waiting:
        return deny(_l("Dit gesprek is gesloten."))
    return ALLOW


def can_delete_post(user: Any, post: Post) -> Decision:
    if not signed_in(user) or post.author_id != user.id:
        return deny(_l("Je kunt alleen je eigen berichten verwijderen."))
    if not post.is_waiting:
        return deny(
            _l("Je kunt een bericht alleen verwijderen zolang het nog niet is goedgekeurd.")
        )
    return ALLOW


def can_see_author(user: Any, post: Post | Thread) -> bool:
    """Names show, except for posts without name: then only their author sees who wrote it.

    Moderators are never kept from it, but must ask (``can_reveal_author``), which is logged.
    """
    return not post.anonymous or (signed_in(user) and post.author_id == user.id)


def can_reveal_author(user: Any, post: Post | Thread) -> Decision:
    if not post.anonymous:
        return deny(None)
    return can_moderate(user)


def can_follow_thread(user: Any, thread: Thread) -> Decision:
    """Follow a thread (notices of its replies): anyone signed in who may read it."""
    if not signed_in(user):
        return deny(_l("Log in om gesprekken te volgen."))
    return can_view_thread(user, thread)


def can_follow_setting(user: Any) -> Decision:
    """Follow a werkveld (notices of its new threads): anyone signed in."""
    return ALLOW if signed_in(user) else deny(_l("Log in om een werkveld te volgen."))


# --- moderation -------------------------------------------------------------------------------

# Statuses a moderator decides on in the review queue.
DECIDABLE = (PostStatus.PENDING,)


def can_decide_post(user: Any, post: Post) -> Decision:
    """Approve, edit-and-approve, return or reject a waiting post (the review queue)."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status not in DECIDABLE:
        return deny(_l("Dit bericht wacht niet op een beoordeling."))
    return ALLOW


def can_mark_finding(user: Any, post: Post, edit: Any = None) -> Decision:
    """Mark a privacy finding "not identifying" (or undo that) while the post, or ``edit``, a
    waiting edit of it, is in the review queue. A note for the team: it decides nothing."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if edit is not None:
        return ALLOW if edit.post_id == post.id else deny(None)
    if post.status not in DECIDABLE:
        return deny(_l("Dit bericht wacht niet meer op een beoordeling."))
    return ALLOW


def can_review_finding_decisions(user: Any) -> Decision:
    """The list of findings marked not identifying, and its download: moderators and admins."""
    return can_moderate(user)


def can_hide_post(user: Any, post: Post) -> Decision:
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status is not PostStatus.APPROVED:
        return deny(_l("Alleen een geplaatst bericht kan worden verborgen."))
    return ALLOW


def can_restore_post(user: Any, post: Post) -> Decision:
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status is not PostStatus.HIDDEN:
        return deny(_l("Dit bericht is niet verborgen."))
    return ALLOW


def can_redact_post(user: Any, post: Post) -> Decision:
    """Edit identifying details out of a published or hidden post (after a report or request)."""
    allowed = can_moderate(user)
    if not allowed:
        return allowed
    if post.status not in (PostStatus.APPROVED, PostStatus.HIDDEN):
        return deny(_l("Een bericht dat wacht, pas je aan in de wachtrij."))
    return ALLOW


def can_manage_thread(user: Any, thread: Thread) -> Decision:
    """Lock, unlock, pin, unpin and move a thread."""
    return can_moderate(user)


def can_report_post(user: Any, post: Post) -> Decision:
    """Bring a post to a moderator (voorleggen): members, on posts of others they can read."""
    allowed = can_write(user)
    if not allowed:
        return allowed
    if post.status is not PostStatus.APPROVED:
        return deny(None)
    if post.author_id == user.id:
        return deny(_l("Je kunt je eigen bericht niet voorleggen. Je kunt het wel bewerken."))
    return ALLOW


# --- research ---------------------------------------------------------------------------------


def can_change_post_consent(user: Any, post: Post) -> Decision:
    """Only the author gives or withdraws research consent for their post."""
    if not signed_in(user) or post.author_id != user.id:
        return deny(None)
    return ALLOW


def can_edit_memo(user: Any, memo: Any) -> Decision:
    """Researchers edit their own memos only."""
    if not has_role(user, Role.RESEARCHER) or memo.author_id != user.id:
        return deny(None)
    return ALLOW


# --- own data (AVG right of access) -------------------------------------------------------------


def can_ask_own_data(user: Any) -> Decision:
    """Download everything the forum holds about you: anyone signed in, a suspended member too
    (the right of access does not depend on how someone behaved)."""
    return ALLOW if signed_in(user) else deny(_l("Log in om je gegevens te downloaden."))


def can_download_own_data(user: Any, download: Any) -> Decision:
    """A download's link works for the person it was made for only; to anyone else it does not
    exist, staff included."""
    if signed_in(user) and download.user_id == user.id:
        return ALLOW
    return deny(None)


def own_post_text_in_download(user: Any, post: Post) -> bool:
    """A post's text (and its earlier versions) goes in its author's download when the forum
    shows it to them: approved, waiting, returned or rejected; a hidden post's text only for
    moderators, as on the forum. Every post of theirs is listed, with its status and dates."""
    return signed_in(user) and post.author_id == user.id and bool(can_view_post(user, post))
