"""The base form every form in the forum uses: CSRF (Flask-WTF) plus text hygiene on every field.

A NUL byte, a control character or text that was not valid UTF-8 becomes a form error on the
field it was typed in, never a database error later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from forum.i18n import _l
from forum.security import text_problem

TEXT_PROBLEMS = {
    "nul": _l("Dit veld bevat een ongeldig teken (een nul-byte)."),
    "control": _l("Dit veld bevat een onzichtbaar stuurteken. Haal het weg en probeer opnieuw."),
    "encoding": _l("Deze tekst is niet goed gecodeerd (geen geldige UTF-8)."),
}


def choice_list(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip_text(value: Any) -> Any:
    """A WTForms filter: trim surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value


class ForumForm(FlaskForm):
    """FlaskForm that also checks every text value for characters we cannot store."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        for field in self:
            data = field.data
            values = data if isinstance(data, list) else [data]
            for value in values:
                problem = isinstance(value, str) and text_problem(value)
                if problem:
                    field.errors = [*field.errors, str(TEXT_PROBLEMS[problem])]
                    valid = False
                    break
        return valid


class ActionForm(ForumForm):
    """An empty form for POST buttons (log out, approve, …): only the CSRF token."""
