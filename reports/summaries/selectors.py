"""Summaries: the one selector behind the summary page, its exports and the summary API.

:func:`association_summary` answers every intervention of an association for any period code,
with the same period a year earlier beside it and totals for the association, in a fixed number of
SQL queries however many interventions there are (everything is aggregated with ``GROUP BY`` in the
database). :func:`intervention_detail` adds one intervention's breakdowns by dimension and exit
reason. The page, the XLSX/CSV/PDF exports and ``GET /api/v1/associations/{id}/summary/`` all read
these objects, so the same numbers come out everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.db.models import Sum
from django.utils import timezone

from outcomes.activities.models import Activity
from outcomes.activities.selectors import activities_of, activity_figures, activity_log_text, activity_logs_of
from outcomes.counts import GENDERS, Counts
from outcomes.measures import ActivityFigures
from outcomes.models import (
    Association,
    Budget,
    Dimension,
    ExitCount,
    ExitReason,
    Intervention,
    Measure,
    MeasureCount,
    PeriodReport,
)
from outcomes.organisations.models import InterventionKind
from outcomes.periods import Period, PeriodError
from outcomes.surveys.tables import survey_tables
from outcomes.tallies.selectors import period_figures
from reports.goals.selectors import PeriodResult, goal_results_for, step_rules_for
from reports.shares import Share, StepRule, share_of_exits
from reports.summaries.breakdowns import BreakdownTable, breakdown_tables
from reports.summaries.figures import Figures, sum_figures
from reports.summaries.socio_economic import SocioEconomicEstimate, self_support_codes, socio_economic_estimate
from reports.summaries.stored import stored_figures, stored_figures_refresh


class NotAligned(NamedTuple):
    """An intervention left out of a summary because its frequency does not fit the period."""

    intervention: Intervention
    message: str


@dataclass
class InterventionSummary:
    intervention: Intervention
    current: Figures
    previous: Figures
    expected_reports: int
    #: Goal results for the period, as in API.md (empty when the period is not evaluated).
    goals: list[PeriodResult] = field(default_factory=list)
    #: The activities inside the period, in date order.
    activity_log: list = field(default_factory=list)

    @property
    def activity_log_text(self) -> str:
        """ "Finsammässan (220), Nätverksträff (10)", as the annual reports list them."""
        return activity_log_text(self.activity_log)

    @property
    def missing_reports(self) -> int:
        return max(self.expected_reports - self.current.reports, 0)


@dataclass
class Summary:
    """An association's summary for one period, the same period last year and the totals.

    The API's shape of it is :class:`reports.summaries.api.SummaryOutputSerializer`."""

    association: Association
    period: Period
    include_drafts: bool
    rows: list[InterventionSummary]
    exit_reasons: list[ExitReason]
    not_aligned: list[NotAligned] = field(default_factory=list)
    #: The association's measures catalog, in catalog order (labels for the measure columns).
    measures: list = field(default_factory=list)

    @property
    def previous_period(self) -> Period:
        return self.period.same_period_last_year()

    @property
    def shown_measures(self) -> list:
        """The catalog's measures that some row counts, in catalog order."""
        counted = {code for row in self.rows for code in row.current.measures}
        return [m for m in self.measures if m.code in counted]

    @cached_property
    def totals(self) -> Figures:
        return sum_figures(row.current for row in self.rows)

    @cached_property
    def previous_totals(self) -> Figures:
        return sum_figures(row.previous for row in self.rows)

    @property
    def missing_reports(self) -> int:
        return sum(row.missing_reports for row in self.rows)

    @property
    def reason_labels(self) -> dict[str, str]:
        return {r.code: r.label_sv for r in self.exit_reasons}

    def socio_economic(self, figures: Figures) -> SocioEconomicEstimate:
        """The socio-economic estimate of one row's (or the totals') figures."""
        return socio_economic_estimate(
            association=self.association, figures=figures, self_support=self_support_codes(self.exit_reasons)
        )


def step_rules(interventions: Iterable[Intervention]) -> dict[int, StepRule]:
    """Each intervention's step definition by id: its own, or the default rule over its
    association's exit reasons (at most four queries however many interventions)."""
    return step_rules_for(list(interventions))


def expected_base_periods(intervention: Intervention, period: Period, *, today: dt.date | None = None) -> int:
    """How many base periods of ``period`` the intervention should have reported by ``today``.

    Counts base periods that have ended and overlap the intervention's start and end; a period
    that does not align with the frequency expects nothing (the caller lists it apart).
    """
    today = today or timezone.localdate()
    try:
        bases = period.base_periods(intervention.frequency)
    except PeriodError:
        return 0
    return sum(1 for base in bases if base.end < today and intervention.runs_during(base))


