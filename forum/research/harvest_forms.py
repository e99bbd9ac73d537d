"""The kennisoogst form: title, Markdown text and the threads it drew on."""

from __future__ import annotations

from typing import Any

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from forum.forms import ForumForm, strip_text
from forum.i18n import _, _l
from forum.research.harvest import MAX_THREADS, parse_thread_refs

BODY_MAX = 50_000


class HarvestForm(ForumForm):
    title = StringField(
        _l("Titel"),
        filters=[strip_text],
        validators=[
            DataRequired(_l("Geef de kennisoogst een titel.")),
            Length(min=5, max=150, message=_l("Een titel heeft 5 tot 150 tekens.")),
        ],
    )
    body = TextAreaField(
        _l("Tekst"),
        validators=[
            DataRequired(_l("Schrijf eerst de tekst.")),
            Length(max=BODY_MAX, message=_l("De tekst is te lang: hoogstens 50.000 tekens.")),
        ],
        description=_l(
            "Je kunt *schuin*, **vet**, lijstjes, citaten (>) en links gebruiken. Noem geen "
            "namen of details waaraan iemand een collega, kind of ouder herkent."
        ),
    )
    threads = TextAreaField(
        _l("Gesprekken waarop je voortbouwt"),
        description=_l(
            "Nummers of adressen van goedgekeurde gesprekken, gescheiden door komma's of enters. "
            "Bijvoorbeeld: 12, 15 of /gesprek/20."
        ),
        validators=[Length(max=10_000)],
    )
    save = SubmitField(_l("Opslaan"))

    thread_ids: list[int]

    def validate_threads(self, field: Any) -> None:
        ids = parse_thread_refs(field.data or "")
        if ids is None:
            raise ValidationError(
                _("Schrijf alleen nummers of adressen van gesprekken, gescheiden door komma's.")
            )
        if len(ids) > MAX_THREADS:
            raise ValidationError(_("Hoogstens %(max)d gesprekken.", max=MAX_THREADS))
        self.thread_ids = ids
