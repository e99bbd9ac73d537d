"""Fingerprinted static files: ``url_for('static', filename='css/forum.css')`` gives
``/static/css/forum.3f2a9b1c.css``, the first 8 hex digits of the file's SHA-256.

The names are computed once, when the app is made (with gunicorn's preload: once in the master,
so every worker links the same names). A fingerprinted name is served with a year's
``immutable`` cache lifetime: a changed file gets a new name, so browsers and the proxy never
need to ask again. The plain name and a name with an old hash still serve the current file, with
a short lifetime, so a page rendered before a deploy never links a broken stylesheet.

The proxy (deploy/nginx/dorpsplein.conf) serves the same names from disk with the regex in
``FINGERPRINTED``; keep the two in step.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, send_from_directory

HASH_LENGTH = 8
LONG_MAX_AGE = 365 * 24 * 60 * 60
# Plain and stale names: long enough to spare a burst of page views, short enough that a deploy
# reaches everyone within minutes.
SHORT_MAX_AGE = 5 * 60
# ``stem.<hash>.suffix``: the suffix is the file's last extension (``forum.css`` → ``.css``).
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$"
)


@dataclass(frozen=True)
class Manifest:
    """Both directions: a file's fingerprinted name, and the file behind such a name."""

    names: dict[str, str]
    files: dict[str, str]


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def fingerprinted_name(name: str, digest: str) -> str:
    """``css/forum.css`` → ``css/forum.<digest>.css``; a name without an extension is kept."""
    head, slash, base = name.rpartition("/")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem:
        return name
    return f"{head}{slash}{stem}.{digest}.{suffix}"


def build_manifest(folder: Path) -> Manifest:
    """Fingerprint every file under ``folder`` (hidden files and folders left out)."""
    names: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        name = relative.as_posix()
        fingerprinted = fingerprinted_name(name, content_hash(path))
        if fingerprinted != name:
            names[name] = fingerprinted
    return Manifest(names=names, files={value: key for key, value in names.items()})


def manifest() -> Manifest:
    return current_app.extensions["assets"]


def link_fingerprinted(endpoint: str, values: dict) -> None:
    """``url_defaults`` hook: every ``url_for('static', …)`` links the fingerprinted name."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = manifest().names.get(values["filename"], values["filename"])


def serve_static(filename: str) -> Response:
    """The app's own static view (the proxy normally answers these before they get here)."""
    folder = current_app.static_folder or ""  # create_app always sets it
    known = manifest()
    if filename in known.files:
        response = send_from_directory(folder, known.files[filename], max_age=LONG_MAX_AGE)
        response.cache_control.immutable = True
    else:
        stale = FINGERPRINTED.match(filename)
        if stale and filename not in known.names:
            # A page from before the file changed: the current file, but not kept for long.
            filename = stale["stem"] + stale["suffix"]
        response = send_from_directory(folder, filename, max_age=SHORT_MAX_AGE)
    return response


def rebuild(app: Flask) -> None:
    """Compute the names again from the files (tests; a running app keeps its first names)."""
    app.extensions["assets"] = build_manifest(Path(app.static_folder or ""))


def init_app(app: Flask) -> None:
    rebuild(app)
    app.url_defaults(link_fingerprinted)
    app.view_functions["static"] = serve_static
