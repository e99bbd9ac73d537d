"""The codebook: codes researchers apply to threads and passages.

Rules: a name is unique whatever its capitals; a parent has no parent itself (one level), and a
code with subcodes cannot get a parent; a code in use is archived, never deleted. Every change is
audited (names only, never post text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort

from forum import audit
from forum.db import db
from forum.i18n import _
from forum.research.models import Code, Memo, PassageCoding, ThreadCoding

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#0d6259"


class CodebookError(Exception):
    """A rule of the codebook was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class CodeData:
    name: str
    definition: str = ""
    use_when: str = ""
    not_when: str = ""
    example: str = ""
    colour: str = DEFAULT_COLOUR
    parent_id: int | None = None


# --- reading ----------------------------------------------------------------------------------


def all_codes() -> list[Code]:
    """Every code, active ones first, by name (one query)."""
    stmt = sa.select(Code).order_by(Code.archived, sa.func.lower(Code.name), Code.id)
    return list(db.session.execute(stmt).scalars())


def active_codes() -> list[Code]:
    """Codes that can still be applied."""
    return [code for code in all_codes() if not code.archived]


def code_or_404(code_id: int) -> Code:
    code = db.session.get(Code, code_id)
    if code is None:
        abort(404)
    return code


def children_of(code: Code) -> list[Code]:
    stmt = sa.select(Code).where(Code.parent_id == code.id).order_by(sa.func.lower(Code.name))
    return list(db.session.execute(stmt).scalars())


def has_children(code: Code) -> bool:
    stmt = sa.select(Code.id).where(Code.parent_id == code.id).limit(1)
    return db.session.execute(stmt).first() is not None


def usage_counts() -> dict[int, tuple[int, int]]:
    """{code id: (threads coded, passages coded)} for every code in use (two queries)."""
    threads = dict(
        db.session.execute(
            sa.select(ThreadCoding.code_id, sa.func.count()).group_by(ThreadCoding.code_id)
        ).all()
    )
    passages = dict(
        db.session.execute(
            sa.select(PassageCoding.code_id, sa.func.count()).group_by(PassageCoding.code_id)
        ).all()
    )
    return {
        code_id: (threads.get(code_id, 0), passages.get(code_id, 0))
        for code_id in set(threads) | set(passages)
    }


def in_use(code: Code) -> bool:
    """Applied to a thread or a passage, or written about in a memo: then it is only archived."""
    for model in (ThreadCoding, PassageCoding, Memo):
        stmt = sa.select(model.id).where(model.code_id == code.id).limit(1)
        if db.session.execute(stmt).first() is not None:
            return True
    return False


def possible_parents(code: Code | None) -> list[Code]:
    """Codes that may be this code's parent: top-level codes other than itself. A code that has
    subcodes cannot get a parent at all. The current parent stays possible, even if archived."""
    if code is not None and code.id is not None and has_children(code):
        return []
    result = []
    for candidate in all_codes():
        if code is not None and candidate.id == code.id:
            continue
        if candidate.parent_id is not None:
            continue
        if candidate.archived and (code is None or code.parent_id != candidate.id):
            continue
        result.append(candidate)
    return result


# --- rules ------------------------------------------------------------------------------------


def _check(data: CodeData, code: Code | None) -> Code | None:
    """Validate ``data`` for a new code (``code`` None) or a change; return the parent."""
    name = data.name.strip()
    if not name:
        raise CodebookError(_("Geef de code een naam."), "name")
    if len(name) > 80:
        raise CodebookError(_("Een naam heeft hoogstens 80 tekens."), "name")
    same = sa.select(Code.id).where(sa.func.lower(Code.name) == name.lower())
    if code is not None and code.id is not None:
        same = same.where(Code.id != code.id)
    if db.session.execute(same.limit(1)).first() is not None:
        raise CodebookError(_("Er is al een code met deze naam."), "name")
    if not COLOUR_RE.match(data.colour or ""):
        raise CodebookError(_("Kies een kleur als #rrggbb, bijvoorbeeld #0d6259."), "colour")
    if data.parent_id is None:
        return None
    parent = db.session.get(Code, data.parent_id)
    if parent is None:
        raise CodebookError(_("Die hoofdcode bestaat niet."), "parent")
    if code is not None and parent.id == code.id:
        raise CodebookError(_("Een code kan niet zijn eigen hoofdcode zijn."), "parent")
    if parent.parent_id is not None:
        raise CodebookError(
            _("‘%(name)s’ is zelf een subcode. Kies een code zonder hoofdcode.", name=parent.name),
            "parent",
        )
    if code is not None and code.id is not None and has_children(code):
        raise CodebookError(
            _("Deze code heeft subcodes en kan daarom zelf geen hoofdcode krijgen."), "parent"
        )
    return parent


def _apply(code: Code, data: CodeData) -> None:
    code.name = data.name.strip()
    code.definition = data.definition.strip()
    code.use_when = data.use_when.strip()
    code.not_when = data.not_when.strip()
    code.example = data.example.strip()
    code.colour = data.colour.lower()
    code.parent_id = data.parent_id


# --- writing ----------------------------------------------------------------------------------


def create_code(actor: Any, data: CodeData) -> Code:
    _check(data, None)
    code = Code(created_by_id=getattr(actor, "id", None), archived=False)
    _apply(code, data)
    db.session.add(code)
    db.session.flush()
    audit.record(actor, "code.created", "code", code.id, data={"name": code.name})
    return code


