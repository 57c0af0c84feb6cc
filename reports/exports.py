"""Exports of the association summary and of one intervention's detail: XLSX, CSV and PDF.

Both are first laid out as a :class:`Document` of sections (one XLSX sheet each) whose cells know
what they are: a count with a key, a share taken of two counts, kronor, or text. Every relation a
reader could use to work out a number (gender columns adding up to the total, interventions to the
association's total, ongoing at end = participants − exits, reasons to exits, categories to new
participants) is recorded as an equation. For an export marked for publication
:func:`reports.suppression.suppress` masks the small counts and enough others, and every share or
cost derived from a masked count is masked too. Internal exports keep exact numbers.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from outcomes.counts import GENDERS, ZERO
from outcomes.periods import Period, PeriodError
from reports import charts
from reports.models.exports import ExportJob, ExportStatus
from reports.shares import STATUS_LABELS, Share, StepRule
from reports.summary import (
    MEASURES,
    InterventionDetail,
    Summary,
    association_summary,
    intervention_detail,
    step_rules,
)
from reports.suppression import MASK, suppress

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)

logger = logging.getLogger(__name__)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step

MEASURE_TITLES = {
    "participants": gettext_lazy("Deltagare under perioden"),
    "ongoing_at_start": gettext_lazy("Pågående vid periodens början"),
    "new": gettext_lazy("Nya deltagare"),
    "exits": gettext_lazy("Avslutade"),
    "ongoing_at_end": gettext_lazy("Pågående vid periodens slut"),
}
GENDER_HEADERS = {
    "women": gettext_lazy("Kvinnor"),
    "men": gettext_lazy("Män"),
    "other": gettext_lazy("Annan/ej angivet"),
    "total": gettext_lazy("Totalt"),
}
COUNT_COLUMNS = (*GENDERS, "total")


def measure_title(name: str) -> str:
    return str(MEASURE_TITLES[name])


@dataclass
class Cell:
    """One value of a table. ``key`` names a count in :attr:`Document.values`; ``depends`` lists
    the counts a derived value is computed from (masked with any of them)."""

    value: object = None
    kind: str = "text"  # text | count | share | sek
    key: object = None
    depends: tuple = ()
    masked: bool = False
    #: Shown in internal exports only (masked in every export for publication).
    private: bool = False

    def text(self, *, csv_style: bool = False) -> str:
        """The value as people read it in Swedish: "2 403 500", "46 %", or the mask."""
        if self.masked:
            return MASK
        if self.value is None:
            return "–"
        if self.kind == "share":
            share: Share = self.value
            if share.value is None:
                return "–"
            return f"{share.value}".replace(".", ",") if csv_style else f"{share.percent} %"
        if self.kind in ("count", "sek"):
            return str(self.value) if csv_style else f"{self.value:,}".replace(",", "\u00a0")
        return str(self.value)


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart_png: bytes | None = None


@dataclass
class Document:
    title: str
    subtitle: str
    publish: bool
    threshold: int
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    hidden: set = field(default_factory=set)
    equations: list = field(default_factory=list)
    masked: set = field(default_factory=set)

    def count(self, key, value: int) -> Cell:
        self.values[key] = value
        return Cell(value, "count", key=key)

    def relate(self, total_key, part_keys: Sequence) -> None:
        """Record that ``total == sum(parts)`` is visible to a reader."""
        self.equations.append([(total_key, -1), *[(k, 1) for k in part_keys]])

    def protect(self) -> None:
        """Mask small counts and their complements, then every value derived from a masked count."""
        if self.publish:
            self.masked = suppress(self.values, self.equations, self.threshold, hidden=self.hidden)
        for section in self.sections:
            for row in section.rows:
                for cell in row:
                    cell.masked = (
                        cell.key in self.masked
                        or any(k in self.masked for k in cell.depends)
                        or (self.publish and cell.private)
                    )


def _gender_cells(doc: Document, prefix: tuple, counts) -> list[Cell]:
    cells = [doc.count((*prefix, g), getattr(counts, g)) for g in GENDERS]
    cells.append(doc.count((*prefix, "total"), counts.total))
    doc.relate((*prefix, "total"), [(*prefix, g) for g in GENDERS])
    return cells


def _share_cells(prefix: tuple, counts, base_prefix: tuple, base) -> list[Cell]:
    return [
        Cell(Share(getattr(counts, g), getattr(base, g)), "share", depends=((*prefix, g), (*base_prefix, g)))
        for g in COUNT_COLUMNS
        if g != "total" or base_prefix != prefix
    ]


def _stock_and_flow(doc: Document, tag: str, row_id) -> None:
    """participants = ongoing at start + new; ongoing at end = participants − exits, per gender."""
    for g in COUNT_COLUMNS:
        doc.equations.append(
            [
                ((tag, "participants", row_id, g), -1),
                ((tag, "ongoing_at_start", row_id, g), 1),
                ((tag, "new", row_id, g), 1),
            ]
        )
        doc.equations.append(
            [
                ((tag, "ongoing_at_end", row_id, g), -1),
                ((tag, "participants", row_id, g), 1),
                ((tag, "exits", row_id, g), -1),
            ]
        )


def step_denominator_key(tag: str, row_id, rule) -> tuple:
    """The count a step denominator is. Step definitions are public, so without excluded reasons
    the denominator *is* the exits total: one cell, masked together wherever it is shown."""
    if rule is not None and not rule.excluded:
        return (tag, "exits", row_id, "total")
    return (tag, "step_den", row_id)


def _step_relations(doc: Document, tag: str, row_id, figures, rule, reasons_published: bool) -> None:
    """Tie the step numerator and denominator to the exits a reader can see.

    With the exits by reason shown, both are sums of shown reason counts. Without them (last
    year), the reader still knows numerator ≤ denominator ≤ exits: unknown slack cells say so.
    """
    num, den = (tag, "step_num", row_id), step_denominator_key(tag, row_id, rule)
    if reasons_published:
        reasons = figures.exits_by_reason
        doc.equations.append(
            [
                (num, -1),
                *[
                    ((tag, "reason", row_id, r, "total"), 1)
                    for r in reasons
                    if r in rule.steps and r not in rule.excluded
                ],
            ]
        )
        doc.equations.append(
            [(den, -1), *[((tag, "reason", row_id, r, "total"), 1) for r in reasons if r not in rule.excluded]]
        )
        return
    step = figures.step_progression
    slack_steps = (tag, "non_steps", row_id)
    doc.values[slack_steps] = step.denominator - step.numerator
    doc.hidden.add(slack_steps)
    doc.equations.append([(den, -1), (num, 1), (slack_steps, 1)])
    if not rule.excluded:  # the denominator is the exits total itself
        return
    slack_excluded = (tag, "excluded", row_id)
    doc.values[slack_excluded] = figures.exits.total - step.denominator
    doc.hidden.add(slack_excluded)
    doc.equations.append([((tag, "exits", row_id, "total"), -1), (den, 1), (slack_excluded, 1)])


def _money_cells(figures, participants_key) -> list[Cell]:
    share = figures.share_spent
    return [
        Cell(figures.budget_sek, "sek"),
        Cell(figures.spent_sek, "sek"),
        Cell(share, "share") if share else Cell(None, "share"),
        Cell(figures.cost_per_participant_sek, "sek", depends=(participants_key,)),
    ]


def summary_document(summary: Summary, *, publish: bool = False) -> Document:
    """The association summary laid out for export: one section per measure, exits by reason,
    step progression and money, each intervention a row and the association's total last."""
    period, previous = summary.period.code, summary.previous_period.code
    doc = Document(
        title=_("Sammanställning %(period)s – %(name)s") % {"period": period, "name": summary.association.name},
        subtitle=_("Jämförelse (jmf) med samma period %(previous)s.") % {"previous": previous},
        publish=publish,
        threshold=summary.association.small_count_threshold,
    )
    _document_notes(doc, summary.missing_reports, summary.include_drafts)
    for intervention, message in summary.not_aligned:
        doc.notes.append(f"{intervention.name}: {message}")
    rows = [(row.intervention.pk, row.intervention.name, row.current, row.previous) for row in summary.rows]
    rows.append(("total", _("Totalt"), summary.totals, summary.previous_totals))
    ids = [r[0] for r in rows[:-1]]
    rules = step_rules([row.intervention for row in summary.rows])

    for measure in MEASURES:
        header = [_("Insats"), *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS]]
        header += [f"{GENDER_HEADERS[g]} %" for g in GENDERS]
        header += [f"jmf {previous} {str(GENDER_HEADERS[g]).lower()}" for g in COUNT_COLUMNS]
        table = []
        for row_id, name, current, before in rows:
            counts, old = current.measure(measure), before.measure(measure)
            prefix, old_prefix = ("cur", measure, row_id), ("prev", measure, row_id)
            cells = [Cell(name), *_gender_cells(doc, prefix, counts)]
            cells += [
                Cell(Share(getattr(counts, g), counts.total), "share", depends=((*prefix, g), (*prefix, "total")))
                for g in GENDERS
            ]
            cells += _gender_cells(doc, old_prefix, old)
            table.append(cells)
        for tag in ("cur", "prev"):
            for g in COUNT_COLUMNS:
                doc.relate((tag, measure, "total", g), [(tag, measure, i, g) for i in ids])
        doc.sections.append(Section(measure_title(measure), header, table))
    for row_id, *_rest in rows:
        for tag in ("cur", "prev"):
            _stock_and_flow(doc, tag, row_id)

    labels = summary.reason_labels
    header = [
        _("Insats"),
        _("Avslutsorsak"),
        *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS],
        _("Andel av avslutade %"),
    ]
    table = []
    for row_id, name, current, _before in rows:
        for code in [r.code for r in summary.exit_reasons]:
            counts = current.exits_by_reason.get(code)
            if not counts or not counts.total:
                continue
            prefix = ("cur", "reason", row_id, code)
            table.append(
                [
                    Cell(name),
                    Cell(labels.get(code, code)),
                    *_gender_cells(doc, prefix, counts),
                    Cell(
                        Share(counts.total, current.exits.total),
                        "share",
                        depends=((*prefix, "total"), ("cur", "exits", row_id, "total")),
                    ),
                ]
            )
        for g in COUNT_COLUMNS:
            doc.relate(
                ("cur", "exits", row_id, g),
                [("cur", "reason", row_id, c, g) for c in current.exits_by_reason if current.exits_by_reason[c].total],
            )
    for code, counts in summary.totals.exits_by_reason.items():
        if counts.total:
            shown = [i for i, _n, current, _b in rows[:-1] if current.exits_by_reason.get(code, ZERO).total]
            for g in COUNT_COLUMNS:
                doc.relate(("cur", "reason", "total", code, g), [("cur", "reason", i, code, g) for i in shown])
    doc.sections.append(Section(_("Avslutsorsaker"), header, table))

    header = [
        _("Insats"),
        _("Stegförflyttning"),
        _("Avslut som räknas"),
        _("Andel %"),
        f"jmf {previous} {_('steg')}",
        f"jmf {previous} {_('avslut')}",
        f"jmf {previous} %",
    ]
    table = []
    any_excluded = any(rule.excluded for rule in rules.values())
    total_rule = StepRule(frozenset(), frozenset({"any"} if any_excluded else ()))
    for row_id, name, current, before in rows:
        cells = [Cell(name)]
        for tag, figures in (("cur", current), ("prev", before)):
            num = (tag, "step_num", row_id)
            den = step_denominator_key(tag, row_id, rules.get(row_id, total_rule))
            step = figures.step_progression
            cells += [
                doc.count(num, step.numerator),
                doc.count(den, step.denominator),
                Cell(step, "share", depends=(num, den)),
            ]
        table.append(cells)
        if row_id != "total":
            _step_relations(doc, "cur", row_id, current, rules[row_id], reasons_published=True)
            _step_relations(doc, "prev", row_id, before, rules[row_id], reasons_published=False)
    for tag in ("cur", "prev"):
        doc.relate((tag, "step_num", "total"), [(tag, "step_num", i) for i in ids])
        if any_excluded:
            doc.relate((tag, "step_den", "total"), [step_denominator_key(tag, i, rules[i]) for i in ids])
    doc.sections.append(
        Section(
            _("Stegförflyttning"),
            header,
            table,
            note=_(
                "Andel avslutade till arbete, studier eller fortsatt rehabilitering enligt insatsens stegdefinition."
            ),
        )
    )

    header = [
        _("Insats"),
        _("Beviljade medel (kr)"),
        _("Förbrukat (kr)"),
        _("Andel förbrukat %"),
        _("Kostnad per deltagare (kr)"),
        f"jmf {previous} {_('förbrukat (kr)')}",
        f"jmf {previous} {_('kostnad per deltagare (kr)')}",
    ]
    table = []
    for row_id, name, current, before in rows:
        old = _money_cells(before, ("prev", "participants", row_id, "total"))
        table.append([Cell(name), *_money_cells(current, ("cur", "participants", row_id, "total")), old[1], old[3]])
    doc.sections.append(Section(_("Ekonomi"), header, table))
    doc.sections.append(_goal_section([(row.intervention.name, row.goals) for row in summary.rows]))
    doc.protect()
    return doc


