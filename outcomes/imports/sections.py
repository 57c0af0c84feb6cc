"""The parts of a report as files lay them out: a table of sections, each a list of lines.

A line is one ``(part, code)`` of the long CSV (API.md, "Files"): ``ongoing_at_start``, ``new``,
``exit`` (an exit reason), ``breakdown`` (``dimension.category``), ``measure`` (a counted
measure), ``spent_sek`` and ``comment``. The template writer lays the sections out one after
another, the readers find each line of a sheet or a CSV again through the same table, and
:class:`BodyBuilder` turns the lines of one report into the JSON import's report body. A new part
of the report is one more section here and one more ``part`` in :meth:`BodyBuilder.add`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from outcomes.counts import GENDERS
from outcomes.measures import SPLIT_GENDER
from outcomes.models import Dimension, ExitReason, Measure
from outcomes.organisations.models import InterventionKind
from outcomes.tallies import measure_form
from outcomes.tallies.forms import PARTICIPANT_ROWS, ReportForm

_WHOLE = re.compile(r"-?[0-9]{1,15}")
#: The kinds of line: counts by gender, one total count (a measure counted as a total), kronor, text.
COUNTS, TOTAL, AMOUNT, TEXT = "counts", "total", "amount", "text"
#: The CSV's parts.
PARTS = ("ongoing_at_start", "new", "exit", "breakdown", "measure", "spent_sek", "comment")
PARTICIPANTS, EXITS, MEASURES, MONEY = "participants", "exits", "measures", "money"


def norm(text) -> str:
    """A label as it is compared: case and spacing ignored ("  Arbete/Anställning " = "arbete/anställning")."""
    return " ".join(str(text or "").split()).casefold().rstrip(":")


@dataclass(frozen=True)
class Line:
    part: str
    code: str  # "" for the participant rows, spent and comment
    label: str
    kind: str = COUNTS

    @property
    def key(self) -> str:
        """The line as the template's code column writes it: ``new``, ``exit:employment``."""
        return f"{self.part}:{self.code}" if self.code else self.part


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line]
    summed: bool = False  # a computed "Summa" row follows the lines


def _participant_lines() -> list[Line]:
    # The exits' total is the sum of the exits by reason (API.md), so the files do not carry it.
    return [Line(attr, "", str(label)) for _prefix, attr, label in PARTICIPANT_ROWS if attr != "exits"]


def _money_lines() -> list[Line]:
    return [
        Line("spent_sek", "", _("Förbrukat under perioden (kr)"), AMOUNT),
        Line("comment", "", _("Kommentar"), TEXT),
    ]


def _measure_lines(measures) -> list[Line]:
    """A measure counted per gender is a line of counts, one counted as a total a ``TOTAL`` line."""
    return [Line("measure", m.code, m.label_sv, COUNTS if m.split == SPLIT_GENDER else TOTAL) for m in measures]


def report_sections(intervention, report=None) -> list[Section]:
    """The sections of one report as the report form shows them: participants, exits by reason
    (the active reasons and the retired ones ``report`` counts), each dimension, the measures
    (those offered for the intervention's kind and those ``report`` counts), money. A
    structural intervention's report has no participants: measures and money only."""
    sections = []
    if intervention.kind != InterventionKind.STRUCTURAL:
        reasons = ReportForm._reasons_shown(intervention, report)
        sections += [
            Section(PARTICIPANTS, _("Deltagare"), _participant_lines()),
            Section(EXITS, _("Avslutade per orsak"), [Line("exit", r.code, r.label_sv) for r in reasons], summed=True),
        ]
        for dimension, categories in ReportForm._dimensions_shown(intervention, report):
            sections.append(
                Section(
                    f"dim:{dimension.code}",
                    dimension.label_sv,
                    [Line("breakdown", f"{dimension.code}.{c.code}", c.label_sv) for c in categories],
                    summed=not dimension.multi_valued,
                )
            )
    measures = measure_form.measures_shown(intervention, report)
    if measures:
        sections.append(Section(MEASURES, _("Övriga mått"), _measure_lines(measures)))
    sections.append(Section(MONEY, _("Pengar och kommentar"), _money_lines()))
    return sections


@dataclass
class LineIndex:
    """Every line of an association's reports by section, found by code or by label (case and
    spacing ignored), retired catalog entries included: a sheet kept for years still names them."""

    titles: dict[str, str] = field(default_factory=dict)  # norm(title or code) -> section key
    lines: dict[str, dict[str, Line]] = field(default_factory=dict)  # section key -> norm(label/code) -> line
    by_key: dict[str, Line] = field(default_factory=dict)  # Line.key -> line

    def add(self, key: str, title: str, lines: list[Line], *aliases: str) -> None:
        for name in (title, key, *aliases):
            self.titles.setdefault(norm(name), key)
        found = self.lines.setdefault(key, {})
        for line in lines:
            self.by_key[line.key] = line
            for name in (line.label, line.code, line.code.rpartition(".")[2], line.key):
                if name:
                    found.setdefault(norm(name), line)

    def find(self, section: str | None, text) -> Line | None:
        """The line ``text`` names in ``section`` (or, as a code, anywhere)."""
        name = norm(text)
        line = self.lines.get(section or "", {}).get(name)
        return line or self.by_key.get(str(text or "").strip())


