"""The report form's section "Övriga mått": one row per counted measure offered for the
intervention's kind (three gender cells, or one total cell). A row left empty is blank, not zero:
the measure is then not counted for the period."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from outcomes.counts import GENDER_LABELS, GENDERS
from outcomes.measures import SPLIT_GENDER
from outcomes.models import Measure, PeriodReport

SEP = "__"


def measures_shown(intervention, report: PeriodReport | None) -> list[Measure]:
    """The measures of the form: the active ones offered for the intervention's kind, and any
    other the report already counts (retired, or offered for another kind before)."""
    used = set(report.measure_counts.values_list("measure_id", flat=True)) if report else set()
    return [
        m
        for m in Measure.objects.filter(association_id=intervention.association_id)
        if (m.active and m.offered_for(intervention.kind)) or m.pk in used
    ]


def keys_of(measure: Measure) -> tuple[str, ...]:
    return GENDERS if measure.split == SPLIT_GENDER else ("total",)


def field_name(measure_code: str, key: str) -> str:
    return f"measure{SEP}{measure_code}{SEP}{key}"


def add_fields(form, measures: list[Measure], count_field) -> None:
    for measure in measures:
        for key in keys_of(measure):
            label = GENDER_LABELS[key] if key in GENDER_LABELS else _("totalt")
            form.fields[field_name(measure.code, key)] = count_field(f"{measure.label_sv}, {label}")


def initial(measures: dict) -> dict:
    """Initial values of the stored measures (zeros shown as 0: a zero is a value)."""
    values = {}
    for code, value in measures.items():
        for key, number in value.values().items():
            values[field_name(code, key)] = number
    return values


def measures_input(form, measures: list[Measure]) -> dict[str, dict[str, int]]:
    """The measures typed, by code: a row with every cell empty is left out (blank)."""
    typed = {}
    for measure in measures:
        row = {key: form.cleaned_data.get(field_name(measure.code, key)) for key in keys_of(measure)}
        if any(value is not None for value in row.values()):
            typed[measure.code] = {key: value or 0 for key, value in row.items()}
    return typed


@dataclass
class MeasureRow:
    label: str
    code: str
    by_gender: bool
    cells: list


def rows(form, measures: list[Measure]) -> list[MeasureRow]:
    return [
        MeasureRow(
            label=m.label_sv,
            code=m.code,
            by_gender=m.split == SPLIT_GENDER,
            cells=[form.cell(field_name(m.code, key)) for key in keys_of(m)],
        )
        for m in measures
    ]
