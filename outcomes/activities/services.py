"""Writes of the activity log: create, update and delete one activity.

Each checks :func:`outcomes.activities.rules.check_activity`, refuses a change to an activity
whose base period's report is approved (:class:`~outcomes.tallies.errors.ReportLocked`, 409 in
the API) and announces the change after the commit with
:data:`outcomes.signals.activity_changed`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from outcomes import signals
from outcomes.activities.models import Activity, ActivityOrganisation
from outcomes.activities.rules import ActivityInput, check_activity
from outcomes.catalog.vocabulary import activity_vocabulary
from outcomes.counts import GENDERS
from outcomes.models import Intervention, PeriodReport, ReportStatus, User
from outcomes.periods import Period
from outcomes.tallies.errors import ReportError, ReportLocked
from outcomes.violations import RuleViolation


def _refuse_locked(intervention: Intervention, periods: set[str]) -> None:
    approved = PeriodReport.objects.filter(
        intervention=intervention, period__in=periods, status=ReportStatus.APPROVED
    ).values_list("period", flat=True)
    locked = sorted(approved)
    if locked:
        raise ReportLocked(
            [
                RuleViolation(
                    "report_locked",
                    "date",
                    _("Rapporten för %(period)s är godkänd och låst. Be förbundet öppna den igen för att ändra.")
                    % {"period": locked[0]},
                )
            ]
        )


def _checked(intervention: Intervention, data: ActivityInput) -> str:
    """The base period of ``data``'s date; :class:`ReportError` with every broken rule."""
    vocabulary = activity_vocabulary()
    violations = check_activity(
        data,
        starts=intervention.start,
        ends=intervention.end,
        kinds=vocabulary["kinds"],
        organisations=vocabulary["organisations"],
    )
    if violations:
        raise ReportError(violations)
    return Period.for_date(data.date, intervention.frequency).code


def _apply(activity: Activity, data: ActivityInput, period: str) -> None:
    activity.date, activity.period, activity.title, activity.kind = data.date, period, data.title.strip(), data.kind
    activity.occasions, activity.attendees, activity.estimated = data.occasions, data.attendees, data.estimated
    split = data.attendees_by_gender
    for gender in GENDERS:
        setattr(activity, f"attendees_{gender}", getattr(split, gender) if split is not None else None)
    activity.exhibitors, activity.spent_sek = data.exhibitors, data.spent_sek
    activity.evaluation_answered, activity.evaluation_positive = data.evaluation_answered, data.evaluation_positive
    activity.save()
    activity.organisations.all().delete()
    ActivityOrganisation.objects.bulk_create(
        ActivityOrganisation(activity=activity, organisation=code, attendees=count)
        for code, count in data.attendees_by_organisation.items()
    )


def activity_create(*, intervention: Intervention, data: ActivityInput, user: User | None = None) -> Activity:
    """A new activity of ``intervention``; refused (nothing stored) when a rule is broken or its
    period's report is approved."""
    period = _checked(intervention, data)
    with transaction.atomic():
        _refuse_locked(intervention, {period})
        activity = Activity(intervention=intervention)
        _apply(activity, data, period)
        signals.announce_activity_change(activity=activity, action="created", periods=(period,), user=user)
    return activity


def activity_update(*, activity: Activity, data: ActivityInput, user: User | None = None) -> Activity:
    """Replace ``activity`` with ``data``; refused when a rule is broken or the report of its old
    or its new period is approved."""
    intervention = activity.intervention
    old_period = activity.period
    _refuse_locked(intervention, {old_period})  # a locked activity is refused whatever the change
    period = _checked(intervention, data)
    with transaction.atomic():
        _refuse_locked(intervention, {old_period, period})
        _apply(activity, data, period)
        signals.announce_activity_change(activity=activity, action="updated", periods=(old_period, period), user=user)
    return activity


def activity_delete(*, activity: Activity, user: User | None = None) -> None:
    """Delete ``activity``; refused while its period's report is approved."""
    with transaction.atomic():
        _refuse_locked(activity.intervention, {activity.period})
        signals.announce_activity_change(activity=activity, action="deleted", periods=(activity.period,), user=user)
        activity.delete()
