"""The annual report's section for the word processor, laid out as a :class:`Document`.

:func:`annual_report_document` reads the association summary (the same figures as the summary
page and ``GET .../summary/``), each intervention's breakdowns and its indicator tables, and lays
them out the way the annual reports do: the association's compact table and socio-economic
estimate, then one heading per intervention with its sentences (:mod:`reports.exports.sentences`),
goals with their lights, background tables and charts, indicators over five years against the
national average, counted measures, the activity log and the money.
:func:`reports.exports.docx.to_docx` writes it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from outcomes.periods import period_name
from outcomes.surveys.tables import survey_tables_many
from reports.exports import beyond, sentences
from reports.exports.document import Cell, Document, Section, document_notes
from reports.exports.layouts import breakdown_section
from reports.goals import kinds
from reports.shares import Share
from reports.summaries import charts
from reports.summaries.breakdowns import summary_breakdowns
from reports.summaries.figures import Figures
from reports.summaries.selectors import (
    InterventionSummary,
    Summary,
    association_summary,
    summary_trend,
)
from reports.summaries.socio_economic import model_text

TREND_YEARS = 5
CHART_DPI = 90


def annual_report_document(
    *, association, period, include_drafts: bool = False, with_charts: bool = True, intervention=None
) -> Document:
    """The association's annual (or interim) report section for ``period``; with
    ``intervention``, only that intervention's part (its row is then the total too).

    Every number comes from :func:`association_summary` (the rows and totals) or, for the
    breakdown tables, :func:`intervention_detail`; a period that is not a whole year is worded as
    an interim report. ``with_charts=False`` leaves the images out (tests that read only text).
    Raises :class:`~outcomes.periods.PeriodError` when ``intervention``'s frequency does not fit.
    """
    summary = association_summary(association=association, period=period, include_drafts=include_drafts)
    if intervention is not None:
        period.base_periods(intervention.frequency)
        summary.rows = [row for row in summary.rows if row.intervention.pk == intervention.pk]
    doc = Document(
        title=sentences.document_title(period, association.name),
        subtitle=_("Siffrorna avser %(period)s och jämförs (jmf) med %(previous)s.")
        % {"period": period_name(period), "previous": period_name(summary.previous_period)},
        publish=False,
        threshold=association.small_count_threshold,
    )
    document_notes(doc, summary.missing_reports, include_drafts)
    trend = summary_trend(summary, years=TREND_YEARS)
    doc.sections.append(_overview(summary, trend, with_charts))
    doc.sections.append(_socio_economic(summary))
    surveys = (
        survey_tables_many(interventions=[row.intervention for row in summary.rows], period=period)
        if period.year is not None
        else {}
    )
    breakdowns = summary_breakdowns(summary)
    for row in summary.rows:
        parts = (surveys.get(row.intervention.pk), breakdowns[row.intervention.pk])
        _intervention_sections(doc, summary, row, trend, parts, with_charts)
    return doc


def annual_report_charts_draw(*, association, period) -> int:
    """Lay out the document of ``period`` with its charts, which draws into the cache (by the hash
    of their data, :func:`charts.cached_png`) those not there yet; answers how many charts it has.
    Run by :func:`reports.tasks.annual_report_charts_warm` after a report change, so the download
    finds its charts warm; the same layout as the download, so the same cache keys."""
    doc = annual_report_document(association=association, period=period)
    return sum(len(section.charts) for section in doc.sections)


def _trend_chart(title: str, trend, figures_of) -> bytes:
    return charts.cached_png(charts.trend_chart, charts.summary_trend_data(title, trend, figures_of), dpi=CHART_DPI)


def _row_figures(intervention_id):
    def figures_of(summary: Summary) -> Figures | None:
        return next((r.current for r in summary.rows if r.intervention.pk == intervention_id), None)

    return figures_of


def _overview(summary: Summary, trend, with_charts: bool) -> Section:
    """The compact table over all interventions, the association's total last."""
    header = [
        _("Insats"),
        _("Insatsägare"),
        _("Deltagare"),
        _("Kvinnor"),
        _("Män"),
        _("Nya"),
        _("Avslutade"),
        _("Stegförflyttning"),
        _("Förbrukat (kr)"),
        _("Kostnad per deltagare (kr)"),
        _("jmf deltagare"),
    ]
    rows = [
        _overview_row(row.intervention.name, row.intervention.owner, row.current, row.previous) for row in summary.rows
    ]
    rows.append(_overview_row(_("Totalt"), "", summary.totals, summary.previous_totals))
    totals = summary.totals
    paragraphs = [
        sentences.participants_sentence(totals, summary.period, association=True),
        sentences.step_sentence(totals, [(r.code, r.label_sv) for r in summary.exit_reasons]),
    ]
    section = Section(_("Insatserna i sammandrag"), header, rows, level=1, paragraphs=paragraphs)
    if with_charts:
        section.charts.append(
            _trend_chart(_("Förbundets insatser, deltagare och stegförflyttning"), trend, lambda s: s.totals)
        )
    return section


