"""The two export layouts: the association summary and one intervention's detail.

Each lays its selector's answer (:mod:`reports.summaries.selectors`) out as a
:class:`~reports.exports.document.Document`, one named step per section, records the relations a
reader can see and protects the document. A new export column is added in the step of its
section here (and its header beside it); the writers need nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from outcomes.counts import GENDERS, ZERO
from outcomes.periods import period_name
from reports.exports.document import (
    COUNT_COLUMNS,
    GENDER_HEADERS,
    Cell,
    Document,
    Section,
    document_notes,
    gender_cells,
    goal_section,
    measure_title,
    money_cells,
    step_denominator_key,
    step_relations,
    stock_and_flow,
)
from reports.shares import Share, StepRule
from reports.summaries import charts
from reports.summaries.figures import MEASURES
from reports.summaries.selectors import InterventionDetail, Summary, step_rules

# --- the association summary -------------------------------------------------------------------


def summary_document(summary: Summary, *, publish: bool = False) -> Document:
    """The association summary laid out for export: one section per measure, exits by reason,
    step progression and money, each intervention a row and the association's total last."""
    previous = summary.previous_period.code
    doc = Document(
        title=_("Sammanställning %(period)s – %(name)s")
        % {"period": period_name(summary.period), "name": summary.association.name},
        subtitle=_("Jämförelse (jmf) med samma period %(previous)s.")
        % {"previous": period_name(summary.previous_period)},
        publish=publish,
        threshold=summary.association.small_count_threshold,
    )
    document_notes(doc, summary.missing_reports, summary.include_drafts)
    for intervention, message in summary.not_aligned:
        doc.notes.append(f"{intervention.name}: {message}")
    rows = [(row.intervention.pk, row.intervention.name, row.current, row.previous) for row in summary.rows]
    rows.append(("total", _("Totalt"), summary.totals, summary.previous_totals))
    for measure in MEASURES:
        _summary_measure(doc, rows, measure, previous)
    for row_id, *_rest in rows:
        for tag in ("cur", "prev"):
            stock_and_flow(doc, tag, row_id)
    _summary_reasons(doc, summary, rows)
    _summary_steps(doc, rows, step_rules([row.intervention for row in summary.rows]), previous)
    _summary_money(doc, rows, previous)
    doc.sections.append(goal_section([(row.intervention.name, row.goals) for row in summary.rows]))
    doc.protect()
    return doc


def _measure_header(first: str, previous: str) -> list[str]:
    header = [first, *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS]]
    header += [f"{GENDER_HEADERS[g]} %" for g in GENDERS]
    header += [f"jmf {previous} {str(GENDER_HEADERS[g]).lower()}" for g in COUNT_COLUMNS]
    return header


def _measure_cells(doc: Document, name: str, measure: str, row_id, current, before) -> list[Cell]:
    """A measure's counts by gender, each gender's share and last year's counts."""
    counts, old = current.measure(measure), before.measure(measure)
    prefix = ("cur", measure, row_id)
    cells = [Cell(name), *gender_cells(doc, prefix, counts)]
    cells += [
        Cell(Share(getattr(counts, g), counts.total), "share", depends=((*prefix, g), (*prefix, "total")))
        for g in GENDERS
    ]
    return cells + gender_cells(doc, ("prev", measure, row_id), old)


def _summary_measure(doc: Document, rows, measure: str, previous: str) -> None:
    """One measure's section: a row per intervention and the total, which sums them."""
    table = [_measure_cells(doc, name, measure, row_id, current, before) for row_id, name, current, before in rows]
    ids = [r[0] for r in rows[:-1]]
    for tag in ("cur", "prev"):
        for g in COUNT_COLUMNS:
            doc.relate((tag, measure, "total", g), [(tag, measure, i, g) for i in ids])
    doc.sections.append(Section(measure_title(measure), _measure_header(_("Insats"), previous), table))


