import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")

app = Celery("finsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, run by `celery -A finsam beat` (compose.yaml's beat service), in CELERY_TIMEZONE.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    # Recompute every goal result each night: repairs anything a lost message or a broker outage
    # left stale. A no-op for results that are already right.
    "goal-results-nightly": {
        "task": "reports.tasks.goal_results_recompute_all",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- schedule: overdue reminders (issue 3: web forms) --------------------------------------------
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "outcomes-overdue-reminders": {
        "task": "outcomes.tasks.overdue_reminders_send_task",
        "schedule": crontab(hour=6, minute=30),
    },
}

# --- schedule: stale goal results (issue 12) -----------------------------------------------------
# A worker killed mid-task leaves its message unacknowledged in Redis for the visibility timeout
# (an hour; kept long because a PDF export may run for minutes). Every 30 s, results left stale
# longer than GOAL_RESULTS_STALE_AFTER are queued again, so they converge within a minute.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "goal-results-stale-sweep": {
        "task": "reports.tasks.goal_results_recompute_stale",
        "schedule": 30.0,
    },
}
