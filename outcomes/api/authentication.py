from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from outcomes.api.throttling import auth_failure_wait
from outcomes.models import ApiToken
from outcomes.organisations.models import hash_token

#: ``last_used_at`` is a coarse "still in use" hint; writing it on every request would make every
#: request of a member system wait for the same row lock inside its transaction.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <secret>``, looked up by the secret's hash.

    From an address with too many failed attempts (``API_AUTH_FAILURE_RATE``) any token is
    refused with 429 before it is looked up, so the answer cannot tell a right guess from a wrong one.
    """

    def authenticate(self, request):
        scheme = authentication.get_authorization_header(request).split()[:1]
        if scheme and scheme[0].lower() == self.keyword.lower().encode():
            wait = auth_failure_wait(request)
            if wait is not None:
                raise exceptions.Throttled(wait=wait)
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ogiltig eller återkallad API-nyckel."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
