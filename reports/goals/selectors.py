"""Reads of goals, step definitions and goal results that are more than a one-line queryset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from outcomes.counts import GENDERS, ZERO, Counts, ReportFigures, combine
from outcomes.models import Budget, ExitCount, ExitReason, Intervention, PeriodReport
from outcomes.periods import Period, parse_span
from outcomes.surveys.figures import SurveyFigures, survey_figures_of
from outcomes.surveys.selectors import survey_figure
from reports import shares
from reports.goals import evaluation as goal_math
from reports.goals import kinds
from reports.goals.models import Goal, GoalResult, StepDefinition


def _intervention_associations(interventions: Iterable) -> dict[int, int]:
    """intervention id -> association id, for Intervention rows or plain ids (one query for ids)."""
    items = list(interventions)
    known = {i.pk: i.association_id for i in items if isinstance(i, Intervention)}
    ids = [int(i) for i in items if not isinstance(i, Intervention)]
    if ids:
        known.update(Intervention.objects.filter(pk__in=ids).values_list("pk", "association_id"))
    return known


def step_rules_for(interventions: Iterable[Intervention | int]) -> dict[int, shares.StepRule]:
    """The step rule of each intervention, by intervention id, in at most four queries.

    An intervention with a stored :class:`StepDefinition` uses its reasons and excluded reasons;
    one without gets :func:`reports.shares.default_step_rule` over all of its association's exit
    reasons (retired ones too, so earlier years keep counting the way they did).
    ``interventions`` may be Intervention rows (no query for them) or ids.
    """
    associations = _intervention_associations(interventions)
    if not associations:
        return {}
    defined: dict[int, dict[str, set[str]]] = {}
    definitions = StepDefinition.objects.filter(intervention_id__in=associations)
    for intervention_id, code in definitions.values_list("intervention_id", "reasons__code"):
        defined.setdefault(intervention_id, {"steps": set(), "excluded": set()})
        if code:
            defined[intervention_id]["steps"].add(code)
    for intervention_id, code in definitions.values_list("intervention_id", "excluded_reasons__code"):
        if code:
            defined[intervention_id]["excluded"].add(code)
    rules = {
        pk: shares.StepRule(steps=frozenset(sets["steps"]), excluded=frozenset(sets["excluded"]))
        for pk, sets in defined.items()
    }
    missing = {association for pk, association in associations.items() if pk not in rules}
    if missing:
        reasons: dict[int, list] = {}
        for reason in ExitReason.objects.filter(association_id__in=missing).only(
            "code", "outcome_class", "association_id"
        ):
            reasons.setdefault(reason.association_id, []).append(reason)
        for pk, association in associations.items():
            if pk not in rules:
                rules[pk] = shares.default_step_rule(reasons.get(association, []))
    return rules


def step_definition_of(intervention: Intervention) -> dict[str, list[str]]:
    """The intervention's step definition as sorted reason codes (the default when none is stored)."""
    rule = step_rules_for([intervention])[intervention.pk]
    return {"reasons": sorted(rule.steps), "excluded_reasons": sorted(rule.excluded)}


def goals_of(intervention: Intervention, *, year: int | None = None) -> QuerySet[Goal]:
    """The intervention's goals (of one year when given), with their reason sets prefetched."""
    goals = Goal.objects.filter(intervention=intervention).select_related("question")
    if year is not None:
        goals = goals.filter(year=year)
    return goals.prefetch_related("reasons", "excluded_reasons")


@dataclass(frozen=True)
class PeriodResult:
    """One goal's result for one period, as pages, exports and the API show it.

    ``result`` is the stored :class:`GoalResult` (or an unsaved one for a preview) with its
    ``goal`` loaded; ``period`` is the code that was asked for, which may differ from the stored
    one (``2024YTDQ2`` finds the ``2024H1`` row). The API's shape is
    :class:`reports.goals.api.GoalResultOutputSerializer`.
    """

    result: GoalResult
    period: str
    preview: bool = False

    @property
    def goal(self) -> Goal:
        return self.result.goal

    @property
    def label(self) -> str:
        return self.goal.label

    @property
    def kind(self) -> str:
        return self.goal.kind

    @property
    def comparator(self) -> str:
        return self.goal.comparator

    @property
    def numerator(self) -> int | None:
        return self.result.numerator

    @property
    def denominator(self) -> int | None:
        return self.result.denominator

    @property
    def value(self) -> float | None:
        """The exact percentage (or count); None without data."""
        return float(self.result.value) if self.result.value is not None else None

    @property
    def percent(self) -> int | None:
        return self.result.percent

    @property
    def target(self) -> int | float:
        """The period's target, whole numbers as ints (55, not 55.00)."""
        return shares.json_number(self.result.target)

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def computed_at(self):
        return self.result.computed_at

    @property
    def stale(self) -> bool:
        return self.result.stale


