"""A real worker finishes an export job whose message a broker restart lost, once the beat sweep
requeues it (issue 20). Runs only in CI's PostgreSQL and Redis pass."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from finsam.celery import app
from reports.models import ExportJob
from reports.tasks import export_jobs_sweep_task
from tests.factories import MembershipFactory
from tests.reports.summary_data import lekeberg

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_job_whose_message_was_lost_is_requeued_by_the_sweep_and_a_worker_then_finishes_it(start_worker, settings):
    settings.EXPORT_JOB_PENDING_LIMIT = 60
    staff = MembershipFactory(role="staff").user
    intervention = lekeberg(staff.memberships.get().association)
    # What a broker restart without persistence leaves: the row, and no message for it.
    job = ExportJob.objects.create(
        association=intervention.association, intervention=intervention, period="2024", format="pdf"
    )
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(seconds=61))
    start_worker(queue=app.conf.task_default_queue)
    export_jobs_sweep_task.apply()  # beat's run, in this process; the requeued message goes to Redis
    deadline = time.monotonic() + 120
    while ExportJob.objects.get(pk=job.pk).status != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("done", 100, "") and job.requeued_at is not None
    assert bytes(job.content).startswith(b"%PDF")
