"""``/healthz`` (issue 20): what compose's web health check and a load balancer ask."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_that_the_database_is_ok_without_signing_in_or_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_does_not_answer(client):
    with mock.patch("finsam.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error"}


def test_healthz_answers_the_containers_own_probe_on_an_address_not_in_allowed_hosts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["finsam.example.se"]
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200 and response.json() == {"database": "ok"}


def test_other_pages_still_refuse_a_host_not_in_allowed_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["finsam.example.se"]
    assert client.get("/konto/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