def goal_target_text(goal: dict) -> str:
    """ "minst 50 %", "högst 12 %" or "minst 30" (a count goal)."""
    word = _("högst") if goal["comparator"] == "at_most" else _("minst")
    unit = "" if goal["kind"] == "count" else " %"
    return f"{word} {goal['target']}{unit}"


def _goal_section(goals_by_name: list[tuple[str, list[dict]]]) -> Section:
    """Every goal with target, result and light. For publication only the target and the light
    are shown: a result's numerator and denominator are counts that the suppression of the
    other sections does not cover."""
    header = [_("Insats"), _("Mål"), _("Målvärde"), _("Resultat"), _("Täljare"), _("Nämnare"), _("Måluppfyllelse")]
    rows = []
    for name, goals in goals_by_name:
        for goal in goals:
            if goal["kind"] == "count":
                result = Cell(
                    goal["numerator"] if goal["numerator"] is not None else goal["value"], "count", private=True
                )
            else:
                share = Share(goal["numerator"] or 0, goal["denominator"] or 0)
                result = Cell(share, "share", private=True)
            rows.append(
                [
                    Cell(name),
                    Cell(goal["label"]),
                    Cell(goal_target_text(goal)),
                    result,
                    Cell(goal["numerator"], "count", private=True),
                    Cell(goal["denominator"], "count", private=True),
                    Cell(str(STATUS_LABELS.get(goal["status"], goal["status"]))),
                ]
            )
    return Section(_("Mål"), header, rows, note="" if rows else _("Inga mål utvärderas för perioden."))


