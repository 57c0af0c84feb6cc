"""Every endpoint of this issue for every role: what each may read and write, and 404 for what
they may not see (another association's intervention, an intervention not granted)."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from outcomes.models import PeriodReport
from outcomes.organisations.services import api_token_create
from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import BODY

pytestmark = pytest.mark.django_db

ROLES = ["staff", "viewer", "coordinator", "outsider", "anonymous"]


@pytest.fixture
def world(association, intervention, teammate_intervention):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    report_save(intervention=teammate_intervention, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    users = {
        "staff": MembershipFactory(association=association, role="staff").user,
        "viewer": MembershipFactory(association=association, role="viewer").user,
        "coordinator": MembershipFactory(association=association, intervention=intervention, role="coordinator").user,
        "outsider": MembershipFactory(role="staff").user,
    }
    return {"mine": intervention, "teammate": teammate_intervention, "users": users, "association": association}


def call(world, role, method, path, body=None):
    client = APIClient()
    if role != "anonymous":
        _token, secret = api_token_create(user=world["users"][role], name="t")
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    path = path.format(mine=world["mine"].pk, teammate=world["teammate"].pk, association=world["association"].pk)
    return getattr(client, method)(path, body, format="json")


# (method, path, body, expected status per role in the order of ROLES)
MATRIX = [
    ("get", "/api/v1/interventions/{mine}/", None, [200, 200, 200, 404, 401]),
    ("get", "/api/v1/interventions/{teammate}/", None, [200, 200, 404, 404, 401]),
    ("patch", "/api/v1/interventions/{mine}/", {"owner": "Region"}, [200, 403, 403, 404, 401]),
    ("put", "/api/v1/interventions/{mine}/budgets/2024/", {"budget_sek": 10}, [201, 403, 403, 404, 401]),
    ("get", "/api/v1/interventions/{mine}/reports/", None, [200, 200, 200, 404, 401]),
    ("get", "/api/v1/interventions/{teammate}/reports/", None, [200, 200, 404, 404, 401]),
    ("get", "/api/v1/interventions/{mine}/reports/2024Q1/", None, [200, 200, 200, 404, 401]),
    ("get", "/api/v1/interventions/{teammate}/reports/2024Q1/", None, [200, 200, 404, 404, 401]),
    ("put", "/api/v1/interventions/{mine}/reports/2024Q2/", BODY, [201, 403, 201, 404, 401]),
    ("put", "/api/v1/interventions/{teammate}/reports/2024Q2/", BODY, [201, 403, 404, 404, 401]),
    ("post", "/api/v1/interventions/{mine}/reports/2024Q1/submit/", None, [200, 403, 200, 404, 401]),
    ("post", "/api/v1/interventions/{mine}/reports/2024Q1/approve/", None, [400, 403, 403, 404, 401]),
    ("get", "/api/v1/reports/", None, [200, 200, 200, 200, 401]),
    ("get", "/api/v1/catalog/exit-reasons/", None, [200, 200, 200, 200, 401]),
    ("get", "/api/v1/catalog/dimensions/", None, [200, 200, 200, 200, 401]),
    ("get", "/api/v1/catalog/survey-questions/", None, [200, 200, 200, 200, 401]),
    ("get", "/api/v1/interventions/", None, [200, 200, 200, 200, 401]),
    ("post", "/api/v1/imports/?dry_run=true", {"reports": []}, [200, 200, 200, 200, 401]),
]


def status_per_role(world, method, path, body=None) -> dict:
    """Each role's answer, each from the same starting data (every call is rolled back)."""
    codes = {}
    for role in ROLES:
        with transaction.atomic():
            response = call(world, role, method, path, body)
            transaction.set_rollback(True)
        codes[role] = response.status_code
        if response.status_code >= 400:
            assert response.json()["errors"][0]["code"], response.content
    return codes


@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_what_it_may_and_404_for_what_it_may_not_see(world, method, path, body, expected):
    assert status_per_role(world, method, path, body) == dict(zip(ROLES, expected, strict=True))


def test_creating_an_intervention_is_for_the_associations_staff_only(world):
    body = {"association": world["association"].pk, "name": "Ny", "owner": "Kommunen", "start": "2024-01-01"}
    assert status_per_role(world, "post", "/api/v1/interventions/", body) == {
        "staff": 201,
        "viewer": 403,
        "coordinator": 403,
        "outsider": 400,
        "anonymous": 401,
    }


def test_lists_never_hold_what_the_role_may_not_see(world):
    report_submit(report=PeriodReport.objects.get(intervention=world["mine"]))
    other = InterventionFactory(association=world["users"]["outsider"].memberships.get().association)
    report_save(intervention=other, period_code="2024Q1", data=report_input(new=(1, 0, 0)))
    seen = {
        role: {r["intervention"] for r in call(world, role, "get", "/api/v1/reports/").json()["results"]}
        for role in ("staff", "viewer", "coordinator", "outsider")
    }
    mine, teammate = world["mine"].pk, world["teammate"].pk
    assert seen == {
        "staff": {mine, teammate},
        "viewer": {mine, teammate},
        "coordinator": {mine},
        "outsider": {other.pk},
    }
