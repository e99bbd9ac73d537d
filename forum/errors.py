"""Friendly error pages in the person's language (JSON when the client asks for it)."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from forum.db import db
from forum.i18n import _

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
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=code, message=detail or text), code
    return render_template(
        "errors/error.html", code=code, title=title, text=text, detail=detail
    ), code


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


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing and not app.debug:
        app.register_error_handler(Exception, handle_unexpected)
