"""Security helpers, each written once: safe redirects, text hygiene, response headers."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site; otherwise None.

    Browsers treat ``//host`` and ``/\\host`` as another host, so both are refused, as is anything
    with a scheme, a host, control characters or a backslash.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def text_problem(value: str) -> str | None:
    """Say what is wrong with a piece of submitted text, or None when it is fine.

    Refuses NUL and other control characters (tab and newlines are fine), U+FFFD (what invalid
    UTF-8 decodes to) and lone surrogates, which PostgreSQL cannot store.
    """
    for char in value:
        code = ord(char)
        if char in "\t\n\r":
            continue
        if code == 0:
            return "nul"
        if code == 0xFFFD or 0xD800 <= code <= 0xDFFF:
            return "encoding"
        if unicodedata.category(char) == "Cc":
            return "control"
    return None


def reject_bad_query_strings() -> None:
    """400 for a NUL byte or invalid text anywhere in the query string (before any view runs)."""
    for key, values in request.args.lists():
        for value in (key, *values):
            if text_problem(value):
                abort(400)


def add_security_headers(response: Response) -> Response:
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.before_request(reject_bad_query_strings)
    app.after_request(add_security_headers)