def _survey_sections(tables: dict) -> list[Section]:
    """The response rates and each question's key figure for the period (internal exports only:
    respondent counts are not protected for publication)."""
    rates = [
        [
            Cell(str(rate["label"]).capitalize()),
            Cell(rate["invited"], "count"),
            Cell(rate["non_response"], "count"),
            Cell(rate["answered"], "count"),
            Cell(Share(rate["numerator"] or 0, rate["denominator"] or 0), "share"),
        ]
        for rate in tables["response_rates"]
    ]
    header = [_("Respondentgrupp"), _("Tillfrågade"), _("Bortfall"), _("Antal svar"), _("Svarsfrekvens")]
    questions = []
    for group in tables["groups"]:
        current = next((row for row in group["rows"] if row["period"] == tables["period"]), None)
        if not current or not current["has_survey"]:
            continue
        for question, cell in zip(group["questions"], current["cells"], strict=False):
            questions.append(
                [
                    Cell(str(group["label"]).capitalize()),
                    Cell(question["code"]),
                    Cell(question["text"]),
                    Cell(Share(cell["numerator"] or 0, cell["denominator"] or 0), "share"),
                    Cell(cell["numerator"], "count"),
                    Cell(cell["denominator"], "count"),
                    Cell(cell["national_average"], "text"),
                    Cell(cell["previous_percent"], "text"),
                ]
            )
    question_header = [
        _("Respondentgrupp"),
        _("Fråga"),
        _("Frågetext"),
        _("Nyckeltal %"),
        _("Positiva svar"),
        _("Svarande"),
        _("Rikssnitt %"),
        _("Året före %"),
    ]
    return [Section(_("Enkäter"), header, rates), Section(_("Enkätfrågor"), question_header, questions)]


