import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings.local")

app = Celery("finsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- schedule: overdue reminders (issue 3: web forms) --------------------------------------------
from celery.schedules import crontab  # noqa: E402

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "outcomes-overdue-reminders": {
        "task": "outcomes.tasks.overdue_reminders_send_task",
        "schedule": crontab(hour=6, minute=30),
    },
}
