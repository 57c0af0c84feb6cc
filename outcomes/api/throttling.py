"""Per-token request throttling: ``API_THROTTLE_RATE`` requests per period for each API token.

A request signed in with a token counts against that token; a browser session counts against
its user, and an anonymous request against its address. Past the limit the API answers ``429``
with ``Retry-After`` (in the contract's error format, code ``throttled``).

Failed authentication (no or an invalid token) is throttled per client address instead
(``API_AUTH_FAILURE_RATE``), see the functions at the end.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from outcomes.models import ApiToken
from outcomes.organisations.throttle import client_address


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


# --- failed authentication per client address ------------------------------------------------
# DRF authenticates (and checks permissions) before any throttle runs, so requests without a
# valid token were never throttled. Failures are counted where their 401 is answered
# (``outcomes.api.errors.exception_handler``); once an address is over ``API_AUTH_FAILURE_RATE``
# every token it presents is refused with 429 before it is looked up, so a guess cannot be
# confirmed by a different answer. The address is the sign-in throttle's (``client_address``,
# honouring ``LOGIN_THROTTLE_PROXY_COUNT``).


def _auth_failure_rate() -> tuple[int, int] | None:
    rate = getattr(settings, "API_AUTH_FAILURE_RATE", None)
    return SimpleRateThrottle.parse_rate(None, rate) if rate else None


def _auth_failure_key(request) -> str:
    return f"api-auth-fail:{client_address(request)}"


def _recent_failures(request, duration: int) -> list[float]:
    now = time.time()
    return [t for t in cache.get(_auth_failure_key(request), []) if t > now - duration]


def auth_failure_wait(request) -> float | None:
    """Seconds until the address may try again, or ``None`` while it is under the limit."""
    rate = _auth_failure_rate()
    if rate is None:
        return None
    limit, duration = rate
    failures = _recent_failures(request, duration)
    if len(failures) < limit:
        return None
    return max(1.0, duration - (time.time() - failures[-limit]))


def auth_failure_record(request) -> None:
    """Count one failed authentication (a 401) against the request's client address."""
    rate = _auth_failure_rate()
    if rate is None:
        return
    _limit, duration = rate
    failures = _recent_failures(request, duration)
    failures.append(time.time())
    cache.set(_auth_failure_key(request), failures, duration)
