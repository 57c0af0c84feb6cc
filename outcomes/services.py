"""Every write of the outcomes app: associations, users, catalogs and period reports.

Services are keyword-only functions named noun-then-verb. They validate with the rules of
:mod:`outcomes.rules`, write in one transaction, and announce changes with
:data:`outcomes.signals.report_changed` after the commit, so that nothing is recomputed for a
write that was rolled back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes import signals
from outcomes.models import (
    ApiToken,
    Association,
    BreakdownCount,
    Dimension,
    DimensionCategory,
    ExitCount,
    ExitReason,
    Intervention,
    Membership,
    PeriodReport,
    ReportStatus,
    Role,
    SurveyIndicator,
    SurveyQuestion,
    User,
)
from outcomes.models.tokens import hash_token
from outcomes.periods import PeriodError, base_period
from outcomes.rules import (
    Counts,
    ReportFigures,
    RuleViolation,
    blocking,
    check_report,
    refused_even_for_draft,
    sum_counts,
)
from outcomes.validators import find_identity_numbers


class ReportError(Exception):
    """A write to a report that was refused; ``violations`` says why, field by field."""

    def __init__(self, violations: list[RuleViolation]):
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


class ReportLocked(ReportError):
    """The report is approved and locked until staff reopen it."""


class VersionConflict(ReportError):
    """Somebody saved the report after the version the writer started from."""

    def __init__(self, current: PeriodReport):
        super().__init__(
            [
                RuleViolation(
                    "version_conflict",
                    "version",
                    _(
                        "Rapporten har ändrats av någon annan sedan du öppnade den (nu version "
                        "%(version)s). Öppna den nya versionen och gör dina ändringar där."
                    )
                    % {"version": current.version},
                )
            ]
        )
        self.current = current


# --- associations, users and catalogs ----------------------------------------------------------


def association_create(*, name: str, org_number: str, load_catalog: bool = True) -> Association:
    """Create an association with the default catalogs; raise ``ValidationError`` on bad input."""
    association = Association(name=name, org_number=org_number)
    association.full_clean()
    with transaction.atomic():
        association.save()
        if load_catalog:
            catalog_load(association=association)
    return association


def _default_catalog(name: str) -> dict:
    return json.loads(resources.files("outcomes").joinpath("catalog", f"{name}.json").read_text("utf-8"))


def catalog_load(*, association: Association) -> dict[str, int]:
    """Add the default catalog entries the association does not have yet; answer counts created.

    Idempotent: entries are matched by code and existing ones are left as they are, so a label
    staff renamed or an entry they retired stays renamed or retired.
    """
    created = {"exit_reasons": 0, "dimensions": 0, "categories": 0, "indicators": 0, "survey_questions": 0}
    with transaction.atomic():
        for position, entry in enumerate(_default_catalog("exit_reasons")["exit_reasons"]):
            _obj, new = ExitReason.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={"label_sv": entry["label_sv"], "outcome_class": entry["outcome_class"], "position": position},
            )
            created["exit_reasons"] += new
        for position, entry in enumerate(_default_catalog("dimensions")["dimensions"]):
            dimension, new = Dimension.objects.get_or_create(
                association=association,
                code=entry["code"],
                defaults={"label_sv": entry["label_sv"], "multi_valued": entry["multi_valued"], "position": position},
            )
            created["dimensions"] += new
            for cat_position, category in enumerate(entry["categories"]):
                _obj, new = DimensionCategory.objects.get_or_create(
                    dimension=dimension,
                    code=category["code"],
                    defaults={"label_sv": category["label_sv"], "position": cat_position},
                )
                created["categories"] += new
        surveys = _default_catalog("survey_questions")
        for indicator in surveys["indicators"]:
            _obj, new = SurveyIndicator.objects.get_or_create(
                association=association, number=indicator["number"], defaults={"label_sv": indicator["label_sv"]}
            )
            created["indicators"] += new
        for position, question in enumerate(surveys["questions"]):
            _obj, new = SurveyQuestion.objects.get_or_create(
                association=association,
                code=question["code"],
                defaults={
                    "group": question["group"],
                    "number": question["number"],
                    "indicator": question["indicator"],
                    "scale": question["scale"],
                    "text_sv": question["text_sv"],
                    "position": position,
                },
            )
            created["survey_questions"] += new
    return created


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
    """Create a token for ``user``; answer the stored token and the secret, shown only this once."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:8], key_hash=hash_token(secret))
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token; revoking it again keeps the first revocation time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --- period reports ----------------------------------------------------------------------------


