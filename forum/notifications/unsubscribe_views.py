"""The unsubscribe link of notification mails: no login, the signed token is the permission.

GET only shows what will stop and a button (link checkers and mail scanners open links; that must
change nothing). POST stops it: the button, or a mail program's RFC 8058 one-click POST
(``List-Unsubscribe=One-Click``). The POST is CSRF-exempt because no session is involved: it is
bound to the token instead, which only the mail's recipient has. The page speaks the recipient's
language, as the mail did.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import force_locale

from forum.accounts.models import User
from forum.db import db
from forum.extensions import csrf
from forum.i18n import _l
from forum.notifications import unsubscribe

bp = Blueprint("unsubscribe", __name__, url_prefix="/mail")

TOPIC_LABELS = {
    unsubscribe.REPLIES: _l("mail over nieuwe reacties in gesprekken die je volgt"),
    unsubscribe.MENTIONS: _l("mail als iemand je noemt in een bericht"),
    unsubscribe.DIGESTS: _l("de dagelijkse en wekelijkse overzichten"),
    unsubscribe.QUEUE: _l("het dagelijkse overzicht van berichten die wachten op beoordeling"),
}


def owner_of(token: str) -> tuple[unsubscribe.Unsubscription, User]:
    """The request the token makes and the person it names; 404 for anything else."""
    asked = unsubscribe.read_token(token)
    if asked is None:
        abort(404)
    user = db.session.get(User, asked.user_id)
    if user is None:
        abort(404)
    return asked, user


def page(token: str, done: bool) -> str:
    asked, user = owner_of(token)
    with force_locale(user.locale or "nl"):
        return render_template(
            "notifications/unsubscribe.html",
            token=token,
            done=done,
            labels=[str(TOPIC_LABELS[topic]) for topic in asked.topics],
            settings_endpoint=unsubscribe.SETTINGS_ENDPOINT,
        )


@bp.get("/uitschrijven/<token>", endpoint="confirm")
def confirm(token: str) -> str:
    return page(token, done=False)


@bp.post("/uitschrijven/<token>")
@csrf.exempt
def stop(token: str) -> str:
    asked, _user = owner_of(token)
    unsubscribe.stop(asked.user_id, asked.topics)
    db.session.commit()
    return page(token, done=True)