def _document_notes(doc: Document, missing: int, include_drafts: bool) -> None:
    if missing:
        doc.notes.append(_("%(n)s rapporter saknas för perioden och ingår inte.") % {"n": missing})
    if include_drafts:
        doc.notes.append(_("Utkast ingår i siffrorna."))
    if doc.publish:
        doc.notes.append(
            _("Antal från 1 till %(t)s och värden som skulle röja dem visas som ”%(mask)s”.")
            % {"t": doc.threshold, "mask": MASK}
        )
    doc.notes.append(_("Skapad %(when)s.") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")})


def detail_document(detail: InterventionDetail, *, publish: bool = False, with_charts: bool = False) -> Document:
    """One intervention's detail laid out for export: the figures by gender with last year beside
    them, new participants per dimension, exits by reason, step progression and money."""
    intervention, period, previous = detail.intervention, detail.period.code, detail.previous_period.code
    doc = Document(
        title=_("%(name)s – %(period)s") % {"name": intervention.name, "period": period},
        subtitle=_("Insatsägare: %(owner)s. Jämförelse (jmf) med samma period %(previous)s.")
        % {"owner": intervention.owner, "previous": previous},
        publish=publish,
        threshold=intervention.association.small_count_threshold,
    )
    _document_notes(doc, detail.missing_reports, detail.include_drafts)
    row_id = intervention.pk
    header = [_("Mått"), *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS]]
    header += [f"{GENDER_HEADERS[g]} %" for g in GENDERS]
    header += [f"jmf {previous} {str(GENDER_HEADERS[g]).lower()}" for g in COUNT_COLUMNS]
    table = []
    for measure in MEASURES:
        counts, old = detail.current.measure(measure), detail.previous.measure(measure)
        prefix = ("cur", measure, row_id)
        cells = [Cell(measure_title(measure)), *_gender_cells(doc, prefix, counts)]
        cells += [
            Cell(Share(getattr(counts, g), counts.total), "share", depends=((*prefix, g), (*prefix, "total")))
            for g in GENDERS
        ]
        cells += _gender_cells(doc, ("prev", measure, row_id), old)
        table.append(cells)
    for tag in ("cur", "prev"):
        _stock_and_flow(doc, tag, row_id)
    doc.sections.append(Section(_("Översikt"), header, table))

    tables = [(t, "new", ("dim", t.code)) for t in detail.dimensions] + [(detail.exits, "exits", ("reason",))]
    for breakdown, base_measure, kind in tables:
        header = [
            _("Kategori") if base_measure == "new" else _("Avslutsorsak"),
            *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS],
        ]
        header += [f"{GENDER_HEADERS[g]} %" for g in COUNT_COLUMNS]
        rows = []
        for entry in breakdown.rows:
            prefix = ("cur", *kind, row_id, entry.code)
            cells = [Cell(entry.label), *_gender_cells(doc, prefix, entry.counts)]
            cells += [
                Cell(entry.shares[g], "share", depends=((*prefix, g), ("cur", base_measure, row_id, g)))
                for g in COUNT_COLUMNS
            ]
            rows.append(cells)
        if not breakdown.multi_valued:
            for g in COUNT_COLUMNS:
                doc.relate(
                    ("cur", base_measure, row_id, g), [("cur", *kind, row_id, e.code, g) for e in breakdown.rows]
                )
        title = breakdown.title if base_measure == "exits" else _("Nya – %(d)s") % {"d": breakdown.title}
        note = _("En person kan räknas i flera kategorier.") if breakdown.multi_valued else ""
        doc.sections.append(Section(title, header, rows, note=note))

    rule = step_rules([intervention])[intervention.pk]
    header = [_("Period"), _("Stegförflyttning"), _("Avslut som räknas"), _("Andel %")]
    table = []
    for tag, code, figures in (("cur", period, detail.current), ("prev", previous, detail.previous)):
        num, den = (tag, "step_num", row_id), step_denominator_key(tag, row_id, rule)
        step = figures.step_progression
        table.append(
            [
                Cell(code),
                doc.count(num, step.numerator),
                doc.count(den, step.denominator),
                Cell(step, "share", depends=(num, den)),
            ]
        )
    if detail.current.exits_by_reason:
        doc.equations.append(
            [
                (("cur", "step_num", row_id), -1),
                *[
                    (("cur", "reason", row_id, r, "total"), 1)
                    for r in [e.code for e in detail.exits.rows]
                    if r in rule.steps and r not in rule.excluded
                ],
            ]
        )
        doc.equations.append(
            [
                (step_denominator_key("cur", row_id, rule), -1),
                *[
                    (("cur", "reason", row_id, r, "total"), 1)
                    for r in [e.code for e in detail.exits.rows]
                    if r not in rule.excluded
                ],
            ]
        )
    else:
        _step_relations(doc, "cur", row_id, detail.current, rule, reasons_published=False)
    _step_relations(doc, "prev", row_id, detail.previous, rule, reasons_published=False)
    doc.sections.append(Section(_("Stegförflyttning"), header, table))

    header = [
        _("Period"),
        _("Beviljade medel (kr)"),
        _("Förbrukat (kr)"),
        _("Andel förbrukat %"),
        _("Kostnad per deltagare (kr)"),
    ]
    table = [
        [Cell(code), *_money_cells(figures, (tag, "participants", row_id, "total"))]
        for tag, code, figures in (("cur", period, detail.current), ("prev", previous, detail.previous))
    ]
    doc.sections.append(Section(_("Ekonomi"), header, table))
    doc.sections.append(_goal_section([(intervention.name, detail.goals)]))
    if detail.surveys and not publish:
        doc.sections.extend(_survey_sections(detail.surveys))
    elif detail.surveys:
        doc.notes.append(_("Enkätsvaren ingår bara i interna exporter."))
    doc.protect()
    if with_charts:
        for section, (breakdown, _measure, kind) in zip(doc.sections[1:], tables, strict=False):
            masked = {
                (e.code, g) for e in breakdown.rows for g in GENDERS if ("cur", *kind, row_id, e.code, g) in doc.masked
            }
            figure = charts.breakdown_chart(breakdown, title=section.title, masked=masked)
            section.chart_png = charts.render(figure, "png")
    return doc


