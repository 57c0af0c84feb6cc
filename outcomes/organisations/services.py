"""Writes of associations, users, API tokens, interventions and budgets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.catalog.services import catalog_load
from outcomes.changelog.services import change_record, display_value, snapshot
from outcomes.models import (
    ApiToken,
    Association,
    Budget,
    ChangeKind,
    Dimension,
    DimensionCategory,
    Intervention,
    Member,
    MemberKind,
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
    _dates_check(intervention)
    intervention.full_clean()
    with transaction.atomic():
        intervention.save()
        change_record(
            association=association,
            user=user,
            kind=ChangeKind.INTERVENTION,
            subject=intervention.name,
            before=None,
            after=snapshot(intervention, INTERVENTION_FIELDS),
        )
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
    before = snapshot(intervention, INTERVENTION_FIELDS)
    for name, value in fields.items():
        setattr(intervention, name, value)
    _dates_check(intervention)
    intervention.full_clean()
    with transaction.atomic():
        intervention.save()
        change_record(
            association=intervention.association,
            user=user,
            kind=ChangeKind.INTERVENTION,
            subject=intervention.name,
            before=before,
            after=snapshot(intervention, INTERVENTION_FIELDS),
        )
    return intervention


def budget_set(*, intervention: Intervention, year: int, budget_sek: int, user: User | None = None):
    """Create or replace the intervention's budget for ``year``; answer ``(budget, created)``.

    Setting the same amount again changes nothing. A negative amount or a year outside 1900–2999
    raises ``ValidationError`` naming the field.
    """
    errors = {}
    if not 1900 <= int(year) <= 2999:
        errors["year"] = ValidationError(_("Året ska ligga mellan 1900 och 2999."), code="invalid_year")
    if int(budget_sek) < 0:
        errors["budget_sek"] = ValidationError(_("Budgeten kan inte vara negativ."), code="negative_amount")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        budget, created = Budget.objects.get_or_create(
            intervention=intervention, year=year, defaults={"budget_sek": budget_sek}
        )
        old = None if created else budget.budget_sek
        if not created and budget.budget_sek != budget_sek:
            budget.budget_sek = budget_sek
            budget.save(update_fields=["budget_sek"])
        field = _("beviljade medel %(year)s (kr)") % {"year": year}
        change_record(
            association=intervention.association,
            user=user,
            kind=ChangeKind.BUDGET,
            subject=intervention.name,
            before={field: display_value(old)},
            after={field: display_value(budget.budget_sek)},
        )
    return budget, created


def _dates_check(intervention: Intervention) -> None:
    """An end before the start is refused at ``end`` (the model's constraint would name no field)."""
    if intervention.start and intervention.end and intervention.end < intervention.start:
        raise ValidationError(
            {"end": ValidationError(_("Slutdatum kan inte ligga före startdatum."), code="end_before_start")}
        )


def intervention_end(*, intervention: Intervention, end, user: User | None = None) -> Intervention:
    """End a running intervention on ``end`` (inclusive): it is then listed as ended, and no
    report after that day can be entered. Refused like :func:`intervention_update` (an end before
    the start names ``end``)."""
    if end is None:
        raise ValidationError({"end": ValidationError(_("Ange slutdatum."), code="required")})
    return intervention_update(intervention=intervention, user=user, end=end)


MEMBER_FIELDS = ("name", "kind", "active")
HOME_MUNICIPALITY = "home_municipality"


def member_create(*, association: Association, name: str, kind: str, user: User | None = None) -> Member:
    """Add a member organisation. A municipality also becomes a category of the association's
    *Hemkommun* dimension (a retired category of the same name is brought back), in the same
    transaction. Refused with ``ValidationError`` naming the field: no name, personal data, an
    unknown kind, a name the association already has."""
    member = Member(association=association, name=(name or "").strip(), kind=kind)
    _member_check(member)
    with transaction.atomic():
        member.save()
        if member.kind == MemberKind.MUNICIPALITY:
            member.dimension_category = _home_municipality_category(association, member.name)
            member.save(update_fields=["dimension_category"])
        change_record(
            association=association,
            user=user,
            kind=ChangeKind.MEMBER,
            subject=member.name,
            before=None,
            after=snapshot(member, MEMBER_FIELDS),
        )
    return member


def member_update(*, member: Member, user: User | None = None, **fields) -> Member:
    """Rename a member, change its kind or retire it (``active``); a municipality's category in
    *Hemkommun* follows its name and its being active. Refused like :func:`member_create`."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    before = snapshot(member, MEMBER_FIELDS)
    for name, value in fields.items():
        setattr(member, name, value.strip() if isinstance(value, str) else value)
    _member_check(member)
    with transaction.atomic():
        if member.kind == MemberKind.MUNICIPALITY and member.dimension_category is None:
            member.dimension_category = _home_municipality_category(member.association, member.name)
        category = member.dimension_category
        if category is not None:
            category.label_sv = member.name
            category.active = member.active and member.kind == MemberKind.MUNICIPALITY
            category.save(update_fields=["label_sv", "active"])
        member.save()
        change_record(
            association=member.association,
            user=user,
            kind=ChangeKind.MEMBER,
            subject=member.name,
            before=before,
            after=snapshot(member, MEMBER_FIELDS),
        )
    return member


def _member_check(member: Member) -> None:
    # Compared in Python: SQLite's case-insensitive match knows only ASCII (Ö and ö differ there).
    names = Member.objects.filter(association=member.association).exclude(pk=member.pk).values_list("name", flat=True)
    if member.name and member.name.casefold() in {name.casefold() for name in names}:
        raise ValidationError(
            {"name": ValidationError(_("Förbundet har redan en medlem som heter så."), code="duplicate_member")}
        )
    member.full_clean(exclude=["dimension_category"], validate_constraints=False)


def _home_municipality_category(association: Association, name: str) -> DimensionCategory | None:
    """The *Hemkommun* category for a municipality called ``name``, created if missing (after the
    categories there are, before nothing); None when the association has no such dimension."""
    from django.utils.text import slugify

    dimension = Dimension.objects.filter(association=association, code=HOME_MUNICIPALITY).first()
    if dimension is None:
        return None
    existing = dimension.categories.filter(label_sv__iexact=name).first()
    if existing is not None:
        if not existing.active:
            existing.active = True
            existing.save(update_fields=["active"])
        return existing
    base = slugify(name.replace("ö", "o").replace("ä", "a").replace("å", "a"))[:40] or "kommun"
    code, n = base, 1
    while dimension.categories.filter(code=code).exists():
        n += 1
        code = f"{base}_{n}"
    position = (dimension.categories.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return DimensionCategory.objects.create(dimension=dimension, code=code, label_sv=name, position=position)


SETTINGS_FIELDS = (
    "small_count_threshold",
    "overdue_days",
    "default_yellow_ratio",
    "reminder_emails",
    "support_per_month_sek",
    "annual_salary_sek",
    "income_tax_percent",
    "employer_fee_percent",
    "health_gain_per_year_sek",
)


def association_settings_update(*, association: Association, user: User | None = None, **fields) -> Association:
    """Change some of the association's settings (:data:`SETTINGS_FIELDS`); the others keep their
    values. Refused with ``ValidationError`` naming the field (a percent above 100, a ratio
    outside 0–1, a negative number); nothing is stored then. Each changed value is logged."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings: {sorted(unknown)}")
    association = Association.objects.get(pk=association.pk)
    before = snapshot(association, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(association, name, value)
    association.full_clean()
    with transaction.atomic():
        association.save(update_fields=[*fields] or None)
        change_record(
            association=association,
            user=user,
            kind=ChangeKind.SETTINGS,
            subject=association.name,
            before=before,
            after=snapshot(association, SETTINGS_FIELDS),
        )
    return association
