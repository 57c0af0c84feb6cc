"""The Ändringslogg: every change of the association's setup, goals and step definitions, written in
the same transaction as the change, readable and filterable by staff, never editable (issue 14)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from outcomes.changelog.models import ChangeLogIsReadOnly
from outcomes.models import ChangeLogEntry
from outcomes.organisations.services import budget_set, intervention_update, member_create
from outcomes.tallies.services import report_approve, report_save, report_submit
from reports.goals.services import GoalInput, goal_create, goal_update, step_definition_set
from tests.conftest import report_input
from tests.factories import MembershipFactory
from tests.outcomes.tallies.test_api import client_for
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


def test_a_change_and_its_log_row_are_stored_together_or_not_at_all(intervention, staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        intervention_update(intervention=intervention, user=staff, places=12)
        raise RuntimeError
    assert not ChangeLogEntry.objects.exists()
    intervention.refresh_from_db()
    intervention_update(intervention=intervention, user=staff, places=12)
    row = ChangeLogEntry.objects.get()
    assert (row.kind, row.subject, row.field, row.old, row.new, row.user) == (
        "intervention",
        intervention.name,
        "antal platser",
        "",
        "12",
        staff,
    )
    intervention_update(intervention=intervention, user=staff, places=12)  # unchanged: no row
    assert ChangeLogEntry.objects.count() == 1


def test_goal_edits_and_step_definitions_keep_history(intervention, staff):
    goal = goal_create(
        intervention=intervention,
        data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        user=staff,
    )
    goal_update(goal=goal, data=GoalInput(**{**GoalInput.from_goal(goal).__dict__, "target": Decimal(55)}), user=staff)
    step_definition_set(intervention=intervention, reasons=["employment"], excluded_reasons=["moved"], user=staff)
    rows = {(r.kind, r.field): (r.old, r.new) for r in ChangeLogEntry.objects.all()}
    assert rows[("goal", "målvärde")] == ("50", "55")
    assert rows[("step_definition", "utanför nämnaren")] == ("", "moved")
    assert ("goal", "skapad") in rows


def test_the_log_cannot_be_changed_or_deleted(association, staff):
    member_create(association=association, name="Region Örebro län", kind="region", user=staff)
    row = ChangeLogEntry.objects.get()
    with pytest.raises(ChangeLogIsReadOnly):
        ChangeLogEntry.objects.update(new="x")
    with pytest.raises(ChangeLogIsReadOnly):
        row.delete()
    row.new = "x"
    with pytest.raises(ChangeLogIsReadOnly):
        row.save()


def test_staff_read_the_log_with_report_approvals_filtered_by_kind_and_day(intervention, staff, coordinator):
    association = intervention.association
    budget_set(intervention=intervention, year=2024, budget_sek=500_000, user=staff)
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(), user=coordinator).report
    report_submit(report=report, user=coordinator)
    report_approve(report=report, user=staff)
    client = signed_in(staff)
    url = reverse("change-log", args=[association.pk])
    page = client.get(url).content.decode()
    assert "beviljade medel 2024 (kr)" in page and "500000" in page
    assert "godkänd" in page and coordinator.email in page and staff.email in page
    only_reports = client.get(url, {"kind": "report"}).content.decode()
    assert "godkänd" in only_reports and "beviljade medel 2024" not in only_reports
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "Inga ändringar." in client.get(url, {"since": tomorrow}).content.decode()
    bad = client.get(url, {"since": "igår"})
    assert bad.status_code == 400 and "Ange ett datum som ÅÅÅÅ-MM-DD." in bad.content.decode()
    viewer = MembershipFactory(association=association, role="viewer").user
    assert signed_in(viewer).get(url).status_code == 404


def test_the_settings_api_changes_only_the_keys_it_names(association, staff):
    client = client_for(staff)
    url = f"/api/v1/associations/{association.pk}/settings/"
    before = client.get(url).json()
    assert before["socio_economic"]["value_per_person_year_sek"] == 340_000
    assert before["small_count_threshold"] == 4 and before["overdue_days"] == 15
    changed = client.patch(url, {"overdue_days": 20, "socio_economic": {"annual_salary_sek": 320_000}}, format="json")
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["overdue_days"] == 20 and body["small_count_threshold"] == 4
    assert body["socio_economic"]["annual_salary_sek"] == 320_000
    assert (
        body["socio_economic"]["income_tax_percent"] == 30 and body["socio_economic"]["support_per_month_sek"] == 10_000
    )
    assert body["socio_economic"]["value_per_person_year_sek"] == 120_000 + 192_000 + 40_000
    refused = client.patch(url, {"socio_economic": {"income_tax_percent": 130}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "socio_economic.income_tax_percent"
    viewer = MembershipFactory(association=association, role="viewer").user
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(viewer).patch(url, {"overdue_days": 1}, format="json").status_code == 403
    association.refresh_from_db()
    assert association.overdue_days == 20
    assert ChangeLogEntry.objects.filter(kind="settings", field="årslön (kr)", old="300000", new="320000").exists()


def test_new_goals_take_the_associations_default_yellow_ratio(intervention, staff):
    from outcomes.organisations.services import association_settings_update

    association_settings_update(association=intervention.association, user=staff, default_yellow_ratio=Decimal("0.9"))
    created = client_for(staff).post(
        f"/api/v1/interventions/{intervention.pk}/goals/",
        {"year": 2024, "label": "Stegförflyttning", "kind": "step_progression", "target": 50},
        format="json",
    )
    assert created.status_code == 201 and created.json()["yellow_ratio"] == 0.9
    explicit = client_for(staff).post(
        f"/api/v1/interventions/{intervention.pk}/goals/",
        {"year": 2024, "label": "Annat", "kind": "step_progression", "target": 50, "yellow_ratio": 0.7},
        format="json",
    )
    assert explicit.json()["yellow_ratio"] == 0.7
    form = signed_in(staff).get(reverse("goal-create", args=[intervention.pk])).content.decode()
    assert 'value="0,9' in form
