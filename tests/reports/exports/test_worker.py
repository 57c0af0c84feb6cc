"""A PDF export produced by a real Celery worker on Redis while the page shows its progress.

Runs only with CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (CI's second run).
"""

import time

import pytest
from django.db import transaction

from finsam.celery import app
from outcomes.periods import Period
from reports.exports.services import export_job_create
from reports.models import ExportJob
from tests.factories import PASSWORD, MembershipFactory
from tests.reports.summary_data import lekeberg

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_produces_the_pdf_and_the_waiting_page_then_offers_it(start_worker, client):
    staff = MembershipFactory(role="staff").user
    association = staff.memberships.get().association
    intervention = lekeberg(association)
    start_worker(queue=app.conf.task_default_queue)
    with transaction.atomic():
        job = export_job_create(
            user=staff,
            association=association,
            intervention=intervention,
            period=Period.parse("2024"),
            fmt="pdf",
            publish=False,
            include_drafts=False,
        )
    assert client.login(email=staff.email, password=PASSWORD)
    deadline = time.monotonic() + 120
    while ExportJob.objects.get(pk=job.pk).status != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    page = client.get(f"/resultat/export/{job.pk}/").content.decode()
    assert "Filen är klar." in page
    file = client.get(f"/resultat/export/{job.pk}/fil/")
    assert file.content.startswith(b"%PDF") and "coachingteamet-lekeberg-2024.pdf" in file["Content-Disposition"]
