"""The coordinators' report form: participants, exits by reason, one grid per dimension, money.

The form only parses and labels what was typed (whole numbers, 0 or more; no personal data in the
comment). The counting rules are not repeated here: the view calls the services, which check
:mod:`outcomes.tallies.rules`, and the rule violations are attached to the cells with
:meth:`ReportForm.attach_violations` so that each is shown next to its cell and in the summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.counts import GENDER_LABELS, GENDERS, Counts, ReportFigures
from outcomes.limits import MAX_REPORT_COUNT, MAX_REPORT_SEK
from outcomes.models import Dimension, DimensionCategory, ExitReason, PeriodReport
from outcomes.organisations.models import InterventionKind
from outcomes.tallies import measure_form
from outcomes.tallies.rules import EXITS_SUM
from outcomes.tallies.services import ReportInput
from outcomes.validators import validate_no_personal_data
from outcomes.violations import ERROR, WARNING, RuleViolation

PARTICIPANT_ROWS = (
    ("start", "ongoing_at_start", gettext_lazy("Pågående vid periodens början")),
    ("new", "new", gettext_lazy("Nya deltagare")),
    ("exits", "exits", gettext_lazy("Avslutade")),
)


SEP = "__"


#: The first part of a field's name for each kind of count in :meth:`ReportFigures.count_rows`
#: (``start__women``, ``reason__work__men``, ``dim__age_band__a16_29__other``).
FORM_PREFIX = {
    "ongoing_at_start": "start",
    "new": "new",
    "exits": "exits",
    "exits_by_reason": "reason",
    "breakdowns": "dim",
}


def too_large_message(name, maximum: int) -> str:
    """The message for a number above ``maximum`` (a column's bound, :mod:`outcomes.limits`),
    naming the field: "Antal tillfrågade: talet får vara högst 2 147 483 647." """
    return _("%(name)s: talet får vara högst %(max)s.") % {
        "name": name,
        "max": number_format(maximum, force_grouping=True),
    }


def count_field(label: str) -> forms.IntegerField:
    """A count cell: empty means 0; text and negative numbers are refused with the cell's name."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_REPORT_COUNT,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "count"}),
        error_messages={
            "invalid": _("%(label)s: ange ett heltal, 0 eller större.") % {"label": label},
            "min_value": _("%(label)s: antalet får inte vara negativt.") % {"label": label},
            "max_value": _("%(label)s: talet är orimligt stort.") % {"label": label},
        },
    )


#: An amount with a decimal part, with or without spaces between the thousands: "182 500,50".
_DECIMAL_AMOUNT = re.compile(r"-?\d[\d \u00a0]*[.,]\d+")


