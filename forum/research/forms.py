"""Forms of the codebook, coding, memos and the research thread list."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import ColorField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from forum.admin.forms import CheckboxListField
from forum.core.models import Setting
from forum.discussions.forms import KIND_LABELS
from forum.discussions.models import ThreadKind
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _, _l
from forum.research.codebook import CodeData
from forum.research.coding import MEMO_MAX, QUOTE_MAX
from forum.research.models import Code
from forum.research.queries import ThreadFilter

TEXT_MAX = 2000


def _long(label: Any, description: Any = None) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip_text],
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("Hoogstens 2000 tekens."))],
        description=description,
    )


def coerce_id(value: Any) -> int | None:
    """Select values to ids: "" (none chosen) becomes None, junk a validation error."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise ValueError("not an id")
    return int(text)


class CodeForm(ForumForm):
    name = StringField(
        _l("Naam"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Geef de code een naam.")),
            Length(max=80, message=_l("Een naam heeft hoogstens 80 tekens.")),
        ],
    )
    definition = _long(_l("Definitie"), _l("Wat betekent deze code?"))
    use_when = _long(_l("Gebruik als"))
    not_when = _long(_l("Niet gebruiken als"))
    example = _long(_l("Voorbeeld"), _l("Een typische passage, verzonnen of geanonimiseerd."))
    colour = ColorField(
        _l("Kleur"),
        filters=[strip_text],
        default="#0d6259",
        validators=[
            DataRequired(_l("Kies een kleur.")),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Kies een kleur als #rrggbb.")),
        ],
        description=_l("Staat naast de naam; de naam blijft altijd zichtbaar."),
    )
    parent = SelectField(
        _l("Hoofdcode"),
        coerce=coerce_id,
        validators=[Optional()],
        description=_l("Eén niveau: een subcode kan zelf geen subcodes hebben."),
    )

    def code_data(self) -> CodeData:
        return CodeData(
            name=self.name.data or "",
            definition=self.definition.data or "",
            use_when=self.use_when.data or "",
            not_when=self.not_when.data or "",
            example=self.example.data or "",
            colour=self.colour.data or "",
            parent_id=self.parent.data,
        )

    def set_parents(self, codes: list[Code]) -> None:
        self.parent.choices = choice_list(
            [("", _("Geen (dit is een hoofdcode)")), *((c.id, c.name) for c in codes)]
        )


class CodebookImportForm(ForumForm):
    """Upload a REFI-QDA codebook (.qdc) to merge into the codebook."""

    file = FileField(
        _l("Codeboek (.qdc)"),
        validators=[FileRequired(_l("Kies een .qdc-bestand."))],
        description=_l(
            "Een REFI-QDA-codeboek uit ATLAS.ti, NVivo, MAXQDA of QualCoder, hoogstens 2 MB."
        ),
    )


class CodeSelectForm(ForumForm):
    """Add a code to a thread."""

    code = SelectField(
        _l("Code"), coerce=coerce_id, validators=[DataRequired(_l("Kies een code."))]
    )


def set_code_choices(field: SelectField, codes: list[Code]) -> None:
    field.choices = choice_list([("", _("Kies een code")), *((c.id, c.name) for c in codes)])


def offset_value(value: Any) -> int | None:
    """Hidden offset fields: empty is None; anything but a small whole number is ignored."""
    if value is None or value == "":
        return None
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        return None
    return int(text)


class PassageForm(ForumForm):
    """Code a passage: works by quoting; the selection script also fills start and end."""

    quote = TextAreaField(
        _l("Neem de passage precies over"),
        validators=[
            DataRequired(_l("Neem de passage over die je wilt coderen.")),
            Length(max=QUOTE_MAX, message=_l("Hoogstens 5000 tekens.")),
        ],
        description=_l(
            "Kopieer de woorden uit het bericht, of selecteer ze in de tekst hierboven."
        ),
    )
    code = SelectField(
        _l("Code"), coerce=coerce_id, validators=[DataRequired(_l("Kies een code."))]
    )
    start = HiddenField(filters=[offset_value])
    end = HiddenField(filters=[offset_value])


class MemoForm(ForumForm):
    text = TextAreaField(
        _l("Notitie"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Een notitie kan niet leeg zijn.")),
            Length(max=MEMO_MAX, message=_l("Hoogstens 10.000 tekens.")),
        ],
    )


class ThreadFilterForm(ForumForm):
    """Filters of the research thread list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    code = CheckboxListField(
        _l("Codes (gesprekken met alle gekozen codes, op het gesprek of op een passage)"),
        coerce=coerce_id,
    )
    werkveld = SelectField(_l("Werkveld"), coerce=coerce_id, validators=[Optional()])
    soort = SelectField(_l("Soort"), validators=[Optional()])
    vanaf = DateField(_l("Gestart vanaf (datum)"), validators=[Optional()])
    tot = DateField(_l("Gestart tot en met (datum)"), validators=[Optional()])

    def validate_vanaf(self, field: DateField) -> None:
        if field.data and not 2000 <= field.data.year <= 2999:
            raise ValidationError(_l("Kies een datum tussen 2000 en 2999."))

    def validate_tot(self, field: DateField) -> None:
        self.validate_vanaf(field)
        if field.data and self.vanaf.data and field.data < self.vanaf.data:
            raise ValidationError(_l("Deze datum ligt voor de begindatum."))

    def set_choices(self, codes: list[Code], settings: list[Setting], locale: str) -> None:
        self.code.choices = choice_list((c.id, c.name) for c in codes)
        self.werkveld.choices = choice_list(
            [("", _("Alle werkvelden")), *((s.id, s.name(locale)) for s in settings)]
        )
        self.soort.choices = choice_list(
            [("", _("Alle soorten")), *((k.value, label) for k, label in KIND_LABELS.items())]
        )

    def filters(self) -> ThreadFilter:
        """The validated filters."""
        return ThreadFilter(
            code_ids=[c for c in self.code.data or [] if c is not None],
            setting_id=self.werkveld.data,
            kind=ThreadKind(self.soort.data) if self.soort.data else None,
            since=self.vanaf.data,
            until=self.tot.data,
        )
