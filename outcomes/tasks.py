"""Celery tasks of the outcomes app: thin wrappers that call a service."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from outcomes.services import overdue_reminders_send


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def overdue_reminders_send_task() -> int:
    """Remind coordinators of overdue reports; idempotent, scheduled daily by Celery beat."""
    return overdue_reminders_send(today=timezone.localdate(), site_url=getattr(settings, "SITE_URL", ""))
