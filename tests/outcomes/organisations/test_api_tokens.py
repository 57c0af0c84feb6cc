"""The token pages at /api-nycklar/: a user's own tokens, created (shown once) and revoked."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from outcomes.models import ApiToken
from outcomes.organisations.models import hash_token
from outcomes.organisations.services import api_token_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def secret_on(page) -> str:
    found = re.search(r'id="secret" type="text" readonly value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_the_token_page_needs_a_signed_in_user(db):
    response = Client().get("/api-nycklar/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_user_creates_a_named_token_sees_the_secret_once_and_it_works(coordinator, intervention):
    client = signed_in(coordinator)
    response = client.post("/api-nycklar/", {"name": "Ärendesystemet"})
    assert response.status_code == 200
    page = response.content.decode()
    secret = secret_on(page)
    assert "visas bara den här gången" in page
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=coordinator)
    assert (token.name, token.key_hash) == ("Ärendesystemet", hash_token(secret))
    assert secret not in client.get("/api-nycklar/").content.decode()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(f"/api/v1/interventions/{intervention.pk}/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "aldrig" not in client.get("/api-nycklar/").content.decode()


def test_a_token_needs_a_name_without_personal_data(staff):
    client = signed_in(staff)
    assert client.post("/api-nycklar/", {"name": ""}).status_code == 400
    refused = client.post("/api-nycklar/", {"name": "Anna 19121212-1212"})
    assert refused.status_code == 400 and "personnummer" in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_a_user_lists_only_their_own_tokens(staff, coordinator):
    api_token_create(user=staff, name="Förbundets rapportverktyg")
    api_token_create(user=coordinator, name="Kommunens system")
    page = signed_in(coordinator).get("/api-nycklar/").content.decode()
    assert "Kommunens system" in page and "Förbundets rapportverktyg" not in page


def test_a_user_revokes_their_own_token_and_it_stops_working(coordinator, intervention):
    token, secret = api_token_create(user=coordinator, name="Gammalt system")
    client = signed_in(coordinator)
    response = client.post(f"/api-nycklar/{token.pk}/aterkalla/", {"confirm": "yes"}, follow=True)
    assert response.content.decode().count("är återkallad") == 1  # the flash message, once
    # the live region wraps the list, so the list keeps its role and its items (axe's listitem)
    assert '<div role="status"><ul class="messages"><li class="success">' in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(f"/api/v1/interventions/{intervention.pk}/").status_code == 401


def test_nobody_revokes_another_users_token(staff, coordinator):
    token, _secret = api_token_create(user=staff, name="Förbundets")
    assert signed_in(coordinator).post(f"/api-nycklar/{token.pk}/aterkalla/").status_code == 404
    assert signed_in(coordinator).get(f"/api-nycklar/{token.pk}/aterkalla/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_carries_its_users_roles(coordinator, intervention, teammate_intervention):
    _token, secret = api_token_create(user=coordinator, name="system")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(f"/api/v1/interventions/{intervention.pk}/").status_code == 200
    assert api.get(f"/api/v1/interventions/{teammate_intervention.pk}/").status_code == 404
    assert (
        api.post("/api/v1/interventions/", {"association": intervention.association_id}, format="json").status_code
        == 403
    )


def test_revoking_a_token_asks_first_and_one_click_revokes_nothing(coordinator):
    token, _secret = api_token_create(user=coordinator, name="Kommunens system")
    asked = signed_in(coordinator).post(f"/api-nycklar/{token.pk}/aterkalla/")
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Återkalla nyckeln ”Kommunens system”?" in page and "Ja, återkalla nyckeln" in page
    assert 'name="confirm" value="yes"' in page and "Avbryt" in page
    token.refresh_from_db()
    assert token.revoked_at is None


def test_every_described_by_on_the_token_page_names_an_element_of_the_page(coordinator):
    page = signed_in(coordinator).get("/api-nycklar/").content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert described
    for ids in described:
        for element_id in ids.split():
            assert f'id="{element_id}"' in page, f"aria-describedby names {element_id}, which is not on the page"
