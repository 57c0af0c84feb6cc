"""Content-Security-Policy on every page; Cache-Control: private, no-store wherever counts,
tokens or exports are answered to someone signed in, and on the whole API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from outcomes.organisations.services import api_token_create
from tests.factories import PASSWORD
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_every_page_carries_a_policy_without_unsafe_inline(staff):
    for response in (Client().get("/konto/login/"), signed_in(staff).get("/")):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_only_the_redoc_page_may_apply_inline_styles_and_no_page_inline_scripts(staff):
    client = signed_in(staff)
    redoc = client.get("/api/v1/redoc/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in redoc and "script-src 'self';" in redoc + ";"
    swagger = client.get("/api/v1/docs/")
    assert "unsafe-inline" not in swagger["Content-Security-Policy"]
    assert b"<script>" not in swagger.content


def test_signed_in_pages_exports_and_the_api_are_never_stored_by_a_cache(staff, association):
    intervention = lekeberg(association)
    client = signed_in(staff)
    for path in (
        "/",
        f"/insatser/{intervention.pk}/2024Q1/",
        f"/resultat/forbund/{association.pk}/?period=2024",
        f"/resultat/forbund/{association.pk}/export.xlsx?period=2024",
        f"/resultat/forbund/{association.pk}/export.csv?period=2024",
        f"/resultat/insatser/{intervention.pk}/mal/",
        "/api/v1/interventions/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path

    _token, secret = api_token_create(user=staff, name="System")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/interventions/")["Cache-Control"] == "private, no-store"
    assert APIClient().get("/api/v1/interventions/")["Cache-Control"] == "private, no-store"  # the 401 too


def test_a_public_page_is_not_marked_private():
    assert "private" not in Client().get("/konto/password_reset/").get("Cache-Control", "")


def test_a_browser_asking_for_english_still_gets_swedish_words_and_numbers(staff, association):
    """The service is Swedish only: an English Accept-Language once gave Swedish texts with
    English number formats ("2,403,500") and Django's own messages in English."""
    lekeberg(association)
    client = signed_in(staff)
    response = client.get(f"/resultat/forbund/{association.pk}/?period=2024", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in html
    assert "2\xa0403\xa0500" in html or "2 403 500" in html
    assert "2,403,500" not in html
    login = Client().post("/konto/login/", {"username": "x@example.org", "password": "fel"}, HTTP_ACCEPT_LANGUAGE="en")
    assert login.status_code == 200 and login["Content-Language"] == "sv"
    assert "Please enter" not in login.content.decode()
