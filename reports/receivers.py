"""Receivers that keep goal results current: mark them stale, then queue their recomputation.

Connected in :meth:`reports.apps.ReportsConfig.ready`. Every signal here is sent after the
change has been committed, so the change is already saved when the broker is asked to queue
work. A broker that cannot be reached must never fail that change: the error is logged, the
results stay marked stale, and the nightly recomputation (or the next change) catches up.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from kombu.exceptions import OperationalError

from outcomes.models import Budget, Intervention, PeriodReport, ReportStatus
from outcomes.periods import Period, PeriodError
from reports import tasks
from reports.goals import kinds, services
from reports.models import Goal, GoalResult

logger = logging.getLogger(__name__)

try:  # the Redis client's errors, when Redis is the broker
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a runtime requirement
    RedisError = OSError

BROKER_ERRORS = (OperationalError, OSError, RedisError)
# One quick retry (a pooled connection that went away while Redis restarted), then give up fast:
# the web request is waiting.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task, *args, then: str = "the results stay stale until the nightly recomputation") -> bool:
    """Queue ``task`` with ``args``; answers False (and logs, saying ``then``: what happens
    instead) when the broker is unreachable."""
    try:
        task.apply_async(args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS:
        logger.exception("Could not queue %s%r; %s", task.name, args, then)
        return False
    return True


def _recompute_period(intervention_id: int, period: str) -> None:
    """Mark stale the intervention's results whose period contains ``period`` and queue their
    recomputation; when marking fails the recomputation is queued all the same."""
    try:
        marked = services.goal_results_mark_stale_for_report(intervention_id=intervention_id, period_code=period)
    except DatabaseError:
        logger.exception("Could not mark goal results of intervention %s stale", intervention_id)
        marked = 1
    if marked:
        enqueue(tasks.goal_results_recompute_for_report, intervention_id, period)


def _recompute_goals(intervention_id: int, goal_ids: list[int], what: str) -> None:
    """Mark the results of ``goal_ids`` stale and queue their recomputation; when marking fails
    (logged, naming ``what`` results) the recomputation is queued all the same."""
    try:
        services.goal_results_mark_stale(results=GoalResult.objects.filter(goal_id__in=goal_ids))
    except DatabaseError:
        logger.exception("Could not mark %s results of intervention %s stale", what, intervention_id)
    enqueue(tasks.goal_results_recompute_goals, intervention_id, goal_ids)


def on_report_changed(
    sender, *, intervention_id: int, period: str, action: str, report_id=None, status=None, **kwargs
) -> None:
    """Mark the results a committed report change affects as stale and queue their recomputation.

    A save of a draft changes nothing that is counted and is skipped; so is an intervention
    without goals (nothing was marked). The report's status comes with the signal (``status``);
    a sender that does not say it has it read from the database.
    """
    if not _counted(action, report_id, status):
        return
    _recompute_period(intervention_id, period)


def _counted(action: str, report_id, status) -> bool:
    """Whether a committed report change changes what is counted: a save of a draft does not. The
    report's status comes with the signal; a sender that does not say it has it read."""
    if action != "saved":
        return True
    if status is None:
        status = PeriodReport.objects.filter(pk=report_id).values_list("status", flat=True).first()
    return status not in (None, ReportStatus.DRAFT)