class WholeKronorField(forms.IntegerField):
    """Whole kronor. An amount with öre ("182500,50", "182500.50") is refused with its own
    message (``decimals``) rather than the general one, so that nobody reads the comma as a
    thousands separator and types the amount again a hundred times too large. The field is
    localized (Django reads the language's decimal comma), so "182500,0" and "182500.0" are
    whole amounts and pass, as in Django's ``IntegerField``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if _DECIMAL_AMOUNT.fullmatch(str(value).strip()):
                raise ValidationError(self.error_messages["decimals"], code="decimals") from None
            raise


@dataclass
class Cell:
    """One input of a grid with the messages of the rules it breaks."""

    bound: forms.BoundField
    messages: list[RuleViolation] = field(default_factory=list)
    #: The value's own history (the history page filtered to it), for a value with history.
    history_url: str = ""

    @property
    def id(self) -> str:
        return self.bound.auto_id

    @property
    def has_error(self) -> bool:
        return bool(self.bound.errors) or any(v.severity == ERROR for v in self.messages)

    def html(self):
        label = format_html('<label for="{}" class="visually-hidden">{}</label>', self.id, self.bound.label)
        return label + self.widget_html()

    def widget_html(self):
        attrs = {}
        described = [f"{self.id}-msg"] if (self.bound.errors or self.messages) else []
        if self.has_error:
            attrs["aria-invalid"] = "true"
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return self.bound.as_widget(attrs=attrs)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    key: str = ""

    @property
    def total(self) -> int:
        return sum(_as_int(c.bound.value()) for c in self.cells)


@dataclass
class Grid:
    """A table of rows × genders whose column totals must match ``target`` (unless ``target`` is
    ``None``, as for a multi-valued dimension)."""

    key: str
    title: str
    rows: list[Row]
    target: Row | None
    target_label: str = ""
    messages: list[RuleViolation] = field(default_factory=list)

    @property
    def column_totals(self) -> list[dict]:
        totals = []
        for index, gender in enumerate(GENDERS):
            total = sum(_as_int(row.cells[index].bound.value()) for row in self.rows)
            expected = _as_int(self.target.cells[index].bound.value()) if self.target else None
            totals.append(
                {"gender": gender, "total": total, "expected": expected, "ok": expected is None or expected == total}
            )
        return totals

    @property
    def grand_total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def target_ids(self) -> str:
        return " ".join(c.id for c in self.target.cells) if self.target else ""


def _as_int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


class ReportForm(forms.Form):
    """All counts of one base period on one page. Field names: ``start__women``, ``new__men``,
    ``exits__other``, ``reason__<code>__<gender>``, ``dim__<dimension>__<category>__<gender>``,
    ``spent_sek``, ``comment`` and the hidden ``version`` the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    spent_sek = WholeKronorField(
        label=gettext_lazy("Förbrukat under perioden (kr)"),
        required=False,
        min_value=0,
        max_value=MAX_REPORT_SEK,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": gettext_lazy("Förbrukat (kr): ange ett heltal i hela kronor, 0 eller större."),
            "decimals": gettext_lazy("Förbrukat ska anges i hela kronor, utan decimaler."),
            "min_value": gettext_lazy("Förbrukat (kr): beloppet får inte vara negativt."),
            "max_value": gettext_lazy("Förbrukat (kr): beloppet är orimligt stort."),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[validate_no_personal_data],
        help_text=gettext_lazy("Skriv aldrig namn, personnummer, e-postadresser eller telefonnummer."),
    )

    def __init__(self, *args, intervention, report: PeriodReport | None = None, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        #: A structural intervention's form has no participant grid: spending, comment, measures.
        self.structural = intervention.kind == InterventionKind.STRUCTURAL
        self.reasons = [] if self.structural else self._reasons_shown(intervention, report)
        self.dimensions = [] if self.structural else self._dimensions_shown(intervention, report)
        self.measures = measure_form.measures_shown(intervention, report)
        self._count_fields_add()
        measure_form.add_fields(self, self.measures, count_field)
        if disabled:
            for form_field in self.fields.values():
                form_field.disabled = True
        self.violations: list[RuleViolation] = []
        self._cell_messages: dict[str, list[RuleViolation]] = {}
        self._grid_messages: dict[str, list[RuleViolation]] = {}
        self._history_urls: dict[str, str] = {}

    @staticmethod
    def _reasons_shown(intervention, report: PeriodReport | None) -> list:
        """The exit reasons of the form: the active ones and the retired ones the report counts."""
        used = report.exit_counts.values("reason_id") if report else []
        return list(ExitReason.objects.filter(association_id=intervention.association_id).visible_for(used))

    @staticmethod
    def _dimensions_shown(intervention, report: PeriodReport | None) -> list[tuple]:
        """The dimensions of the form with their categories: active entries and the retired ones
        the report counts; a dimension without any category shown is left out."""
        used_categories = report.breakdown_counts.values("category_id") if report else []
        used_dimensions = report.breakdown_counts.values("category__dimension_id") if report else []
        shown = (
            Dimension.objects.filter(association_id=intervention.association_id)
            .visible_for(used_dimensions)
            .prefetch_related(Prefetch("categories", DimensionCategory.objects.visible_for(used_categories)))
        )
        return [(dimension, categories) for dimension in shown if (categories := list(dimension.categories.all()))]

    def _count_fields_add(self) -> None:
        """One count field per gender for each participant row, exit reason and category."""
        for prefix, _attr, label in () if self.structural else PARTICIPANT_ROWS:
            for gender in GENDERS:
                self.fields[f"{prefix}{SEP}{gender}"] = count_field(f"{label}, {GENDER_LABELS[gender]}")
        for reason in self.reasons:
            for gender in GENDERS:
                self.fields[f"reason{SEP}{reason.code}{SEP}{gender}"] = count_field(
                    f"{reason.label_sv}, {GENDER_LABELS[gender]}"
                )
        for dimension, categories in self.dimensions:
            for category in categories:
                for gender in GENDERS:
                    self.fields[f"dim{SEP}{dimension.code}{SEP}{category.code}{SEP}{gender}"] = count_field(
                        f"{dimension.label_sv}: {category.label_sv}, {GENDER_LABELS[gender]}"
                    )

    # --- initial values ---------------------------------------------------------------------

    @staticmethod
    def initial_for(figures: ReportFigures | None, *, comment: str = "", version: int = 0, start: Counts | None = None):
        """Initial values: the stored figures, or for a new report only the start (zeros blank)."""
        initial = {"version": version, "comment": comment}

        def put(prefix: str, counts: Counts) -> None:
            for gender in GENDERS:
                value = getattr(counts, gender)
                initial[f"{prefix}{SEP}{gender}"] = value or None

        if figures is None:
            put("start", start or Counts())
            return initial
        for (kind, *codes), counts in figures.count_rows():
            put(SEP.join((FORM_PREFIX[kind], *codes)), counts)
        initial["spent_sek"] = figures.spent_sek or None
        initial.update(measure_form.initial(figures.measures))
        return initial

    # --- parsed values ----------------------------------------------------------------------

    def _counts(self, prefix: str) -> Counts:
        return Counts(*(self.cleaned_data.get(f"{prefix}{SEP}{g}") or 0 for g in GENDERS))

    def report_input(self) -> ReportInput:
        """The cleaned form as the service's input (call only when the form is valid)."""
        if self.structural:
            return ReportInput(
                spent_sek=self.cleaned_data.get("spent_sek") or 0,
                comment=(self.cleaned_data.get("comment") or "").strip(),
                measures=measure_form.measures_input(self, self.measures),
            )
        return ReportInput(
            ongoing_at_start=self._counts("start"),
            new=self._counts("new"),
            exits=self._counts("exits"),
            exits_by_reason={r.code: self._counts(f"reason{SEP}{r.code}") for r in self.reasons},
            breakdowns={
                d.code: {c.code: self._counts(f"dim{SEP}{d.code}{SEP}{c.code}") for c in categories}
                for d, categories in self.dimensions
            },
            spent_sek=self.cleaned_data.get("spent_sek") or 0,
            comment=(self.cleaned_data.get("comment") or "").strip(),
            measures=measure_form.measures_input(self, self.measures),
        )

    def typed_values(self) -> dict[str, str]:
        """What the editor typed, by history field key (for the comparison after a conflict)."""
        values = {}
        for name in self.fields:
            if name == "version":
                continue
            raw = str(self.data.get(name, "") or "").strip()
            values[self.history_key(name)] = raw
        return values

    @staticmethod
    def history_key(name: str) -> str:
        parts = name.split(SEP)
        prefix = {"start": "ongoing_at_start", "new": "new", "exits": "exits"}.get(parts[0])
        if prefix:
            return f"{prefix}.{parts[1]}"
        if parts[0] == "reason":
            return f"exits_by_reason.{parts[1]}.{parts[2]}"
        if parts[0] == "dim":
            return f"breakdowns.{parts[1]}.{parts[2]}.{parts[3]}"
        if parts[0] == "measure":
            return f"measures.{parts[1]}.{parts[2]}"
        return name

    def link_history(self, history_url: str, fields_with_history) -> None:
        """Link each input whose value has history (``fields_with_history``: history field keys)
        to ``history_url`` filtered to that value (``?falt=new.women``)."""
        for name in self.fields:
            key = self.history_key(name)
            if key in fields_with_history:
                self._history_urls[name] = f"{history_url}?{urlencode({'falt': key})}"

    # --- rule violations --------------------------------------------------------------------

    def field_for(self, violation_field: str) -> str | None:
        """The input a rule violation's ``field`` points to, or ``None`` for the whole report.

        A dimension's sum rule (``breakdowns.<dimension>.<gender>``) points to no input: no one
        category is wrong, so it is shown at the dimension's sum row (:meth:`anchor_for`).
        """
        parts = violation_field.split(".")
        mapping = {"ongoing_at_start": "start", "new": "new", "exits": "exits"}
        if parts[0] in mapping and len(parts) == 2:
            return f"{mapping[parts[0]]}{SEP}{parts[1]}"
        if parts[0] == "exits_by_reason" and len(parts) == 3:
            return f"reason{SEP}{parts[1]}{SEP}{parts[2]}"
        if parts[0] == "breakdowns" and len(parts) == 4:
            return f"dim{SEP}{parts[1]}{SEP}{parts[2]}{SEP}{parts[3]}"
        if parts[0] == "measures" and len(parts) == 3:
            return measure_form.field_name(parts[1], parts[2])
        if parts[0].startswith("measures[") and len(parts) == 2:
            index = int(parts[0][len("measures[") : -1])
            typed = list(measure_form.measures_input(self, self.measures)) if hasattr(self, "cleaned_data") else []
            code = typed[index] if index < len(typed) else ""
            for measure in self.measures:
                if measure.code == code:
                    return measure_form.field_name(code, measure_form.keys_of(measure)[0])
        if violation_field in ("spent_sek", "comment"):
            return violation_field
        return None

    def anchor_for(self, violation_field: str) -> str | None:
        """The id a message links to: its input, or for a dimension's sum rule the dimension's
        sum cell in that gender's column (``dim__<dimension>__sum__<gender>``)."""
        parts = violation_field.split(".")
        if parts[0] == "breakdowns" and len(parts) == 3:
            return f"dim{SEP}{parts[1]}{SEP}sum{SEP}{parts[2]}"
        name = self.field_for(violation_field)
        return self[name].auto_id if name in self.fields else None

    def attach_violations(self, violations: list[RuleViolation]) -> None:
        """Show each violation next to its cell (and, for a sum rule, at its grid)."""
        self.violations = list(violations)
        for violation in violations:
            name = self.field_for(violation.field)
            if name in self.fields:
                self._cell_messages.setdefault(name, []).append(violation)
            parts = violation.field.split(".")
            if violation.code == EXITS_SUM:
                self._grid_messages.setdefault("exits", []).append(violation)
            elif parts[0] == "breakdowns" and len(parts) == 3:
                self._grid_messages.setdefault(f"dim{SEP}{parts[1]}", []).append(violation)

    def summary(self) -> list[dict]:
        """Every problem for the error summary at the top: field errors first, then the rules,
        each with the id of the input to go to (``None`` for the whole report)."""
        items = []
        for name, errors in self.errors.items():
            for error in errors:
                bound = self[name] if name in self.fields else None
                items.append({"anchor": bound.auto_id if bound else None, "message": error, "severity": ERROR})
        for violation in self.violations:
            items.append(
                {
                    "anchor": self.anchor_for(violation.field),
                    "message": violation.message,
                    "severity": violation.severity,
                }
            )
        return items

    def error_items(self) -> list[dict]:
        """The summary's problems that keep the report from being submitted."""
        return [item for item in self.summary() if item["severity"] != WARNING]

    def warning_items(self) -> list[dict]:
        """The summary's warnings: worth a look, but submitting works (DHIS2 keeps them apart)."""
        return [item for item in self.summary() if item["severity"] == WARNING]

    def has_blocking(self) -> bool:
        return bool(self.errors) or any(v.severity == ERROR for v in self.violations)

    # --- layout -----------------------------------------------------------------------------

    def cell(self, name: str) -> Cell:
        return Cell(self[name], self._cell_messages.get(name, []), self._history_urls.get(name, ""))

    def _row(self, prefix: str, label: str, key: str = "") -> Row:
        return Row(str(label), [self.cell(f"{prefix}{SEP}{g}") for g in GENDERS], key=key or prefix)

    def participant_rows(self) -> list[Row]:
        return [self._row(prefix, label) for prefix, _attr, label in PARTICIPANT_ROWS]

    def exit_grid(self) -> Grid:
        return Grid(
            key="exits",
            title=_("Avslutade per orsak"),
            rows=[self._row(f"reason{SEP}{r.code}", r.label_sv, key=r.code) for r in self.reasons],
            target=self._row("exits", _("Avslutade")),
            target_label=_("Ska vara lika med avslutade"),
            messages=self._grid_messages.get("exits", []),
        )

    def dimension_grids(self) -> list[Grid]:
        grids = []
        for dimension, categories in self.dimensions:
            key = f"dim{SEP}{dimension.code}"
            grids.append(
                Grid(
                    key=key,
                    title=dimension.label_sv,
                    rows=[self._row(f"{key}{SEP}{c.code}", c.label_sv, key=c.code) for c in categories],
                    target=self._row("new", _("Nya deltagare")) if dimension.has_sum_rule else None,
                    target_label=_("Ska vara lika med nya deltagare"),
                    messages=self._grid_messages.get(key, []),
                )
            )
        return grids

    def measure_rows(self) -> list:
        return measure_form.rows(self, self.measures)

    def spent_cell(self) -> Cell:
        return self.cell("spent_sek")

    def comment_cell(self) -> Cell:
        return self.cell("comment")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Varför öppnas rapporten igen?"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        error_messages={"required": gettext_lazy("Ange varför rapporten öppnas igen.")},
    )
