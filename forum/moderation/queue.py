"""Deciding on waiting posts and edits (the review queue, Te beoordelen).

Every decision is race-safe: a guarded UPDATE (``WHERE status = 'pending'``) or, for a waiting
edit, a DELETE of its row by id; the row count says whether this moderator was first. The one who
comes second changes nothing and is told who was first (``Post.handled_by_id``). Each decision is
audited and tells the author. Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forum import audit
from forum.accounts.models import User
from forum.db import db, utcnow
from forum.discussions.checks import Rendered, render
from forum.discussions.models import Post, PostStatus
from forum.discussions.services import claim_status, mark_handled, replace_text
from forum.moderation import redaction
from forum.moderation.diff import change_segments
from forum.moderation.models import PendingEdit, RejectionTemplate, ReportStatus
from forum.moderation.reports import resolve_reports
from forum.notifications.services import notify_author
from forum.screening import WaitReason


@dataclass(frozen=True)
class Outcome:
    """Whether this moderator's decision was made; if not, who decided first (their name)."""

    done: bool
    handled_by: str | None = None


DONE = Outcome(True)


def handled_by_name(post_id: int) -> str | None:
    """The name of the last moderator who decided on the post, as the database has it now."""
    return db.session.execute(
        sa.select(User.display_name)
        .join(Post, Post.handled_by_id == User.id)
        .where(Post.id == post_id)
    ).scalar_one_or_none()


def lost(post_id: int) -> Outcome:
    return Outcome(False, handled_by_name(post_id))


def claim(post: Post, moderator: User, status: PostStatus, note: str | None = None) -> bool:
    """Move a pending post to ``status`` (with the moderator's note, or none); False when
    someone else was first."""
    return claim_status(post, (PostStatus.PENDING,), status, moderator.id, note)


def approve(post: Post, moderator: User) -> Outcome:
    """Goedkeuren: pending → approved. An opening post's approval lists its thread."""
    if not claim(post, moderator, PostStatus.APPROVED):
        return lost(post.id)
    audit.record(moderator, "post.approved", "post", post.id)
    notify_author(post, "post_approved")
    db.session.flush()
    return DONE


def edit_and_approve(post: Post, moderator: User, source: str, title: str | None = None) -> Outcome:
    """Aanpassen en goedkeuren: the moderator's text replaces the author's, and is approved.

    This is a redaction: every earlier version is purged (``redaction.purge``). The author is told
    what changed, without the removed text.
    """
    earlier_text, earlier_findings = post.screened_text, list(post.privacy_findings or [])
    if not claim(post, moderator, PostStatus.APPROVED):
        return lost(post.id)
    replace_text(
        post, moderator, render(source), title.strip() if post.is_opening and title else None
    )
    db.session.flush()
    redaction.purge(post, moderator, earlier_text, earlier_findings)
    audit.record(moderator, "post.edited_and_approved", "post", post.id)
    tell_what_changed(post, earlier_text)
    db.session.flush()
    return DONE


def redact(post: Post, moderator: User, source: str, title: str | None = None) -> Outcome:
    """Aanpassen: a moderator edits identifying details out of a published or hidden post (after
    a report or a removal request). The status stays; every earlier version is purged, the open
    reports are answered with "edited", and the author is told what changed."""
    earlier_text, earlier_findings = post.screened_text, list(post.privacy_findings or [])
    replace_text(
        post, moderator, render(source), title.strip() if post.is_opening and title else None
    )
    mark_handled(post, moderator)
    redaction.purge(post, moderator, earlier_text, earlier_findings)
    tell_what_changed(post, earlier_text)
    resolve_reports(post, moderator, ReportStatus.EDITED)
    db.session.flush()
    return DONE


def tell_what_changed(post: Post, earlier_text: str) -> None:
    """The author sees what a moderator changed, without the removed text itself."""
    notify_author(post, "post_edited", changes=change_segments(earlier_text, post.screened_text))


def return_post(post: Post, moderator: User, note: str) -> Outcome:
    """Terugsturen ter aanpassing: pending → returned with a note; the author edits and resubmits
    (``discussions.services.edit_post`` puts it back in the queue)."""
    if not claim(post, moderator, PostStatus.RETURNED, note):
        return lost(post.id)
    audit.record(moderator, "post.returned", "post", post.id, reason=note)
    notify_author(post, "post_returned", note=note)
    db.session.flush()
    return DONE