# --- file formats ------------------------------------------------------------------------------

XLSX_FORMATS = {"count": "#,##0", "sek": "#,##0", "share": "0%"}  # shown with the reader's Swedish locale

#: What makes a spreadsheet program read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(text: str) -> str:
    """Text a spreadsheet program would run as a formula, with the usual leading apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_cell(cell: Cell) -> str:
    """A cell's CSV text; numbers (negative ones too) stay as they are."""
    text = cell.text(csv_style=True)
    number = cell.kind in XLSX_FORMATS or isinstance(cell.value, int | float | Decimal)
    return text if number and not cell.masked else _csv_safe(text)


def _xlsx_text_only(sheet) -> None:
    """Every string of the sheet is stored as text, never as a formula or an error value: names,
    owners, goal and catalog labels are typed by people and must not run (``=HYPERLINK(…)``)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _sheet_title(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31].strip() or "Blad"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def to_xlsx(doc: Document) -> bytes:
    """One sheet per section: title and notes above a frozen bold header row, numbers as numbers
    with Swedish grouping and percent formats, masked cells as text, column widths that fit."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for section in doc.sections:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([doc.title])
        header_row = 3
        sheet.append(section.header)
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(str(h)) for h in section.header]
        for row in section.rows:
            values = []
            for cell in row:
                if cell.masked:
                    values.append(MASK)
                elif cell.kind == "share":
                    values.append(
                        float(cell.value.fraction) if cell.value and cell.value.fraction is not None else None
                    )
                else:
                    values.append(cell.value)
            sheet.append(values)
            for column, cell in enumerate(row, start=1):
                target = sheet.cell(row=sheet.max_row, column=column)
                if not cell.masked and cell.kind in XLSX_FORMATS:
                    target.number_format = XLSX_FORMATS[cell.kind]
                if cell.masked:
                    target.alignment = Alignment(horizontal="right")
                widths[column - 1] = max(widths[column - 1], len(cell.text()) + 1)
        sheet.freeze_panes = f"B{header_row + 1}"  # header row and the name column stay in view
        for note in [section.note, *doc.notes]:
            if note:
                sheet.append([])
                sheet.append([note])
        _xlsx_text_only(sheet)
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60 if column == 1 else 24)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(doc: Document) -> bytes:
    """UTF-8 with BOM and semicolons, as Swedish spreadsheet programs expect; sections follow one
    another with their title and header, separated by an empty line; decimal comma in shares.
    Text that would start a formula gets a leading apostrophe; numbers are left as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_safe(doc.title)])
    for note in doc.notes:
        writer.writerow([_csv_safe(note)])
    for section in doc.sections:
        writer.writerow([])
        writer.writerow([_csv_safe(section.title)])
        writer.writerow([_csv_safe(str(h)) for h in section.header])
        for row in section.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_pdf(doc: Document, *, progress=None) -> bytes:
    """An A4 appendix: the title, every section's table and its chart, rendered by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF exports need

    sections = []
    for section in doc.sections:
        chart = base64.b64encode(section.chart_png).decode("ascii") if section.chart_png else None
        sections.append({"section": section, "rows": [[c.text() for c in row] for row in section.rows], "chart": chart})
    html = render_to_string("reports/summary_pdf.html", {"doc": doc, "sections": sections, "total_label": _("Totalt")})
    if progress:
        progress(60)
    return HTML(string=html).write_pdf()


