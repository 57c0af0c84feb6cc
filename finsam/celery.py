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

# --- schedule: export jobs after a broker restart, retention of export files (issue 20) ---------
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    # Requeues (once) export jobs left pending past EXPORT_JOB_PENDING_LIMIT, fails them past
    # EXPORT_JOB_FAIL_LIMIT; a no-op query when nothing is waiting.
    "export-jobs-sweep": {
        "task": "reports.tasks.export_jobs_sweep_task",
        "schedule": 60.0,  # seconds
    },
    "export-files-clean": {
        "task": "reports.tasks.export_files_clean_task",
        "schedule": crontab(hour=3, minute=15),
    },
}
