"""Per-token request throttling: ``API_THROTTLE_RATE`` requests per period for each API token.

A request signed in with a token counts against that token; a browser session counts against
its user, and an anonymous request against its address. Past the limit the API answers ``429``
with ``Retry-After`` (in the contract's error format, code ``throttled``).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from outcomes.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read on every request (not at import) so that a changed setting takes effect in tests.
        return getattr(settings, "API_THROTTLE_RATE", None) or None

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            # The hash, not the row id: ids are reused after a rollback, hashes never.
            ident = f"token-{request.auth.key_hash}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