def render_document(doc: Document, fmt: str, *, progress=None) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(doc)
    if fmt == "csv":
        return to_csv(doc)
    if fmt == "pdf":
        return to_pdf(doc, progress=progress)
    raise ValueError(f"unknown export format {fmt!r}")


def filename(stem: str, period: str, fmt: str, publish: bool) -> str:
    """An ASCII file name (safe in any header), e.g. ``coachingteamet-lekeberg-2024-publicering.pdf``."""
    suffix = "-publicering" if publish else ""
    return f"{slugify(stem) or 'export'}-{period}{suffix}.{fmt}"


# --- export jobs -------------------------------------------------------------------------------


def export_document(
    *, association, intervention=None, period: Period, fmt: str, publish: bool, include_drafts: bool, progress=None
) -> bytes:
    """The bytes of one export: the association summary, or ``intervention``'s detail when given.

    PDFs of an intervention carry its charts. Raises :class:`~outcomes.periods.PeriodError` for a
    period that does not fit the intervention.
    """
    if intervention is None:
        doc = summary_document(
            association_summary(association=association, period=period, include_drafts=include_drafts), publish=publish
        )
    else:
        detail = intervention_detail(intervention=intervention, period=period, include_drafts=include_drafts)
        doc = detail_document(detail, publish=publish, with_charts=fmt == "pdf")
    if progress:
        progress(40)
    return render_document(doc, fmt, progress=progress)