def _figures_by_intervention(
    association: Association | None,
    periods: list[Period],
    include_drafts: bool,
    budgets: dict,
    interventions: dict[int, Intervention],
) -> dict[str, dict[int, Figures]]:
    """Figures by period code, then by intervention id of ``interventions`` (of every association
    when ``association`` is None): the stored rows of :mod:`reports.summaries.stored` where they
    are current and computed (:func:`_figures_computed`) for the others; a preview with drafts is
    always computed. The step rules are read once, for the interventions that are computed."""
    rules: dict[int, StepRule] = {}

    def compute(period: Period, these: dict[int, Intervention]) -> dict[int, Figures]:
        if these.keys() - rules.keys():
            rules.update(step_rules(i for pk, i in these.items() if pk not in rules))
        only = len(these) < len(interventions)
        return _figures_computed(association, period, include_drafts, budgets, these, rules, only=only)

    if include_drafts:
        return {period.code: compute(period, interventions) for period in periods}
    return stored_figures(periods=periods, interventions=interventions, budgets=budgets, compute=compute)


def _figures_computed(
    association: Association | None,
    period: Period,
    include_drafts: bool,
    budgets: dict,
    interventions: dict[int, Intervention],
    rules: dict[int, StepRule],
    *,
    only: bool = False,
) -> dict[int, Figures]:
    """Figures per intervention id of ``interventions`` for ``period``, computed from the reports
    (of ``association``, or of every association when None; ``only``: of those interventions)
    with their step ``rules``: six queries whatever the number (stocks and flows two, exits by
    reason, measures two, activities). An intervention without reports in the period has zeros
    (and its places and kind)."""
    reports = PeriodReport.objects.all()
    if association is not None:
        reports = reports.filter(intervention__association=association)
    if only:
        reports = reports.filter(intervention_id__in=list(interventions))
    reports = reports.counted(include_drafts=include_drafts)
    reasons = _exits_by_reason(reports, period)
    result = {pk: Figures(budget_sek=budgets.get((pk, period.year))) for pk in interventions}
    for row in reports.period_totals(period):
        pk = row["intervention"]
        if pk not in result:
            continue
        by_reason = reasons.get(pk, {})
        rule = rules.get(pk)
        result[pk] = Figures(
            reports=row["reports"],
            ongoing_at_start=Counts(*(row[f"ongoing_start_{g}"] or 0 for g in GENDERS)),
            new=Counts(*(row[f"new_{g}"] or 0 for g in GENDERS)),
            exits=Counts(*(row[f"exits_{g}"] or 0 for g in GENDERS)),
            exits_by_reason=by_reason,
            step_progression=share_of_exits({c: n.total for c, n in by_reason.items()}, rule) if rule else Share(0, 0),
            budget_sek=budgets.get((pk, period.year)),
            spent_sek=row["spent_sek"] or 0,
        )
    _beyond_add(result, reports, period, interventions)
    return result


def _exits_by_reason(reports, period: Period) -> dict[int, dict[str, Counts]]:
    """Exits by reason per intervention id over ``period``: one query."""
    reasons: dict[int, dict[str, Counts]] = {}
    for row in (
        ExitCount.objects.filter(report__in=reports.within(period))
        .values("report__intervention", "reason__code")
        .annotate(**{g: Sum(g) for g in GENDERS})
        .order_by()
    ):
        counts = Counts(*(row[g] or 0 for g in GENDERS))
        reasons.setdefault(row["report__intervention"], {})[row["reason__code"]] = counts
    return reasons


def _beyond_add(result: dict[int, Figures], reports, period: Period, interventions: dict[int, Intervention]) -> None:
    """Set each row's measures and activity figures (three queries at most) and its places and kind."""
    measures = MeasureCount.objects.filter(report__in=reports.within(period)).period_totals(period)
    activities = Activity.objects.filter(intervention__in=list(interventions)).period_totals(period)
    for pk, figures in result.items():
        figures.measures = measures.get(pk, {})
        figures.activities = activities.get(pk, ActivityFigures())
        figures.places = interventions[pk].places
        figures.structural = interventions[pk].kind == InterventionKind.STRUCTURAL


