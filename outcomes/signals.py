"""Events the outcomes app announces; other apps (``reports``) connect receivers.

``outcomes`` never imports ``reports``: results are recomputed by receivers of
:data:`report_changed`, which is sent only after the transaction that changed a report commits.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with ``report_id``, ``intervention_id``, ``period``, ``action`` (saved, submitted,
# approved, draft) and ``status`` (the report's status after the change) after the change has
# been committed.
report_changed = Signal()


def _announce(signal: Signal, instance, *, user, **payload) -> None:
    """Send ``signal`` from ``instance``'s class once the surrounding transaction commits, with
    ``payload``, the instance's ``intervention_id`` and the ``user_id`` of ``user`` (if any)."""
    payload |= {"intervention_id": instance.intervention_id, "user_id": getattr(user, "pk", None)}
    transaction.on_commit(lambda: signal.send(sender=instance.__class__, **payload))


def announce_report_change(*, report, action: str, user=None) -> None:
    """Send :data:`report_changed` once the surrounding transaction commits."""
    _announce(
        report_changed,
        report,
        user=user,
        report_id=report.pk,
        period=report.period,
        action=action,
        status=report.status,
    )


# --- surveys -----------------------------------------------------------------------------------

# Sent with ``survey_id``, ``intervention_id`` (``None`` for the association's own board and
# managers' surveys), ``association_id``, ``period``, ``group``, ``action`` ("saved") and
# ``user_id`` after the change has been committed. Indicator goals recompute on it.
survey_changed = Signal()


def announce_survey_change(*, survey, action: str = "saved", user=None) -> None:
    """Send :data:`survey_changed` once the surrounding transaction commits."""
    _announce(
        survey_changed,
        survey,
        user=user,
        survey_id=survey.pk,
        association_id=survey.association_id,
        period=survey.period,
        group=survey.group,
        action=action,
    )


# --- activities --------------------------------------------------------------------------------

# Sent with ``activity_id``, ``intervention_id``, ``period`` (the activity's base period),
# ``action`` (created, updated, deleted) and ``user_id`` after the change has been committed.
# Activity goals (count of attendees, activities, occasions, exhibitors) recompute on it.
activity_changed = Signal()


def announce_activity_change(*, activity, action: str, periods: tuple[str, ...], user=None) -> None:
    """Send :data:`activity_changed` once per affected base period after the commit (an activity
    moved to another date touches two periods)."""
    for period in dict.fromkeys(periods):
        _announce(activity_changed, activity, user=user, activity_id=activity.pk, period=period, action=action)
