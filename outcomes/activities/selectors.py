"""Reads of the activity log."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from outcomes.activities.models import Activity, ActivityOrganisation
from outcomes.measures import ActivityFigures
from outcomes.models import Intervention
from outcomes.periods import Period


def activities_of(*, intervention: Intervention, period: Period | None = None) -> QuerySet[Activity]:
    """The intervention's activities in date order (those dated inside ``period`` when given),
    with their rows by organisation prefetched. Empty when there are none."""
    activities = Activity.objects.filter(intervention=intervention)
    if period is not None:
        activities = activities.within(period)
    organisations = ActivityOrganisation.objects.order_by("id")
    return activities.order_by("date", "id").prefetch_related(Prefetch("organisations", queryset=organisations))


def activity_figures(*, intervention: Intervention, period: Period) -> ActivityFigures:
    """The intervention's activity figures over ``period``; all zero without activities."""
    return (
        Activity.objects.filter(intervention=intervention).period_totals(period).get(intervention.pk, ActivityFigures())
    )


def activity_log_text(activities: Iterable[Activity]) -> str:
    """The activity log as the annual reports list it: "Finsammässan (220), Nätverksträff (10)"
    (estimated or not: the reports state that the sum is an estimate, not each number)."""
    return ", ".join(f"{a.title} ({a.attendees})" for a in activities)


def activity_logs_of(*, intervention_ids: Iterable[int], period: Period) -> dict[int, list[Activity]]:
    """The activities inside ``period`` of each intervention, by id, in date order: one query."""
    logs: dict[int, list[Activity]] = {}
    for activity in (
        Activity.objects.filter(intervention_id__in=list(intervention_ids)).within(period).order_by("date", "id")
    ):
        logs.setdefault(activity.intervention_id, []).append(activity)
    return logs
