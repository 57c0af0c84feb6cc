"""Celery tasks of the outcomes app: thin wrappers that call a service."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from outcomes.tallies.reminders import overdue_reminders_send

# The database errors worth retrying: a dropped connection, a failover, a deadlock or a
# serialisation failure. IntegrityError, DataError and ProgrammingError are about the data or
# the query and would fail the same way on every retry, so they fail the task at once (Celery
# logs them with the traceback).
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5)
def overdue_reminders_send_task() -> int:
    """Remind coordinators of overdue reports; idempotent, scheduled daily by Celery beat."""
    return overdue_reminders_send(today=timezone.localdate(), site_url=getattr(settings, "SITE_URL", ""))


@shared_task(autoretry_for=TRANSIENT_DATABASE_ERRORS, retry_backoff=True, max_retries=5)
def file_uploads_clean_task() -> int:
    """Beat, hourly: delete file uploads (and their files) made more than a day ago, previewed
    and never stored or stored; answers how many uploads."""
    from outcomes.models import FileUpload

    return FileUpload.objects.expired().delete()[1].get("outcomes.FileUpload", 0)
