"""Staff's reporting completeness page and the start page's period statuses."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Association, Intervention, PeriodReport
from outcomes.periods import Period
from outcomes.tallies.selectors import home_overview, reporting_completeness
from outcomes.tallies.services import report_approve, report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


def _submit(intervention, period, user=None, at=None):
    report = report_save(intervention=intervention, period_code=period, data=report_input(new=(1, 0, 0))).report
    report_submit(report=report, user=user)
    if at is not None:
        type(report).objects.filter(pk=report.pk).update(submitted_at=at)
    return report


def test_completeness_counts_reported_interventions_and_tells_on_time_from_late(association, coordinator, staff):
    first = coordinator.memberships.get().intervention
    late = InterventionFactory(association=association, name="Sen insats")
    InterventionFactory(association=association, name="Ej rapporterad")
    InterventionFactory(association=association, name="Avslutad", end=dt.date(2023, 12, 31))
    _submit(first, "2024Q1", user=coordinator, at=timezone.make_aware(dt.datetime(2024, 4, 10, 12)))
    report = _submit(late, "2024Q1", user=staff, at=timezone.make_aware(dt.datetime(2024, 5, 2, 12)))
    report_approve(report=report, user=staff)

    response = signed_in(staff).get(reverse("completeness", args=[association.pk]) + "?period=2024Q1")
    html = response.content.decode()
    assert "2 av 3 inrapporterade" in html
    assert "Avslutad" not in html
    row = html[html.index(f'data-intervention="{first.pk}"') :]
    assert re.search(r"inskickad</td>\s*<td>i tid \(2024-04-10\)</td>\s*<td>" + re.escape(coordinator.email), row)
    row = html[html.index(f'data-intervention="{late.pk}"') :]
    assert re.search(r"godkänd</td>\s*<td>sent \(2024-05-02\)</td>\s*<td>" + re.escape(staff.email), row)
    assert "ej påbörjad, försenad" in html


def test_completeness_of_a_monthly_intervention_lists_each_month_of_the_quarter(association, staff):
    InterventionFactory(association=association, name="Månadsinsats", frequency="month")
    html = signed_in(staff).get(reverse("completeness", args=[association.pk]) + "?period=2024Q2").content.decode()
    for month in ("2024M04", "2024M05", "2024M06"):
        assert f'data-period="{month}"' in html
    assert "0 av 3 inrapporterade" in html


def test_completeness_refuses_a_period_code_it_cannot_read(association, staff):
    response = signed_in(staff).get(reverse("completeness", args=[association.pk]) + "?period=2024X")
    assert response.status_code == 400
    assert "Ogiltig period" in response.content.decode()


def test_staff_approve_from_the_completeness_page_and_return_to_it(association, intervention, staff):
    report = _submit(intervention, "2024Q1")
    page = reverse("completeness", args=[association.pk]) + "?period=2024Q1"
    response = signed_in(staff).post(
        reverse("report_transition", args=[intervention.pk, "2024Q1", "approve"]), {"next": page}
    )
    assert response["Location"] == page
    report.refresh_from_db()
    assert report.status == "approved"


def test_the_completeness_query_count_does_not_grow_with_interventions(association, staff):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = reporting_completeness(association, Period.parse("2024Q1"), dt.date(2024, 6, 1))
            [row.submitted_by for row in rows]
        return len(captured.captured_queries)

    InterventionFactory(association=association)
    few = queries()
    for _ in range(5):
        intervention = InterventionFactory(association=association)
        _submit(intervention, "2024Q1")
    assert queries() == few


def test_the_start_page_shows_not_started_draft_submitted_and_overdue(intervention, coordinator):
    association = Association.objects.get(pk=intervention.association_id)
    association.overdue_days = 10
    association.save()
    report_save(intervention=intervention, period_code="2024Q2", data=report_input(new=(1, 0, 0)))
    _submit(intervention, "2024Q1")
    overview = dict(home_overview(coordinator, dt.date(2024, 7, 5)))
    statuses = {row.period.code: (row.status, row.overdue) for row in overview[intervention]}
    assert list(statuses.items())[:4] == [
        ("2024Q3", ("not_started", False)),
        ("2024Q2", ("draft", False)),
        ("2024Q1", ("submitted", False)),
        ("2023Q4", ("not_started", True)),
    ]
    later = {
        row.period.code: row.status_label
        for row in dict(home_overview(coordinator, dt.date(2024, 7, 11)))[intervention]
    }
    assert later["2024Q2"] == "utkast, försenad"


def test_the_start_page_query_count_does_not_grow_with_interventions(association, staff):
    InterventionFactory(association=association)
    with CaptureQueriesContext(connection) as few:
        home_overview(staff, dt.date(2024, 7, 5))
    for _ in range(4):
        _submit(InterventionFactory(association=association), "2024Q2")
    with CaptureQueriesContext(connection) as many:
        home_overview(staff, dt.date(2024, 7, 5))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_start_page_links_staff_to_the_completeness_page_and_nobody_else(association, staff, coordinator):
    link = reverse("completeness", args=[association.pk])
    assert link in signed_in(staff).get(reverse("home")).content.decode()
    assert link not in signed_in(coordinator).get(reverse("home")).content.decode()


def test_the_start_page_makes_the_same_number_of_queries_for_more_interventions(association, staff):
    client = signed_in(staff)
    InterventionFactory(association=association)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(4):
        _submit(InterventionFactory(association=association), "2024Q2")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_start_page_lists_every_overdue_period_also_older_than_four_quarters(association, coordinator):
    intervention = Intervention.objects.get(memberships__user=coordinator)
    intervention.start = dt.date(2022, 1, 1)
    intervention.save()
    for code in ("2022Q1", "2022Q2", "2024Q1", "2024Q2"):
        _submit(intervention, code)
    report_approve(report=PeriodReport.objects.get(intervention=intervention, period="2022Q1"))
    rows = dict(home_overview(coordinator, dt.date(2024, 7, 5)))[intervention]
    overdue = [row.period.code for row in rows if row.overdue]
    # 2022Q3 to 2023Q4 have no report: every one of them is listed, not only the last four quarters
    assert overdue == ["2023Q4", "2023Q3", "2023Q2", "2023Q1", "2022Q4", "2022Q3"]
    codes = [row.period.code for row in rows]
    assert "2022Q2" in codes  # submitted, not yet approved: still work to do
    assert "2022Q1" not in codes  # approved long ago: nothing to do
    page = signed_in(coordinator).get(reverse("home")).content.decode()
    assert "kvartal 3 2022" in page