def association_summary(
    *, association: Association, period: Period, include_drafts: bool = False, with_previous: bool = True
) -> Summary:
    """The association's summary for ``period``: one row per intervention running in the period.

    Only submitted and approved reports count unless ``include_drafts``; each row says how many
    ended base periods have no counted report (``missing_reports``). Interventions whose reporting
    frequency does not fit the period (a tertial of a quarterly intervention) are listed in
    ``not_aligned`` and left out of the rows and totals. With no reports every figure is zero.
    Goals are the stored results of :func:`reports.goals.selectors.goal_results_for`. The number of
    SQL queries is fixed whatever the number of interventions: seven when every row's figures are
    stored (:mod:`reports.summaries.stored`), about twenty-five when all are computed (a stock
    measure adds one per period). ``with_previous=False`` leaves the year before's figures empty (zero)
    and saves their queries: for :func:`summary_trend`, which reads only each year's own.
    """
    previous = period.same_period_last_year()
    interventions = list(Intervention.objects.running_in(period).filter(association=association).order_by("name", "pk"))
    reasons = list(ExitReason.objects.filter(association=association).order_by("position", "code"))
    goals = goal_results_for(intervention_ids=[i.pk for i in interventions], period_code=period.code)
    budgets = {
        (b["intervention"], b["year"]): b["budget_sek"]
        for b in Budget.objects.filter(
            intervention__association=association, year__in=[period.year, previous.year]
        ).values("intervention", "year", "budget_sek")
    }
    by_pk = {i.pk: i for i in interventions}
    figures = _figures_by_intervention(
        association, [period, previous] if with_previous else [period], include_drafts, budgets, by_pk
    )
    current, before = figures[period.code], figures.get(previous.code, {})
    logs = activity_logs_of(intervention_ids=list(by_pk), period=period)
    measures = list(Measure.objects.filter(association=association).order_by("position", "code"))

    rows, not_aligned = [], []
    for intervention in interventions:
        try:
            period.base_periods(intervention.frequency)
        except PeriodError as exc:
            not_aligned.append(NotAligned(intervention, exc.message))
            continue
        empty_now = Figures(budget_sek=budgets.get((intervention.pk, period.year)))
        empty_before = Figures(budget_sek=budgets.get((intervention.pk, previous.year)))
        rows.append(
            InterventionSummary(
                intervention=intervention,
                current=current.get(intervention.pk, empty_now),
                previous=before.get(intervention.pk, empty_before),
                expected_reports=expected_base_periods(intervention, period),
                goals=goals.get(intervention.pk, []),
                activity_log=logs.get(intervention.pk, []),
            )
        )
    return Summary(
        association=association,
        period=period,
        include_drafts=include_drafts,
        rows=rows,
        exit_reasons=reasons,
        not_aligned=not_aligned,
        measures=measures,
    )


def stored_figures_refresh_for(intervention: Intervention) -> int:
    """Compute again the intervention's stored summary rows that a change made outdated (after
    the goal recomputation of a change, on the worker); answers how many."""
    budgets = {
        (intervention.pk, year): budget
        for year, budget in Budget.objects.filter(intervention=intervention).values_list("year", "budget_sek")
    }
    rules = step_rules([intervention])
    return stored_figures_refresh(
        intervention=intervention,
        budgets=budgets,
        compute=lambda period, missing: _figures_computed(None, period, False, budgets, missing, rules, only=True),
    )


def summary_trend(summary: Summary, *, years: int = 5) -> list[tuple[object, Summary]]:
    """The same period in each of the last ``years`` years, oldest first, each as its own
    association summary (the last is ``summary`` itself): the multi-year trend of the annual
    reports. A fixed number of queries per year, however many interventions."""
    periods, period = [], summary.period
    for _year in range(years - 1):
        period = period.same_period_last_year()
        periods.append(period)
    earlier = [
        (
            p,
            association_summary(
                association=summary.association, period=p, include_drafts=summary.include_drafts, with_previous=False
            ),
        )
        for p in reversed(periods)
    ]
    return [*earlier, (summary.period, summary)]


@dataclass
class NationalRow:
    association: Association
    interventions: int
    figures: Figures


def national_summary(*, period: Period, include_drafts: bool = False) -> list[NationalRow]:
    """The network's picture for ``period``: one row per association with its totals.

    Each association's figures are the totals of its own summary (the same interventions, rules
    and step definitions; interventions whose frequency does not fit the period are left out).
    An association with no running intervention has a row of zeros. At most twelve queries, however many
    associations and interventions.
    """
    associations = list(Association.objects.order_by("name", "pk"))
    interventions = []
    for intervention in Intervention.objects.running_in(period).only(
        "pk", "association_id", "frequency", "places", "kind", "figures_version"
    ):
        try:
            period.base_periods(intervention.frequency)
        except PeriodError:
            continue
        interventions.append(intervention)
    budgets = {
        (row["intervention"], row["year"]): row["budget_sek"]
        for row in Budget.objects.filter(year=period.year).values("intervention", "year", "budget_sek")
    }
    figures = _figures_by_intervention(None, [period], include_drafts, budgets, {i.pk: i for i in interventions})[
        period.code
    ]
    grouped: dict[int, list[Figures]] = {}
    for intervention in interventions:
        empty = Figures(budget_sek=budgets.get((intervention.pk, period.year)))
        grouped.setdefault(intervention.association_id, []).append(figures.get(intervention.pk, empty))
    return [
        NationalRow(association=a, interventions=len(grouped.get(a.pk, [])), figures=sum_figures(grouped.get(a.pk, [])))
        for a in associations
    ]


