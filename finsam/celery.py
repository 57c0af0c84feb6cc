import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")
# Celery's Django fix-up runs the system checks when a worker starts, and the URL check imports
# every view, so each worker process would carry matplotlib, python-docx and openpyxl whether or
# not it ever draws a chart or writes a file (about 50 MiB a process: the worker and its two
# children 449 MiB idle with the checks, 284 MiB without). The checks run where they matter: at
# `migrate` (compose.yaml's one-off service) and in the test suite (`manage.py check --deploy`).
# CELERY_SKIP_CHECKS= (empty) turns them back on.
os.environ.setdefault("CELERY_SKIP_CHECKS", "true")

app = Celery("finsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, run by `celery -A finsam beat` (compose.yaml's beat service), in CELERY_TIMEZONE.
# Each is idempotent and cheap when there is nothing to do.
app.conf.beat_schedule = {
    # Recompute every goal result each night: repairs anything a lost message or a broker outage
    # left stale. A no-op for results that are already right.
    "goal-results-nightly": {
        "task": "reports.tasks.goal_results_recompute_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # A worker killed mid-task leaves its message unacknowledged in Redis for the visibility
    # timeout (an hour; kept long because a PDF export may run for minutes). Every 30 s, results
    # left stale longer than GOAL_RESULTS_STALE_AFTER are queued again, so they converge within a
    # minute.
    "goal-results-stale-sweep": {
        "task": "reports.tasks.goal_results_recompute_stale",
        "schedule": 30.0,
    },
    # Draws into the cache the charts of every association's Word document of the current year
    # (those not there yet), after the night's goal results; a change during the day queues its
    # own association's (reports.receivers.on_report_changed_warm_charts).
    "annual-report-charts-nightly": {
        "task": "reports.tasks.annual_report_charts_warm_all",
        "schedule": crontab(hour=3, minute=45),
    },
    # Mails each intervention's coordinators once per overdue base period; a lost run is caught up
    # by the next day's.
    "outcomes-overdue-reminders": {
        "task": "outcomes.tasks.overdue_reminders_send_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Requeues (once) export jobs left pending past EXPORT_JOB_PENDING_LIMIT, fails them past
    # EXPORT_JOB_FAIL_LIMIT.
    "export-jobs-sweep": {
        "task": "reports.tasks.export_jobs_sweep_task",
        "schedule": 60.0,
    },
    # Deletes file uploads (previewed on /las-in/ and never stored, or stored) a day after they
    # were made, so uploaded files do not live forever.
    "file-uploads-clean": {
        "task": "outcomes.tasks.file_uploads_clean_task",
        "schedule": crontab(minute=45),
    },
    # Deletes finished export jobs and their files EXPORT_FILE_RETENTION_DAYS after they finished.
    "export-files-clean": {
        "task": "reports.tasks.export_files_clean_task",
        "schedule": crontab(hour=3, minute=15),
    },
}
