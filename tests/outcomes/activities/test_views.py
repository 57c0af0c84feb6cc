"""The web pages: the report form's "Övriga mått", the structural report form, the activity log."""

import pytest
from django.urls import reverse

from outcomes.models import Activity, MeasureCount, PeriodReport
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.webforms import form_data, report_url, signed_in

pytestmark = pytest.mark.django_db


def test_the_report_form_stores_a_measure_row_and_leaves_an_empty_row_blank(intervention, coordinator):
    client = signed_in(coordinator)
    page = client.get(report_url(intervention)).content.decode()
    assert "Övriga mått" in page and "Rådgivande samtal utan inskrivning" in page
    data = {**form_data(), "measure__advisory_calls__total": "22", "measure__work_training__women": "3"}
    response = client.post(report_url(intervention), data)
    assert response.status_code == 302
    stored = {m.measure.code: (m.women, m.men, m.total) for m in MeasureCount.objects.select_related("measure")}
    assert stored == {"advisory_calls": (0, 0, 22), "work_training": (3, 0, 3)}
    again = client.get(report_url(intervention)).content.decode()
    assert 'value="22"' in again


def test_a_negative_measure_in_the_form_is_refused_at_its_cell_and_nothing_is_stored(intervention, coordinator):
    response = signed_in(coordinator).post(report_url(intervention), {**form_data(), "measure__referrals__men": "-1"})
    assert response.status_code == 400
    assert "Inkomna anmälningar, män: antalet får inte vara negativt." in response.content.decode()
    assert not PeriodReport.objects.exists()


def test_a_structural_report_form_has_no_participant_grid_and_saves_spending(association):
    structural = InterventionFactory(association=association, kind="structural")
    coordinator = MembershipFactory(association=association, intervention=structural, role="coordinator").user
    client = signed_in(coordinator)
    page = client.get(report_url(structural)).content.decode()
    assert "start__women" not in page and "reason__employment__women" not in page
    assert "Aktivitetslogg" in page
    response = client.post(report_url(structural), {"version": "0", "action": "submit", "spent_sek": "25310"})
    assert response.status_code == 302, response.content.decode()[:2000]
    report = PeriodReport.objects.get()
    assert (report.spent_sek, report.status) == (25310, "submitted")


def test_the_activity_log_adds_lists_changes_and_deletes_activities(association):
    structural = InterventionFactory(association=association, kind="structural")
    coordinator = MembershipFactory(association=association, intervention=structural, role="coordinator").user
    client = signed_in(coordinator)
    new = reverse("activity_new", args=[structural.pk])
    body = {
        "date": "2024-10-05",
        "title": "Finsammässan",
        "kind": "conference",
        "occasions": "1",
        "attendees": "220",
        "spent_sek": "25310",
    }
    assert client.post(new, body).status_code == 302
    listing = client.get(reverse("activities", args=[structural.pk]) + "?period=2024").content.decode()
    assert "Finsammässan (220)" in listing
    activity = Activity.objects.get()
    edit = reverse("activity_edit", args=[structural.pk, activity.pk])
    assert client.post(edit, {**body, "attendees": "200"}).status_code == 302
    activity.refresh_from_db()
    assert activity.attendees == 200 and activity.cost_per_attendee_sek == 127
    assert client.post(reverse("activity_remove", args=[structural.pk, activity.pk])).status_code == 302
    assert not Activity.objects.exists()


def test_a_split_that_does_not_add_up_is_refused_at_its_field_and_nothing_is_stored(association):
    structural = InterventionFactory(association=association, kind="structural")
    staff = MembershipFactory(association=association, role="staff").user
    body = {
        "date": "2024-10-05",
        "title": "Mässa",
        "kind": "conference",
        "attendees": "100",
        "attendees_women": "40",
        "attendees_men": "40",
    }
    response = signed_in(staff).post(reverse("activity_new", args=[structural.pk]), body)
    assert response.status_code == 400
    assert "Deltagare per kön summerar till 80 men antalet deltagare är 100." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_viewer_reads_the_log_but_cannot_add(association):
    structural = InterventionFactory(association=association, kind="structural")
    viewer = MembershipFactory(association=association, role="viewer").user
    client = signed_in(viewer)
    assert client.get(reverse("activities", args=[structural.pk])).status_code == 200
    assert client.get(reverse("activity_new", args=[structural.pk])).status_code == 403
