"""The search form: a GET form (no CSRF token), so results have an address one can share."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import SearchField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import DateInput

from forum.core.models import Setting
from forum.discussions.forms import KIND_LABELS
from forum.discussions.models import KIND_SLUGS
from forum.forms import ForumForm, choice_list
from forum.i18n import _, _l, local_day_start
from forum.search.filters import ExtraFilter, Scope, SearchFilters
from forum.search.query import MAX_QUERY_LENGTH


class DayOrMonthField(StringField):
    """A day (2026-03-15) or a whole month (2026-03); ``data`` is the first day of the period,
    or with ``end=True`` its last day. Shown as a date field."""

    widget = DateInput()

    def __init__(self, label: Any = None, end: bool = False, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.end = end

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        try:
            if len(raw) == 7 and raw[4] == "-":
                year, month = int(raw[:4]), int(raw[5:])
                day = calendar.monthrange(year, month)[1] if self.end else 1
                self.data = date(year, month, day)
            elif len(raw) == 10:
                self.data = date.fromisoformat(raw)
            else:
                raise ValueError(raw)
        except ValueError as error:
            raise ValueError(
                _("Geef een datum (zoals 2026-03-15) of een maand (zoals 2026-03).")
            ) from error

    def _value(self) -> str:
        if self.data:
            return self.data.isoformat()
        return self.raw_data[0] if self.raw_data else ""


class SearchForm(ForumForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Zoekwoorden"),
        render_kw={"maxlength": MAX_QUERY_LENGTH},
        validators=[
            Length(
                max=MAX_QUERY_LENGTH,
                message=_l("Je zoekvraag is te lang: gebruik hoogstens 200 tekens."),
            )
        ],
        description=_l(
            "Tip: zet woorden tussen aanhalingstekens om ze precies zo te vinden, "
            "en een minteken voor een woord dat er niet in mag staan."
        ),
    )
    werkveld = SelectField(_l("Werkveld"), validators=[Optional()])
    soort = SelectField(_l("Soort"), validators=[Optional()])
    wat = SelectField(_l("Zoek in"), validators=[Optional()])
    vanaf = DayOrMonthField(_l("Geschreven vanaf"), validators=[Optional()])
    tot = DayOrMonthField(_l("Geschreven tot en met"), end=True, validators=[Optional()])

    def validate_vanaf(self, field: DayOrMonthField) -> None:
        if field.data and not 2000 <= field.data.year <= 2999:
            raise ValidationError(_l("Kies een datum tussen 2000 en 2999."))

    def validate_tot(self, field: DayOrMonthField) -> None:
        self.validate_vanaf(field)
        if field.data and self.vanaf.data and field.data < self.vanaf.data:
            raise ValidationError(_l("Deze datum ligt voor de begindatum."))


def search_form(
    args: MultiDict, settings: list[Setting], extras: list[ExtraFilter], locale: str
) -> SearchForm:
    """The form read from the URL, with a select for each extra filter the person may use."""
    fields = {extra.arg: SelectField(extra.label, validators=[Optional()]) for extra in extras}
    form_class = type("SearchFormWithExtras", (SearchForm,), fields) if fields else SearchForm
    form = form_class(formdata=args)
    form.werkveld.choices = choice_list(
        [("", _("Alle werkvelden")), *((s.slug, s.name(locale)) for s in settings)]
    )
    form.soort.choices = choice_list(
        [("", _("Alle soorten")), *((slug, KIND_LABELS[kind]) for slug, kind in KIND_SLUGS.items())]
    )
    form.wat.choices = choice_list(
        [
            (Scope.ALL.value, _("Alles")),
            (Scope.THREADS.value, _("Gesprekken (titel en eerste bericht)")),
            (Scope.REPLIES.value, _("Reacties")),
        ]
    )
    for extra in extras:
        getattr(form, extra.arg).choices = choice_list(
            [("", extra.any_label), *((str(value), label) for value, label in extra.choices())]
        )
    return form


def chosen_filters(
    form: SearchForm, settings: list[Setting], extras: list[ExtraFilter]
) -> SearchFilters:
    """The validated form as filters."""
    setting_ids = {s.slug: s.id for s in settings}
    return SearchFilters(
        setting_id=setting_ids.get(form.werkveld.data or ""),
        kind=KIND_SLUGS.get(form.soort.data or ""),
        since=local_day_start(form.vanaf.data) if form.vanaf.data else None,
        until=local_day_start(form.tot.data + timedelta(days=1)) if form.tot.data else None,
        scope=Scope(form.wat.data or ""),
        post_ids=tuple(
            extra.posts(int(getattr(form, extra.arg).data))
            for extra in extras
            if getattr(form, extra.arg).data
        ),
    )
