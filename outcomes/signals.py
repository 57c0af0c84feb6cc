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


def announce_report_change(*, report, action: str, user=None) -> None:
    """Send :data:`report_changed` once the surrounding transaction commits."""
    payload = {
        "report_id": report.pk,
        "intervention_id": report.intervention_id,
        "period": report.period,
        "action": action,
        "status": report.status,
        "user_id": getattr(user, "pk", None),
    }
    transaction.on_commit(lambda: report_changed.send(sender=report.__class__, **payload))


# --- surveys -----------------------------------------------------------------------------------

# Sent with ``survey_id``, ``intervention_id`` (``None`` for the association's own board and
# managers' surveys), ``association_id``, ``period``, ``group``, ``action`` ("saved") and
# ``user_id`` after the change has been committed. Indicator goals recompute on it.
survey_changed = Signal()


def announce_survey_change(*, survey, action: str = "saved", user=None) -> None:
    """Send :data:`survey_changed` once the surrounding transaction commits."""
    payload = {
        "survey_id": survey.pk,
        "intervention_id": survey.intervention_id,
        "association_id": survey.association_id,
        "period": survey.period,
        "group": survey.group,
        "action": action,
        "user_id": getattr(user, "pk", None),
    }
    transaction.on_commit(lambda: survey_changed.send(sender=survey.__class__, **payload))


# --- activities --------------------------------------------------------------------------------

# Sent with ``activity_id``, ``intervention_id``, ``period`` (the activity's base period),
# ``action`` (created, updated, deleted) and ``user_id`` after the change has been committed.
# Activity goals (count of attendees, activities, occasions, exhibitors) recompute on it.
activity_changed = Signal()


def announce_activity_change(*, activity, action: str, periods: tuple[str, ...], user=None) -> None:
    """Send :data:`activity_changed` once per affected base period after the commit (an activity
    moved to another date touches two periods)."""
    for period in dict.fromkeys(periods):
        payload = {
            "activity_id": activity.pk,
            "intervention_id": activity.intervention_id,
            "period": period,
            "action": action,
            "user_id": getattr(user, "pk", None),
        }
        transaction.on_commit(lambda payload=payload: activity_changed.send(sender=activity.__class__, **payload))
