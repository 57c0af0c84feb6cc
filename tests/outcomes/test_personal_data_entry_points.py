"""Every free-text entry point refuses personal data through the one validator (issue 12, item 4).

A sample of the generated corpus (:mod:`tests.outcomes.test_personal_data_corpus`), a phone
number and an e-mail address go through the report form and the API, the reopen reason, goal
labels, token names, intervention names and owners, association names and the admin's catalog
labels; and every free-text model field must carry ``validate_no_personal_data``, so a field
added later cannot forget it.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models as db_models
from django.forms.models import model_to_dict
from django.test import RequestFactory

from outcomes.models import (
    ApiToken,
    Association,
    Dimension,
    DimensionCategory,
    ExitReason,
    Intervention,
    PeriodReport,
    ReportStatus,
    SurveyIndicator,
    SurveyQuestion,
)
from outcomes.organisations.services import api_token_create, association_create
from outcomes.tallies.errors import ReportError
from outcomes.tallies.services import report_approve, report_reopen, report_save, report_submit
from outcomes.validators import find_personal_data, validate_no_personal_data
from reports.models import Goal
from tests.conftest import report_input
from tests.outcomes.tallies.test_api import BODY, client_for, url
from tests.outcomes.tallies.webforms import form_data, report_url, signed_in
from tests.outcomes.test_personal_data_corpus import SAMPLE


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLE)
def test_the_report_form_and_the_api_refuse_it_in_the_comment_and_store_nothing(intervention, coordinator, text):
    response = signed_in(coordinator).post(report_url(intervention), form_data(new=(1, 0, 0), comment=text))
    assert response.status_code == 400
    assert "avidentifierade" in response.content.decode()
    answer = client_for(coordinator).put(url(intervention), {**BODY, "comment": text}, format="json")
    assert answer.status_code == 400
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [("comment", "personal_data")]
    assert not PeriodReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLE)
def test_a_reopen_reason_with_it_is_refused_over_the_api_and_the_service(intervention, coordinator, staff, text):
    report = report_save(intervention=intervention, period_code="2024Q1", data=report_input()).report
    report_approve(report=report_submit(report=report))
    answer = client_for(staff).post(url(intervention, action="reopen/"), {"reason": text}, format="json")
    assert answer.status_code == 400
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [("reason", "personal_data")]
    with pytest.raises(ReportError):
        report_reopen(report=report, reason=text)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLE)
def test_a_goal_label_with_it_is_refused_over_the_api_and_the_web_form(intervention, staff, text):
    body = {"year": 2024, "label": text, "kind": "count", "measure": "new", "comparator": "at_least", "target": 5}
    answer = client_for(staff).post(f"/api/v1/interventions/{intervention.pk}/goals/", body, format="json")
    assert answer.status_code == 400
    assert ("label", "personal_data") in {(e["field"], e["code"]) for e in answer.json()["errors"]}
    message = next(e["message"] for e in answer.json()["errors"] if e["field"] == "label")
    assert "avidentifierade" in message
    page = signed_in(staff).post(f"/resultat/insatser/{intervention.pk}/mal/nytt/", {**body, "yellow_ratio": "0,8"})
    assert "avidentifierade" in page.content.decode()
    assert not Goal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLE)
def test_a_token_name_with_it_is_refused_on_the_page_and_by_the_service(staff, text):
    assert signed_in(staff).post("/api-nycklar/", {"name": text}).status_code == 400
    with pytest.raises(ValidationError) as error:
        api_token_create(user=staff, name=text)
    assert "name" in error.value.message_dict
    assert not ApiToken.objects.filter(user=staff).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLE)
def test_an_intervention_name_or_owner_with_it_is_refused_over_the_api(staff, association, text):
    for field in ("name", "owner"):
        body = {"association": association.pk, "name": "Steget", "owner": "Kommunen", "start": "2024-01-01"}
        answer = client_for(staff).post("/api/v1/interventions/", {**body, field: text}, format="json")
        assert answer.status_code == 400
        assert (field, "personal_data") in {(e["field"], e["code"]) for e in answer.json()["errors"]}
    assert not Intervention.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLE)
def test_an_association_name_with_it_is_refused_by_the_operators_command_service(text):
    with pytest.raises(ValidationError) as error:
        association_create(name=text, org_number="222000-2279")
    assert [e.code for e in error.value.error_dict["name"]] == ["personal_data"]
    assert not Association.objects.exists()


def _admin_form(model, data, instance=None):
    """The change form the admin builds for ``model``, bound to ``data``."""
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[model]
    return model_admin.get_form(request, instance)(data, instance=instance)


ADMIN_FIELDS = [
    ("Association", "name"),
    ("Intervention", "name"),
    ("Intervention", "owner"),
    ("ExitReason", "label_sv"),
    ("Dimension", "label_sv"),
    ("DimensionCategory", "label_sv"),
    ("SurveyIndicator", "label_sv"),
    ("SurveyQuestion", "text_sv"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model_name", "field"), ADMIN_FIELDS)
def test_the_admin_refuses_it_in_every_name_and_catalog_label(intervention, model_name, field):
    model = apps.get_model("outcomes", model_name)
    instance = {
        "Association": intervention.association,
        "Intervention": intervention,
        "ExitReason": ExitReason.objects.filter(association=intervention.association).first(),
    }.get(model_name) or model.objects.filter(**_of_association(model, intervention.association)).first()
    for text in SAMPLE[:4]:
        form = _admin_form(model, {**model_to_dict(instance), field: text}, instance)
        assert not form.is_valid()
        assert [e.code for e in form.errors.as_data()[field]] == ["personal_data"]
    instance.refresh_from_db()
    assert not find_personal_data(getattr(instance, field))


def _of_association(model, association):
    if model.__name__ == "DimensionCategory":
        return {"dimension__association": association}
    return {"association": association}


# Text fields that hold no free text a person types: codes, choices, periods, values the service
# writes itself, and the user's own sign-in and name (a user account is a person by design).
NOT_FREE_TEXT = {
    ("outcomes", "Association", "org_number"),  # an organisation's number, see validate_org_number
    ("outcomes", "User", "email"),
    ("outcomes", "User", "first_name"),
    ("outcomes", "User", "last_name"),
    ("outcomes", "User", "password"),
    ("outcomes", "ApiToken", "prefix"),
    ("outcomes", "ApiToken", "key_hash"),
    ("outcomes", "ReportHistory", "field"),
    ("outcomes", "ReportHistory", "old"),  # copies of values already checked on their way in
    ("outcomes", "ReportHistory", "new"),
    # Copies of values already checked on their way in (names, labels, settings), and the e-mail
    # address of an invited user account (a person's sign-in by design, as User.email).
    ("outcomes", "ChangeLogEntry", "subject"),
    ("outcomes", "ChangeLogEntry", "field"),
    ("outcomes", "ChangeLogEntry", "old"),
    ("outcomes", "ChangeLogEntry", "new"),
    ("reports", "ExportJob", "format"),
    ("reports", "ExportJob", "error"),
    ("reports", "ExportJob", "filename"),
}


def test_every_free_text_field_of_every_model_carries_the_one_personal_data_validator():
    unchecked = []
    for app in ("outcomes", "reports"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, (db_models.CharField, db_models.TextField)):
                    continue
                if field.choices or isinstance(field, db_models.SlugField) or field.name == "period":
                    continue
                if (app, model.__name__, field.name) in NOT_FREE_TEXT:
                    continue
                if validate_no_personal_data not in field.validators:
                    unchecked.append(f"{app}.{model.__name__}.{field.name}")
    assert unchecked == []


def test_the_exemptions_name_fields_that_exist():
    for app, model_name, field in NOT_FREE_TEXT:
        apps.get_model(app, model_name)._meta.get_field(field)


@pytest.mark.django_db
def test_every_label_of_the_default_catalogs_passes_the_validators_it_is_loaded_without(association):
    # catalog_load writes with get_or_create, which runs no validators: the shipped labels must pass.
    rows = [
        *ExitReason.objects.filter(association=association),
        *Dimension.objects.filter(association=association),
        *DimensionCategory.objects.filter(dimension__association=association),
        *SurveyIndicator.objects.filter(association=association),
        *SurveyQuestion.objects.filter(association=association),
    ]
    assert len(rows) > 50
    for row in rows:
        row.full_clean()
