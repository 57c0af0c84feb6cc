"""The web pages and the API of files: template download, "Läs in fil", the preview, saving."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from outcomes.imports.files import XLSX_TYPE
from outcomes.imports.template import template_xlsx
from outcomes.models import FileUpload, PeriodReport
from outcomes.organisations.services import api_token_create
from tests.factories import MembershipFactory
from tests.outcomes.imports.filedata import cell_of, edited, long_csv, workbook_of, year_stored

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='t')[1]}")
    return client


def upload(client, name, content):
    response = client.post("/las-in/", {"files": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def test_the_intervention_pages_link_the_template_and_the_upload_for_writers_only(
    coordinator, intervention, association
):
    page = signed_in(coordinator).get("/").content.decode()
    assert f"/insatser/{intervention.pk}/mall.xlsx" in page and "Läs in fil" in page
    form = signed_in(coordinator).get(f"/insatser/{intervention.pk}/2024Q2/").content.decode()
    assert f"/insatser/{intervention.pk}/mall.xlsx?ar=2024" in form
    viewer = MembershipFactory(association=association, role="viewer").user
    assert "mall.xlsx" not in signed_in(viewer).get("/").content.decode()
    assert signed_in(viewer).get(f"/insatser/{intervention.pk}/mall.xlsx").status_code == 403


def test_the_template_downloads_for_the_year_asked_for(coordinator, intervention):
    response = signed_in(coordinator).get(f"/insatser/{intervention.pk}/mall.xlsx?ar=2023")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    assert workbook_of(response.content).sheetnames[1] == "2023Q1"
    assert signed_in(coordinator).get(f"/insatser/{intervention.pk}/mall.xlsx?ar=tjugo").status_code == 400


def test_the_preview_lists_each_report_the_diff_and_the_errors_by_sheet_and_cell_and_stores_nothing(
    coordinator, intervention
):
    year_stored(intervention)
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q1"]
    changed, bad = cell_of(sheet, "new"), cell_of(sheet, "new", "men")
    content = edited(intervention, 2024, {("2024Q1", changed): 5, ("2024Q3", bad): "tre"})
    client = signed_in(coordinator)
    page = client.get(upload(client, "mall.xlsx", content))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Blad 2024Q3, cell {bad}: ”tre” är inte ett heltal." in text
    assert 'data-action="change" data-period="2024Q1"' in text and "Nya deltagare, kvinnor" in text
    assert "Spara som utkast" not in text  # a file with errors cannot be saved
    assert PeriodReport.objects.get(period="2024Q1").new.women == 2


def test_saving_from_the_preview_stores_everything_and_submitting_submits(coordinator, intervention):
    year_stored(intervention)
    sheet = workbook_of(template_xlsx(intervention=intervention, year=2024))["2024Q1"]
    content = edited(intervention, 2024, {("2024Q4", cell_of(sheet, "spent_sek")): 9999})
    client = signed_in(coordinator)
    preview = upload(client, "mall.xlsx", content)
    assert "Spara och skicka in" in client.get(preview).content.decode()
    response = client.post(preview, {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert set(PeriodReport.objects.values_list("status", flat=True)) == {"submitted"}
    assert PeriodReport.objects.get(period="2024Q4").spent_sek == 9999
    assert FileUpload.objects.get().parts.count() == 0
    assert "redan inlästa" in client.get(preview).content.decode()


def test_an_upload_is_only_its_users(coordinator, staff, intervention):
    preview = upload(
        signed_in(coordinator), "a.csv", long_csv([(intervention.pk, "2024Q1", "new", None, 1, 0, 0, None)])
    )
    assert signed_in(staff).get(preview).status_code == 404
    assert signed_in(staff).post(preview, {"action": "draft"}).status_code == 404
    assert not PeriodReport.objects.exists()


def test_the_upload_page_without_a_file_says_so(coordinator):
    response = signed_in(coordinator).post("/las-in/", {})
    assert response.status_code == 400 and "Välj minst en fil" in response.content.decode()


def test_the_api_answers_the_template_and_imports_it_as_xlsx_and_csv(coordinator, intervention):
    year_stored(intervention)
    client = api(coordinator)
    template = client.get(f"/api/v1/interventions/{intervention.pk}/template.xlsx?year=2024")
    assert template.status_code == 200 and template["Content-Type"] == XLSX_TYPE
    answer = client.post("/api/v1/imports/?dry_run=true", template.content, content_type=XLSX_TYPE)
    assert answer.status_code == 200
    assert answer.json() == {"dry_run": True, "created": 0, "updated": 0, "unchanged": 4, "locked": 0, "errors": []}
    csv = long_csv([(intervention.pk, "2025Q1", "new", None, "ett", 0, 0, None)])
    refused = client.post("/api/v1/imports/", csv, content_type="text/csv")
    assert refused.status_code == 400
    item = refused.json()["errors"][0]
    assert (item["line"], item["errors"][0]["line"], item["errors"][0]["code"]) == (2, 2, "not_integer")
    good = long_csv([(intervention.pk, "2025Q1", "new", None, 1, 0, 0, None)])
    stored = client.post("/api/v1/imports/?filename=q1.csv", good, content_type="text/csv")
    assert stored.status_code == 200 and stored.json()["created"] == 1
    assert PeriodReport.objects.get(period="2025Q1").history.filter(reason="Från fil: q1.csv").exists()


def test_the_api_refuses_a_bad_file_in_the_error_format(coordinator, intervention):
    response = api(coordinator).post("/api/v1/imports/", b"\x00\x01garbage", content_type=XLSX_TYPE)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_supported"
    assert not PeriodReport.objects.exists()


def test_a_viewer_gets_403_for_the_template_and_an_outsider_404(association, intervention, outsider):
    viewer = MembershipFactory(association=association, role="viewer").user
    path = f"/api/v1/interventions/{intervention.pk}/template.xlsx"
    assert api(viewer).get(path).status_code == 403
    assert api(outsider).get(path).status_code == 404


def test_a_file_whose_name_holds_an_identity_number_is_not_even_kept_for_the_preview(coordinator, intervention):
    content = long_csv([(intervention.pk, "2024Q1", "new", None, 1, 0, 0, None)])
    response = signed_in(coordinator).post("/las-in/", {"files": SimpleUploadedFile("570730-4787.csv", content)})
    assert response.status_code == 400 and "Filnamnet" in response.content.decode()
    assert not FileUpload.objects.exists()