def export_filename(*, association, intervention=None, period: str, fmt: str, publish: bool) -> str:
    stem = intervention.name if intervention else _("sammanställning")
    return filename(stem, period, fmt, publish)


def export_job_create(
    *, user, association, intervention=None, period: Period, fmt: str, publish: bool, include_drafts: bool
) -> ExportJob:
    """Store a pending export job and queue it once the transaction commits."""
    job = ExportJob.objects.create(
        association=association,
        intervention=intervention,
        requested_by=user,
        period=period.code,
        format=fmt,
        publish=publish,
        include_drafts=include_drafts,
    )
    transaction.on_commit(lambda: _export_job_queue(job))
    return job


#: Shown on the progress page when the file could not be made; the cause is in the log.
EXPORT_FAILED_MESSAGE = gettext_lazy("Filen kunde inte skapas. Försök igen om en stund.")


def _export_job_queue(job: ExportJob) -> None:
    """Hand the job to a worker, as the goal tasks are queued (:func:`reports.receivers.enqueue`).

    With the broker unreachable (logged) the file is made here, in the web request: a PDF takes
    seconds, and the user then finds it ready instead of a job that waits forever. Should that
    fail too, the job fails with a message the progress page shows.
    """
    from reports.receivers import enqueue
    from reports.tasks import export_job_run_task

    if enqueue(export_job_run_task, str(job.pk), then="the file is made in the web process instead"):
        return
    try:
        export_job_run(job=job)
    except DatabaseError:
        logger.exception("Export job %s could not be made in the web process", job.pk)
        try:
            _export_job_fail(job, str(EXPORT_FAILED_MESSAGE))
        except DatabaseError:
            logger.exception("Export job %s could not be marked as failed", job.pk)


