"""The report form as a coordinator uses it, without JavaScript: save, check, submit, bad input,
concurrent edits and the workflow buttons."""

import re

import pytest

from outcomes.counts import Counts
from outcomes.models import PeriodReport, ReportHistory, ReportStatus
from outcomes.tallies.services import report_approve, report_save, report_submit
from tests.conftest import report_input
from tests.outcomes.tallies.webforms import form_data, report_url, signed_in

pytestmark = pytest.mark.django_db


def test_a_new_form_labels_every_input_and_fills_the_start_from_the_previous_period(intervention, coordinator):
    report_save(intervention=intervention, period_code="2023Q4", data=report_input(start=(4, 2, 0), new=(1, 1, 0)))
    response = signed_in(coordinator).get(report_url(intervention))
    assert response.status_code == 200
    html = response.content.decode()
    ids = set(re.findall(r'<input[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    hidden = {"id_version"}
    assert ids - hidden and ids - hidden <= labelled
    assert (
        '<label for="id_reason__employment__women" class="visually-hidden">Arbete/anställning, kvinnor</label>' in html
    )
    assert 'name="start__women" value="5"' in html and 'name="start__men" value="3"' in html
    assert "Föregående period slutade med 5 kvinnor" in html


def test_saving_a_draft_keeps_counts_that_do_not_add_up_and_shows_the_rule_next_to_the_cell(intervention, coordinator):
    client = signed_in(coordinator)
    data = form_data(new=(2, 1, 0), exits=(2, 0, 0), reasons={"employment": (1, 0, 0)})
    response = client.post(report_url(intervention), data, follow=True)
    report = PeriodReport.objects.get(intervention=intervention, period="2024Q1")
    assert report.status == ReportStatus.DRAFT and report.exits == Counts(2, 0, 0)
    html = response.content.decode()
    assert "Utkastet är sparat." in html
    assert 'id="felsammanfattning"' in html
    assert (
        '<a href="#id_exits__women">Avslutade per orsak (kvinnor) summerar till 1 men antalet avslutade är 2.</a>'
        in html
    )
    assert 'id="id_exits__women-msg"' in html and 'aria-invalid="true"' in html


def test_submitting_is_refused_while_exits_by_reason_do_not_add_up_and_succeeds_once_corrected(
    intervention, coordinator
):
    client = signed_in(coordinator)
    bad = form_data(new=(2, 1, 0), exits=(2, 0, 0), reasons={"employment": (1, 0, 0)}, action="submit")
    response = client.post(report_url(intervention), bad, follow=True)
    report = PeriodReport.objects.get(intervention=intervention)
    assert report.status == ReportStatus.DRAFT
    assert "kan inte skickas in förrän felen nedan är rättade" in response.content.decode()

    good = form_data(
        new=(2, 1, 0), reasons={"employment": (1, 0, 0), "studies": (1, 0, 0)}, action="submit", version=report.version
    )
    response = client.post(report_url(intervention), good, follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == "/"
    assert 'data-period="2024Q1" data-status="submitted"' in response.content.decode()


def test_a_dimension_that_does_not_add_up_blocks_submission_and_names_the_dimension(intervention, coordinator):
    data = form_data(new=(2, 0, 0), action="submit")
    data["dim__education__unknown__women"] = "1"
    response = signed_in(coordinator).post(report_url(intervention), data, follow=True)
    html = response.content.decode()
    assert PeriodReport.objects.get(intervention=intervention).status == ReportStatus.DRAFT
    # the label people know, never the code; the message links to the sum row, no category is
    # marked wrong
    assert "Bakgrundsvariabeln ”Utbildningsnivå” (kvinnor) summerar till 1" in html
    assert "education" not in re.sub(r'(name|id|for|href|data-\w+|aria-\w+)="[^"]*"', "", html)
    assert 'href="#dim__education__sum__women"' in html
    assert 'id="dim__education__sum__women"' in html
    assert 'aria-invalid="true"' not in html
    assert 'id="id_dim__education__none__women-msg"' not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("new__women", "-3", "Nya deltagare, kvinnor: antalet får inte vara negativt."),
        ("new__men", "tre", "Nya deltagare, män: ange ett heltal, 0 eller större."),
        ("reason__employment__other", "1,5", "Arbete/anställning, annan/ej angivet: ange ett heltal, 0 eller större."),
        ("spent_sek", "-100", "Förbrukat (kr): beloppet får inte vara negativt."),
        ("dim__age_band__unknown__women", "x", "Åldersgrupp: Uppgift saknas, kvinnor: ange ett heltal"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_cell_and_nothing_stored_changes(
    intervention, coordinator, field, value, message
):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    history = ReportHistory.objects.count()
    data = form_data(new=(5, 5, 0), version=report.version)
    data[field] = value
    response = signed_in(coordinator).post(report_url(intervention), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Inget sparades" in html and message in html
    assert 'value="5"' in html  # what was typed is shown again
    report.refresh_from_db()
    assert (report.new, report.version) == (Counts(1, 0, 0), 1)
    assert ReportHistory.objects.count() == history


def test_personal_data_in_the_comment_is_refused_and_nothing_is_stored(intervention, coordinator):
    response = signed_in(coordinator).post(
        report_url(intervention), form_data(new=(1, 0, 0), comment="Ring Anna på 070-123 45 67")
    )
    assert response.status_code == 400
    assert "telefonnummer" in response.content.decode()
    assert not PeriodReport.objects.exists()


@pytest.mark.parametrize("period", ["2024M05", "2024", "2024H1", "2019Q4", "2024Q9", "nonsens"])
def test_a_period_that_does_not_belong_to_the_intervention_is_refused_with_a_message(intervention, coordinator, period):
    client = signed_in(coordinator)
    for response in (
        client.get(report_url(intervention, period)),
        client.post(report_url(intervention, period), form_data(new=(1, 0, 0))),
    ):
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not PeriodReport.objects.exists()


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_what_was_typed(intervention, coordinator, staff):
    first, second = signed_in(coordinator), signed_in(staff)
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    # both open version 1; the coordinator saves first
    first.post(report_url(intervention), form_data(new=(2, 0, 0), version=1))
    response = second.post(report_url(intervention), form_data(new=(7, 0, 0), comment="Staffs text", version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har sparat rapporten medan du arbetade" in html
    assert "Se den nyare versionen" in html and report_url(intervention, suffix="historik/") in html
    assert 'name="new__women" value="7"' in html and "Staffs text" in html
    assert re.search(r"Nya deltagare, kvinnor</th><td>7</td><td>2</td>", html)
    report.refresh_from_db()
    assert (report.new, report.version) == (Counts(2, 0, 0), 2)
    # saving again after seeing the newer values is a deliberate choice and succeeds
    assert 'name="version" value="2"' in html
    again = second.post(report_url(intervention), form_data(new=(7, 0, 0), comment="Staffs text", version=2))
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.new == Counts(7, 0, 0)


def test_a_report_created_by_someone_else_meanwhile_is_not_overwritten(intervention, coordinator, staff):
    client = signed_in(coordinator)
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(3, 0, 0)), user=staff)
    response = client.post(report_url(intervention), form_data(new=(9, 0, 0), version=0))
    assert response.status_code == 409
    assert PeriodReport.objects.get().new == Counts(3, 0, 0)


def test_a_submitted_report_is_read_only_until_recalled(intervention, coordinator):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    report_submit(report=report)
    client = signed_in(coordinator)
    html = client.get(report_url(intervention)).content.decode()
    assert "Spara utkast" not in html and "Återkalla till utkast" in html and "disabled" in html
    client.post(report_url(intervention), form_data(new=(4, 0, 0), version=2))
    report.refresh_from_db()
    assert report.new == Counts(1, 0, 0)
    client.post(report_url(intervention, suffix="recall/"))
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert "Spara utkast" in client.get(report_url(intervention)).content.decode()


def test_staff_approve_and_reopen_with_a_written_reason(intervention, staff):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    report_submit(report=report)
    client = signed_in(staff)
    client.post(report_url(intervention, suffix="approve/"))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    response = client.post(report_url(intervention, suffix="reopen/"), {"reason": "  "}, follow=True)
    assert "Ange varför rapporten öppnas igen." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    client.post(report_url(intervention, suffix="reopen/"), {"reason": "Fel i antal nya"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.history.filter(kind="status").last().reason == "Fel i antal nya"


def test_a_coordinator_can_neither_approve_nor_reopen(intervention, coordinator):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    report_submit(report=report)
    client = signed_in(coordinator)
    assert client.post(report_url(intervention, suffix="approve/")).status_code == 403
    report_approve(report=report)
    assert client.post(report_url(intervention, suffix="reopen/"), {"reason": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_the_history_page_shows_who_changed_what(intervention, coordinator):
    client = signed_in(coordinator)
    client.post(report_url(intervention), form_data(new=(1, 0, 0)))
    client.post(report_url(intervention), form_data(new=(3, 0, 0), version=1))
    html = client.get(report_url(intervention, suffix="historik/")).content.decode()
    assert re.search(r"Nya deltagare, kvinnor</th><td>1</td><td>3</td>", html)
    assert coordinator.email in html
    assert "(ny rapport)" in html


def test_a_report_submitted_while_someone_edits_it_keeps_their_typed_values_on_screen(intervention, coordinator, staff):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    report_submit(report=report, user=coordinator)
    response = signed_in(staff).post(report_url(intervention), form_data(new=(6, 0, 0), version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "med status inskickad" in html and "kan inte ändras i sin nuvarande status" in html
    assert 'name="new__women" value="6"' in html and "Spara utkast" not in html
    report.refresh_from_db()
    assert (report.new, report.status) == (Counts(1, 0, 0), ReportStatus.SUBMITTED)


def test_the_form_makes_the_same_number_of_queries_however_many_rows_are_filled(intervention, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(coordinator)
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(exits={"employment": (1, 0, 0)}))
    many = dict.fromkeys(("employment", "studies", "care", "returned", "moved", "other"), (1, 1, 0))
    report_save(
        intervention=intervention, period_code="2024Q2", data=report_input(start=(1, 0, 0), new=(9, 9, 0), exits=many)
    )
    with CaptureQueriesContext(connection) as few_rows:
        client.get(report_url(intervention, "2024Q1"))
    with CaptureQueriesContext(connection) as many_rows:
        client.get(report_url(intervention, "2024Q2"))
    # 24: three of them are the section "Övriga mått" (the catalog's measures, those the report
    # counts, and the stored values); the header's one query for the user's association links
    # (staff and viewers) included.
    assert len(many_rows.captured_queries) == len(few_rows.captured_queries) <= 24


@pytest.mark.parametrize("typed", ["182500,50", "182500.50", "182 500,50"])
def test_it_refuses_kronor_with_decimals_and_keeps_the_stored_amount(intervention, coordinator, typed):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(spent_sek=182500)).report
    data = form_data(version=report.version, spent=typed)
    response = signed_in(coordinator).post(report_url(intervention), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Inget sparades" in html and "Förbrukat ska anges i hela kronor, utan decimaler." in html
    report.refresh_from_db()
    assert (report.spent_sek, report.version) == (182500, 1)


def test_whole_kronor_are_saved_as_typed(intervention, coordinator):
    response = signed_in(coordinator).post(report_url(intervention), form_data(spent="182500"))
    assert response.status_code == 302
    assert PeriodReport.objects.get().spent_sek == 182500


def test_it_warns_after_saving_when_the_year_spends_more_than_its_budget(intervention, coordinator):
    from outcomes.organisations.services import budget_set

    budget_set(intervention=intervention, year=2024, budget_sek=500000)
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(spent_sek=300000))
    client = signed_in(coordinator)
    response = client.post(report_url(intervention, "2024Q2"), form_data(spent="250000"))
    assert response.status_code == 302  # a warning, not a refusal
    assert PeriodReport.objects.get(period="2024Q2").spent_sek == 250000
    html = client.get(response["Location"]).content.decode()
    assert "Förbrukat under 2024 blir 550\xa0000 kr, mer än årets budget på 500\xa0000 kr." in html
    # Within the budget, or without one, nothing is said.
    client.post(report_url(intervention, "2024Q2"), form_data(spent="200000", version=1))
    assert "mer än årets budget" not in client.get(report_url(intervention, "2024Q2")).content.decode()
    client.post(report_url(intervention, "2025Q1"), form_data(spent="9000000"))
    assert "mer än årets budget" not in client.get(report_url(intervention, "2025Q1")).content.decode()


def test_the_start_page_and_the_form_say_sista_dag_and_name_periods_in_swedish(intervention, coordinator):
    signed_in(coordinator).post(report_url(intervention, "2024Q1"), form_data())
    home = signed_in(coordinator).get("/").content.decode()
    assert "Sista dag" in home and "Senast inskickad" not in home
    assert re.search(r'<tr data-period="2024Q1"[^>]*>\s*<th scope="row">kvartal 1 2024</th>', home)
    form = signed_in(coordinator).get(report_url(intervention, "2024Q1")).content.decode()
    assert "– kvartal 1 2024</h1>" in form and "Sista dag 2024-" in form and "Skickas in senast" not in form


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2024", "helåret 2024"),
        ("2024H1", "första halvåret 2024"),
        ("2024T2", "maj–augusti 2024"),
        ("2024Q3", "kvartal 3 2024"),
        ("2024M05", "maj 2024"),
        ("not a period", "not a period"),
    ],
)
def test_the_period_name_filter_writes_the_names_people_read(code, name):
    from outcomes.templatetags.period_names import period_name

    assert period_name(code) == name


def test_the_history_lists_one_versions_changes_in_the_forms_order_with_separators(intervention, coordinator):
    client = signed_in(coordinator)
    client.post(report_url(intervention), form_data(new=(2, 1, 0), reasons={"studies": (0, 1, 0)}, spent="2402195"))
    html = client.get(report_url(intervention, suffix="historik/")).content.decode()
    fields = re.findall(r'<tr class="history-value">.*?<th scope="row">([^<]+)</th>', html)
    expected_order = [
        "Nya deltagare, kvinnor",
        "Nya deltagare, män",
        "Avslutade, män",
        "Avslutade, Studier, män",
    ]
    assert [f for f in fields if f in expected_order] == expected_order
    assert fields[-1] == "Förbrukat (kr)"
    assert "Utbildningsnivå: Uppgift saknas, kvinnor" in fields
    age, education = "Åldersgrupp: Uppgift saknas, kvinnor", "Utbildningsnivå: Uppgift saknas, kvinnor"
    assert fields.index(age) < fields.index(education)
    assert re.search(r"Förbrukat \(kr\)</th><td></td><td>2\xa0402\xa0195</td>", html)


def test_a_reopened_report_shows_why_on_its_form_and_mails_the_coordinators(
    intervention, coordinator, staff, django_capture_on_commit_callbacks, mailoutbox
):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    report_submit(report=report, user=coordinator)
    report_approve(report=report, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(staff).post(report_url(intervention, suffix="reopen/"), {"reason": "Avslutade saknas för mars"})
    html = signed_in(coordinator).get(report_url(intervention)).content.decode()
    assert 'id="oppnad-igen"' in html and "”Avslutade saknas för mars”" in html
    assert staff.email in html.split('id="oppnad-igen"')[1].split("</div>")[0]
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    assert "Avslutade saknas för mars" in mailoutbox[0].body
    assert f"/insatser/{intervention.pk}/2024Q1/" in mailoutbox[0].body
    # a report recalled by its writer is a draft again too, but nobody reopened it
    report_submit(report=PeriodReport.objects.get(), user=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(coordinator).post(report_url(intervention, suffix="recall/"))
    assert 'id="oppnad-igen"' not in signed_in(coordinator).get(report_url(intervention)).content.decode()
    assert len(mailoutbox) == 1


def test_every_grid_of_the_form_heads_its_columns_with_the_three_genders(intervention, coordinator):
    page = signed_in(coordinator).get(report_url(intervention, "2024Q1")).content.decode()
    headings = "".join(f'<th scope="col">{g}</th>' for g in ("Kvinnor", "Män", "Annan/ej angivet"))
    grids = page.count('<table class="grid"')
    # and the participants' table and the measures' table ("Övriga mått")
    assert grids > 1 and page.count(headings) == grids + 2
