"""Who may open and use each page: the coordinator granted the intervention (owner), colleagues
of the same association with other roles, and an outsider from another association.

Not visible → 404 (nothing reveals that the report exists); visible but not allowed → 403.
"""

import pytest
from django.urls import reverse

from outcomes.counts import Counts
from outcomes.models import PeriodReport, ReportStatus
from outcomes.tallies.services import report_approve, report_save, report_submit
from tests.conftest import report_input
from tests.factories import MembershipFactory
from tests.outcomes.tallies.webforms import form_data, signed_in

pytestmark = pytest.mark.django_db

ROLES = ["owner", "staff", "viewer", "other_coordinator", "outsider"]


@pytest.fixture
def people(intervention, coordinator, staff, outsider, teammate_intervention):
    association = intervention.association
    return {
        "owner": coordinator,
        "staff": staff,
        "viewer": MembershipFactory(association=association, role="viewer").user,
        "other_coordinator": MembershipFactory(
            association=association, intervention=teammate_intervention, role="coordinator"
        ).user,
        "outsider": outsider,
    }


def _report(intervention, status):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0))).report
    if status in ("submitted", "approved"):
        report_submit(report=report)
    if status == "approved":
        report_approve(report=report)
    return report


# (view, method, status of the stored report, expected status code per role)
MATRIX = [
    ("report", "get", "draft", {"owner": 200, "staff": 200, "viewer": 200, "other_coordinator": 404, "outsider": 404}),
    ("report", "post", "draft", {"owner": 302, "staff": 302, "viewer": 403, "other_coordinator": 404, "outsider": 404}),
    ("history", "get", "draft", {"owner": 200, "staff": 200, "viewer": 200, "other_coordinator": 404, "outsider": 404}),
    (
        "recall",
        "post",
        "submitted",
        {"owner": 302, "staff": 302, "viewer": 403, "other_coordinator": 404, "outsider": 404},
    ),
    (
        "approve",
        "post",
        "submitted",
        {"owner": 403, "staff": 302, "viewer": 403, "other_coordinator": 404, "outsider": 404},
    ),
    (
        "reopen",
        "post",
        "approved",
        {"owner": 403, "staff": 302, "viewer": 403, "other_coordinator": 404, "outsider": 404},
    ),
    (
        "completeness",
        "get",
        "draft",
        {"owner": 404, "staff": 200, "viewer": 404, "other_coordinator": 404, "outsider": 404},
    ),
]

CHANGES = {
    "report": lambda r: r.new == Counts(5, 0, 0),
    "recall": lambda r: r.status == ReportStatus.DRAFT,
    "approve": lambda r: r.status == ReportStatus.APPROVED,
    "reopen": lambda r: r.status == ReportStatus.DRAFT,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("view", "method", "status", "expected"), MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
def test_each_view_answers_each_role_as_the_matrix_says(people, intervention, role, view, method, status, expected):
    report = _report(intervention, status)
    if view == "report":
        url = reverse("report", args=[intervention.pk, "2024Q1"])
    elif view == "history":
        url = reverse("report_history", args=[intervention.pk, "2024Q1"])
    elif view == "completeness":
        url = reverse("completeness", args=[intervention.association_id]) + "?period=2024Q1"
    else:
        url = reverse("report_transition", args=[intervention.pk, "2024Q1", view])
    client = signed_in(people[role])
    body = form_data(new=(5, 0, 0), version=report.version) if view == "report" else {"reason": "Rättelse"}
    response = client.get(url) if method == "get" else client.post(url, body)
    assert response.status_code == expected[role]
    if method == "post":
        stored = PeriodReport.objects.get(pk=report.pk)
        assert CHANGES[view](stored) == (expected[role] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_the_start_page_lists_only_the_interventions_a_person_may_see(
    people, intervention, teammate_intervention, role
):
    html = signed_in(people[role]).get(reverse("home")).content.decode()
    sees = {
        "owner": {intervention.name},
        "staff": {intervention.name, teammate_intervention.name},
        "viewer": {intervention.name, teammate_intervention.name},
        "other_coordinator": {teammate_intervention.name},
        "outsider": set(),
    }[role]
    for candidate in (intervention, teammate_intervention):
        assert (f">{candidate.name}</h2>" in html) == (candidate.name in sees)


def test_a_nonexistent_intervention_or_report_is_404_for_everyone(people, intervention):
    client = signed_in(people["staff"])
    assert client.get(reverse("report", args=[999999, "2024Q1"])).status_code == 404
    assert client.get(reverse("report_history", args=[intervention.pk, "2024Q2"])).status_code == 404
    assert client.post(reverse("report_transition", args=[intervention.pk, "2024Q2", "approve"])).status_code == 404
    assert client.post(reverse("report_transition", args=[intervention.pk, "2024Q1", "delete"])).status_code == 404


def test_signed_out_visitors_are_sent_to_the_sign_in_page(intervention):
    from django.test import Client

    for url in (
        reverse("home"),
        reverse("report", args=[intervention.pk, "2024Q1"]),
        reverse("completeness", args=[intervention.association_id]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
