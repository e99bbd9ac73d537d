"""Logs: one JSON object a line (``FORUM_LOG_FORMAT=json``, the default in production) or the
readable text of development, each line with the request's id.

The request id comes from the proxy's ``X-Request-Id`` when it is a plain token (nginx's
``$request_id`` is), otherwise it is made here; it goes back on the response and into the mails
the request queues, so one id ties a proxy line, the app's lines and a sent mail together. The
access line carries the path without its query string: queries can hold search words.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

HEADER = "X-Request-Id"
VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
FORMATS = ("json", "text")
access_log = logging.getLogger("forum.access")
# The access line's own fields, copied from the record into the JSON object.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "endpoint")


def log_format(production: bool, value: str | None) -> str:
    value = (value or "").strip().lower()
    if not value:
        return "json" if production else "text"
    if value not in FORMATS:
        raise ValueError(f"FORUM_LOG_FORMAT must be 'json' or 'text': {value!r}")
    return value


def current_request_id() -> str | None:
    """The id of the request being handled (None outside a request, e.g. in the worker)."""
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id``: its own (the worker passes the mail's in ``extra``),
    else the current request's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the moment (as logging's last resort does), so a
    test capturing stderr, or a server swapping it, gets the lines."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure(kind: str) -> None:
    """JSON: our handler on the root logger (a second create_app, in tests, replaces it). Text:
    as before, the standard handler of ``basicConfig``."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, StderrHandler):
            root.removeHandler(handler)
    if kind == "json":
        handler = StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)
    else:
        logging.basicConfig(level=logging.INFO)
    logging.getLogger("forum").setLevel(logging.INFO)


def start_request() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def finish_request(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
    return response


def elapsed_ms() -> float:
    started = g.get("request_started")
    return round((time.perf_counter() - started) * 1000, 2) if started is not None else 0.0


def log_access(response: Response) -> Response:
    """The per-request line (JSON mode only: in text mode the server's own line says it)."""
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": elapsed_ms(),
            "endpoint": request.endpoint,
        },
    )
    return response


def init_app(app: Flask, kind: str) -> None:
    configure(kind)
    app.before_request(start_request)
    app.after_request(finish_request)
    if kind == "json":
        app.after_request(log_access)
