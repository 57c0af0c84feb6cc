"""Writes of associations, users, API tokens, interventions and budgets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.catalog.services import catalog_load
from outcomes.models import (
    ApiToken,
    Association,
    Intervention,
    Membership,
    PeriodReport,
    Role,
    User,
)
from outcomes.organisations.models import hash_token


def association_create(*, name: str, org_number: str, load_catalog: bool = True) -> Association:
    """Create an association with the default catalogs; raise ``ValidationError`` on bad input."""
    association = Association(name=name, org_number=org_number)
    association.full_clean()
    with transaction.atomic():
        association.save()
        if load_catalog:
            catalog_load(association=association)
    return association


def user_create(
    *,
    email: str,
    association: Association,
    role: str,
    intervention: Intervention | None = None,
    password: str | None = None,
) -> User:
    """Create the user if new and grant the role; granting the same role twice changes nothing.

    A coordinator needs an intervention of the same association; staff and viewers must not have
    one. Raises ``ValidationError`` naming the rule.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Okänd roll ”%(role)s”.") % {"role": role}})
    if role == Role.COORDINATOR and intervention is None:
        raise ValidationError({"intervention": _("En samordnare måste behörighetsges för en insats.")})
    if role != Role.COORDINATOR and intervention is not None:
        raise ValidationError({"intervention": _("Personal och läsare behörighetsges för hela förbundet.")})
    if intervention is not None and intervention.association_id != association.pk:
        raise ValidationError({"intervention": _("Insatsen hör till ett annat förbund.")})
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password)
        elif password:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, association=association, intervention=intervention, role=role)
    return user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; answer the stored token and the secret, shown only this once.

    A name with personal data (or none) raises ``ValidationError`` on ``name``; nothing is stored.
    Refused with ``ValidationError`` (code ``token_limit``) when the user already holds
    ``API_TOKENS_PER_USER`` live tokens: revoking one makes room.
    """
    limit = getattr(settings, "API_TOKENS_PER_USER", 20)
    if ApiToken.objects.usable().filter(user=user).count() >= limit:
        raise ValidationError(
            {
                "name": ValidationError(
                    _("Du har redan högst %(limit)s aktiva API-nycklar. Återkalla en nyckel innan du skapar en ny.")
                    % {"limit": limit},
                    code="token_limit",
                )
            }
        )
    secret = ApiToken.new_secret()
    token = ApiToken(user=user, name=name, prefix=secret[:8], key_hash=hash_token(secret))
    token.full_clean(exclude=["key_hash"])
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token; revoking it again keeps the first revocation time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


INTERVENTION_FIELDS = ("name", "owner", "kind", "frequency", "start", "end", "places", "active")


def intervention_create(*, association: Association, user: User | None = None, **fields) -> Intervention:
    """Create an intervention of ``association`` from the fields in :data:`INTERVENTION_FIELDS`.

    Raises ``ValidationError`` naming the field and the rule (personal data in the name or owner,
    an end before the start, an unknown kind or frequency); nothing is stored then.
    """
    unknown = set(fields) - set(INTERVENTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown intervention fields: {sorted(unknown)}")
    intervention = Intervention(association=association, **fields)
    intervention.full_clean()
    intervention.save()
    return intervention


def intervention_update(*, intervention: Intervention, user: User | None = None, **fields) -> Intervention:
    """Change some of the fields in :data:`INTERVENTION_FIELDS`; the others keep their values.

    The reporting frequency cannot change once the intervention has reports, because every stored
    report is one base period of the old frequency; that is refused with code
    ``frequency_has_reports``. Raises ``ValidationError`` and stores nothing on bad input.
    """
    unknown = set(fields) - set(INTERVENTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown intervention fields: {sorted(unknown)}")
    if (
        "frequency" in fields
        and fields["frequency"] != intervention.frequency
        and PeriodReport.objects.filter(intervention=intervention).exists()
    ):
        raise ValidationError(
            {
                "frequency": ValidationError(
                    _("Rapporteringsfrekvensen kan inte ändras när insatsen redan har rapporter."),
                    code="frequency_has_reports",
                )
            }
        )
    for name, value in fields.items():
        setattr(intervention, name, value)
    intervention.full_clean()
    intervention.save()
    return intervention


def budget_set(*, intervention: Intervention, year: int, budget_sek: int, user: User | None = None):
    """Create or replace the intervention's budget for ``year``; answer ``(budget, created)``.

    Setting the same amount again changes nothing. A negative amount or a year outside 1900–2999
    raises ``ValidationError`` naming the field.
    """
    from outcomes.models import Budget

    errors = {}
    if not 1900 <= int(year) <= 2999:
        errors["year"] = ValidationError(_("Året ska ligga mellan 1900 och 2999."), code="invalid_year")
    if int(budget_sek) < 0:
        errors["budget_sek"] = ValidationError(_("Budgeten kan inte vara negativ."), code="negative_amount")
    if errors:
        raise ValidationError(errors)
    budget, created = Budget.objects.get_or_create(
        intervention=intervention, year=year, defaults={"budget_sek": budget_sek}
    )
    if not created and budget.budget_sek != budget_sek:
        budget.budget_sek = budget_sek
        budget.save(update_fields=["budget_sek"])
    return budget, created
