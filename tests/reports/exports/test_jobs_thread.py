"""PDF export jobs without a worker (issue 18, defect 12): under `make run` Celery runs eagerly,
and the file used to be made inside the POST, so the page froze for seconds and the progress page
came only with the finished file. With ``EXPORT_JOBS_IN_THREAD`` the POST answers the redirect at
once, the progress page shows the running job, and the file is made in a thread after the commit.
"""

import threading
from unittest import mock

import pytest

from reports.exports import services as exports
from reports.models import ExportJob
from tests.reports.exports.test_jobs import signed_in
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db(transaction=True)


def job_when_finished(pk) -> ExportJob:
    """The job once its thread has ended (joined, so that no read of the test meets a write of
    the thread: SQLite's shared test database refuses those instead of waiting)."""
    thread = next(t for t in threading.enumerate() if t.name == f"export-job-{pk}")
    thread.join(120)
    assert not thread.is_alive(), "the export job's thread never finished"
    return ExportJob.objects.get(pk=pk)


def test_the_progress_page_is_answered_while_the_file_is_still_being_made(association, staff, settings):
    settings.EXPORT_JOBS_IN_THREAD = True
    intervention = lekeberg(association)
    client = signed_in(staff)
    reached, release = threading.Event(), threading.Event()
    real_render = exports.render_document

    def slowed(*args, **kwargs):
        reached.set()
        assert release.wait(60), "the test never let the generator go on"
        return real_render(*args, **kwargs)

    with mock.patch.object(exports, "render_document", side_effect=slowed):
        response = client.post(f"/resultat/insatser/{intervention.pk}/export.pdf?period=2024")
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/resultat/export/{job.pk}/"
        assert reached.wait(60), "the job's thread never started making the file"
        page = client.get(response["Location"]).content.decode()
        assert "Filen skapas…" in page and 'http-equiv="refresh"' in page
        assert "Filen är klar." not in page
        assert ExportJob.objects.get().status in ("pending", "running")
        release.set()
        job = job_when_finished(job.pk)
    assert (job.status, job.progress) == ("done", 100) and bytes(job.content).startswith(b"%PDF")
    page = client.get(f"/resultat/export/{job.pk}/").content.decode()
    assert "Filen är klar." in page and "refresh" not in page


def test_a_file_that_cannot_be_made_in_the_thread_fails_the_job_with_a_swedish_message(association, staff, settings):
    settings.EXPORT_JOBS_IN_THREAD = True
    lekeberg(association)
    client = signed_in(staff)
    with mock.patch.object(exports, "render_document", side_effect=RuntimeError("Pango missing")):
        response = client.post(f"/resultat/forbund/{association.pk}/export.pdf?period=2024")
        job = job_when_finished(ExportJob.objects.get().pk)
    assert job.status == "failed"
    page = client.get(response["Location"]).content.decode()
    assert "Exporten misslyckades:" in page and "Filen kunde inte skapas" in page and "Pango" not in page