# --- intervention detail -----------------------------------------------------------------------


@dataclass
class InterventionDetail:
    intervention: Intervention
    period: Period
    include_drafts: bool
    current: Figures
    previous: Figures
    expected_reports: int
    dimensions: list[BreakdownTable]
    exits: BreakdownTable
    exit_reasons: list[ExitReason]
    goals: list[PeriodResult] = field(default_factory=list)
    #: :func:`outcomes.surveys.tables.survey_tables` of the intervention, ``None`` without surveys.
    surveys: dict | None = None
    #: The activities inside the period, in date order, and the association's measures catalog.
    activity_log: list = field(default_factory=list)
    measures: list = field(default_factory=list)

    @property
    def activity_log_text(self) -> str:
        return activity_log_text(self.activity_log)

    @property
    def previous_period(self) -> Period:
        return self.period.same_period_last_year()

    @property
    def missing_reports(self) -> int:
        return max(self.expected_reports - self.current.reports, 0)

    @property
    def socio_economic(self) -> SocioEconomicEstimate:
        return socio_economic_estimate(
            association=self.intervention.association,
            figures=self.current,
            self_support=self_support_codes(self.exit_reasons),
        )


def _single_figures(intervention, period, include_drafts, rule, budget) -> tuple[Figures, dict]:
    figures = period_figures(intervention=intervention, period=period, include_drafts=include_drafts)
    reports = (
        PeriodReport.objects.filter(intervention=intervention)
        .counted(include_drafts=include_drafts)
        .within(period)
        .count()
    )
    return (
        Figures(
            reports=reports,
            ongoing_at_start=figures.ongoing_at_start,
            new=figures.new,
            exits=figures.exits,
            exits_by_reason=figures.exits_by_reason,
            step_progression=share_of_exits({c: n.total for c, n in figures.exits_by_reason.items()}, rule),
            budget_sek=budget.get(period.year),
            spent_sek=figures.spent_sek,
            measures=figures.measures,
            activities=activity_figures(intervention=intervention, period=period),
            places=intervention.places,
            structural=intervention.kind == InterventionKind.STRUCTURAL,
        ),
        figures.breakdowns,
    )


def intervention_detail(
    *, intervention: Intervention, period: Period, include_drafts: bool = False, with_goals_and_surveys: bool = True
) -> InterventionDetail:
    """One intervention over ``period``: its figures, new participants by every dimension and exits
    by reason, each as a table of counts and shares per gender, the same period last year, its
    goal results and its survey tables (left out with ``with_goals_and_surveys=False``, as for
    a chart).

    Raises :class:`~outcomes.periods.PeriodError` when the period does not fit the intervention's
    reporting frequency. Retired catalog entries are shown only when they have counts.
    """
    period.base_periods(intervention.frequency)
    association = intervention.association
    reasons = list(ExitReason.objects.filter(association=association).order_by("position", "code"))
    rule = step_rules([intervention])[intervention.pk]
    budget = dict(Budget.objects.filter(intervention=intervention).values_list("year", "budget_sek"))
    current, breakdowns = _single_figures(intervention, period, include_drafts, rule, budget)
    previous, _breakdowns = _single_figures(intervention, period.same_period_last_year(), include_drafts, rule, budget)

    exits, tables = breakdown_tables(
        dimensions=Dimension.objects.filter(association=association).prefetch_related("categories"),
        reasons=reasons,
        breakdowns=breakdowns,
        current=current,
    )
    with_goals_and_surveys = with_goals_and_surveys and period.year is not None  # none for a range
    surveys = survey_tables(intervention=intervention, period=period) if with_goals_and_surveys else None
    return InterventionDetail(
        intervention=intervention,
        period=period,
        include_drafts=include_drafts,
        current=current,
        previous=previous,
        expected_reports=expected_base_periods(intervention, period),
        dimensions=tables,
        exits=exits,
        exit_reasons=reasons,
        goals=goal_results_for(intervention_ids=[intervention.pk], period_code=period.code)[intervention.pk]
        if with_goals_and_surveys
        else [],
        surveys=surveys if surveys and surveys["response_rates"] else None,
        activity_log=list(activities_of(intervention=intervention, period=period)),
        measures=[
            m
            for m in Measure.objects.filter(association=association).order_by("position", "code")
            if m.code in current.measures
        ],
    )