def _export_job_fail(job: ExportJob, message: str) -> ExportJob:
    job.status, job.error, job.finished_at = ExportStatus.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Produce the job's file and store it; idempotent (a finished job is left as it is).

    Progress is saved as the work goes on so that the waiting page can show it. An error in the
    data (a period that does not fit) fails the job with its Swedish message, any other error
    but a database error too (logged, with a general message); a database error propagates so
    that the task can retry.
    """
    if job.status == ExportStatus.DONE:
        return job

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=percent, status=ExportStatus.RUNNING)

    progress(10)
    try:
        content = export_document(
            association=job.association,
            intervention=job.intervention,
            period=Period.parse(job.period),
            fmt=job.format,
            publish=job.publish,
            include_drafts=job.include_drafts,
            progress=progress,
        )
    except PeriodError as exc:
        return _export_job_fail(job, exc.message)
    except DatabaseError:
        raise
    except Exception:  # a bug or a missing library: the page must say so rather than wait forever
        logger.exception("Export job %s could not be made", job.pk)
        return _export_job_fail(job, str(EXPORT_FAILED_MESSAGE))
    job.content = content
    job.filename = export_filename(
        association=job.association,
        intervention=job.intervention,
        period=job.period,
        fmt=job.format,
        publish=job.publish,
    )
    job.status, job.progress, job.error, job.finished_at = ExportStatus.DONE, 100, "", timezone.now()
    job.save(update_fields=["content", "filename", "status", "progress", "error", "finished_at"])
    return job


# --- Operations (issue 20): export jobs after a broker restart, retention of files --------------

import datetime as dt  # noqa: E402  (kept in this block to leave the module's header alone)

logger = logging.getLogger(__name__)


def export_jobs_sweep(*, now=None) -> tuple[int, int]:
    """Recover export jobs whose message was lost (a broker restart): answers (requeued, failed).

    A job still ``pending`` ``EXPORT_JOB_PENDING_LIMIT`` seconds after it was created is queued
    again, once (``requeued_at``); the message goes out after the commit, and a broker that
    refuses it is logged and left to the fail limit. A job still not finished (pending or
    running) ``EXPORT_JOB_FAIL_LIMIT`` seconds after it was created is failed with a Swedish
    message that the waiting page shows, so nobody waits forever. A requeued job that a worker
    finishes after all is still offered: running a job again produces the same file.
    """
    from django.conf import settings

    from reports.tasks import export_job_run_task

    now = now or timezone.now()
    fail_limit = settings.EXPORT_JOB_FAIL_LIMIT
    minutes = max(1, round(fail_limit / 60))
    message = _("Exporten blev inte klar inom %(minutes)s minuter. Begär filen igen.") % {"minutes": minutes}
    failed = ExportJob.objects.filter(
        status__in=[ExportStatus.PENDING, ExportStatus.RUNNING],
        created_at__lt=now - dt.timedelta(seconds=fail_limit),
    ).update(status=ExportStatus.FAILED, error=message, finished_at=now)
    due = list(
        ExportJob.objects.filter(
            status=ExportStatus.PENDING,
            requeued_at__isnull=True,
            created_at__lt=now - dt.timedelta(seconds=settings.EXPORT_JOB_PENDING_LIMIT),
        ).values_list("pk", flat=True)
    )
    # Claim the jobs first: two sweeps running at once requeue each job only once.
    requeued = [
        pk for pk in due if ExportJob.objects.filter(pk=pk, requeued_at__isnull=True).update(requeued_at=now) == 1
    ]

    def send():
        from kombu.exceptions import OperationalError

        for pk in requeued:
            try:
                export_job_run_task.delay(str(pk))
            except OperationalError:
                logger.exception("could not requeue export job %s; it fails at the fail limit", pk)

    transaction.on_commit(send)
    return len(requeued), failed


def export_files_clean(*, now=None) -> int:
    """Delete the export jobs (with their files) finished ``EXPORT_FILE_RETENTION_DAYS`` ago or more."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_FILE_RETENTION_DAYS)
    deleted, _by_model = ExportJob.objects.filter(
        status__in=[ExportStatus.DONE, ExportStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
