"""An audit entry's data in words: label and value pairs for a definition list.

Known fields get a Dutch label and a readable value: werkveld, code and project names, roles and
choices in words, dates in the site's one format. Unknown fields still show, their key as label.
Names are looked up only for what staff define (werkvelden, codes, projects) and for the staff
member who coded: never for what members wrote or who asked for a removal, so the page shows no
more than the log keeps. One query per kind of name per page, however many entries it lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date, get_locale
from flask_babel.speaklater import LazyString

from forum.accounts.forms import PROFESSION_LABELS
from forum.accounts.models import Profession, Role, User
from forum.admin.audit_labels import ACTION_LABELS, action_label, target_label
from forum.admin.forms import REGISTRATION_LABELS, ROLE_LABELS, WATCHED_ACTION_LABELS
from forum.audit import ACTOR_FIELD, FORMER_MEMBER, AuditEntry
from forum.core.models import Setting
from forum.core.site import RegistrationMode
from forum.db import db
from forum.discussions.forms import KIND_LABELS
from forum.discussions.models import ThreadKind
from forum.i18n import _, _l, format_datetime, ngettext
from forum.moderation.action_forms import PERIOD_LABELS
from forum.moderation.actions import Period
from forum.research.models import Code, ResearchProject
from forum.screening import WatchedAction


@dataclass(frozen=True)
class Part:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Detail:
    label: str
    parts: tuple[Part, ...]


@dataclass
class Names:
    """The names one page of entries refers to."""

    settings: dict[Any, str] = field(default_factory=dict)  # by id and by slug
    code: dict[Any, str] = field(default_factory=dict)
    project: dict[Any, str] = field(default_factory=dict)
    person: dict[Any, str] = field(default_factory=dict)


Format = Callable[[Any, Names], tuple[Part, ...]]


@dataclass(frozen=True)
class Field:
    label: LazyString  # read in the visitor's language
    show: Format
    empty: Any = None  # what None or [] means here; without it such a field is left out


# --- values ---------------------------------------------------------------------------------

MOMENT_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def moment(value: str) -> str | None:
    """An ISO date or moment as the site writes dates (Babel, the site's time zone)."""
    try:
        if MOMENT_RE.match(value):
            return format_datetime(datetime.fromisoformat(value))
        if DAY_RE.fullmatch(value):
            return format_date(date.fromisoformat(value))
    except ValueError:
        pass
    return None


def plain(value: Any) -> str:
    """Any stored value in words: yes or no, dates in the site's format, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, str):
        return moment(value) or value
    if isinstance(value, list):
        return ", ".join(plain(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{label_of(key)}: {plain(item)}" for key, item in value.items())
    return str(value)


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def text(value: Any, names: Names) -> tuple[Part, ...]:
    return (Part(plain(value)),)


def number(value: Any, names: Names) -> tuple[Part, ...]:
    return (Part(f"#{value}"),)


def choice(labels: Mapping[Any, Any], kind: Callable[[Any], Any] = str) -> Format:
    """Stored values (an enum's value, a key) shown with the labels the forms use."""

    def show(value: Any, names: Names) -> tuple[Part, ...]:
        parts = []
        for item in items(value):
            try:
                label = labels.get(kind(item))
            except (TypeError, ValueError):  # a value from before the choice was renamed
                label = None
            parts.append(Part(plain(item) if label is None else str(label)))
        return tuple(parts)

    return show


def named(kind: str) -> Format:
    """Ids (werkvelden also by slug) shown by name; one that is gone keeps its number."""

    def show(value: Any, names: Names) -> tuple[Part, ...]:
        found: dict[Any, str] = getattr(names, kind)
        parts = []
        for item in items(value):
            if item == FORMER_MEMBER:  # the person deleted their account
                parts.append(Part(_("een oud-lid")))
                continue
            url = url_for("admin.person", user_id=item) if kind == "person" else None
            parts.append(Part(found[item], url) if item in found else Part(f"#{item}"))
        return tuple(parts)

    return show


def linked(target_type: str, endpoint: str, argument: str) -> Format:
    """Posts and threads as links by number: what they say is not the log's to show."""

    def show(value: Any, names: Names) -> tuple[Part, ...]:
        return tuple(
            Part(f"{target_label(target_type)} #{item}", url_for(endpoint, **{argument: item}))
            for item in items(value)
            if isinstance(item, int)
        )

    return show


def nested(fields: Mapping[str, Field]) -> Format:
    """A dictionary (filter, counts) as "label: value" parts."""

    def show(value: Any, names: Names) -> tuple[Part, ...]:
        if not isinstance(value, dict):
            return text(value, names)
        return tuple(
            Part(f"{label_of(key, fields)}: {words(key, item, names, fields)}")
            for key, item in value.items()
        )

    return show


def head_count(value: Any, names: Names) -> tuple[Part, ...]:
    if not isinstance(value, int):
        return text(value, names)
    return (Part(ngettext("%(num)d persoon", "%(num)d personen", value)),)


def cause(value: Any, names: Names) -> tuple[Part, ...]:
    """Why a post came back: a report outcome or a removal request."""
    return (Part(action_label(value) if value in ACTION_LABELS else target_label(value)),)


DELETED_BY = {"self": _l("de persoon zelf"), "admin": _l("een beheerder")}
POSTS_CHOICE = {"keep": _l("bewaard als ‘oud-lid’"), "remove": _l("verwijderd")}
PUBLIC_READ = {"0": _l("Alleen leden (ingelogd)"), "1": _l("Iedereen, ook zonder account")}
DIRECTIONS = {-1: _l("omhoog"), 1: _l("omlaag")}
FORMATS = {"csv": "CSV", "jsonl": "JSON Lines", "qdpx": "REFI-QDA (.qdpx)"}
ALL = _l("alle")
POSTS = linked("post", "discussions.show_post", "post_id")

COUNTS = {
    "threads": Field(_l("gesprekken"), text),
    "posts": Field(_l("bijdragen"), text),
    "placeholders": Field(_l("bijdragen zonder toestemming"), text),
    "thread_codings": Field(_l("codes op gesprekken"), text),
    "passage_codings": Field(_l("gecodeerde passages"), text),
    "passages_skipped": Field(_l("passages weggelaten (tekst gewijzigd)"), text),
    "memos": Field(_l("notities"), text),
}
PURGED = {
    "rejected_posts": Field(_l("afgewezen berichten"), text),
    "redacted_originals": Field(_l("sporen van weggehaalde tekst in de zoekindex"), text),
    "expired_tokens": Field(_l("verlopen links"), text),
    "sent_mails": Field(_l("verstuurde mails"), text),
    "research_exports": Field(_l("exportverslagen"), text),
}
FILTER = {
    "setting_id": Field(_l("werkveld"), named("settings"), ALL),
    "profession": Field(_l("beroep"), choice(PROFESSION_LABELS, Profession), ALL),
    "contacted": Field(_l("benaderd"), text, ALL),
}
# The data fields the services record, as label and value; see audit_labels for the actions.
FIELDS = {
    "registration_mode": Field(_l("Aanmelden"), choice(REGISTRATION_LABELS, RegistrationMode)),
    "public_read": Field(_l("Wie kan goedgekeurde gesprekken lezen?"), choice(PUBLIC_READ)),
    "trust_threshold": Field(
        _l("Aantal goedgekeurde berichten voordat iemand zonder beoordeling plaatst"), text
    ),
    "report_limit": Field(_l("Aantal voorleggingen waarna een bericht verborgen wordt"), text),
    "name_nl": Field(_l("Naam (Nederlands)"), text),
    "name_en": Field(_l("Naam (Engels)"), text),
    "slug": Field(_l("Korte naam"), text),
    "direction": Field(_l("Richting"), choice(DIRECTIONS, int)),
    "from": Field(_l("Van werkveld"), named("settings")),
    "to": Field(_l("Naar werkveld"), named("settings")),
    "phrase": Field(_l("Woord of zinsdeel"), text),
    "whole_word": Field(_l("Alleen hele woorden"), text),
    "action": Field(_l("Wat gebeurt er?"), choice(WATCHED_ACTION_LABELS, WatchedAction)),
    "title": Field(_l("Titel"), text),
    "name": Field(_l("Naam"), text),
    "old_name": Field(_l("Vorige naam"), text),
    "names": Field(_l("Codes"), text),
    "code_id": Field(_l("Code"), named("code")),
    "coder_id": Field(_l("Gecodeerd door"), named("person")),
    "coded_at": Field(_l("Gecodeerd op"), text),
    "passage_id": Field(_l("Passage"), number),
    "threads": Field(_l("Gesprekken"), linked("thread", "discussions.thread", "thread_id")),
    "published": Field(_l("Gepubliceerd"), text),
    "notified": Field(_l("Laten weten aan"), head_count),
    "filters": Field(_l("Filter"), nested(FILTER)),
    "count": Field(_l("Aantal"), text),
    "format": Field(_l("Bestandsvorm"), choice(FORMATS)),
    "period_start": Field(_l("Periode vanaf"), text, _l("vanaf het begin")),
    "period_end": Field(_l("Periode tot en met"), text, _l("tot nu")),
    "settings": Field(_l("Werkvelden"), named("settings"), ALL),
    "kinds": Field(_l("Soorten"), choice(KIND_LABELS, ThreadKind), ALL),
    "codes": Field(_l("Codes"), named("code"), ALL),
    "project_id": Field(_l("Project"), named("project")),
    "counts": Field(_l("Aantallen"), nested(COUNTS)),
    "file_hash": Field(_l("Controlegetal (SHA-256)"), text),
    "until": Field(_l("Geschorst tot"), text),
    "period": Field(_l("Duur"), choice(PERIOD_LABELS, Period)),
    "post_id": Field(_l("Bericht"), POSTS),
    "post": Field(_l("Bericht"), POSTS),
    "also_approved": Field(_l("Ook goedgekeurd"), POSTS),
    "reports": Field(_l("Aantal voorleggingen"), text),
    "removal_request": Field(_l("Verzoek tot verwijdering"), number),
    "because": Field(_l("Aanleiding"), cause),
    "revisions": Field(_l("Eerdere versies gewist"), text),
    "pending_edits": Field(_l("Wachtende wijzigingen gewist"), text),
    "mails_deleted": Field(_l("Wachtende mails gewist"), text),
    "rows_scrubbed": Field(_l("Andere plekken opgeschoond"), text),
    "added": Field(_l("Rollen erbij"), choice(ROLE_LABELS, Role)),
    "removed": Field(_l("Rollen eraf"), choice(ROLE_LABELS, Role)),
    "email": Field(_l("E-mailadres"), text),
    "left": Field(_l("Herstelcodes over"), text),
    "purged": Field(_l("Gewist"), nested(PURGED)),
    "by": Field(_l("Door"), choice(DELETED_BY)),
    "posts": Field(_l("Berichten"), choice(POSTS_CHOICE)),
    "posts_kept": Field(_l("Berichten bewaard"), text),
    "posts_removed": Field(_l("Berichten verwijderd"), text),
    "posts_emptied": Field(_l("Openingsberichten leeggemaakt (met reacties van anderen)"), text),
}
# Which fields name something to look up, and in which table.
REFERS_TO = {"code_id": "code", "codes": "code", "project_id": "project", "coder_id": "person"}
SETTING_FIELDS = {"setting_id", "settings", "from", "to"}


def label_of(key: str, fields: Mapping[str, Field] = FIELDS) -> str:
    known = fields.get(key)
    return str(known.label) if known else key.replace("_", " ").capitalize()


def parts_of(
    key: str, value: Any, names: Names, fields: Mapping[str, Field] = FIELDS
) -> tuple[Part, ...] | None:
    """How a field's value reads; None when it says nothing (an empty optional field)."""
    known = fields.get(key)
    if known is None:
        return text(value, names)
    if value is None or value == []:
        return None if known.empty is None else (Part(str(known.empty)),)
    return known.show(value, names) or None


def words(key: str, value: Any, names: Names, fields: Mapping[str, Field] = FIELDS) -> str:
    return ", ".join(part.text for part in parts_of(key, value, names, fields) or ()) or "—"


# --- entries --------------------------------------------------------------------------------


def walk(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        yield key, value
        if isinstance(value, dict):
            yield from walk(value)


def load_names(entries: Iterable[AuditEntry]) -> Names:
    wanted: dict[str, set[int]] = {"code": set(), "project": set(), "person": set()}
    settings = False
    for entry in entries:
        for key, value in walk(entry.data or {}):
            settings = settings or key in SETTING_FIELDS
            if key in REFERS_TO:
                wanted[REFERS_TO[key]].update(v for v in items(value) if isinstance(v, int))
    names = Names()
    if settings:  # a handful of rows: all of them, by id and by slug
        locale = str(get_locale() or "nl")
        for setting in db.session.execute(sa.select(Setting)).scalars():
            names.settings[setting.id] = names.settings[setting.slug] = setting.name(locale)
    columns = {
        "code": (Code.id, Code.name),
        "project": (ResearchProject.id, ResearchProject.name),
        "person": (User.id, User.display_name),
    }
    for kind, (key, label) in columns.items():
        if wanted[kind]:
            rows = db.session.execute(sa.select(key, label).where(key.in_(wanted[kind])))
            getattr(names, kind).update({row_id: name for row_id, name in rows})
    return names


def describe(entry: AuditEntry, names: Names) -> list[Detail]:
    data = dict(entry.data or {})
    data.pop(ACTOR_FIELD, None)  # shown as the entry's actor ("een oud-lid")
    details: list[Detail] = []
    # A change reads as one line per field: "before → after".
    after = data.pop("changed", None) or data.pop("after", None)
    if isinstance(after, dict) and isinstance(data.get("before"), dict):
        before = data.pop("before")
        for key, value in after.items():
            change = f"{words(key, before.get(key), names)} → {words(key, value, names)}"
            details.append(Detail(label_of(key), (Part(change),)))
    elif after is not None:
        data["changed"] = after
    if isinstance(data.get("start"), int) and isinstance(data.get("end"), int):
        place = _("teken %(start)s tot %(end)s", start=data.pop("start"), end=data.pop("end"))
        details.append(Detail(_("Plaats in de tekst"), (Part(place),)))
    if "on" in data:  # a memo: on what, by number
        on, target = str(data.pop("on")), data.pop("target_id", None)
        is_thread = on == "thread" and isinstance(target, int)
        url = url_for("discussions.thread", thread_id=target) if is_thread else None
        details.append(Detail(_("Bij"), (Part(f"{target_label(on)} #{target}", url),)))
    for key, value in data.items():
        parts = parts_of(key, value, names)
        if parts:
            details.append(Detail(label_of(key), parts))
    return details


def describe_all(entries: list[AuditEntry]) -> dict[int, list[Detail]]:
    """Every entry's details by id, with the names they need loaded once."""
    names = load_names(entries)
    return {entry.id: describe(entry, names) for entry in entries}