def _overview_row(name: str, owner: str, current: Figures, previous: Figures) -> list[Cell]:
    participants = current.participants
    return [
        Cell(name),
        Cell(owner),
        Cell(participants.total, "count"),
        Cell(participants.women, "count"),
        Cell(participants.men, "count"),
        Cell(current.new.total, "count"),
        Cell(current.exits.total, "count"),
        Cell(current.step_progression, "share"),
        Cell(current.spent_sek, "sek"),
        Cell(current.cost_per_participant_sek, "sek"),
        Cell(previous.participants.total, "count"),
    ]


def _socio_economic(summary: Summary) -> Section:
    """The estimate per intervention and in total, with the model in words."""
    header = [
        _("Insats"),
        _("Avslut till egen försörjning"),
        _("Värde per person och år (kr)"),
        _("Vinst (kr)"),
        _("Kostnad (kr)"),
        _("Netto (kr)"),
    ]
    items = [(row.intervention.name, row.current) for row in summary.rows] + [(_("Totalt"), summary.totals)]
    rows = []
    for name, figures in items:
        estimate = summary.socio_economic(figures)
        rows.append(
            [
                Cell(name),
                Cell(estimate.exits_to_self_support, "count"),
                Cell(estimate.value_per_person_year_sek, "sek"),
                Cell(estimate.gross_sek, "sek"),
                Cell(estimate.cost_sek, "sek"),
                Cell(estimate.net_sek, "sek"),
            ]
        )
    paragraphs = [
        model_text(summary.association),
        sentences.socio_economic_sentence(summary.socio_economic(summary.totals)),
    ]
    return Section(_("Samhällsekonomisk uppskattning"), header, rows, paragraphs=paragraphs)


def _intervention_sections(doc: Document, summary: Summary, row: InterventionSummary, trend, parts, with_charts):
    """One intervention: its heading and sentences, goals, background, counted measures, the
    activity log, indicators and money. A structural intervention has no participants: its
    sentences are about its activities, and it has no participant tables or trend."""
    intervention, current, previous = row.intervention, row.current, row.previous
    surveys, (exits, dimensions) = parts
    heading = Section(intervention.name, [], [], level=1, paragraphs=_sentences(summary, row))
    if with_charts and not current.structural:
        heading.charts.append(
            _trend_chart(
                _("%(name)s, deltagare och stegförflyttning") % {"name": intervention.name},
                trend,
                _row_figures(intervention.pk),
            )
        )
    doc.sections.append(heading)
    doc.sections.append(_goals(row.goals, summary.period))
    if not current.structural:
        _background(doc, intervention, exits, dimensions, with_charts)
    beyond_rows = [(intervention.pk, intervention.name, current, row.activity_log_text)]
    beyond.measure_section(doc, beyond_rows, summary.shown_measures)
    beyond.activity_section(doc, beyond_rows)
    if surveys and surveys["response_rates"]:
        doc.sections.extend(_indicator_sections(surveys))
    doc.sections.append(_money(summary, current, previous))


def _sentences(summary: Summary, row: InterventionSummary) -> list[str]:
    current = row.current
    if current.structural:
        return [
            sentences.owner_sentence(row.intervention),
            sentences.activities_sentence(current, row.activity_log_text, summary.period),
        ]
    reasons = [(r.code, r.label_sv) for r in summary.exit_reasons]
    return [
        sentences.owner_sentence(row.intervention),
        sentences.participants_sentence(current, summary.period),
        sentences.new_and_exits_sentence(current, summary.period),
        sentences.step_sentence(current, reasons),
        sentences.comparison_sentence(current, row.previous, summary.previous_period),
        sentences.socio_economic_sentence(summary.socio_economic(current)),
    ]


