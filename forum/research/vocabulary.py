"""The one vocabulary of the exports: werkveld, soort and beroep as the words the forum shows,
with the stored code in a column of its own.

Each term becomes two columns, ``werkveld`` ("Onderwijs") and ``werkveld_code`` ("school"), with
the same names in CSV, JSON Lines, REFI-QDA variables and the interest list. Words are the
interface's own labels (``Setting.name_nl``, ``KIND_LABELS``, ``PROFESSION_LABELS``), always in
Dutch whatever language the researcher reads the site in: an export is research data, and files
of the same study must use the same words. Codes are the stored values (``Setting.slug``,
``ThreadKind`` and ``Profession`` values), which never change with a translation or a rename of
a label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask_babel import force_locale

from forum.accounts.forms import PROFESSION_LABELS
from forum.accounts.models import Profession
from forum.discussions.forms import KIND_LABELS
from forum.discussions.models import ThreadKind

EXPORT_LOCALE = "nl"
WERKVELD, SOORT, BEROEP = "werkveld", "soort", "beroep"
Key = TypeVar("Key")


@dataclass(frozen=True)
class Term:
    code: str
    label: str


def code_column(name: str) -> str:
    return f"{name}_code"


def term_columns(name: str) -> tuple[str, str]:
    """The two column (or variable) names of a term: its words, then its code."""
    return name, code_column(name)


def term_values(name: str, term: Term | None) -> dict[str, str | None]:
    """A term as its two columns; a placeholder post has neither."""
    return {
        name: term.label if term else None,
        code_column(name): term.code if term else None,
    }


def dutch(labels: Mapping[Key, Any]) -> dict[Key, str]:
    """The interface's labels in the export language, read once per export."""
    with force_locale(EXPORT_LOCALE):
        return {key: str(label) for key, label in labels.items()}


class Vocabulary:
    """The terms of one export; build it once, outside loops (it reads the catalog)."""

    def __init__(self) -> None:
        self.kinds = dutch(KIND_LABELS)
        self.professions = dutch(PROFESSION_LABELS)

    def setting(self, slug: str, name_nl: str) -> Term:
        return Term(slug, name_nl)

    def kind(self, kind: ThreadKind) -> Term:
        return Term(kind.value, self.kinds[kind])

    def profession(self, profession: Profession | None) -> Term | None:
        if profession is None:
            return None
        return Term(profession.value, self.professions[profession])