def goal_results_for(*, intervention_ids: Iterable[int], period_code: str) -> dict[int, list[PeriodResult]]:
    """Stored goal results of the given interventions for one period, in one query.

    Answers ``{intervention_id: [PeriodResult, ...]}`` in goal order, each with ``period`` set to
    ``period_code``. A result is found when its period spans the same months
    as ``period_code`` (``2024YTDQ2`` finds the ``2024H1`` result, ``2024Q1`` the year-to-date Q1
    one). Periods that are not evaluated (a lone Q3, a tertial) and interventions without goals
    answer an empty list, and so does a range of base periods. Raises
    :class:`~outcomes.periods.PeriodError` for a bad code.
    """
    period = parse_span(period_code)
    ids = [int(i) for i in intervention_ids]
    answer: dict[int, list[PeriodResult]] = {pk: [] for pk in ids}
    if period.year is None:  # a range of several years: goals are set per year
        return answer
    results = (
        GoalResult.objects.filter(
            goal__intervention_id__in=ids,
            goal__year=period.year,
            period_start=period.start,
            period_end=period.end,
        )
        .select_related("goal")
        .order_by("goal__intervention_id", "goal__position", "goal_id")
    )
    for result in results:
        answer[result.goal.intervention_id].append(PeriodResult(result, period.code))
    return answer


def goal_results_of(intervention: Intervention, *, period_code: str | None = None) -> list[PeriodResult]:
    """The intervention's stored results, of one period when given, else of every period."""
    if period_code is not None:
        return goal_results_for(intervention_ids=[intervention.pk], period_code=period_code)[intervention.pk]
    results = (
        GoalResult.objects.filter(goal__intervention=intervention)
        .select_related("goal")
        .order_by("goal__year", "goal__position", "goal_id", "period_end", "period_start")
    )
    return [PeriodResult(r, r.period) for r in results]


def goal_spec(
    goal: Goal, *, step_rule: shares.StepRule | None = None, reasons: shares.StepRule | None = None
) -> goal_math.GoalSpec:
    """The pure-computation view of a goal. ``step_rule`` is needed for step progression goals.

    A share-of-exits goal's reasons are read from ``goal.reasons`` (prefetch them for many goals)
    unless given as ``reasons`` (see :func:`goal_specs`).
    """
    kind = kinds.kind_rule(goal.kind)
    rule = None
    if kind.uses_step_rule:
        rule = step_rule
    elif kind.uses_own_reasons:
        rule = reasons or shares.StepRule(
            steps=frozenset(r.code for r in goal.reasons.all()),
            excluded=frozenset(r.code for r in goal.excluded_reasons.all()),
        )
    return goal_math.GoalSpec(
        kind=goal.kind,
        target=goal.target,
        comparator=goal.comparator,
        yellow_ratio=goal.yellow_ratio,
        rule=rule,
        measure=goal.measure,
    )


def goal_specs(goals: list[Goal], *, step_rule: shares.StepRule | None = None) -> dict[int, goal_math.GoalSpec]:
    """:func:`goal_spec` of many goals by goal id, their reason sets read in two queries at most.

    Cheaper than prefetching ``reasons`` and ``excluded_reasons``, which builds a queryset per goal.
    """
    share_ids = [g.pk for g in goals if kinds.kind_rule(g.kind).uses_own_reasons]
    sets: dict[str, dict[int, set[str]]] = {"reasons": {}, "excluded_reasons": {}}
    if share_ids:
        for name, found in sets.items():
            through = getattr(Goal, name).through
            for goal_id, code in through.objects.filter(goal_id__in=share_ids).values_list(
                "goal_id", "exitreason__code"
            ):
                found.setdefault(goal_id, set()).add(code)
    return {
        goal.pk: goal_spec(
            goal,
            step_rule=step_rule,
            reasons=shares.StepRule(
                steps=frozenset(sets["reasons"].get(goal.pk, ())),
                excluded=frozenset(sets["excluded_reasons"].get(goal.pk, ())),
            ),
        )
        for goal in goals
    }