def _summary_reasons(doc: Document, summary: Summary, rows) -> None:
    """Exits by reason, each reason's share of the row's exits; reasons sum to exits."""
    labels = summary.reason_labels
    header = [
        _("Insats"),
        _("Avslutsorsak"),
        *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS],
        _("Andel av avslutade %"),
    ]
    table = []
    codes = [r.code for r in summary.exit_reasons]
    for row_id, name, current, _before in rows:
        for code in codes:
            counts = current.exits_by_reason.get(code)
            if counts and counts.total:
                table.append(_reason_row(doc, row_id, name, current, code, labels.get(code, code), counts))
        shown = [c for c in current.exits_by_reason if current.exits_by_reason[c].total]
        for g in COUNT_COLUMNS:
            doc.relate(("cur", "exits", row_id, g), [("cur", "reason", row_id, c, g) for c in shown])
    for code, counts in summary.totals.exits_by_reason.items():
        if counts.total:
            shown = [i for i, _n, current, _b in rows[:-1] if current.exits_by_reason.get(code, ZERO).total]
            for g in COUNT_COLUMNS:
                doc.relate(("cur", "reason", "total", code, g), [("cur", "reason", i, code, g) for i in shown])
    doc.sections.append(Section(_("Avslutsorsaker"), header, table))


def _reason_row(doc: Document, row_id, name: str, current, code: str, label: str, counts) -> list[Cell]:
    prefix = ("cur", "reason", row_id, code)
    share = Share(counts.total, current.exits.total)
    return [
        Cell(name),
        Cell(label),
        *gender_cells(doc, prefix, counts),
        Cell(share, "share", depends=((*prefix, "total"), ("cur", "exits", row_id, "total"))),
    ]


def _summary_steps(doc: Document, rows, rules: dict, previous: str) -> None:
    """Step progression per row, this year and last; the total's numerator and denominator sum."""
    header = [
        _("Insats"),
        _("Stegförflyttning"),
        _("Avslut som räknas"),
        _("Andel %"),
        f"jmf {previous} {_('steg')}",
        f"jmf {previous} {_('avslut')}",
        f"jmf {previous} %",
    ]
    any_excluded = any(rule.excluded for rule in rules.values())
    total_rule = StepRule(frozenset(), frozenset({"any"} if any_excluded else ()))
    table = []
    for row_id, name, current, before in rows:
        cells = [Cell(name)]
        for tag, figures in (("cur", current), ("prev", before)):
            cells += _step_cells(doc, tag, row_id, figures, rules.get(row_id, total_rule))
        table.append(cells)
        if row_id != "total":
            step_relations(doc, "cur", row_id, current, rules[row_id], reasons_published=True)
            step_relations(doc, "prev", row_id, before, rules[row_id], reasons_published=False)
    ids = [r[0] for r in rows[:-1]]
    for tag in ("cur", "prev"):
        doc.relate((tag, "step_num", "total"), [(tag, "step_num", i) for i in ids])
        if any_excluded:
            doc.relate((tag, "step_den", "total"), [step_denominator_key(tag, i, rules[i]) for i in ids])
    note = _("Andel avslutade till arbete, studier eller fortsatt rehabilitering enligt insatsens stegdefinition.")
    doc.sections.append(Section(_("Stegförflyttning"), header, table, note=note))


def _step_cells(doc: Document, tag: str, row_id, figures, rule) -> list[Cell]:
    """The step numerator and denominator as counts, and their share."""
    num, den = (tag, "step_num", row_id), step_denominator_key(tag, row_id, rule)
    step = figures.step_progression
    return [doc.count(num, step.numerator), doc.count(den, step.denominator), Cell(step, "share", depends=(num, den))]


def _summary_money(doc: Document, rows, previous: str) -> None:
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
        old = money_cells(before, ("prev", "participants", row_id, "total"))
        table.append([Cell(name), *money_cells(current, ("cur", "participants", row_id, "total")), old[1], old[3]])
    doc.sections.append(Section(_("Ekonomi"), header, table))


# --- one intervention's detail -----------------------------------------------------------------


