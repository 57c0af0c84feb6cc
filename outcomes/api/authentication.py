from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from outcomes.models import ApiToken
from outcomes.models.tokens import hash_token


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <secret>``, looked up by the secret's hash."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ogiltig eller återkallad API-nyckel."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token
