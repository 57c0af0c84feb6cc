"""Events of the reports app.

Services announce committed goal and step-definition changes here; :mod:`reports.receivers`
queues the recomputation. Services never import tasks (tasks call services), so the signal keeps
the two apart.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with ``intervention_id`` and ``goal_ids`` (the goals whose results must be recomputed)
# after the change has been committed.
goals_changed = Signal()


def announce_goals_change(*, intervention_id: int, goal_ids: list[int]) -> None:
    """Send :data:`goals_changed` once the surrounding transaction commits (nothing if no goals)."""
    if not goal_ids:
        return
    ids = list(goal_ids)
    transaction.on_commit(lambda: goals_changed.send(sender=None, intervention_id=intervention_id, goal_ids=ids))