@dataclass
class ReportInput:
    """What a writer sends for one base period.

    ``ongoing_at_start`` ``None`` takes the previous base period's end (zero for the first);
    ``exits`` ``None`` takes the sum of ``exits_by_reason``. Codes left out are zero.
    """

    new: Counts = Counts()
    exits_by_reason: dict[str, Counts] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, Counts]] = field(default_factory=dict)
    ongoing_at_start: Counts | None = None
    exits: Counts | None = None
    spent_sek: int = 0
    comment: str = ""


@dataclass
class SaveResult:
    report: PeriodReport
    created: bool
    changed: bool
    warnings: list[RuleViolation]


def previous_ongoing_at_end(*, intervention: Intervention, period_code: str) -> Counts | None:
    """The ongoing-at-end of the base period before ``period_code``, or ``None`` if not reported."""
    previous = base_period(period_code, intervention.frequency).previous()
    report = PeriodReport.objects.filter(intervention=intervention, period=previous.code).first()
    return report.ongoing_at_start + report.new - report.exits if report else None


def _normalise(figures: ReportFigures) -> ReportFigures:
    """Drop all-zero rows so that "left out" and "zero" compare equal."""
    return ReportFigures(
        ongoing_at_start=figures.ongoing_at_start,
        new=figures.new,
        exits=figures.exits,
        exits_by_reason={k: v for k, v in figures.exits_by_reason.items() if v.total or min(v.as_dict().values()) < 0},
        breakdowns={
            d: {c: v for c, v in cats.items() if v.total or min(v.as_dict().values()) < 0}
            for d, cats in figures.breakdowns.items()
            if any(v.total or min(v.as_dict().values()) < 0 for v in cats.values())
        },
        spent_sek=figures.spent_sek,
    )


@dataclass
class ReportCatalog:
    """The catalog entries a report save looks codes up in, loaded once per association.

    An import of many reports passes one to :func:`report_save` so that the catalogs are read
    once for the whole import rather than once per report.
    """

    reasons: dict[str, ExitReason]
    categories: dict[tuple[str, str], DimensionCategory]
    single_valued_dimensions: list[str]


def report_catalog(*, association_id: int) -> ReportCatalog:
    """Every exit reason and dimension category of the association (retired ones included), and
    the codes of its active single-valued dimensions (those with a sum rule); three queries."""
    return ReportCatalog(
        reasons={r.code: r for r in ExitReason.objects.filter(association_id=association_id)},
        categories={
            (c.dimension.code, c.code): c
            for c in DimensionCategory.objects.filter(dimension__association_id=association_id).select_related(
                "dimension"
            )
        },
        single_valued_dimensions=list(
            Dimension.objects.filter(association_id=association_id, multi_valued=False, active=True).values_list(
                "code", flat=True
            )
        ),
    )


def _resolve_codes(intervention: Intervention, figures: ReportFigures, catalog: ReportCatalog | None = None):
    """Map codes to catalog rows; unknown or retired-and-unused codes become violations."""
    if catalog is None:
        catalog = report_catalog(association_id=intervention.association_id)
    reasons, categories = catalog.reasons, catalog.categories
    violations = []
    for index, code in enumerate(figures.exits_by_reason):
        if code not in reasons:
            violations.append(
                RuleViolation(
                    "unknown_code",
                    f"exits[{index}].reason",
                    _("Okänd avslutsorsak ”%(code)s”.") % {"code": code},
                )
            )
    index = 0
    for dimension, cats in figures.breakdowns.items():
        for category in cats:
            if (dimension, category) not in categories:
                violations.append(
                    RuleViolation(
                        "unknown_code",
                        f"breakdowns[{index}].category",
                        _("Okänd kategori ”%(category)s” i bakgrundsvariabeln ”%(dimension)s”.")
                        % {"category": category, "dimension": dimension},
                    )
                )
            index += 1
    return reasons, categories, violations


