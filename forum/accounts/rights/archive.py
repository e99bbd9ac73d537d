"""What a data download holds, and how it is packed: a ZIP with a JSON file per kind of data and
one HTML page that reads it all out in the member's language.

Each room of the forum says what it holds about a person through a collector that ``create_app``
registers (``register``), so this module, low in accounts, imports none of those rooms. A collector
returns ``Section``s: JSON-ready data (moments are written as ISO 8601 in UTC) and the template
that shows it on the page. Collectors run in the member's language (``force_locale``) and decide
what goes in by ``forum.policy``: the download shows no more than the forum shows the member.

The page is self-contained, as it is read from the ZIP on the member's own computer: no script,
no style sheet, font or image to load, and no links.
"""

from __future__ import annotations

import enum
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel.speaklater import LazyString

from forum.accounts.models import User
from forum.db import utcnow
from forum.i18n import _

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    """One part of the download: its JSON files and its part of the page."""

    key: str  # the page's anchor
    title: str
    template: str  # under templates/accounts/rights/sections/
    files: Mapping[str, Any]  # file name without ".json" → its data
    view: Any = None  # what the page needs beyond the JSON (never written to a file)


Collector = Callable[[User], Iterable[Section]]


@dataclass(frozen=True)
class Registry:
    collectors: tuple[Collector, ...]
    # How big an account is, to choose between building in the request and in the worker.
    measure: Callable[[User], int]


def register(app: Flask, collectors: Iterable[Collector], measure: Callable[[User], int]) -> None:
    app.extensions["own_data"] = Registry(tuple(collectors), measure)


def measure(user: User) -> int:
    return current_app.extensions["own_data"].measure(user)


def collect(user: User) -> list[Section]:
    sections = [
        section
        for collector in current_app.extensions["own_data"].collectors
        for section in collector(user)
    ]
    names = [name for section in sections for name in section.files]
    if len(names) != len(set(names)):
        raise ValueError(f"two sections write the same file: {sorted(names)}")
    return sections


def plain(value: Any) -> Any:
    """``json.dumps``'s fallback for what collectors hand in besides JSON's own types."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, LazyString):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, default=plain, ensure_ascii=False, indent=2) + "\n"


def page_name() -> str:
    return _("mijn-gegevens.html")


def write(user: User, path: Path) -> int:
    """Collect everything about ``user`` and write the ZIP to ``path`` (readable by this process
    only); returns its size in bytes. Written beside it first, so a crash leaves no half file
    under the final name."""
    sections = collect(user)
    language = str(get_locale() or "nl")
    made_at = utcnow()
    files = {f"{name}.json": section.title for section in sections for name in section.files}
    # The Jinja environment itself, not render_template: the worker has no request for the
    # page context processors, and the page needs nothing from one.
    page = current_app.jinja_env.get_template("accounts/rights/export.html").render(
        user=user, sections=sections, files=files, made_at=made_at, language=language
    )
    about = {
        "forum": "Dorpsplein",
        "format_version": FORMAT_VERSION,
        "made_at": made_at,
        "person_id": user.id,
        "language": language,
        "page": page_name(),
        "files": files,
    }
    part = path.with_name(path.name + ".part")
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with (
        os.fdopen(descriptor, "wb") as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(page_name(), page)
        archive.writestr("about.json", to_json(about))
        for section in sections:
            for name, data in section.files.items():
                archive.writestr(f"{name}.json", to_json(data))
    os.replace(part, path)
    return path.stat().st_size
