"""PDF export jobs: created by a POST only (issue 12.7), and never left pending when the broker
cannot be reached (issue 12.21)."""

import re
from unittest import mock

import pytest
from django.test import Client
from kombu.exceptions import OperationalError

from finsam.celery import app
from reports import tasks
from reports.exports import services as exports
from reports.models import ExportJob
from tests.factories import PASSWORD
from tests.reports.conftest import broker
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    assert client.login(email=user.email, password=PASSWORD)
    return client


def form_of(html: str, button: str) -> tuple[str, str]:
    """The action and CSRF token of the POST form holding the button labelled ``button``."""
    for form in re.findall(r"<form\b.*?</form>", html, flags=re.S):
        if button in form and 'method="post"' in form:
            action = re.search(r'action="([^"]*)"', form).group(1).replace("&amp;", "&")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
            return action, token
    raise AssertionError(f"no POST form with {button!r}")


# --- 12.7: a GET changes nothing --------------------------------------------------------------


def test_it_shows_a_page_with_a_button_and_creates_no_job_when_the_pdf_address_is_opened(association, staff):
    intervention = lekeberg(association)
    client = signed_in(staff)
    response = client.get(f"/resultat/insatser/{intervention.pk}/export.pdf?period=2024&publicera=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skapa PDF" in html and "Coachingteamet Lekeberg" in html and "för publicering" in html
    action, _token = form_of(html, "Skapa PDF")
    assert action == f"/resultat/insatser/{intervention.pk}/export.pdf?period=2024&publicera=1"
    assert ExportJob.objects.count() == 0
    assert client.head(f"/resultat/forbund/{association.pk}/export.pdf?period=2024").status_code == 200
    assert ExportJob.objects.count() == 0


def test_the_button_posts_creates_one_job_and_leads_to_its_progress_page(
    association, staff, django_capture_on_commit_callbacks
):
    intervention = lekeberg(association)
    client = signed_in(staff, enforce_csrf_checks=True)
    url = f"/resultat/insatser/{intervention.pk}/export.pdf?period=2024&publicera=1"
    assert client.post(url).status_code == 403  # no CSRF token: refused, nothing created
    assert ExportJob.objects.count() == 0
    action, token = form_of(client.get(url).content.decode(), "Skapa PDF")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {"csrfmiddlewaretoken": token})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/resultat/export/{job.pk}/"
    assert (job.intervention, job.period, job.format, job.publish, job.requested_by) == (
        intervention,
        "2024",
        "pdf",
        True,
        staff,
    )
    assert "Filen är klar." in client.get(response["Location"]).content.decode()


def test_the_summary_and_detail_pages_offer_the_pdf_as_post_buttons(association, staff):
    intervention = lekeberg(association)
    client = signed_in(staff)
    pages = {
        f"/resultat/forbund/{association.pk}/?period=2024": f"/resultat/forbund/{association.pk}/export.pdf",
        f"/resultat/insatser/{intervention.pk}/?period=2024": f"/resultat/insatser/{intervention.pk}/export.pdf",
    }
    for page, pdf in pages.items():
        html = client.get(page).content.decode()
        assert f'href="{pdf}' not in html  # no plain link that would create a job
        assert form_of(html, "Skapa PDF (internt)")[0] == f"{pdf}?period=2024"
        assert form_of(html, "Skapa PDF för publicering")[0] == f"{pdf}?period=2024&publicera=1"
        assert f'href="{pdf.replace(".pdf", ".xlsx")}?period=2024"' in html  # files still download at once
    assert ExportJob.objects.count() == 0


def test_a_post_to_a_file_that_downloads_at_once_is_refused(association, staff):
    client = signed_in(staff)
    response = client.post(f"/resultat/forbund/{association.pk}/export.xlsx?period=2024")
    assert response.status_code == 405
    assert ExportJob.objects.count() == 0


# --- 12.21: a broker that cannot be reached ---------------------------------------------------


def test_with_the_broker_down_the_pdf_is_made_in_the_request_and_the_outage_is_logged(
    association, staff, caplog, django_capture_on_commit_callbacks
):
    intervention = lekeberg(association)
    client = signed_in(staff)
    with (
        mock.patch.object(tasks.export_job_run_task, "apply_async", side_effect=OperationalError("no broker")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/resultat/insatser/{intervention.pk}/export.pdf?period=2024")
    job = ExportJob.objects.get()
    assert response["Location"] == f"/resultat/export/{job.pk}/"
    assert (job.status, job.progress) == ("done", 100) and bytes(job.content).startswith(b"%PDF")
    assert "Could not queue reports.tasks.export_job_run_task" in caplog.text
    page = client.get(response["Location"]).content.decode()
    assert "Filen är klar." in page and "refresh" not in page


def test_with_an_unreachable_broker_url_the_job_still_ends(
    association, staff, caplog, django_capture_on_commit_callbacks
):
    lekeberg(association)
    client = signed_in(staff)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/resultat/forbund/{association.pk}/export.pdf?period=2024")
    finally:
        app.conf.task_always_eager = previous
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == "done"
    assert "Could not queue" in caplog.text


def test_with_the_broker_down_and_the_file_failing_the_job_fails_with_a_swedish_message(
    association, staff, caplog, django_capture_on_commit_callbacks
):
    lekeberg(association)
    client = signed_in(staff)
    with (
        mock.patch.object(tasks.export_job_run_task, "apply_async", side_effect=OperationalError("no broker")),
        mock.patch.object(exports, "render_document", side_effect=RuntimeError("Pango missing")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/resultat/forbund/{association.pk}/export.pdf?period=2024")
    job = ExportJob.objects.get()
    assert job.status == "failed" and job.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "Exporten misslyckades:" in page and "Filen kunde inte skapas" in page
    assert "Pango" not in page and "refresh" not in page
    assert "Could not queue" in caplog.text and "Pango missing" in caplog.text
