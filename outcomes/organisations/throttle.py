"""Throttling of failed sign-ins, as an authentication backend in front of Django's own.

After ``LOGIN_THROTTLE_PER_ACCOUNT`` failures for one e-mail address, or
``LOGIN_THROTTLE_PER_ADDRESS`` from one client address, within ``LOGIN_THROTTLE_WINDOW`` seconds,
further attempts are refused without checking the password until the window has passed; the
request is marked so that the sign-in page can say why. Counts live in the default cache (shared
between processes once a shared cache such as Redis is configured). A successful sign-in clears
the account's count. Requests without ``request`` (management commands, the test client's
``login``) are not throttled."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "LOGIN_THROTTLE_PER_ACCOUNT", 5),
        getattr(settings, "LOGIN_THROTTLE_PER_ADDRESS", 20),
        getattr(settings, "LOGIN_THROTTLE_WINDOW", 15 * 60),
    )


def client_address(request) -> str:
    """The client's address. Behind ``LOGIN_THROTTLE_PROXY_COUNT`` reverse proxies it is the
    entry of ``X-Forwarded-For`` that the outermost trusted proxy added (counting from the
    right); entries further left are written by the client and could be forged."""
    proxies = getattr(settings, "LOGIN_THROTTLE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username: str | None) -> tuple[str, str]:
    account = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()
    address = client_address(request)
    return f"login-fail:account:{account}", f"login-fail:address:{address}"


def _failures(key: str) -> int:
    return cache.get(key, 0)


def _add_failure(key: str, window: int) -> None:
    if cache.add(key, 1, timeout=window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)


def is_throttled(request, username: str | None) -> bool:
    per_account, per_address, _window = _limits()
    account_key, address_key = _keys(request, username)
    return _failures(account_key) >= per_account or _failures(address_key) >= per_address


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing further attempts after too many failures; the e-mail
    address is matched case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Addresses are stored in lower case (EmailUserManager); accept them however typed.
        if isinstance(username, str):
            username = username.strip().lower()
        if request is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        if is_throttled(request, username):
            request.login_throttled = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        account_key, address_key = _keys(request, username)
        if user is None:
            window = _limits()[2]
            _add_failure(account_key, window)
            _add_failure(address_key, window)
        else:
            cache.delete(account_key)
        return user


PASSWORD_RESET_WINDOW = 60 * 60


def password_reset_allowed(email: str) -> bool:
    """Count one reset request for ``email`` (case-insensitive); answers whether a mail may be
    sent: at most ``PASSWORD_RESET_MAILS_PER_ADDRESS`` an hour, whether or not the account exists."""
    limit = getattr(settings, "PASSWORD_RESET_MAILS_PER_ADDRESS", 5)
    key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    _add_failure(key, PASSWORD_RESET_WINDOW)
    return _failures(key) <= limit


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending nothing past the hourly limit for an address. The page
    answered is the same "sent" page either way, so it reveals neither the limit nor the account."""

    def get_users(self, email):
        if not password_reset_allowed(email):
            return iter(())
        return super().get_users(email)
