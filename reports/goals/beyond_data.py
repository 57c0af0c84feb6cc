"""What goals on measures and on the activity log read beyond the participant counts: which
figures are catalog measures, their aggregations, the reports' measure values and a span's
activities (each one query)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from outcomes.activities.models import Activity
from outcomes.counts import GENDERS
from outcomes.measures import ACTIVITY_COUNTS, ActivityFigures, MeasureValue
from outcomes.models import Intervention, Measure, MeasureCount
from reports.goals.models import Goal

#: Count-goal figures that are not catalog measures (participants and the activity log).
PLAIN_COUNTS = frozenset({"participants", "new", "exits", *ACTIVITY_COUNTS})


def measure_aggregations(goals: Iterable[Goal]) -> dict[str, str]:
    """The aggregation (``sum`` or ``last``) of the catalog measures the goals name, by code; one
    query, none when no goal names one."""
    goals = list(goals)
    codes = {g.measure for g in goals if g.measure and g.measure not in PLAIN_COUNTS}
    if not codes:
        return {}
    interventions = {g.intervention_id for g in goals}
    return dict(
        Measure.objects.filter(association__interventions__in=interventions, code__in=codes)
        .values_list("code", "aggregation")
        .distinct()
    )


def report_measures(report_ids: list[int]) -> tuple[dict[int, dict[str, MeasureValue]], dict[str, str]]:
    """The measures of the reports by report id, and their aggregations by code: one query (none
    without reports)."""
    measures: dict[int, dict[str, MeasureValue]] = {}
    aggregations: dict[str, str] = {}
    if not report_ids:
        return measures, aggregations
    for row in (
        MeasureCount.objects.filter(report_id__in=report_ids)
        .order_by()
        .values("report_id", "measure__code", "measure__split", "measure__aggregation", *GENDERS, "total")
    ):
        code = row["measure__code"]
        measures.setdefault(row["report_id"], {})[code] = MeasureValue.of_split(row["measure__split"], row)
        aggregations[code] = row["measure__aggregation"]
    return measures, aggregations


def span_activities(*, intervention: Intervention, start: date, end: date) -> tuple[tuple[date, ActivityFigures], ...]:
    """The intervention's activities from ``start`` to ``end``: (date, figures of the one
    activity), in date order."""
    return tuple(
        (row["date"], ActivityFigures(1, row["occasions"], row["attendees"], row["exhibitors"] or 0))
        for row in Activity.objects.filter(intervention=intervention, date__gte=start, date__lte=end)
        .order_by("date")
        .values("date", "occasions", "attendees", "exhibitors")
    )