def line_index(association_id: int) -> LineIndex:
    """The :class:`LineIndex` of the association: three queries."""
    index = LineIndex()
    index.add(PARTICIPANTS, _("Deltagare"), _participant_lines())
    reasons = ExitReason.objects.filter(association_id=association_id)
    index.add(EXITS, _("Avslutade per orsak"), [Line("exit", r.code, r.label_sv) for r in reasons], _("Avslutade"))
    for dimension in Dimension.objects.filter(association_id=association_id).prefetch_related("categories"):
        lines = [Line("breakdown", f"{dimension.code}.{c.code}", c.label_sv) for c in dimension.categories.all()]
        index.add(f"dim:{dimension.code}", dimension.label_sv, lines, dimension.code)
    index.add(MEASURES, _("Övriga mått"), _measure_lines(Measure.objects.filter(association_id=association_id)))
    index.add(MONEY, _("Pengar och kommentar"), _money_lines())
    return index


@dataclass
class Where:
    """Where a value was read: a sheet and its cells (by gender, ``value`` or ``label``), or a line."""

    sheet: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    line: int | None = None

    def place(self, key: str | None = None) -> dict:
        if self.line is not None:
            return {"line": self.line}
        cell = self.cells.get(key or "") or self.cells.get("value") or self.cells.get("label")
        return {"sheet": self.sheet, "cell": cell} if cell else {"sheet": self.sheet}

    def text(self, key: str | None = None) -> str:
        """ "Blad 2024Q3, cell C14", "Blad 2024Q3" or "Rad 14"."""
        place = self.place(key)
        if "line" in place:
            return _("Rad %(line)s") % place
        if place.get("cell"):
            return _("Blad %(sheet)s, cell %(cell)s") % place
        return _("Blad %(sheet)s") % place


def located(where: Where, code: str, message: str, key: str | None = None, field_name: str | None = None) -> dict:
    """An error (or warning) of a file, in the import summary's shape, naming where it is."""
    return {"field": field_name, "code": code, "message": f"{where.text(key)}: {message}", **where.place(key)}


class BodyBuilder:
    """The lines of one report (intervention, period) gathered into the JSON import's item, with
    where each field of the body came from."""

    def __init__(self, intervention, period, origin: Where, places: dict[str, Where] | None = None):
        self.item: dict = {"intervention": intervention, "period": period}
        self.origin = origin
        self.places: dict[str, Where] = {"intervention": origin, "period": origin, **(places or {})}
        self.errors: list[dict] = []
        self.seen: set[str] = set()

    def add(self, line: Line, value, where: Where) -> None:
        """Put one line's value in the body: counts by gender, an amount, or a text. A line met
        twice in one report is an error at the second place."""
        if line.key in self.seen:
            self.errors.append(
                located(
                    where, "duplicate_line", _("”%(label)s” finns redan i rapporten.") % {"label": line.label}, "label"
                )
            )
            return
        self.seen.add(line.key)
        if line.part in ("ongoing_at_start", "new"):
            self.item[line.part] = value
            path = line.part
        elif line.part == "exit":
            rows = self.item.setdefault("exits", [])
            path = f"exits[{len(rows)}]"
            rows.append({"reason": line.code, **value})
        elif line.part == "breakdown":
            rows = self.item.setdefault("breakdowns", [])
            dimension, _dot, category = line.code.partition(".")
            path = f"breakdowns[{len(rows)}]"
            rows.append({"dimension": dimension, "category": category, **value})
        elif line.part == "measure":
            rows = self.item.setdefault("measures", [])
            path = f"measures[{len(rows)}]"
            rows.append({"measure": line.code, **value})
        else:  # spent_sek, comment
            self.item[line.part] = value
            path = line.part
        self.places[path] = where

    def where(self, field_name: str | None) -> tuple[Where, str | None]:
        """The place of a field of the body (``exits[2].women``) and the key of its cell."""
        if not field_name:
            return self.origin, None
        head, _dot, key = field_name.partition(".")
        if head in self.places:
            return self.places[head], key if key in (*GENDERS, "total", "reason", "category", "dimension") else None
        return self.origin, None


@dataclass
class FileReport:
    """One report read from a file: the import item, where its fields are, errors of reading."""

    builder: BodyBuilder
    name: str  # "Blad 2024Q3" or "Rad 2-14"

    @property
    def item(self) -> dict:
        return self.builder.item

    @property
    def errors(self) -> list[dict]:
        return self.builder.errors


def counts_from(values: dict) -> dict:
    """Counts by gender with the blanks as 0."""
    return {gender: values.get(gender) or 0 for gender in GENDERS}


def whole_number(value) -> tuple[int | None, str | None]:
    """A count or an amount as a sheet or a CSV holds it: ``(number, None)``, ``(None, None)``
    for a blank, or ``(None, message)`` ("”tre” är inte ett heltal"). Spaces between thousands
    and a zero decimal part ("12,0") pass; negative numbers pass to the rules, which refuse them."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("”%(v)s” är inte ett heltal.") % {"v": value}
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    whole, _sep, decimals = text.replace(".", ",").partition(",")
    if _WHOLE.fullmatch(whole) and (not decimals or set(decimals) == {"0"}):
        return int(whole), None
    shown = str(value).strip() if not isinstance(value, float) else str(value).replace(".", ",")
    return None, _("”%(v)s” är inte ett heltal.") % {"v": shown[:40]}


def not_visible(builder: BodyBuilder) -> None:
    """The report names an intervention the user does not see: its lines cannot be read (their
    labels are the catalog of the intervention's association), and the import would refuse it."""
    if not any(e["code"] == "not_found" for e in builder.errors):
        message = _("insatsen %(id)s finns inte eller är inte din.") % {"id": builder.item.get("intervention")}
        builder.errors.append(located(builder.places["intervention"], "not_found", message, field_name="intervention"))
