"""API tokens for member systems: stored hashed, shown once, revocable."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.models.organisation import User
from outcomes.validators import validate_no_personal_data


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A named token that acts as its user, with the user's roles.

    Only the SHA-256 of the secret is stored; the secret itself is shown once when created. A
    revoked token never authenticates again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("användare"))
    name = models.CharField(_("namn"), max_length=100, validators=[validate_no_personal_data])
    prefix = models.CharField(_("början av nyckeln"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
