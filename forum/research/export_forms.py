"""Forms for research projects and exports."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.admin.forms import CheckboxListField
from forum.core.models import Setting
from forum.discussions.forms import KIND_LABELS
from forum.forms import ForumForm, choice_list, strip_text
from forum.i18n import _, _l
from forum.research.models import Code, ExportFormat, ResearchProject
from forum.research.projects import ProjectData

FORMAT_LABELS = {
    ExportFormat.CSV: _l("CSV (spreadsheet, één regel per bijdrage)"),
    ExportFormat.JSONL: _l("JSON Lines (één regel per bijdrage)"),
    ExportFormat.QDPX: _l("REFI-QDA .qdpx (ATLAS.ti, NVivo, MAXQDA, QualCoder)"),
}


class ProjectForm(ForumForm):
    name = StringField(
        _l("Naam van het project"),
        filters=[strip_text],
        validators=[DataRequired(_l("Geef het project een naam.")), Length(max=150)],
    )
    question = TextAreaField(
        _l("Onderzoeksvraag"),
        description=_l(
            "Waarvoor gebruik je de gesprekken? Alleen dit doel rechtvaardigt een export."
        ),
        filters=[strip_text],
        validators=[DataRequired(_l("Schrijf de onderzoeksvraag op.")), Length(max=2000)],
    )
    period_start = DateField(
        _l("Gesprekken gestart vanaf (datum, mag leeg)"), validators=[Optional()]
    )
    period_end = DateField(_l("Tot en met (datum, mag leeg)"), validators=[Optional()])
    settings = CheckboxListField(
        _l("Werkvelden (niets aangevinkt: alle werkvelden)"), coerce=int, validate_choice=True
    )
    kinds = CheckboxListField(
        _l("Soorten gesprek (niets aangevinkt: alle soorten)"),
        choices=choice_list((kind.value, label) for kind, label in KIND_LABELS.items()),
        validate_choice=True,
    )
    codes = CheckboxListField(
        _l("Codes (niets aangevinkt: alle gesprekken, gecodeerd of niet)"),
        description=_l(
            "Een gesprek hoort erbij als het of een passage erin een van deze codes heeft."
        ),
        coerce=int,
        validate_choice=True,
    )
    needs_linkage = BooleanField(
        _l("Dit project moet bijdragen zonder naam aan hun schrijver koppelen"),
        description=_l(
            "Anders krijgen bijdragen zonder naam in de export per gesprek een eigen schuilnaam. "
            "Koppelen gebeurt pas als een beheerder het goedkeurt."
        ),
    )

    def __init__(
        self,
        settings: list[Setting],
        codes: list[Code],
        project: ResearchProject | None = None,
        **kwargs: Any,
    ) -> None:
        if project is not None and "data" not in kwargs:
            criteria = project.criteria or {}
            kwargs["data"] = {
                "name": project.name,
                "question": project.question,
                "period_start": project.period_start,
                "period_end": project.period_end,
                "settings": criteria.get("settings") or [],
                "kinds": criteria.get("kinds") or [],
                "codes": criteria.get("codes") or [],
                "needs_linkage": project.anonymous_linkage_needed,
            }
        super().__init__(**kwargs)
        locale = str(get_locale() or "nl")
        self.settings.choices = choice_list(
            (s.id, s.name(locale) + (" " + _("(gearchiveerd)") if s.archived else ""))
            for s in settings
        )
        self.codes.choices = choice_list(
            (c.id, c.name + (" " + _("(gearchiveerd)") if c.archived else "")) for c in codes
        )

    def validate_period_end(self, field: DateField) -> None:
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_("De einddatum ligt voor de begindatum."))

    def project_data(self) -> ProjectData:
        return ProjectData(
            name=self.name.data,
            question=self.question.data,
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            settings=list(self.settings.data or []),
            kinds=list(self.kinds.data or []),
            codes=list(self.codes.data or []),
            needs_linkage=bool(self.needs_linkage.data),
        )


class ExportForm(ForumForm):
    format = SelectField(
        _l("Bestandsvorm"),
        choices=choice_list((fmt.value, label) for fmt, label in FORMAT_LABELS.items()),
        validators=[DataRequired()],
    )
