"""Friendly error pages in the person's language (JSON when the client asks for it).

A database that cannot be reached (a restart, a failover, a full connection pool, SQLite busy past
its timeout) is a 503 with its own page, not a 500: the page is rendered without the database
(no signed-in person, no menu that counts anything), and the pool's pre-ping finds a fresh
connection once the server is back, so the forum recovers by itself.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.wrappers import Response

from forum.db import db
from forum.i18n import LANG_COOKIE, LANGUAGES, _

HANDLED = (400, 403, 404, 405, 409, 413, 429, 500, 503)


def messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Dat ging niet goed"),
            _(
                "Je verzoek kon niet worden verwerkt. Ga terug en probeer "
                "het opnieuw; laad de pagina eerst opnieuw als een "
                "formulier lang openstond."
            ),
        ),
        403: (_("Geen toegang"), _("Je hebt geen toegang tot deze pagina.")),
        404: (
            _("Pagina niet gevonden"),
            _("Deze pagina bestaat niet (meer), of je hebt er geen toegang toe."),
        ),
        405: (_("Dat kan zo niet"), _("Deze pagina werkt niet op deze manier.")),
        409: (_("Al gebeurd"), _("Iemand anders was je net voor. Laad de pagina opnieuw.")),
        413: (
            _("Te groot"),
            _("Wat je stuurde is te groot. Maak je tekst korter en probeer het opnieuw."),
        ),
        429: (
            _("Even rustig aan"),
            _(
                "Je hebt dit te vaak achter elkaar gedaan. Wacht even en "
                "probeer het daarna opnieuw."
            ),
        ),
        500: (
            _("Er ging iets mis"),
            _(
                "Er ging aan onze kant iets mis. Er is niets van je "
                "opgeslagen dat al bewaard was kwijtgeraakt; probeer het "
                "later opnieuw."
            ),
        ),
        503: (
            _("Even niet beschikbaar"),
            _("Het forum is even niet bereikbaar. Probeer het later opnieuw."),
        ),
    }


def render_error(code: int, detail: str | None = None) -> tuple[str | Response, int]:
    title, text = messages().get(code, messages()[500])
    if isinstance(request.routing_exception, SecurityError):
        # A Host header outside FORUM_TRUSTED_HOSTS: no URL can be built for it, so the page
        # (whose menu links everywhere) cannot be either. A short text says enough.
        return Response(f"{title}\n\n{text}\n", status=code, mimetype="text/plain"), code
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=code, message=detail or text), code
    try:
        page = render_template(
            "errors/error.html", code=code, title=title, text=text, detail=detail
        )
    except sa.exc.SQLAlchemyError as error:
        # The page's menu reads the database: when that is gone, the forum is unavailable.
        return handle_database_unavailable(error)
    return page, code


def handle_http_error(error: HTTPException) -> tuple[str | Response, int] | HTTPException:
    code = error.code or 500
    if code not in HANDLED:
        return error
    if code >= 500:
        db.session.rollback()
    detail = g.pop("denial_reason", None) if code == 403 else None
    result = render_error(code, detail)
    if code == 429 and isinstance(result[0], str):
        response = Response(result[0], status=429, mimetype="text/html")
        retry_after = getattr(error, "retry_after", None)
        response.headers["Retry-After"] = str(retry_after or 60)
        return response, 429
    return result


def handle_csrf_error(error: CSRFError) -> tuple[str | Response, int]:
    return render_error(
        400,
        _(
            "Het formulier was verlopen of onvolledig. Laad de pagina opnieuw "
            "en probeer het nog een keer."
        ),
    )


def handle_unexpected(error: Exception) -> tuple[str | Response, int]:
    # The visitor gets the friendly page; the operator needs the traceback in the log.
    current_app.logger.error("Unhandled error on %s", request.path, exc_info=error)
    db.session.rollback()
    return handle_http_error(InternalServerError())  # type: ignore[return-value]


# SQLite's OperationalError also means a programming error ("no such column"): only these are an
# unreachable or overloaded database. Every OperationalError of PostgreSQL's driver is one.
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")
RETRY_AFTER_SECONDS = 10


def database_unavailable(error: sa.exc.SQLAlchemyError) -> bool:
    """True when ``error`` says the database cannot be reached now, not that a query is wrong."""
    if isinstance(error, sa.exc.TimeoutError):  # no free connection in the pool in time
        return True
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        return False
    if not isinstance(error.orig, sqlite3.Error):
        return True
    return any(text in str(error.orig).lower() for text in SQLITE_UNAVAILABLE)


def page_language() -> str:
    """The language of this request, without the database: the one already chosen, or the
    cookie's (a signed-in person's saved choice needs their row)."""
    state = g.get("_flask_babel")
    chosen = getattr(state, "babel_locale", None) if state is not None else None
    if chosen is not None and str(chosen) in LANGUAGES:
        return str(chosen)
    cookie = request.cookies.get(LANG_COOKIE)
    return cookie if cookie in LANGUAGES else "nl"


def handle_database_unavailable(error: sa.exc.SQLAlchemyError) -> tuple[str | Response, int]:
    if not database_unavailable(error):
        raise error
    current_app.logger.warning("Database unavailable on %s: %s", request.path, error)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        db.session().invalidate()  # dropped by the pool; the next request connects anew
    with force_locale(page_language()):
        title, text = messages()[503]
        if request.accept_mimetypes.best == "application/json":
            response = jsonify(error=503, message=text)
        else:
            # Straight from the template environment: render_template would run the context
            # processors, and Flask-Login's loads the signed-in person from the database.
            template = current_app.jinja_env.get_template("errors/unavailable.html")
            unsaved = request.method == "POST"
            response = Response(
                template.render(title=title, text=text, unsaved=unsaved, lang=page_language()),
                mimetype="text/html",
            )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response, 503


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    # Registered in tests too: a 503 is an answer the forum gives, not an unexpected error.
    app.register_error_handler(sa.exc.OperationalError, handle_database_unavailable)
    app.register_error_handler(sa.exc.InterfaceError, handle_database_unavailable)
    app.register_error_handler(sa.exc.TimeoutError, handle_database_unavailable)
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, handle_unexpected)
