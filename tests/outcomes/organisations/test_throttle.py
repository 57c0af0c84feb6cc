"""Guessing and flooding: failed API authentication per client address, password-reset mails
per e-mail address, and the number of live API tokens per user."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from outcomes.models import ApiToken
from outcomes.organisations.services import api_token_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def guess(secret: str, address: str = "198.51.100.7", **extra):
    api = APIClient()
    if secret:
        api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api.get("/api/v1/interventions/", REMOTE_ADDR=address, **extra)


def test_it_answers_429_with_retry_after_once_one_address_has_guessed_too_many_tokens(settings, staff):
    settings.API_AUTH_FAILURE_RATE = "5/minute"
    answers = [guess(f"wrong-{n}").status_code for n in range(8)]
    assert answers == [401] * 5 + [429] * 3
    refused = guess("wrong-again")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert "Försök igen om" in refused.json()["errors"][0]["message"]

    # Even the right token is refused from that address, so a guess cannot be confirmed ...
    _token, secret = api_token_create(user=staff, name="Rätt")
    assert guess(secret).status_code == 429
    # ... while another address is not affected.
    assert guess(secret, address="203.0.113.9").status_code == 200
    assert guess("wrong", address="203.0.113.9").status_code == 401


def test_it_throttles_requests_without_any_credentials_per_address(settings):
    settings.API_AUTH_FAILURE_RATE = "3/minute"
    assert [guess("").status_code for _ in range(5)] == [401, 401, 401, 429, 429]


def test_behind_a_proxy_the_forwarded_address_is_throttled_for_api_guesses(settings):
    settings.API_AUTH_FAILURE_RATE = "2/minute"
    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    for _ in range(2):
        guess("wrong", address="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert guess("wrong", address="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert guess("wrong", address="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 401


def test_it_sends_at_most_a_few_reset_mails_per_address_and_an_hour_and_says_sent_every_time(coordinator, settings):
    settings.PASSWORD_RESET_MAILS_PER_ADDRESS = 3
    client = Client()
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": coordinator.email.upper()}, follow=True)
        assert "Kolla din e-post" in response.content.decode()
    assert len(mail.outbox) == 3


def test_it_refuses_a_token_past_the_cap_of_live_tokens_with_a_swedish_message(coordinator, settings):
    settings.API_TOKENS_PER_USER = 3
    client = Client()
    assert client.login(email=coordinator.email, password=PASSWORD)
    for n in range(3):
        assert client.post("/api-nycklar/", {"name": f"System {n}"}).status_code == 200
    refused = client.post("/api-nycklar/", {"name": "Ett till"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "högst 3 aktiva API-nycklar" in page and "Återkalla" in page
    assert ApiToken.objects.filter(user=coordinator).count() == 3

    # Revoking one makes room again.
    first = ApiToken.objects.filter(user=coordinator).first()
    client.post(reverse("api-token-revoke", args=[first.pk]), {"confirm": "yes"})
    assert client.post("/api-nycklar/", {"name": "Ett till"}).status_code == 200
    assert ApiToken.objects.usable().filter(user=coordinator).count() == 3
