"""Unusual values in the report form and the API (issue 18): a count or spending more than three
times the intervention's largest earlier value is questioned at its cell, "Är detta rätt?", and
the report can still be saved and submitted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.models import PeriodReport, ReportStatus
from outcomes.tallies.services import report_save
from tests.conftest import report_input
from tests.outcomes.tallies.test_report_save_queries import client_for
from tests.outcomes.tallies.webforms import form_data, report_url, signed_in

pytestmark = pytest.mark.django_db

QUESTION = "Är detta rätt?"


def earlier(intervention, period="2023Q4", new=(4, 2, 0), spent_sek=120_000, exits=None):
    report_save(
        intervention=intervention, period_code=period, data=report_input(new=new, spent_sek=spent_sek, exits=exits)
    )


def saved_form(client, intervention, data):
    response = client.post(report_url(intervention), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


def test_a_value_far_above_the_earlier_reports_is_questioned_at_its_cell_with_label_and_both_values(
    intervention, coordinator
):
    earlier(intervention)
    client = signed_in(coordinator)
    html = saved_form(client, intervention, form_data(start=(4, 2, 0), new=(20, 2, 0), spent="1500000"))
    message = (
        "Nya deltagare, kvinnor: 20 är mer än tre gånger det största värdet i insatsens tidigare rapporter (4). "
        + QUESTION
    )
    # In the warnings box (not among the errors), linking to the cell ...
    warnings = html[html.index('id="varningar"') :]
    assert f'<a href="#id_new__women">{message}</a>' in warnings
    assert 'id="felsammanfattning"' not in html
    # ... and at the cell, which is described by it and not marked invalid.
    cell = re.search(r'<input[^>]*name="new__women"[^>]*>', html).group(0)
    assert 'aria-describedby="id_new__women-msg"' in cell and "aria-invalid" not in cell
    assert re.search(r'id="id_new__women-msg" class="cell-msg"><span class="warning">' + re.escape(message), html)
    # Spending with thousands separators; a value not above three times its history is left alone.
    assert "Förbrukat (kr): 1\xa0500\xa0000 är mer än tre gånger" in html and "(120\xa0000)" in html
    assert 'aria-describedby="id_spent_sek-msg"' in html
    assert "Nya deltagare, män:" not in html
    assert PeriodReport.objects.get(period="2024Q1").new_women == 20


def test_values_up_to_three_times_the_largest_earlier_one_are_not_questioned(intervention, coordinator):
    earlier(intervention)
    html = saved_form(signed_in(coordinator), intervention, form_data(start=(4, 2, 0), new=(12, 6, 0), spent="360000"))
    assert QUESTION not in html and "mer än tre gånger" not in html


def test_a_report_with_an_unusual_value_can_still_be_submitted(intervention, coordinator):
    earlier(intervention)
    data = form_data(start=(4, 2, 0), new=(40, 2, 0), action="submit")
    response = signed_in(coordinator).post(report_url(intervention), data, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert PeriodReport.objects.get(period="2024Q1").status == ReportStatus.SUBMITTED


def test_the_first_report_of_an_intervention_has_nothing_to_compare_with(intervention, coordinator):
    html = saved_form(signed_in(coordinator), intervention, form_data(new=(500, 300, 10), spent="9000000"))
    assert QUESTION not in html


def test_after_a_largest_value_of_zero_a_count_is_questioned_only_from_ten_up(intervention, coordinator):
    earlier(intervention, new=(4, 0, 0), exits={"employment": (1, 0, 0)})
    client = signed_in(coordinator)
    html = saved_form(client, intervention, form_data(start=(3, 0, 0), new=(4, 9, 0)))
    assert QUESTION not in html  # 9 men after 0: below the floor
    html = saved_form(client, intervention, form_data(start=(3, 0, 0), new=(4, 10, 0), version=1))
    assert "Nya deltagare, män: 10 är mer än tre gånger det största värdet i insatsens tidigare rapporter (0)." in html


def test_only_earlier_periods_count_as_history(intervention, coordinator):
    earlier(intervention, period="2024Q2", new=(40, 0, 0))  # a later report says nothing about 2024Q1
    html = saved_form(signed_in(coordinator), intervention, form_data(new=(30, 0, 0)))
    assert "Nya deltagare, kvinnor: 30 är mer än tre gånger" not in html


def test_the_form_reads_the_history_in_the_same_number_of_queries_however_long_it_is(intervention, coordinator):
    client = signed_in(coordinator)
    earlier(intervention, period="2023Q4")
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(30, 0, 0)))
    with CaptureQueriesContext(connection) as short:
        assert client.get(report_url(intervention)).status_code == 200
    for quarter in (1, 2, 3):
        earlier(intervention, period=f"2023Q{quarter}", exits={"employment": (1, 0, 0), "studies": (1, 1, 0)})
    with CaptureQueriesContext(connection) as long:
        html = client.get(report_url(intervention)).content.decode()
    assert QUESTION in html
    assert len(long) == len(short)


def test_the_api_answers_an_unusual_value_among_the_warnings_and_stores_the_report(intervention, staff):
    earlier(intervention)
    client = client_for(staff)
    url = f"/api/v1/interventions/{intervention.pk}/reports/2024Q1/"
    response = client.put(url, {"new": {"women": 20, "men": 2}, "spent_sek": 100000}, format="json")
    assert response.status_code == 201
    unusual = [w for w in response.json()["warnings"] if w["code"] == "unusual_value"]
    assert unusual and unusual[0]["message"].startswith("Nya deltagare, kvinnor: 20 är mer än tre gånger")
    assert set(unusual[0]) == {"field", "code", "message"} and unusual[0]["field"] == "new.women"
    assert client.get(url).json()["warnings"] == response.json()["warnings"]