def survey_figure_for(goal: Goal, period: Period, *, surveys: SurveyFigures | None = None) -> tuple[int, int] | None:
    """The indicator figure of an indicator goal for ``period``, or None without a survey.

    Reads :func:`outcomes.surveys.selectors.survey_figure`: the survey entered for exactly ``period``, or
    those entered for periods inside it pooled; a year's survey therefore answers for the year's
    result and not for a year-to-date one. With ``surveys`` (loaded once by
    :func:`outcomes.surveys.figures.survey_figures_of`) the same figure is answered without a query.
    """
    group = goal.group or (goal.question.group if goal.question_id else "")
    arguments = {
        "period": period,
        "figure": goal.figure,
        "group": group,
        "question_code": goal.question.code if goal.question_id else None,
        "indicator_number": None if goal.question_id else goal.indicator_number,
    }
    if surveys is not None:
        return surveys.figure(**arguments)
    return survey_figure(intervention=goal.intervention, **arguments)


@dataclass(frozen=True)
class BaseReport:
    """One counted base report as the goal inputs need it: its span and its figures."""

    start: date
    end: date
    figures: ReportFigures


@dataclass(frozen=True)
class GoalData:
    """Everything goals of one intervention are evaluated on, read once by :func:`goal_data`.

    ``reports`` are the counted base reports in period order, ``budgets`` the granted budget by
    year, ``surveys`` the survey figures (None when no indicator goal needs them).
    """

    reports: tuple[BaseReport, ...]
    budgets: dict[int, int]
    surveys: SurveyFigures | None = None


_REPORT_FIELDS = tuple(f"{kind}_{g}" for kind in ("ongoing_start", "new", "exits") for g in GENDERS)


def goal_data(
    *,
    intervention: Intervention,
    years: Iterable[int],
    include_drafts: bool = False,
    surveys: bool = False,
    span: Period | None = None,
) -> GoalData:
    """Read, in three queries (five with ``surveys``), what goals of ``years`` are evaluated on.

    The counted base reports of those years with their exits by reason, and the budgets; with
    ``surveys`` also the indicator surveys (:func:`outcomes.surveys.figures.survey_figures_of`).
    ``span`` narrows the reports read to one period. Breakdowns are not read: no goal uses them.
    """
    years = sorted(set(years))
    if not years:
        return GoalData(reports=(), budgets={})
    if span is not None:
        start, end = span.start, span.end
    else:
        start, end = date(years[0], 1, 1), date(years[-1], 12, 31)
    counted = (
        PeriodReport.objects.filter(intervention=intervention)
        .counted(include_drafts=include_drafts)
        .filter(period_start__gte=start, period_end__lte=end)
    )
    rows = list(
        counted.order_by("period_start", "pk").values("pk", "period_start", "period_end", "spent_sek", *_REPORT_FIELDS)
    )
    exits: dict[int, dict[str, Counts]] = {}
    if rows:
        for row in (
            ExitCount.objects.filter(report_id__in=[r["pk"] for r in rows])
            .order_by()
            .values_list("report_id", "reason__code", *GENDERS)
        ):
            report_id, code, *counts = row
            by_reason = exits.setdefault(report_id, {})
            by_reason[code] = by_reason.get(code, ZERO) + Counts(*counts)
    reports = tuple(
        BaseReport(
            start=row["period_start"],
            end=row["period_end"],
            figures=ReportFigures(
                ongoing_at_start=Counts(*(row[f"ongoing_start_{g}"] for g in GENDERS)),
                new=Counts(*(row[f"new_{g}"] for g in GENDERS)),
                exits=Counts(*(row[f"exits_{g}"] for g in GENDERS)),
                exits_by_reason=exits.get(row["pk"], {}),
                spent_sek=row["spent_sek"] or 0,
            ),
        )
        for row in rows
    )
    budgets = dict(Budget.objects.filter(intervention=intervention, year__in=years).values_list("year", "budget_sek"))
    figures = survey_figures_of(intervention=intervention, start=start, end=end) if surveys else None
    return GoalData(reports=reports, budgets=budgets, surveys=figures)