_NOT_GIVEN = object()


def report_check(
    *,
    intervention: Intervention,
    period_code: str,
    figures: ReportFigures,
    catalog: ReportCatalog | None = None,
    previous_end=_NOT_GIVEN,
) -> list[RuleViolation]:
    """Every rule the figures break for this intervention and base period (errors and warnings).

    ``catalog`` and ``previous_end`` (the previous base period's ongoing at end, ``None`` when not
    reported) may be passed by a caller that already has them, to save their queries.
    """
    if catalog is not None:
        single_valued = catalog.single_valued_dimensions
    else:
        single_valued = Dimension.objects.filter(
            association_id=intervention.association_id, multi_valued=False, active=True
        ).values_list("code", flat=True)
    if previous_end is _NOT_GIVEN:
        previous_end = previous_ongoing_at_end(intervention=intervention, period_code=period_code)
    return check_report(
        figures,
        single_valued_dimensions=list(single_valued),
        previous_ongoing_at_end=previous_end,
    )


def report_save(
    *,
    intervention: Intervention,
    period_code: str,
    data: ReportInput,
    user: User | None = None,
    expected_version: int | None = None,
    catalog: ReportCatalog | None = None,
) -> SaveResult:
    """Create or replace the report of one base period as a draft-level save.

    Refused with :class:`ReportError` (nothing stored) for a period that is not a base period of
    the intervention, unknown codes, negative numbers and personal data in the comment; with
    :class:`ReportLocked` for an approved report and :class:`VersionConflict` when
    ``expected_version`` is not the stored version. Sum rules may be broken and come back as
    ``warnings``. Saving the same content again changes nothing: the version stays. ``catalog``
    (from :func:`report_catalog`) saves the catalog queries when many reports are saved at once.
    """
    try:
        period = base_period(period_code, intervention.frequency)
    except PeriodError as exc:
        raise ReportError([RuleViolation(exc.code, "period", exc.message)]) from exc
    violations = []
    if period.end < intervention.start or (intervention.end and period.start > intervention.end):
        violations.append(
            RuleViolation(
                "period_outside_intervention",
                "period",
                _("Perioden %(period)s ligger utanför insatsens tid.") % {"period": period.code},
            )
        )
    if find_identity_numbers(data.comment):
        violations.append(
            RuleViolation(
                "personal_data",
                "comment",
                _("Kommentaren innehåller något som liknar ett personnummer. Ta bort det."),
            )
        )

    with transaction.atomic():
        # Writers of one intervention queue on its row: locking the report row alone cannot stop
        # two first saves of the same period from both inserting.
        list(Intervention.objects.select_for_update().filter(pk=intervention.pk).values_list("pk", flat=True))
        report = PeriodReport.objects.select_for_update().filter(intervention=intervention, period=period.code).first()
        if report is not None and report.is_locked:
            raise ReportLocked(
                [
                    RuleViolation(
                        "report_locked",
                        "status",
                        _("Rapporten är godkänd och låst. Be förbundet öppna den igen för att ändra."),
                    )
                ]
            )
        current_version = report.version if report else 0
        if expected_version is not None and expected_version != current_version:
            raise (
                VersionConflict(report)
                if report
                else ReportError([RuleViolation("version_conflict", "version", _("Rapporten finns inte ännu."))])
            )

        previous_end = previous_ongoing_at_end(intervention=intervention, period_code=period.code)
        start = data.ongoing_at_start
        if start is None:
            start = previous_end or Counts()
        exits = data.exits if data.exits is not None else sum_counts(data.exits_by_reason.values())
        figures = _normalise(
            ReportFigures(
                ongoing_at_start=start,
                new=data.new,
                exits=exits,
                exits_by_reason=dict(data.exits_by_reason),
                breakdowns={d: dict(c) for d, c in data.breakdowns.items()},
                spent_sek=data.spent_sek,
            )
        )
        if catalog is None:
            catalog = report_catalog(association_id=intervention.association_id)
        reasons, categories, unknown = _resolve_codes(intervention, figures, catalog)
        checked = report_check(
            intervention=intervention,
            period_code=period.code,
            figures=figures,
            catalog=catalog,
            previous_end=previous_end,
        )
        violations += unknown + refused_even_for_draft(checked)
        if violations:
            raise ReportError(violations)
        warnings = [v for v in checked if v not in violations]

        if report is not None and _normalise(report.figures()) == figures and report.comment == data.comment:
            return SaveResult(report=report, created=False, changed=False, warnings=warnings)

        created = report is None
        if created:
            report = PeriodReport(intervention=intervention, period=period.code)
        else:
            report.version += 1
        report.ongoing_at_start, report.new, report.exits = figures.ongoing_at_start, figures.new, figures.exits
        report.spent_sek, report.comment = figures.spent_sek, data.comment
        report.save()
        if not created:  # a new report has no rows to replace
            report.exit_counts.all().delete()
            report.breakdown_counts.all().delete()
        ExitCount.objects.bulk_create(
            ExitCount(report=report, reason=reasons[code], **counts.as_dict())
            for code, counts in figures.exits_by_reason.items()
        )
        BreakdownCount.objects.bulk_create(
            BreakdownCount(report=report, category=categories[(dimension, code)], **counts.as_dict())
            for dimension, cats in figures.breakdowns.items()
            for code, counts in cats.items()
        )
        signals.announce_report_change(report=report, action="saved", user=user)
    return SaveResult(report=report, created=created, changed=True, warnings=warnings)


