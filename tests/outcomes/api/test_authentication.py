from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed

from outcomes.api.authentication import HashedTokenAuthentication
from outcomes.models import ApiToken
from outcomes.organisations.services import api_token_create, api_token_revoke


def test_a_token_records_when_it_was_last_used_at_most_once_a_minute(staff):
    stored, secret = api_token_create(user=staff, name="Verksamhetssystem")
    auth = HashedTokenAuthentication()
    auth.authenticate_credentials(secret)
    first = ApiToken.objects.get(pk=stored.pk).last_used_at
    auth.authenticate_credentials(secret)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at == first

    ApiToken.objects.filter(pk=stored.pk).update(last_used_at=first - timedelta(minutes=2))
    auth.authenticate_credentials(secret)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at > first - timedelta(seconds=1)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at <= timezone.now()


def test_a_revoked_token_is_refused_in_swedish(staff):
    stored, secret = api_token_create(user=staff, name="Gammal")
    api_token_revoke(token=stored)
    with pytest.raises(AuthenticationFailed, match="återkallad"):
        HashedTokenAuthentication().authenticate_credentials(secret)