def reject(post: Post, moderator: User, reason: str) -> Outcome:
    """Afwijzen with a reason the author sees; an opening post takes its thread with it."""
    if not claim(post, moderator, PostStatus.REJECTED, reason):
        return lost(post.id)
    audit.record(moderator, "post.rejected", "post", post.id, reason=reason)
    notify_author(post, "post_rejected", reason=reason)
    db.session.flush()
    return DONE


# Posts that waited only because their author was new: trusting the author settles them.
ONLY_NEW_MEMBER = {WaitReason.NEW_MEMBER.value}


def approve_and_trust(post: Post, moderator: User) -> Outcome:
    """Goedkeuren en vertrouwen: approve, and trust the author from now on.

    Trusting someone here means:

    - ``User.trusted_at`` is set: being new no longer makes their posts wait (what is in the text
      — privacy findings, watched words — and a pre-moderated werkveld still do);
    - "always moderate" is switched off for the author;
    - the author's other waiting posts that wait *only* because the author is new are approved
      too (each race-safe, audited and notified as an ordinary approval). Posts that also wait for
      something in the text (privacy findings, a watched word, a pre-moderated werkveld, a
      resubmission) keep waiting: trust in a person is not a judgement of every text.

    The trust itself is audited as ``user.trusted``.
    """
    outcome = approve(post, moderator)
    if not outcome.done:
        return outcome
    author = db.session.get(User, post.author_id) if post.author_id else None
    if author is None:
        return outcome
    author.always_moderate = False
    author.trusted_at = author.trusted_at or utcnow()
    others = (
        db.session.execute(
            sa.select(Post)
            .where(
                Post.author_id == author.id, Post.status == PostStatus.PENDING, Post.id != post.id
            )
            .order_by(Post.created_at, Post.id)
        )
        .scalars()
        .all()
    )
    also = [
        other.id
        for other in others
        if set(other.wait_reasons or []) == ONLY_NEW_MEMBER and approve(other, moderator).done
    ]
    audit.record(
        moderator,
        "user.trusted",
        "user",
        author.id,
        data={"post_id": post.id, "also_approved": also},
    )
    db.session.flush()
    return outcome


# --- waiting edits of approved posts ----------------------------------------------------------


def take_edit(edit: PendingEdit) -> bool:
    """Delete the waiting edit's row by id: the guard. False: someone else handled it first."""
    result = db.session.execute(
        sa.delete(PendingEdit)
        .where(PendingEdit.id == edit.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.expunge(edit)
    return True


def approve_edit(edit: PendingEdit, moderator: User) -> Outcome:
    """The waiting edit becomes the post's text (the earlier one is kept as a revision)."""
    post = edit.post
    if not take_edit(edit):
        return lost(post.id)
    editor = (db.session.get(User, edit.editor_id) if edit.editor_id else None) or moderator
    body = Rendered(edit.body_source, edit.body_html, edit.body_text)
    replace_text(post, editor, body, edit.title if post.is_opening else None)
    post.wait_reasons = list(edit.wait_reasons or [])
    post.privacy_findings = list(edit.privacy_findings or [])
    post.safeguarding = edit.safeguarding
    mark_handled(post, moderator)
    audit.record(moderator, "edit.approved", "post", post.id)
    notify_author(post, "edit_approved")
    db.session.flush()
    return DONE


def reject_edit(edit: PendingEdit, moderator: User, reason: str) -> Outcome:
    """The waiting edit is dropped; the approved version stays."""
    post = edit.post
    if not take_edit(edit):
        return lost(post.id)
    mark_handled(post, moderator)
    audit.record(moderator, "edit.rejected", "post", post.id, reason=reason)
    notify_author(post, "edit_rejected", reason=reason)
    db.session.flush()
    return DONE


# --- rejection templates (admins) -------------------------------------------------------------


def add_template(admin: User, title: str, text: str) -> RejectionTemplate:
    last = db.session.execute(sa.select(sa.func.max(RejectionTemplate.position))).scalar()
    template = RejectionTemplate(title=title, text=text, position=(last or 0) + 1)
    db.session.add(template)
    db.session.flush()
    audit.record(
        admin, "rejection_template.added", "rejection_template", template.id, data={"title": title}
    )
    return template


def update_template(admin: User, template: RejectionTemplate, title: str, text: str) -> None:
    template.title, template.text = title, text
    audit.record(
        admin,
        "rejection_template.changed",
        "rejection_template",
        template.id,
        data={"title": title},
    )
    db.session.flush()


def delete_template(admin: User, template: RejectionTemplate) -> None:
    audit.record(
        admin,
        "rejection_template.deleted",
        "rejection_template",
        template.id,
        data={"title": template.title},
    )
    db.session.delete(template)
    db.session.flush()