def _transition(report: PeriodReport, *, allowed_from: tuple[str, ...], to: str, action: str, user) -> PeriodReport:
    if report.status not in allowed_from:
        raise ReportError(
            [
                RuleViolation(
                    "invalid_transition",
                    "status",
                    _("Rapporten har status %(status)s och kan inte %(action)s.")
                    % {"status": report.get_status_display(), "action": action},
                )
            ]
        )
    report.status = to
    report.version += 1
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        report.submitted_at = now
    elif to == ReportStatus.APPROVED:
        report.approved_at = now
    report.save()
    signals.announce_report_change(report=report, action=to, user=user)
    return report


def report_submit(*, report: PeriodReport, user: User | None = None) -> PeriodReport:
    """Draft to submitted; :class:`ReportError` lists every broken rule and nothing changes."""
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        broken = blocking(
            report_check(intervention=report.intervention, period_code=report.period, figures=report.figures())
        )
        if report.status == ReportStatus.DRAFT and broken:
            raise ReportError(broken)
        return _transition(
            report, allowed_from=(ReportStatus.DRAFT,), to=ReportStatus.SUBMITTED, action=_("skickas in"), user=user
        )


def report_recall(*, report: PeriodReport, user: User | None = None) -> PeriodReport:
    """Submitted back to draft, allowed until the report is approved."""
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        return _transition(
            report, allowed_from=(ReportStatus.SUBMITTED,), to=ReportStatus.DRAFT, action=_("återkallas"), user=user
        )


def report_approve(*, report: PeriodReport, user: User | None = None) -> PeriodReport:
    """Submitted to approved, which locks the report."""
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        return _transition(
            report, allowed_from=(ReportStatus.SUBMITTED,), to=ReportStatus.APPROVED, action=_("godkännas"), user=user
        )


def report_reopen(*, report: PeriodReport, reason: str, user: User | None = None) -> PeriodReport:
    """Approved back to draft; staff must give a reason, which may not hold personal data."""
    if not (reason or "").strip():
        raise ReportError([RuleViolation("reason_required", "reason", _("Ange varför rapporten öppnas igen."))])
    if find_identity_numbers(reason):
        raise ReportError(
            [RuleViolation("personal_data", "reason", _("Motiveringen innehåller något som liknar ett personnummer."))]
        )
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        return _transition(
            report, allowed_from=(ReportStatus.APPROVED,), to=ReportStatus.DRAFT, action=_("öppnas igen"), user=user
        )


# --- interventions and budgets (API issue 5) ---------------------------------------------------

INTERVENTION_FIELDS = ("name", "owner", "kind", "frequency", "start", "end", "active")


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