def update_code(actor: Any, code: Code, data: CodeData) -> Code:
    _check(data, code)
    old_name = code.name
    _apply(code, data)
    db.session.flush()
    changes: dict[str, Any] = {"name": code.name}
    if old_name != code.name:
        changes["old_name"] = old_name
    audit.record(actor, "code.changed", "code", code.id, data=changes)
    return code


def set_archived(actor: Any, code: Code, archived: bool) -> None:
    if code.archived == archived:
        return
    code.archived = archived
    db.session.flush()
    action = "code.archived" if archived else "code.unarchived"
    audit.record(actor, action, "code", code.id, data={"name": code.name})


def delete_code(actor: Any, code: Code) -> None:
    """Delete an unused code without subcodes; anything else is archived instead."""
    if in_use(code):
        raise CodebookError(
            _("Deze code is al gebruikt. Je kunt haar archiveren, maar niet verwijderen.")
        )
    if has_children(code):
        raise CodebookError(_("Deze code heeft subcodes. Geef die eerst een andere plek."))
    audit.record(actor, "code.deleted", "code", code.id, data={"name": code.name})
    db.session.delete(code)
    db.session.flush()


# --- starter codes ----------------------------------------------------------------------------

# (name, definition, when to use, when not to use, example, colour). Dutch: the codebook is the
# researchers' own working text, not interface text, so it is not translated.
STARTER_CODES: list[tuple[str, str, str, str, str, str]] = [
    (
        "Communicatie",
        "Hoe professionals, ouders en kinderen met elkaar praten en informatie delen.",
        "Als het gaat over de manier, het moment of het kanaal van contact.",
        "Niet als het vooral gaat om vertrouwen of zorgen; gebruik dan die codes.",
        "“We sturen nu elke vrijdag een kort berichtje over de week.”",
        "#0d6259",
    ),
    (
        "Vertrouwen",
        "Of mensen op elkaar durven rekenen en elkaar iets toevertrouwen.",
        "Als vertrouwen groeit, ontbreekt, beschadigd raakt of hersteld wordt.",
        "Niet voor gewone afspraken zonder dat vertrouwen ter sprake komt.",
        "“Pas na een paar maanden vertelde de moeder wat er thuis speelde.”",
        "#7a3e9d",
    ),
    (
        "Diversiteit",
        "Verschillen in cultuur, taal, gezinsvorm, geloof of achtergrond en hoe daarmee "
        "wordt omgegaan.",
        "Als verschillen tussen gezinnen of tussen gezin en professional een rol spelen.",
        "Niet als een verschil alleen genoemd wordt zonder dat het ertoe doet.",
        "“De vader spreekt weinig Nederlands, dus we zoeken een tolk.”",
        "#b35900",
    ),
    (
        "Overgangen thuis–school–opvang",
        "De overdracht tussen thuis, school, kinderopvang en andere plekken van het kind.",
        "Bij wisselmomenten, overdrachten en de informatie die meegaat (of niet).",
        "Niet voor samenwerking die los staat van een overgang.",
        "“Bij het ophalen vertelt de pedagogisch medewerker hoe de dag op school ging.”",
        "#1f5fa8",
    ),
    (
        "Gedeelde verantwoordelijkheid",
        "Hoe taken en verantwoordelijkheid voor het kind verdeeld worden tussen ouders en "
        "professionals.",
        "Als het gaat over wie wat doet, beslist of oppakt.",
        "Niet als alleen één partij handelt zonder dat de verdeling ter sprake komt.",
        "“We hebben samen afgesproken wie het gesprek met de jeugdarts voert.”",
        "#2e7d32",
    ),
    (
        "Ouderbetrokkenheid",
        "Hoe ouders meedoen met wat er op school, in de opvang of in de wijk gebeurt.",
        "Bij uitnodigen, meedenken, meedoen of juist het wegblijven van ouders.",
        "Niet voor contact dat alleen over één incident gaat.",
        "“Op de ouderavond kwamen dit jaar twee keer zoveel vaders.”",
        "#9c2f5f",
    ),
    (
        "Grenzen en afspraken",
        "Regels, grenzen en afspraken tussen professionals, ouders en kinderen.",
        "Als afspraken gemaakt, uitgelegd, bewaakt of overschreden worden.",
        "Niet voor algemene huisregels die niemand bespreekt.",
        "“We hebben afgesproken dat we na zes uur geen appjes meer beantwoorden.”",
        "#5d4037",
    ),
    (
        "Zorgen delen",
        "Het bespreekbaar maken van zorgen over een kind of gezin.",
        "Als iemand een zorg uitspreekt, twijfelt of die te delen, of zoekt hoe.",
        "Niet voor zorgen over de eigen werkdruk of organisatie.",
        "“Ik twijfelde lang of ik mijn zorgen over zijn gewicht moest noemen.”",
        "#a61b1b",
    ),
]


def load_starter_codes(actor: Any = None) -> list[Code]:
    """Add the starter codes that are missing (by name, whatever the capitals). Idempotent:
    a second call adds nothing. Returns the codes added."""
    existing = {name.lower() for name in db.session.execute(sa.select(Code.name)).scalars()}
    added = []
    for name, definition, use_when, not_when, example, colour in STARTER_CODES:
        if name.lower() in existing:
            continue
        code = Code(
            name=name,
            definition=definition,
            use_when=use_when,
            not_when=not_when,
            example=example,
            colour=colour,
            archived=False,
            created_by_id=getattr(actor, "id", None),
        )
        db.session.add(code)
        added.append(code)
    if added:
        db.session.flush()
        audit.record(
            actor, "code.starters_loaded", "code", None, data={"names": [c.name for c in added]}
        )
    return added
