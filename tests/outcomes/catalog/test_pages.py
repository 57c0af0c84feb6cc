"""Staff edit the catalogs in the browser and the API: add, rename, reorder, retire, bring back (issue 14)."""

import pytest
from django.urls import reverse

from outcomes.models import ChangeLogEntry, Dimension, ExitReason, SurveyQuestion
from outcomes.tallies.services import report_save
from tests.conftest import report_input
from tests.factories import MembershipFactory
from tests.outcomes.tallies.test_api import client_for
from tests.outcomes.tallies.webforms import signed_in

pytestmark = pytest.mark.django_db


def _reasons_url(association):
    return reverse("catalog-avslutsorsaker", args=[association.pk])


def test_staff_add_an_exit_reason_with_its_outcome_class(association, staff):
    response = signed_in(staff).post(
        _reasons_url(association),
        {"code": "arbetstraning", "label_sv": "Arbetsträning", "outcome_class": "continued_rehab"},
    )
    assert response.status_code == 302
    reason = ExitReason.objects.get(association=association, code="arbetstraning")
    assert reason.outcome_class == "continued_rehab" and reason.active
    assert reason.position > ExitReason.objects.filter(association=association).exclude(pk=reason.pk).count() - 1
    assert ChangeLogEntry.objects.filter(association=association, kind="catalog", field="skapad").exists()


def test_a_taken_code_and_personal_data_are_refused_at_their_fields(association, staff):
    client = signed_in(staff)
    taken = client.post(
        _reasons_url(association), {"code": "employment", "label_sv": "Jobb", "outcome_class": "self_support"}
    )
    assert taken.status_code == 400 and "Koden finns redan i katalogen." in taken.content.decode()
    personal = client.post(
        _reasons_url(association), {"code": "ny", "label_sv": "Ring 070-123 45 67", "outcome_class": "no_step"}
    )
    assert personal.status_code == 400 and 'id="id_label_sv_error"' in personal.content.decode()
    assert not ExitReason.objects.filter(association=association, code="ny").exists()


def test_an_exit_reason_in_use_is_retired_and_brought_back_never_deleted_and_keeps_its_code(
    association, intervention, staff
):
    report_save(intervention=intervention, period_code="2024Q1", data=report_input(exits={"moved": (1, 0, 0)}))
    reason = ExitReason.objects.get(association=association, code="moved")
    url = reverse("catalog-avslutsorsaker-entry", args=[association.pk, reason.pk])
    client = signed_in(staff)
    assert client.post(url, {"action": "retire"}).status_code == 302
    reason.refresh_from_db()
    assert not reason.active
    listing = client.get(_reasons_url(association)).content.decode()
    assert 'data-code="moved" data-active="false"' in listing
    assert client.post(url, {"action": "restore"}).status_code == 302
    # Renamed and moved: the code stays (the form has no code field).
    edit = client.post(
        url,
        {
            "action": "save",
            "label_sv": "Flyttat från länet",
            "outcome_class": "excluded",
            "position": "1",
            "active": "on",
        },
    )
    assert edit.status_code == 302
    reason.refresh_from_db()
    assert (reason.code, reason.label_sv, reason.position, reason.active) == ("moved", "Flyttat från länet", 1, True)
    assert "code" not in client.get(url).context["form"].fields
    changed = set(
        ChangeLogEntry.objects.filter(association=association, kind="catalog").values_list("field", flat=True)
    )
    assert {"aktiv", "benämning", "ordning"} <= changed


def test_a_dimension_gets_a_new_category(association, staff):
    dimension = Dimension.objects.get(association=association, code="referrer")
    url = reverse("catalog-categories", args=[association.pk, dimension.pk])
    response = signed_in(staff).post(url, {"code": "vardcentral", "label_sv": "Vårdcentral"})
    assert response.status_code == 302
    assert dimension.categories.filter(code="vardcentral", label_sv="Vårdcentral").exists()


def test_staff_reword_the_staff_groups_questions_but_add_none(association, staff):
    question = SurveyQuestion.objects.filter(association=association, group="board").first()
    url = reverse("catalog-enkatfragor-entry", args=[association.pk, question.pk])
    assert (
        signed_in(staff)
        .post(url, {"action": "save", "text_sv": "Ny lydelse", "position": "0", "active": "on"})
        .status_code
        == 302
    )
    question.refresh_from_db()
    assert question.text_sv == "Ny lydelse"
    participants = SurveyQuestion.objects.filter(association=association, group="participant_exit").first()
    other = reverse("catalog-enkatfragor-entry", args=[association.pk, participants.pk])
    assert signed_in(staff).get(other).status_code == 404


def test_the_api_adds_and_changes_entries_for_staff_only(association, staff):
    client = client_for(staff)
    created = client.post(
        "/api/v1/catalog/exit-reasons/",
        {"association": association.pk, "code": "praktik", "label_sv": "Praktik", "outcome_class": "continued_rehab"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["active"]) == ("praktik", True)
    retired = client.patch(f"/api/v1/catalog/exit-reasons/{body['id']}/", {"active": False}, format="json")
    assert retired.status_code == 200 and retired.json()["active"] is False
    again = client.post(
        "/api/v1/catalog/exit-reasons/",
        {"association": association.pk, "code": "praktik", "label_sv": "X", "outcome_class": "no_step"},
        format="json",
    )
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "code"
    viewer = MembershipFactory(association=association, role="viewer").user
    refused = client_for(viewer).patch(f"/api/v1/catalog/exit-reasons/{body['id']}/", {"label_sv": "Y"}, format="json")
    assert refused.status_code == 403
    assert ExitReason.objects.get(pk=body["id"]).label_sv == "Praktik"


def test_the_api_adds_a_category_to_a_dimension_and_retires_it(association, staff, coordinator):
    dimension = Dimension.objects.get(association=association, code="referrer")
    client = client_for(staff)
    created = client.post(
        f"/api/v1/catalog/dimensions/{dimension.pk}/categories/",
        {"code": "vardcentral", "label_sv": "Vårdcentral"},
        format="json",
    )
    assert created.status_code == 201, created.content
    category_id = created.json()["id"]
    retired = client.patch(f"/api/v1/catalog/categories/{category_id}/", {"active": False}, format="json")
    assert retired.status_code == 200 and retired.json()["active"] is False
    refused = client_for(coordinator).patch(
        f"/api/v1/catalog/categories/{category_id}/", {"active": True}, format="json"
    )
    assert refused.status_code == 403
    assert not dimension.categories.get(pk=category_id).active


@pytest.mark.parametrize("body", [{"code": -5804, "label_sv": "Remittent"}, {"code": "remittent", "label_sv": 12}])
def test_a_number_where_the_api_takes_text_is_refused_and_nothing_is_stored(association, staff, body):
    """DRF would store the number -5804 as the code "-5804"; the contract's codes and labels are text."""
    response = client_for(staff).post(
        "/api/v1/catalog/dimensions/", {"association": association.pk, **body}, format="json"
    )
    assert response.status_code == 400
    field = "code" if "code" in body and not isinstance(body["code"], str) else "label_sv"
    assert field in str(response.json()) and "text" in str(response.json())
    assert not Dimension.objects.filter(association=association, code__in=["-5804", "remittent"]).exists()