def detail_document(detail: InterventionDetail, *, publish: bool = False, with_charts: bool = False) -> Document:
    """One intervention's detail laid out for export: the figures by gender with last year beside
    them, new participants per dimension, exits by reason, step progression and money."""
    intervention, previous = detail.intervention, detail.previous_period.code
    doc = Document(
        title=_("%(name)s – %(period)s") % {"name": intervention.name, "period": period_name(detail.period)},
        subtitle=_("Insatsägare: %(owner)s. Jämförelse (jmf) med samma period %(previous)s.")
        % {"owner": intervention.owner, "previous": period_name(detail.previous_period)},
        publish=publish,
        threshold=intervention.association.small_count_threshold,
    )
    document_notes(doc, detail.missing_reports, detail.include_drafts)
    row_id = intervention.pk
    table = [_measure_cells(doc, measure_title(m), m, row_id, detail.current, detail.previous) for m in MEASURES]
    for tag in ("cur", "prev"):
        stock_and_flow(doc, tag, row_id)
    doc.sections.append(Section(_("Översikt"), _measure_header(_("Mått"), previous), table))
    tables = [(t, "new", ("dim", t.code)) for t in detail.dimensions] + [(detail.exits, "exits", ("reason",))]
    for breakdown, base_measure, kind in tables:
        breakdown_section(doc, row_id, breakdown, base_measure, kind)
    _detail_steps(doc, detail, row_id)
    _detail_money(doc, detail, row_id)
    doc.sections.append(goal_section([(intervention.name, detail.goals)]))
    if detail.surveys and not publish:
        doc.sections.extend(survey_sections(detail.surveys))
    elif detail.surveys:
        doc.notes.append(_("Enkätsvaren ingår bara i interna exporter."))
    doc.protect()
    if with_charts:
        _detail_charts(doc, row_id, tables)
    return doc


def breakdown_section(doc: Document, row_id, breakdown, base_measure: str, kind: tuple) -> None:
    """New participants by one dimension, or exits by reason, each category's share of the base."""
    header = [
        _("Kategori") if base_measure == "new" else _("Avslutsorsak"),
        *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS],
    ]
    header += [f"{GENDER_HEADERS[g]} %" for g in COUNT_COLUMNS]
    rows = []
    for entry in breakdown.rows:
        prefix = ("cur", *kind, row_id, entry.code)
        cells = [Cell(entry.label), *gender_cells(doc, prefix, entry.counts)]
        cells += [
            Cell(entry.shares[g], "share", depends=((*prefix, g), ("cur", base_measure, row_id, g)))
            for g in COUNT_COLUMNS
        ]
        rows.append(cells)
    if breakdown.has_sum_rule:
        for g in COUNT_COLUMNS:
            doc.relate(("cur", base_measure, row_id, g), [("cur", *kind, row_id, e.code, g) for e in breakdown.rows])
        # the categories add up to the base: its total row (the same cells, masked alike)
        total = [Cell(_("Totalt")), *gender_cells(doc, ("cur", base_measure, row_id), breakdown.base)]
        base_keys = [("cur", base_measure, row_id, g) for g in COUNT_COLUMNS]
        rows.append(
            total
            + [
                Cell(Share(n, n), "share", depends=(k,))
                for n, k in zip(_base_counts(breakdown.base), base_keys, strict=True)
            ]
        )
    title = breakdown.title if base_measure == "exits" else _("Nya – %(d)s") % {"d": breakdown.title}
    note = "" if breakdown.has_sum_rule else _("En person kan räknas i flera kategorier.")
    doc.sections.append(Section(title, header, rows, note=note))


def _base_counts(counts) -> list[int]:
    return [getattr(counts, g) for g in COUNT_COLUMNS]