def period_inputs(
    *,
    intervention: Intervention,
    period: Period,
    include_drafts: bool = False,
    data: GoalData | None = None,
) -> goal_math.PeriodInputs:
    """The figures goals are evaluated on for one intervention and period.

    Counts only submitted and approved reports unless ``include_drafts``; the survey figure is
    added per goal by :func:`goal_evaluate`. Without ``data`` it is read for this period alone
    (three queries); with ``data`` (:func:`goal_data` of the period's year, read once for many
    periods) no query is made. The base reports inside the period are combined by the
    stock-and-flow rule of :func:`outcomes.counts.combine`.
    """
    period.base_periods(intervention.frequency)
    if data is None:
        data = goal_data(intervention=intervention, years=[period.year], include_drafts=include_drafts, span=period)
    inside = [r.figures for r in data.reports if r.start >= period.start and r.end <= period.end]
    figures = combine(inside)
    return goal_math.PeriodInputs(
        reports=len(inside),
        exits_by_reason=figures.exits_by_reason,
        participants=figures.participants.total,
        new=figures.new.total,
        exits=figures.exits.total,
        spent_sek=figures.spent_sek,
        budget_sek=data.budgets.get(period.year),
    )


def goal_evaluate(
    *,
    goal: Goal,
    period: Period,
    inputs: goal_math.PeriodInputs | None = None,
    step_rule: shares.StepRule | None = None,
    include_drafts: bool = False,
    surveys: SurveyFigures | None = None,
    spec: goal_math.GoalSpec | None = None,
) -> goal_math.Evaluation:
    """The goal's result over ``period`` computed now, without storing it.

    Used by the recomputation, for last year's comparison on the goal page and for a
    coordinator's preview with drafts. ``inputs``, ``step_rule`` and ``surveys`` may be passed
    in when several goals of one intervention share them, ``spec`` when computed already
    (:func:`goal_specs`).
    """
    if inputs is None:
        inputs = period_inputs(intervention=goal.intervention, period=period, include_drafts=include_drafts)
    kind = kinds.kind_rule(goal.kind)
    if spec is None and kind.uses_step_rule and step_rule is None:
        step_rule = step_rules_for([goal.intervention])[goal.intervention_id]
    if kind.uses_surveys:
        inputs = replace(inputs, survey=survey_figure_for(goal, period, surveys=surveys))
    return kinds.evaluate(spec or goal_spec(goal, step_rule=step_rule), inputs, period)


def goal_results_preview(*, intervention: Intervention, period_code: str) -> list[PeriodResult]:
    """The intervention's goal results for one period computed now with drafts counted too.

    For a coordinator's own preview before submitting: nothing is stored, ``computed_at`` is now,
    ``stale`` is false and ``preview`` true. Periods that are not evaluated answer no results,
    as for stored ones.
    """
    period = Period.parse(period_code)
    goals = list(goals_of(intervention, year=period.year))
    evaluated = {(p.start, p.end) for p in goal_math.evaluated_periods(period.year, intervention.frequency)}
    if not goals or (period.start, period.end) not in evaluated:
        return []
    inputs = period_inputs(intervention=intervention, period=period, include_drafts=True)
    step_rule = step_rules_for([intervention])[intervention.pk]
    now = timezone.now()
    answer = []
    for goal in goals:
        goal.intervention = intervention
        evaluation = goal_evaluate(goal=goal, period=period, inputs=inputs, step_rule=step_rule)
        row = GoalResult(
            goal=goal,
            period=period.code,
            computed_at=now,
            stale=False,
            **{name: getattr(evaluation, name) for name in ("numerator", "denominator", "value", "percent")},
            target=evaluation.target,
            status=evaluation.status,
        )
        answer.append(PeriodResult(row, period.code, preview=True))
    return answer


def affected_results(*, intervention_id: int, period: Period | None = None) -> QuerySet[GoalResult]:
    """Results that a change of ``intervention_id``'s report for base ``period`` can change.

    That is the results of the intervention's goals of that year whose period contains the base
    period (a change of Q2 touches year-to-date Q2 and Q3, H1 and the year, not Q1 or H2). Without
    a period: every result of the intervention.
    """
    results = GoalResult.objects.filter(goal__intervention_id=intervention_id)
    if period is None:
        return results
    return results.filter(goal__year=period.year, period_start__lte=period.start, period_end__gte=period.end)


def intervention_years_with_goals() -> QuerySet:
    """(intervention id, year) pairs that have goals, for the nightly recomputation."""
    return Goal.objects.values_list("intervention_id", "year").distinct().order_by("intervention_id", "year")