def on_report_changed_warm_charts(
    sender, *, intervention_id: int, period: str, action: str, report_id=None, status=None, **kwargs
) -> None:
    """Queue the drawing of the charts of the Word document of the changed report's year
    (``ANNUAL_CHARTS_WARM``; off in the test settings), at most once per association and year
    within ``ANNUAL_CHARTS_WARM_COUNTDOWN`` seconds: a burst of saves is drawn once, after it."""
    if not getattr(settings, "ANNUAL_CHARTS_WARM", False) or not _counted(action, report_id, status):
        return
    try:
        year = Period.parse(str(period)).year
    except PeriodError:
        return
    association_id = Intervention.objects.filter(pk=intervention_id).values_list("association_id", flat=True).first()
    if association_id is None or year is None:
        return
    countdown = getattr(settings, "ANNUAL_CHARTS_WARM_COUNTDOWN", 60)
    if not cache.add(tasks.annual_charts_warm_key(association_id, year), 1, countdown):
        return  # already queued; that task reads the database when it runs, after this change
    try:
        tasks.annual_report_charts_warm.apply_async(
            (association_id, year), countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except BROKER_ERRORS:
        cache.delete(tasks.annual_charts_warm_key(association_id, year))
        logger.exception("Could not queue the charts of %s/%s; the download draws them", association_id, year)


def on_goals_changed(sender, *, intervention_id: int, goal_ids: list[int], **kwargs) -> None:
    """Queue the recomputation of goals whose definition (or step definition) changed."""
    enqueue(tasks.goal_results_recompute_goals, intervention_id, list(goal_ids))


def on_survey_changed(
    sender, *, intervention_id: int | None, period, group: str = "", association_id: int | None = None, **kwargs
) -> None:
    """A saved indicator survey: recompute the indicator goals of that year and respondent group.

    A board or managers' survey belongs to the association (``intervention_id`` is None) and
    feeds the indicator goals of that group of every one of its interventions.
    """
    try:
        year = Period.parse(str(period)).year
    except PeriodError:
        logger.warning("survey_changed with an unknown period %r", period)
        return
    goals = Goal.objects.filter(kind__in=kinds.kinds_where(lambda k: k.uses_surveys), year=year)
    if group:
        goals = goals.filter(group=group)
    if intervention_id is not None:
        goals = goals.filter(intervention_id=intervention_id)
    elif association_id is not None:
        goals = goals.filter(intervention__association_id=association_id)
    else:
        return
    by_intervention: dict[int, list[int]] = {}
    for goal_id, goal_intervention in goals.values_list("pk", "intervention_id"):
        by_intervention.setdefault(goal_intervention, []).append(goal_id)
    for goal_intervention, goal_ids in by_intervention.items():
        _recompute_goals(goal_intervention, goal_ids, "indicator")


def on_budget_changed(sender, *, instance, **kwargs) -> None:
    """A year's budget saved or deleted: recompute that year's budget goals after the commit."""
    intervention_id, year = instance.intervention_id, instance.year

    def recompute():
        goal_ids = list(
            Goal.objects.filter(
                intervention_id=intervention_id, year=year, kind__in=kinds.kinds_where(lambda k: k.uses_budget)
            ).values_list("pk", flat=True)
        )
        if not goal_ids:
            return
        _recompute_goals(intervention_id, goal_ids, "budget")

    transaction.on_commit(recompute)


def on_activity_changed(sender, *, intervention_id: int, period: str, **kwargs) -> None:
    """A committed change of the activity log: recompute the results of the goals whose period
    contains the activity's base period (activities count at once; they have no draft state)."""
    _recompute_period(intervention_id, period)


def connect() -> None:
    from outcomes import signals as outcome_signals
    from reports.signals import goals_changed

    outcome_signals.report_changed.connect(on_report_changed, dispatch_uid="reports.goals.report_changed")
    outcome_signals.report_changed.connect(on_report_changed_warm_charts, dispatch_uid="reports.charts.report_changed")
    goals_changed.connect(on_goals_changed, dispatch_uid="reports.goals.goals_changed")
    post_save.connect(on_budget_changed, sender=Budget, dispatch_uid="reports.goals.budget_saved")
    post_delete.connect(on_budget_changed, sender=Budget, dispatch_uid="reports.goals.budget_deleted")
    outcome_signals.survey_changed.connect(on_survey_changed, dispatch_uid="reports.goals.survey_changed")
    outcome_signals.activity_changed.connect(on_activity_changed, dispatch_uid="reports.goals.activity_changed")
