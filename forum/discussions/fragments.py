"""Posts and thread rows as pages show them, rendered once per state and kind of reader.

A thread page used to render every post through its macro on every view: a third of the page's
time. Here a rendered post (or thread row) is kept per web worker, keyed on everything its macro
reads — the post's state and text, the author's name, the werkveld's name, the language — and on
the policy's answers for this reader. So an edit, a redaction, hiding, a lock, a new display
name or a reader who may do something else renders anew, and a cached piece never shows what
the reader may not see: the decisions are asked every time, only the HTML is reused.

Only pieces without a form are kept: the author (edit, delete, consent) and moderators (decide,
hide, restore, reveal) get buttons with their session's CSRF token, rendered for them each time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from forum import policy
from forum.accounts.models import Role
from forum.discussions.models import Post, Thread

# Entries per web worker (a post is a few KB): enough for the pages people are reading.
MAX_ENTRIES = 3000


class FragmentCache:
    """A bounded map of rendered pieces; the oldest entry goes first when it is full."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self.entries: dict[Hashable, Markup] = {}

    def get_or_render(self, key: Hashable, render: Callable[[], Markup]) -> Markup:
        html = self.entries.get(key)
        if html is None:
            html = render()  # a macro's output: already Markup
            if len(self.entries) >= self.size:
                del self.entries[next(iter(self.entries))]
            self.entries[key] = html
        return html

    def clear(self) -> None:
        self.entries.clear()


def cache() -> FragmentCache:
    """This worker's cache (made on first use: ``setdefault`` would build one for every post)."""
    fragments = current_app.extensions.get("forum_fragments")
    if fragments is None:
        fragments = current_app.extensions["forum_fragments"] = FragmentCache()
    return fragments


def _text_key(text: str | None) -> tuple[int, int] | None:
    # Hash and length, not the text: the cache would otherwise hold every body twice.
    return None if text is None else (hash(text), len(text))


def _shared_view(viewer: Any, author_id: int | None) -> bool:
    """Readers who see this post like everyone else of their kind: no form of their own."""
    if not policy.signed_in(viewer):
        return True
    return author_id != viewer.id and not policy.has_role(viewer, Role.MODERATOR)


def rendered_post(
    macro: Callable[..., Markup], post: Post, thread: Thread, action_form: Any, waiting: Any = ()
) -> Markup:
    """``post_item`` for one post, from the cache when the reader shares the common view."""
    viewer = current_user._get_current_object()
    if not _shared_view(viewer, post.author_id):
        return macro(post, thread, action_form, waiting)
    locale = str(get_locale())
    key = (
        "post",
        locale,
        post.id,
        post.status,
        post.is_opening,
        post.anonymous,
        post.created_at,
        post.edited_at,
        post.author_id,
        post.author.display_name if post.author else None,
        thread.setting.name(locale),
        _text_key(post.body_html),
        _text_key(post.status_note),
        # What the macro asks the policy, answered for this reader now.
        policy.signed_in(viewer),
        bool(policy.can_view_post(viewer, post)),
        bool(policy.can_see_author(viewer, post)),
        bool(policy.can_report_post(viewer, post)),
    )
    return cache().get_or_render(key, lambda: macro(post, thread, action_form, waiting))


def rendered_thread_row(
    macro: Callable[..., Markup],
    thread: Thread,
    kind_labels: Any,
    show_setting: bool = False,
    unread: bool = False,
) -> Markup:
    """``thread_row`` for one thread: it has no form, so every reader's row can be kept."""
    viewer = current_user._get_current_object()
    locale = str(get_locale())
    key = (
        "thread",
        locale,
        thread.id,
        thread.title,
        thread.kind,
        thread.status,
        thread.pinned,
        thread.locked,
        thread.anonymous,
        thread.reply_count,
        thread.last_activity_at,
        thread.author.display_name if thread.author else None,
        thread.setting.name(locale),
        show_setting,
        unread,
        bool(policy.can_see_author(viewer, thread)),
    )
    return cache().get_or_render(
        key, lambda: macro(thread, kind_labels, show_setting=show_setting, unread=unread)
    )