def _background(doc: Document, intervention, exits, dimensions, with_charts: bool) -> None:
    """The exits by reason and every dimension of the new participants as tables; the exits (the
    step progression's background) also as a chart. The dimensions' charts are on the
    intervention's page and PDF: drawing one per dimension made the document take seconds per
    intervention."""
    tables = [(exits, "exits", ("reason",))] + [(t, "new", ("dim", t.code)) for t in dimensions]
    for breakdown, base_measure, kind in tables:
        breakdown_section(doc, intervention.pk, breakdown, base_measure, kind)
        section = doc.sections[-1]
        if with_charts and breakdown is exits and any(r.counts.total for r in breakdown.rows):
            data = charts.breakdown_chart_data(breakdown, title=section.title)
            section.charts.append(charts.cached_png(charts.bar_chart, data, dpi=CHART_DPI))


def _goals(goals: list[dict], period) -> Section:
    """Each goal with its target, result (a share with numerator and denominator) and light; with
    none, a note that says why (:func:`_no_goals_note`)."""
    header = [_("Mål"), _("Målvärde"), _("Resultat"), _("Måluppfyllelse")]
    rows = []
    for goal in goals:
        if kinds.is_share(goal.kind):
            result = Cell(Share(goal.numerator or 0, goal.denominator or 0), "share")
        else:
            result = Cell(goal.numerator if goal.numerator is not None else goal.value, "count")
        rows.append(
            [
                Cell(goal.label),
                Cell(kinds.target_text(goal.kind, goal.comparator, goal.target)),
                result,
                Cell(goal.status, "light"),
            ]
        )
    if not rows:
        return Section(_("Mål"), [], [], note=_no_goals_note(period))
    return Section(_("Mål"), header, rows)


def _no_goals_note(period) -> str:
    """Why the goal table is empty: goals are set per year, so a range over several years has none."""
    if period.year is None:
        return _(
            "Målen sätts per år och utvärderas för året och dess delår; för %(period)s, som spänner över "
            "flera år, redovisas därför ingen måluppfyllelse. Se respektive års rapport."
        ) % {"period": period_name(period)}
    return _("Inga mål utvärderas för perioden.")


def _indicator_sections(surveys: dict) -> list[Section]:
    """Per respondent group, each question's key figure this year and four earlier years, and
    this year's national average."""
    sections = []
    periods = surveys["periods"]
    for group in surveys["groups"]:
        by_period = {r["period"]: r for r in group["rows"]}
        header = [_("Fråga"), *periods, _("Rikssnitt %(p)s") % {"p": periods[0]}]
        rows = []
        for index, question in enumerate(group["questions"]):
            cells = [Cell(f"{question['code']}. {question['text']}")]
            national = None
            for code in periods:
                row = by_period.get(code)
                cell = row["cells"][index] if row and row["has_survey"] else None
                cells.append(Cell(Share(cell["numerator"] or 0, cell["denominator"] or 0), "share") if cell else Cell())
                if code == periods[0] and cell:
                    national = cell["national_average"]
            cells.append(Cell(national, "percent"))
            rows.append(cells)
        title = _("Indikatorer – %(group)s") % {"group": group["label"]}
        sections.append(Section(title, header, rows, note=_("Nyckeltal i procent med antal positiva av svarande.")))
    return sections


def _money(summary: Summary, current: Figures, previous: Figures) -> Section:
    header = [
        _("Period"),
        _("Beviljade medel (kr)"),
        _("Förbrukat (kr)"),
        _("Andel förbrukat"),
        _("Kostnad per deltagare (kr)"),
    ]
    rows = [
        [
            Cell(period_name(p)),
            Cell(f.budget_sek, "sek"),
            Cell(f.spent_sek, "sek"),
            Cell(f.share_spent, "share"),
            Cell(f.cost_per_participant_sek, "sek"),
        ]
        for p, f in ((summary.period, current), (summary.previous_period, previous))
    ]
    return Section(_("Ekonomi"), header, rows, paragraphs=[sentences.money_sentence(current)])
