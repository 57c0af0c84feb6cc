"""Reads of period reports: figures of a period, the previous end, the year's budget, the start page
and the completeness table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as gettext

from outcomes.counts import GENDERS, Counts, ReportFigures, ongoing_at_end_of
from outcomes.organisations.models import Association, Intervention, User
from outcomes.organisations.selectors import interventions_visible_to
from outcomes.periods import Period, base_period
from outcomes.shares import Share
from outcomes.tallies.models import BreakdownCount, ExitCount, MeasureCount, PeriodReport, ReportHistory, ReportStatus


def ongoing_at_end(report: PeriodReport | None) -> Counts | None:
    return ongoing_at_end_of(report.ongoing_at_start, report.new, report.exits) if report else None


def previous_ongoing_at_end(*, intervention: Intervention, period_code: str) -> Counts | None:
    """The ongoing-at-end of the base period before ``period_code``, or ``None`` if not reported."""
    previous = base_period(period_code, intervention.frequency).previous()
    return ongoing_at_end(PeriodReport.objects.filter(intervention=intervention, period=previous.code).first())


@dataclass(frozen=True)
class YearBudget:
    """The budget of a base period's year (``None``: none set) and what the intervention's other
    base periods of that year spent, for the ``over_budget`` warning."""

    year: int
    budget_sek: int | None
    spent_elsewhere_sek: int


def year_budget_columns(period) -> dict:
    """Annotations of an ``Intervention`` queryset with the year's budget and the spending of its
    other reports of the year, so that a query already made can bring them along."""
    from outcomes.models import Budget

    others = (
        PeriodReport.objects.filter(
            intervention_id=OuterRef("pk"),
            period_start__gte=dt.date(period.year, 1, 1),
            period_start__lte=dt.date(period.year, 12, 31),
        )
        .exclude(period=period.code)
        .order_by()
        .values("intervention_id")
        .annotate(spent=Sum("spent_sek"))
        .values("spent")
    )
    budget = Budget.objects.filter(intervention_id=OuterRef("pk"), year=period.year).values("budget_sek")[:1]
    return {"year_budget_sek": Subquery(budget), "year_spent_elsewhere_sek": Subquery(others)}


def year_budget_from(period, row) -> YearBudget:
    budget_sek, spent_elsewhere = row
    return YearBudget(year=period.year, budget_sek=budget_sek, spent_elsewhere_sek=spent_elsewhere or 0)


def year_budget(*, intervention: Intervention, period_code: str) -> YearBudget:
    """The budget of the base period's year and the spending of the year's other reports (one query)."""
    period = base_period(period_code, intervention.frequency)
    row = (
        Intervention.objects.filter(pk=intervention.pk)
        .annotate(**year_budget_columns(period))
        .values_list("year_budget_sek", "year_spent_elsewhere_sek")
        .get()
    )
    return year_budget_from(period, row)


#: The fields :func:`outcomes.tallies.rules.checked_values` names, as columns of a report.
_CHECKED_COLUMNS = {
    **{f"{flow}.{g}": f"{flow}_{g}" for flow in ("new", "exits") for g in GENDERS},
    "spent_sek": "spent_sek",
}


def earlier_largest(*, intervention_id: int, period) -> dict[str, int] | None:
    """The largest value of each field that :func:`outcomes.tallies.rules.checked_values` names,
    over the intervention's base-period reports before ``period`` (any status), for the
    unusual-value warning; ``None`` when there is none. One query."""
    row = PeriodReport.objects.filter(intervention_id=intervention_id, period_start__lt=period.start).aggregate(
        reports=Count("pk"), **{key: Max(column) for key, column in _CHECKED_COLUMNS.items()}
    )
    if not row.pop("reports"):
        return None
    return row


def period_figures(*, intervention: Intervention, period: Period, include_drafts: bool = False) -> ReportFigures:
    """The stock-and-flow figures of one intervention over any period made of its base periods.

    Counts only submitted and approved reports unless ``include_drafts``. Raises
    :class:`~outcomes.periods.PeriodError` when the period does not align with the intervention's
    frequency. With no reports in the period every figure is zero. The stocks and flows are
    aggregated in the database by :meth:`PeriodReportQuerySet.period_totals`, the measures by
    :meth:`MeasureCountQuerySet.period_totals` (flows summed, stocks the latest value).
    """
    period.base_periods(intervention.frequency)
    reports = PeriodReport.objects.filter(intervention=intervention).counted(include_drafts=include_drafts)
    row = next(iter(reports.period_totals(period)), None)
    if row is None:
        return ReportFigures()
    exits_by_reason: dict[str, Counts] = {}
    scoped = {"report__in": reports.within(period)}
    for reason in ExitCount.objects.filter(**scoped).values("reason__code").annotate(**{g: Sum(g) for g in GENDERS}):
        exits_by_reason[reason["reason__code"]] = Counts(*(reason[g] for g in GENDERS))
    breakdowns = _breakdowns(reports.within(period)).get(intervention.pk, {})
    return ReportFigures(
        ongoing_at_start=Counts(*(row[f"ongoing_start_{g}"] for g in GENDERS)),
        new=Counts(*(row[f"new_{g}"] for g in GENDERS)),
        exits=Counts(*(row[f"exits_{g}"] for g in GENDERS)),
        exits_by_reason=exits_by_reason,
        breakdowns=breakdowns,
        spent_sek=row["spent_sek"] or 0,
        measures=MeasureCount.objects.filter(**scoped).period_totals(period).get(intervention.pk, {}),
    )


def _breakdowns(reports) -> dict[int, dict[str, dict[str, Counts]]]:
    """The breakdown counts of ``reports`` summed by intervention, dimension and category code."""
    breakdowns: dict[int, dict[str, dict[str, Counts]]] = {}
    for cat in (
        BreakdownCount.objects.filter(report__in=reports)
        .values("report__intervention_id", "category__dimension__code", "category__code")
        .annotate(**{g: Sum(g) for g in GENDERS})
    ):
        by_dimension = breakdowns.setdefault(cat["report__intervention_id"], {})
        by_dimension.setdefault(cat["category__dimension__code"], {})[cat["category__code"]] = Counts(
            *(cat[g] for g in GENDERS)
        )
    return breakdowns


def breakdowns_many(
    *, intervention_ids: list[int], period: Period, include_drafts: bool = False
) -> dict[int, dict[str, dict[str, Counts]]]:
    """:func:`period_figures`' breakdowns of several interventions in one query, by intervention id
    (the caller has checked that the period fits each one's frequency)."""
    reports = PeriodReport.objects.filter(intervention_id__in=intervention_ids).counted(include_drafts=include_drafts)
    return _breakdowns(reports.within(period))


NOT_STARTED = "not_started"


OVERDUE = "overdue"

#: Whether a base period's report came on time (besides ``OVERDUE``): DHIS2's reporting rates.
ON_TIME, LATE, NOT_DUE = "on_time", "late", "not_due"


HOME_PERIODS = 4


def report_deadline(period: Period, association: Association) -> dt.date:
    """The last day a report for ``period`` is on time: the period's end plus the association's
    ``overdue_days``."""
    return period.end + dt.timedelta(days=association.overdue_days)


@dataclass
class PeriodStatus:
    """The state of one base period of one intervention as a coordinator sees it."""

    period: Period
    report: PeriodReport | None
    deadline: dt.date
    overdue: bool
    submitted_by: str = ""

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def report_status_label(self) -> str:
        """The report's status by its Swedish label, *ej påbörjad* without a report."""
        return self.report.get_status_display() if self.report else gettext("ej påbörjad")

    @property
    def status_label(self) -> str:
        label = self.report_status_label
        return gettext("%(status)s, försenad") % {"status": label} if self.overdue else label

    @property
    def counted(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def late(self) -> bool:
        """Submitted after the deadline (an approved or submitted report that came in late)."""
        if not self.report or not self.report.submitted_at:
            return False
        from django.utils import timezone

        return timezone.localtime(self.report.submitted_at).date() > self.deadline

    @property
    def timeliness(self) -> str:
        """``ON_TIME`` or ``LATE`` once counted, else ``OVERDUE`` past the deadline or ``NOT_DUE``."""
        if self.counted:
            return LATE if self.late else ON_TIME
        return OVERDUE if self.overdue else NOT_DUE

    @property
    def timeliness_label(self) -> str:
        labels = {ON_TIME: gettext("i tid"), LATE: gettext("sent"), OVERDUE: gettext("försenad")}
        return labels.get(self.timeliness) or gettext("ej förfallen")

    @property
    def expected(self) -> bool:
        """Counts in the on-time share's denominator: the report is in, or its deadline has passed."""
        return self.timeliness != NOT_DUE


def _period_status(period: Period, intervention: Intervention, report, today: dt.date) -> PeriodStatus:
    deadline = report_deadline(period, intervention.association)
    done = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    return PeriodStatus(period=period, report=report, deadline=deadline, overdue=not done and today > deadline)


def recent_base_periods(intervention: Intervention, today: dt.date, count: int = HOME_PERIODS) -> list[Period]:
    """The intervention's last ``count`` base periods up to the one containing ``today``, newest
    first, never before its start or after its end. Empty for an intervention not started yet."""
    period = Period.for_date(min(today, intervention.end or today), intervention.frequency)
    periods = []
    while len(periods) < count and period.end >= intervention.start:
        periods.append(period)
        period = period.previous()
    return periods


def _older_base_periods(intervention: Intervention, window: list[Period]) -> list[Period]:
    """The intervention's base periods from its start up to (not including) ``window``'s oldest."""
    if not window:
        return []
    periods, period = [], window[-1].previous()
    while period.end >= intervention.start:
        periods.append(period)
        period = period.previous()
    return periods


def home_overview(user: User, today: dt.date) -> list[tuple[Intervention, list[PeriodStatus]]]:
    """Every visible active intervention with the status of its recent base periods, plus any
    older period whose report is still a draft or submitted (work not yet approved) and every
    older period that is overdue (no report at all since the intervention started), newest first.

    Three queries whatever the number of interventions: the interventions, their reports in the
    window or not approved, and the periods of their older approved reports. A period without a
    report is *not started*; one not submitted some days after it ended
    (``Association.overdue_days``) is *overdue*.
    """
    interventions = list(
        interventions_visible_to(user).active().select_related("association").order_by("association__name", "name")
    )
    windows = {i.pk: recent_base_periods(i, today) for i in interventions}
    earliest = min((p.start for periods in windows.values() for p in periods), default=today)
    reports = {}
    for report in PeriodReport.objects.filter(intervention__in=interventions).filter(
        Q(period_start__gte=earliest) | ~Q(status=ReportStatus.APPROVED)
    ):
        reports[(report.intervention_id, report.period)] = report
    approved_before = set(
        PeriodReport.objects.filter(
            intervention__in=interventions, period_start__lt=earliest, status=ReportStatus.APPROVED
        ).values_list("intervention_id", "period")
    )
    overview = []
    for intervention in interventions:
        periods = {p.code: p for p in windows[intervention.pk]}
        for intervention_id, code in reports:
            if intervention_id == intervention.pk and code not in periods:
                periods[code] = Period.parse(code)
        for period in _older_base_periods(intervention, windows[intervention.pk]):
            if (intervention.pk, period.code) not in approved_before:
                periods.setdefault(period.code, period)  # no report, long overdue
        ordered = sorted(periods.values(), key=lambda p: p.start, reverse=True)
        overview.append(
            (
                intervention,
                [_period_status(p, intervention, reports.get((intervention.pk, p.code)), today) for p in ordered],
            )
        )
    return overview


def reporting_completeness(
    association: Association, period: Period, today: dt.date, *, intervention_id: int | None = None
) -> list[PeriodStatus]:
    """One row per active intervention and base period inside ``period`` (for a monthly
    intervention, every month of it), with status, lateness and who submitted; only the
    intervention ``intervention_id`` when given.

    Interventions that had not started or had ended in the period are left out. Three queries
    whatever the number of interventions. ``row.intervention`` is set on each row.
    """
    only = {"pk": intervention_id} if intervention_id is not None else {}
    interventions = list(
        Intervention.objects.filter(association=association, active=True, **only)
        .running_in(period)
        .select_related("association")
        .order_by("name")
    )
    submitted_by = (
        ReportHistory.objects.filter(report=OuterRef("pk"), kind="status", new=ReportStatus.SUBMITTED)
        .order_by("-at", "-id")
        .values("user__email")[:1]
    )
    reports = {
        (r.intervention_id, r.period): r
        for r in PeriodReport.objects.filter(intervention__in=interventions)
        .within(period)
        .annotate(submitted_by=Subquery(submitted_by))
    }
    rows = []
    for intervention in interventions:
        for base in period.base_periods(intervention.frequency):
            if not intervention.runs_during(base):
                continue
            report = reports.get((intervention.pk, base.code))
            row = _period_status(base, intervention, report, today)
            row.intervention = intervention
            row.submitted_by = (getattr(report, "submitted_by", None) or "") if row.counted else ""
            rows.append(row)
    return rows


def on_time_share(statuses) -> Share:
    """The on-time share of base periods (DHIS2's reporting rate on time): reports in by their
    deadline over the reports expected (in, or past their deadline); not yet due ones are left out."""
    expected = [status for status in statuses if status.expected]
    return Share(sum(1 for status in expected if status.timeliness == ON_TIME), len(expected))


def missing_reports(statuses, today: dt.date) -> list[PeriodStatus]:
    """The base periods that have ended without a submitted or approved report."""
    return [status for status in statuses if not status.counted and status.period.end < today]


@dataclass
class MatrixRow:
    """One intervention of the completeness matrix: per quarter of the year its base periods'
    statuses (a quarterly intervention's one, a monthly one's three; none outside its time)."""

    intervention: Intervention
    cells: list[list[PeriodStatus]]
    missing: list[PeriodStatus]


@dataclass
class CompletenessMatrix:
    year: int
    quarters: list[Period]
    rows: list[MatrixRow]
    on_time: list[Share]


def reporting_matrix(association: Association, year: int, today: dt.date) -> CompletenessMatrix:
    """The completeness matrix of ``year``: active interventions running in it × its quarters,
    from :func:`reporting_completeness` (the same statuses and lateness; the same three queries),
    with the on-time share of each quarter over every intervention's base periods in it."""
    quarters = Period.parse(str(year)).base_periods("quarter")
    by_intervention: dict[int, MatrixRow] = {}
    for status in reporting_completeness(association, Period.parse(str(year)), today):
        row = by_intervention.setdefault(
            status.intervention.pk, MatrixRow(status.intervention, [[] for _ in quarters], [])
        )
        row.cells[(status.period.start.month - 1) // 3].append(status)
    rows = list(by_intervention.values())
    for row in rows:
        row.missing = missing_reports([status for cell in row.cells for status in cell], today)
    on_time = [on_time_share([status for row in rows for status in row.cells[n]]) for n in range(len(quarters))]
    return CompletenessMatrix(year=year, quarters=quarters, rows=rows, on_time=on_time)
