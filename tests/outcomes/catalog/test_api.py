import pytest
from rest_framework.test import APIClient

from outcomes.models import DimensionCategory, ExitReason
from outcomes.organisations.services import api_token_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def all_results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["next"] is None
    return data["results"]


def test_every_role_reads_the_exit_reasons_with_the_catalog_fields(staff, coordinator, association):
    for user in (staff, coordinator):
        reasons = all_results(client_for(user), "/api/v1/catalog/exit-reasons/")
        employment = next(r for r in reasons if r["code"] == "employment")
        assert employment == {
            "id": ExitReason.objects.get(association=association, code="employment").pk,
            "association": association.pk,
            "code": "employment",
            "label_sv": "Arbete/anställning",
            "outcome_class": "self_support",
            "active": True,
            "position": 0,
        }
        assert len(reasons) == 15


def test_a_retired_entry_is_listed_as_inactive_and_left_out_by_active_true(staff, association):
    ExitReason.objects.filter(association=association, code="moved").update(active=False)
    client = client_for(staff)
    moved = next(r for r in all_results(client, "/api/v1/catalog/exit-reasons/") if r["code"] == "moved")
    assert moved["active"] is False
    active_codes = {r["code"] for r in all_results(client, "/api/v1/catalog/exit-reasons/?active=true")}
    assert "moved" not in active_codes and "employment" in active_codes
    assert [r["code"] for r in all_results(client, "/api/v1/catalog/exit-reasons/?active=false")] == ["moved"]


def test_dimensions_come_with_their_categories_and_retired_categories_are_flagged(staff, association):
    DimensionCategory.objects.filter(dimension__association=association, dimension__code="uvas", code="no").update(
        active=False
    )
    dimensions = {d["code"]: d for d in all_results(client_for(staff), "/api/v1/catalog/dimensions/")}
    assert dimensions["agency_contacts"]["multi_valued"] is True
    assert dimensions["education"]["multi_valued"] is False
    uvas = dimensions["uvas"]
    assert uvas["label_sv"] == "Unga som varken arbetar eller studerar (UVAS)"
    assert [(c["code"], c["active"]) for c in uvas["categories"]] == [("yes", True), ("no", False), ("unknown", True)]


def test_survey_questions_have_group_number_indicator_scale_and_text(staff):
    questions = all_results(client_for(staff), "/api/v1/catalog/survey-questions/?group=participant_ongoing")
    assert questions
    assert {q["group"] for q in questions} == {"participant_ongoing"}
    first = questions[0]
    assert set(first) >= {"code", "group", "number", "indicator", "scale", "text_sv", "active"}


def test_nobody_reads_another_associations_catalog(outsider, association):
    client = client_for(outsider)
    theirs = all_results(client, "/api/v1/catalog/exit-reasons/")
    assert theirs and association.pk not in {r["association"] for r in theirs}
    assert all_results(client, f"/api/v1/catalog/exit-reasons/?association={association.pk}") == []
    assert all_results(client, f"/api/v1/catalog/dimensions/?association={association.pk}") == []


def test_a_user_in_two_associations_narrows_the_catalog_with_association(staff, association, outsider):
    other = outsider.memberships.get().association
    MembershipFactory(user=staff, association=other, role="viewer")
    client = client_for(staff)
    assert {r["association"] for r in all_results(client, "/api/v1/catalog/exit-reasons/")} == {
        association.pk,
        other.pk,
    }
    mine = all_results(client, f"/api/v1/catalog/exit-reasons/?association={association.pk}")
    assert {r["association"] for r in mine} == {association.pk}


def test_only_staff_write_the_catalogs_and_entries_are_never_deleted(staff, coordinator, association):
    body = {"association": association.pk, "code": "x", "label_sv": "X", "outcome_class": "no_step"}
    refused = client_for(coordinator).post("/api/v1/catalog/exit-reasons/", body, format="json")
    assert refused.status_code == 403
    assert not ExitReason.objects.filter(association=association, code="x").exists()
    employment = ExitReason.objects.get(association=association, code="employment")
    response = client_for(staff).delete(f"/api/v1/catalog/exit-reasons/{employment.pk}/")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"
    assert ExitReason.objects.filter(pk=employment.pk).exists()


def test_the_dimension_list_takes_the_same_number_of_queries_for_one_association_or_two(staff, association, outsider):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff)
    client.get("/api/v1/catalog/dimensions/")  # the token's first use writes its last-use time once
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/catalog/dimensions/").json()["results"]) == 8
    MembershipFactory(user=staff, association=outsider.memberships.get().association, role="viewer")
    with CaptureQueriesContext(connection) as two:
        assert len(client.get("/api/v1/catalog/dimensions/").json()["results"]) == 16
    assert len(two) == len(one)
