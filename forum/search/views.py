"""The search page (``/zoeken``): a GET form and ranked, highlighted results.

Visitors search only when approved discussions are public; otherwise they are sent to the login
page, as on every reading page. Any text is a valid search: the worst a person can get is a form
error (text too long) or, for characters no form accepts (a NUL byte, invalid UTF-8), the
forum-wide 400 page.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.core.pagecache import cached_page
from forum.core.queries import active_settings
from forum.core.replica import replica_read
from forum.discussions.forms import KIND_LABELS
from forum.extensions import login_manager
from forum.pagination import page_arg
from forum.search import services
from forum.search.forms import chosen_filters, search_form
from forum.search.query import MAX_TERMS

bp = Blueprint("search", __name__)


@bp.get("/zoeken")
@replica_read
@cached_page
def results() -> str | Response:
    if not policy.can_read_forum(current_user):
        return login_manager.unauthorized()
    settings = active_settings()
    extras = services.extra_filters(current_user)
    form = search_form(request.args, settings, extras, str(get_locale() or "nl"))
    page = page_arg()
    text = (form.q.data or "").strip()
    found = None
    if text and form.validate():
        filters = chosen_filters(form, settings, extras)
        found = services.search(current_user, text, filters, page)
    return render_template(
        "search/results.html",
        form=form,
        text=text,
        found=found,
        extras=extras,
        kind_labels=KIND_LABELS,
        max_terms=MAX_TERMS,
        max_counted=services.MAX_COUNTED,
    )
