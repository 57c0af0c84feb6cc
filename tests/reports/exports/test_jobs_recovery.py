"""Export jobs survive a broker restart, and finished files are not kept forever (issue 20).

A broker restart (or a lost message) leaves an export job ``pending`` with nothing queued. The
beat task ``export_jobs_sweep_task`` requeues a job pending past ``EXPORT_JOB_PENDING_LIMIT``
once, and fails any job still unfinished past ``EXPORT_JOB_FAIL_LIMIT`` with a Swedish message
that the waiting page shows. ``export_files_clean_task`` deletes finished jobs (and their files)
``EXPORT_FILE_RETENTION_DAYS`` after they finished.
"""

import datetime as dt
from unittest import mock

import pytest
from celery.schedules import maybe_schedule
from django.utils import timezone

from finsam.celery import app
from reports.models import ExportJob
from reports.tasks import export_files_clean_task, export_jobs_sweep_task
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db


@pytest.fixture
def lekeberg_intervention(association):
    return lekeberg(association)


@pytest.fixture
def signed_in(client, staff):
    client.force_login(staff)
    return client


def lost_job(intervention, *, age_seconds, status="pending", **fields):
    """A job as a broker restart leaves it: stored, but its message gone, ``age_seconds`` old."""
    job = ExportJob.objects.create(
        association=intervention.association, intervention=intervention, period="2024", format="csv", **fields
    )
    ExportJob.objects.filter(pk=job.pk).update(
        status=status, created_at=timezone.now() - dt.timedelta(seconds=age_seconds)
    )
    return job


@pytest.mark.parametrize("limit", [60, 300])
def test_a_job_left_pending_past_the_limit_is_requeued_and_its_file_then_offered(
    lekeberg_intervention, signed_in, settings, limit, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_PENDING_LIMIT = limit
    job = lost_job(lekeberg_intervention, age_seconds=limit + 1)
    with django_capture_on_commit_callbacks(execute=True):
        export_jobs_sweep_task.delay()
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    page = signed_in.get(f"/resultat/export/{job.pk}/").content.decode()
    assert "Filen är klar." in page and "coachingteamet-lekeberg-2024.csv" in page


def test_a_job_pending_for_less_than_the_limit_is_left_to_its_own_message(lekeberg_intervention, settings):
    settings.EXPORT_JOB_PENDING_LIMIT = 300
    job = lost_job(lekeberg_intervention, age_seconds=200)
    with mock.patch("reports.tasks.export_job_run_task.delay") as delay:
        export_jobs_sweep_task.delay()
    job.refresh_from_db()
    assert job.status == "pending" and delay.call_count == 0


def test_a_job_is_requeued_only_once_however_often_the_sweep_runs(
    lekeberg_intervention, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_PENDING_LIMIT = 60
    settings.EXPORT_JOB_FAIL_LIMIT = 3600
    job = lost_job(lekeberg_intervention, age_seconds=120)
    with mock.patch("reports.tasks.export_job_run_task.delay") as delay:
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                export_jobs_sweep_task.delay()
    assert delay.call_args_list == [mock.call(str(job.pk))]
    job.refresh_from_db()
    assert job.status == "pending"


@pytest.mark.parametrize("status", ["pending", "running"])
def test_a_job_unfinished_past_the_fail_limit_fails_with_a_swedish_message_on_its_page(
    lekeberg_intervention, signed_in, settings, status
):
    settings.EXPORT_JOB_PENDING_LIMIT = 60
    settings.EXPORT_JOB_FAIL_LIMIT = 1800
    job = lost_job(lekeberg_intervention, age_seconds=1801, status=status)
    with mock.patch("reports.tasks.export_job_run_task.delay") as delay:
        export_jobs_sweep_task.delay()
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None and delay.call_count == 0
    assert job.error == "Exporten blev inte klar inom 30 minuter. Begär filen igen."
    page = signed_in.get(f"/resultat/export/{job.pk}/").content.decode()
    assert "Exporten misslyckades: Exporten blev inte klar inom 30 minuter. Begär filen igen." in page
    assert 'http-equiv="refresh"' not in page


def test_a_requeue_the_broker_refuses_is_logged_and_the_job_is_failed_later(
    lekeberg_intervention, settings, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    settings.EXPORT_JOB_PENDING_LIMIT = 60
    job = lost_job(lekeberg_intervention, age_seconds=120)
    with (
        mock.patch("reports.tasks.export_job_run_task.delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        export_jobs_sweep_task.delay()
    job.refresh_from_db()
    assert job.status == "pending" and job.requeued_at is not None
    assert "could not requeue export job" in caplog.text


def test_the_sweep_and_the_cleaning_are_scheduled_more_often_than_their_limits(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    sweep = schedule["reports.tasks.export_jobs_sweep_task"]
    assert maybe_schedule(sweep).run_every.total_seconds() <= settings.EXPORT_JOB_PENDING_LIMIT
    assert "reports.tasks.export_files_clean_task" in schedule


def test_finished_files_are_deleted_after_the_retention_days_and_their_page_then_gone(
    lekeberg_intervention, signed_in, settings
):
    settings.EXPORT_FILE_RETENTION_DAYS = 7
    now = timezone.now()
    old = lost_job(lekeberg_intervention, age_seconds=0, status="done", content=b"gammal", filename="a.csv")
    recent = lost_job(lekeberg_intervention, age_seconds=0, status="done", content=b"ny", filename="b.csv")
    failed = lost_job(lekeberg_intervention, age_seconds=0, status="failed", error="fel")
    waiting = lost_job(lekeberg_intervention, age_seconds=0)
    ExportJob.objects.filter(pk__in=[old.pk, failed.pk]).update(finished_at=now - dt.timedelta(days=7, minutes=1))
    ExportJob.objects.filter(pk=recent.pk).update(finished_at=now - dt.timedelta(days=6, hours=23))
    assert export_files_clean_task.delay().get() == 2
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    client = signed_in
    assert client.get(f"/resultat/export/{old.pk}/fil/").status_code == 404
    assert client.get(f"/resultat/export/{recent.pk}/fil/").content == b"ny"


def test_the_export_section_and_a_finished_job_say_how_long_the_file_is_kept(
    lekeberg_intervention, signed_in, settings
):
    settings.EXPORT_FILE_RETENTION_DAYS = 14
    intervention = lekeberg_intervention
    association = intervention.association
    client = signed_in
    summary = client.get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    assert "Filen sparas i 14 dagar" in summary
    detail = client.get(f"/resultat/insatser/{intervention.pk}/?period=2024").content.decode()
    assert "Filen sparas i 14 dagar" in detail
    job = lost_job(lekeberg_intervention, age_seconds=0, status="done", content=b"x", filename="b.csv")
    assert "Filen sparas i 14 dagar" in client.get(f"/resultat/export/{job.pk}/").content.decode()
