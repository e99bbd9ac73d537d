"""Admin pages for moderation settings: watched words (woorden die we in de gaten houden).

Matching lives in ``forum.textmatch`` and ``forum.screening``; this module only keeps the list.
The two small services below flush and never commit, like every service.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import audit, policy
from forum.accounts.models import User
from forum.admin.forms import WATCHED_ACTION_LABELS, WatchedWordForm
from forum.db import db, utcnow
from forum.forms import ActionForm
from forum.i18n import _
from forum.moderation.models import WatchedWord
from forum.screening import WatchedAction
from forum.textmatch import fold

bp = Blueprint("moderation_settings", __name__, url_prefix="/beheer")


class DuplicatePhrase(Exception):
    pass


# --- services ---------------------------------------------------------------------------------


def folded(phrase: str) -> str:
    """The form in which two phrases are the same: folded case and accents, single spaces."""
    return " ".join(fold(phrase).split())


def all_watched_words() -> list[WatchedWord]:
    return list(
        db.session.execute(
            sa.select(WatchedWord).order_by(WatchedWord.action, WatchedWord.phrase)
        ).scalars()
    )


def add_watched_word(
    phrase: str, whole_word: bool, action: WatchedAction, actor: User, reason: str = ""
) -> WatchedWord:
    """Add a watched word; ``DuplicatePhrase`` when the same phrase (folded) is already there."""
    phrase = " ".join(phrase.split())
    if any(folded(word.phrase) == folded(phrase) for word in all_watched_words()):
        raise DuplicatePhrase(phrase)
    word = WatchedWord(
        phrase=phrase,
        whole_word=whole_word,
        action=action,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    db.session.add(word)
    db.session.flush()
    audit.record(
        actor,
        "watched_word.added",
        "watched_word",
        word.id,
        reason=reason,
        data={"phrase": phrase, "whole_word": whole_word, "action": action.value},
    )
    return word


def delete_watched_word_row(word: WatchedWord, actor: User) -> None:
    audit.record(
        actor,
        "watched_word.deleted",
        "watched_word",
        word.id,
        data={"phrase": word.phrase, "whole_word": word.whole_word, "action": word.action.value},
    )
    db.session.delete(word)
    db.session.flush()


# --- pages ------------------------------------------------------------------------------------


@bp.before_request
@policy.rule_required(policy.can_manage_moderation_settings)
def admins_only() -> None:
    """Only admins change what moderation watches for."""


@bp.route("/woorden", methods=["GET", "POST"])
def watched_words() -> tuple[str, int] | Response:
    form = WatchedWordForm()
    if form.validate_on_submit():
        try:
            add_watched_word(
                form.phrase.data,
                bool(form.whole_word.data),
                WatchedAction(form.action.data),
                actor=current_user,
                reason=form.reason.data or "",
            )
        except DuplicatePhrase:
            db.session.rollback()
            form.phrase.errors = [
                _(
                    "Dit woord of zinsdeel staat al in de lijst (hoofdletters en accenten tellen "
                    "niet mee). Verwijder het eerst als je het anders wilt instellen."
                )
            ]
        else:
            db.session.commit()
            flash(_("‘%(phrase)s’ is toegevoegd.", phrase=form.phrase.data), "success")
            return redirect(url_for("moderation_settings.watched_words"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/watched_words.html",
        form=form,
        words=all_watched_words(),
        action_labels=WATCHED_ACTION_LABELS,
        action_form=ActionForm(),
    ), status


@bp.post("/woorden/<id:word_id>/verwijderen")
def delete_watched_word(word_id: int) -> Response:
    word = db.session.get(WatchedWord, word_id)
    if word is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    phrase = word.phrase
    delete_watched_word_row(word, actor=current_user)
    db.session.commit()
    flash(_("‘%(phrase)s’ is verwijderd.", phrase=phrase), "success")
    return redirect(url_for("moderation_settings.watched_words"))