def _detail_steps(doc: Document, detail: InterventionDetail, row_id) -> None:
    """Step progression this period and last year's; this period's sums of the shown reasons."""
    rule = step_rules([detail.intervention])[detail.intervention.pk]
    header = [_("Period"), _("Stegförflyttning"), _("Avslut som räknas"), _("Andel %")]
    periods = (("cur", detail.period.code, detail.current), ("prev", detail.previous_period.code, detail.previous))
    table = [[Cell(code), *_step_cells(doc, tag, row_id, figures, rule)] for tag, code, figures in periods]
    if detail.current.exits_by_reason:
        reasons = [e.code for e in detail.exits.rows]
        steps = [r for r in reasons if r in rule.steps and r not in rule.excluded]
        counted = [r for r in reasons if r not in rule.excluded]
        doc.equations.append(
            [(("cur", "step_num", row_id), -1), *[(("cur", "reason", row_id, r, "total"), 1) for r in steps]]
        )
        doc.equations.append(
            [
                (step_denominator_key("cur", row_id, rule), -1),
                *[(("cur", "reason", row_id, r, "total"), 1) for r in counted],
            ]
        )
    else:
        step_relations(doc, "cur", row_id, detail.current, rule, reasons_published=False)
    step_relations(doc, "prev", row_id, detail.previous, rule, reasons_published=False)
    doc.sections.append(Section(_("Stegförflyttning"), header, table))


def _detail_money(doc: Document, detail: InterventionDetail, row_id) -> None:
    header = [
        _("Period"),
        _("Beviljade medel (kr)"),
        _("Förbrukat (kr)"),
        _("Andel förbrukat %"),
        _("Kostnad per deltagare (kr)"),
    ]
    periods = (("cur", detail.period.code, detail.current), ("prev", detail.previous_period.code, detail.previous))
    table = [
        [Cell(code), *money_cells(figures, (tag, "participants", row_id, "total"))] for tag, code, figures in periods
    ]
    doc.sections.append(Section(_("Ekonomi"), header, table))


def _detail_charts(doc: Document, row_id, tables) -> None:
    """A PNG chart beside each breakdown section, with the masked bars left out."""
    for section, (breakdown, _measure, kind) in zip(doc.sections[1:], tables, strict=False):
        masked = {
            (e.code, g) for e in breakdown.rows for g in GENDERS if ("cur", *kind, row_id, e.code, g) in doc.masked
        }
        figure = charts.breakdown_chart(breakdown, title=section.title, masked=masked)
        section.chart_png = charts.render(figure, "png")


def survey_sections(tables: dict) -> list[Section]:
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
                    Cell(cell["national_average"], "percent"),
                    Cell(cell["previous_percent"], "percent"),
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


# --- Underlag till Uppföljning Finsam ------------------------------------------------------------


def followup_document(summary: Summary) -> Document:
    """Underlag till Uppföljning Finsam: per intervention the figures the national follow-up
    system asks for. Individual interventions: new and exited participants by gender and the
    participants during the period; structural ones: participants only. Budget and outcome (spent)
    for both. Internal figures, to copy into the national system."""
    doc = Document(
        title=_("Underlag till Uppföljning Finsam, %(period)s – %(name)s")
        % {"period": period_name(summary.period), "name": summary.association.name},
        subtitle="",
        publish=False,
        threshold=summary.association.small_count_threshold,
    )
    header = [
        _("Insats"),
        _("Typ av insats"),
        *[f"{_('Nya')} {str(GENDER_HEADERS[g]).lower()}" for g in COUNT_COLUMNS],
        *[f"{_('Avslutade')} {str(GENDER_HEADERS[g]).lower()}" for g in COUNT_COLUMNS],
        _("Deltagare under perioden"),
        _("Beviljade medel (kr)"),
        _("Utfall, förbrukat (kr)"),
    ]
    rows = []
    for row in summary.rows:
        figures, individual = row.current, row.intervention.kind == "individual"
        flows = [
            Cell(getattr(c, g), "count") if individual else Cell()
            for c in (figures.new, figures.exits)
            for g in COUNT_COLUMNS
        ]
        rows.append(
            [
                Cell(row.intervention.name),
                Cell(row.intervention.get_kind_display()),
                *flows,
                Cell(figures.participants.total, "count"),
                Cell(figures.budget_sek, "sek"),
                Cell(figures.spent_sek, "sek"),
            ]
        )
    note = _(
        "Strukturövergripande insatser redovisar bara deltagare; nya och avslutade gäller individinriktade insatser."
    )
    doc.sections.append(Section(_("Underlag till Uppföljning Finsam"), header, rows, note=note))
    return doc
