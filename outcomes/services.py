"""Every write of the outcomes app: associations, users, catalogs and period reports.

Services are keyword-only functions named noun-then-verb. They validate with the rules of
:mod:`outcomes.rules`, write in one transaction, and announce changes with
:data:`outcomes.signals.report_changed` after the commit, so that nothing is recomputed for a
write that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
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
    HistoryKind,
    Intervention,
    Membership,
    PeriodReport,
    ReportHistory,
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
    check_budget,
    check_report,
    refused_even_for_draft,
    sum_counts,
)
from outcomes.validators import personal_data_message


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
    """What :func:`report_save` did. ``figures`` are the report's figures as stored after the
    save, so that a caller can answer with them without reading the rows back."""

    report: PeriodReport
    created: bool
    changed: bool
    warnings: list[RuleViolation]
    figures: ReportFigures | None = None


def _ongoing_at_end(report: PeriodReport | None) -> Counts | None:
    return report.ongoing_at_start + report.new - report.exits if report else None


def previous_ongoing_at_end(*, intervention: Intervention, period_code: str) -> Counts | None:
    """The ongoing-at-end of the base period before ``period_code``, or ``None`` if not reported."""
    previous = base_period(period_code, intervention.frequency).previous()
    return _ongoing_at_end(PeriodReport.objects.filter(intervention=intervention, period=previous.code).first())


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
    """The catalog ids a report save looks codes up in, loaded once per association.

    An import of many reports passes one to :func:`report_save` so that the catalogs are read
    once for the whole import rather than once per report.
    """

    reasons: dict[str, int]
    categories: dict[tuple[str, str], int]
    single_valued_dimensions: list[str]
    #: Retired exit reasons by code, with their labels.
    retired_reasons: dict[str, str] = field(default_factory=dict)
    #: Retired categories (or categories of a retired dimension) by ``(dimension, category)``,
    #: with the labels of the dimension and the category.
    retired_categories: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def report_catalog(*, association_id: int) -> ReportCatalog:
    """The ids of every exit reason and dimension category of the association by code (retired
    ones included, and listed apart with their labels), and the codes of its active single-valued
    dimensions (those with a sum rule), in their catalog order.

    One query: every PUT reads the catalog, and three ORM queries were a sixth of its CPU time.
    """
    reason, category, dimension = ExitReason._meta.db_table, DimensionCategory._meta.db_table, Dimension._meta.db_table
    sql = (  # table names from the models, values as parameters
        f"SELECT 'r', code, '', id, 0, active, label_sv, '' FROM {reason} WHERE association_id = %s"
        " UNION ALL"
        f" SELECT 'c', d.code, c.code, c.id, 0, c.active AND d.active, c.label_sv, d.label_sv FROM {category} c"
        f" INNER JOIN {dimension} d ON d.id = c.dimension_id WHERE d.association_id = %s"
        " UNION ALL"
        f" SELECT 'd', code, '', id, position, active, '', '' FROM {dimension}"
        " WHERE association_id = %s AND NOT multi_valued AND active"
        " ORDER BY 1, 5, 2"
    )
    catalog = ReportCatalog(reasons={}, categories={}, single_valued_dimensions=[])
    with connection.cursor() as cursor:
        cursor.execute(sql, [association_id] * 3)
        for kind, code, subcode, pk, _position, active, label, dimension_label in cursor.fetchall():
            if kind == "r":
                catalog.reasons[code] = pk
                if not active:
                    catalog.retired_reasons[code] = label
            elif kind == "c":
                catalog.categories[(code, subcode)] = pk
                if not active:
                    catalog.retired_categories[(code, subcode)] = (dimension_label, label)
            else:
                catalog.single_valued_dimensions.append(code)
    return catalog


def _resolve_codes(
    intervention: Intervention,
    figures: ReportFigures,
    catalog: ReportCatalog | None = None,
    stored: ReportFigures | None = None,
):
    """Map codes to catalog rows; unknown codes, and retired ones that the ``stored`` figures of
    the report do not already count, become violations (``unknown_code``, ``retired_reason``,
    ``retired_category``). A report keeps the retired entries it counted before it was retired."""
    if catalog is None:
        catalog = report_catalog(association_id=intervention.association_id)
    reasons, categories = catalog.reasons, catalog.categories
    used_reasons = set(stored.exits_by_reason) if stored else set()
    used_categories = {(d, c) for d, cats in stored.breakdowns.items() for c in cats} if stored else set()
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
        elif code in catalog.retired_reasons and code not in used_reasons:
            violations.append(
                RuleViolation(
                    "retired_reason",
                    f"exits[{index}].reason",
                    _("Avslutsorsaken ”%(label)s” har utgått och kan inte användas i nya rapporter.")
                    % {"label": catalog.retired_reasons[code]},
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
            elif (dimension, category) in catalog.retired_categories and (dimension, category) not in used_categories:
                dimension_label, label = catalog.retired_categories[(dimension, category)]
                violations.append(
                    RuleViolation(
                        "retired_category",
                        f"breakdowns[{index}].category",
                        _(
                            "Kategorin ”%(category)s” i bakgrundsvariabeln ”%(dimension)s” har utgått och kan "
                            "inte användas i nya rapporter."
                        )
                        % {"category": label, "dimension": dimension_label},
                    )
                )
            index += 1
    return reasons, categories, violations


_NOT_GIVEN = object()


@dataclass(frozen=True)
class YearBudget:
    """The budget of a base period's year (``None``: none set) and what the intervention's other
    base periods of that year spent, for the ``over_budget`` warning."""

    year: int
    budget_sek: int | None
    spent_elsewhere_sek: int


def _year_budget_columns(period) -> dict:
    """Annotations of an ``Intervention`` queryset with the year's budget and the spending of its
    other reports of the year, so that a query already made can bring them along."""
    from outcomes.models import Budget

    others = (
        PeriodReport.objects.filter(
            intervention_id=OuterRef("pk"),
            period_start__gte=dt.date(period.year, 1, 1),
            period_start__lte=dt.date(period.year, 12, 31),
        )
        .exclude(period=period.code)
        .order_by()
        .values("intervention_id")
        .annotate(spent=Sum("spent_sek"))
        .values("spent")
    )
    budget = Budget.objects.filter(intervention_id=OuterRef("pk"), year=period.year).values("budget_sek")[:1]
    return {"year_budget_sek": Subquery(budget), "year_spent_elsewhere_sek": Subquery(others)}


def _year_budget_from(period, row) -> YearBudget:
    budget_sek, spent_elsewhere = row
    return YearBudget(year=period.year, budget_sek=budget_sek, spent_elsewhere_sek=spent_elsewhere or 0)


def year_budget(*, intervention: Intervention, period_code: str) -> YearBudget:
    """The budget of the base period's year and the spending of the year's other reports (one query)."""
    period = base_period(period_code, intervention.frequency)
    row = (
        Intervention.objects.filter(pk=intervention.pk)
        .annotate(**_year_budget_columns(period))
        .values_list("year_budget_sek", "year_spent_elsewhere_sek")
        .get()
    )
    return _year_budget_from(period, row)


def report_check(
    *,
    intervention: Intervention,
    period_code: str,
    figures: ReportFigures,
    catalog: ReportCatalog | None = None,
    previous_end=_NOT_GIVEN,
    budget=_NOT_GIVEN,
) -> list[RuleViolation]:
    """Every rule the figures break for this intervention and base period (errors and warnings),
    with the ``over_budget`` warning when the year's spending goes past its budget.

    ``catalog``, ``previous_end`` (the previous base period's ongoing at end, ``None`` when not
    reported) and ``budget`` (a :class:`YearBudget`; ``None`` leaves the budget unchecked) may be
    passed by a caller that already has them, to save their queries.
    """
    if catalog is not None:
        single_valued = catalog.single_valued_dimensions
    else:
        single_valued = Dimension.objects.filter(
            association_id=intervention.association_id, multi_valued=False, active=True
        ).values_list("code", flat=True)
    if previous_end is _NOT_GIVEN:
        previous_end = previous_ongoing_at_end(intervention=intervention, period_code=period_code)
    if budget is _NOT_GIVEN:
        budget = year_budget(intervention=intervention, period_code=period_code)
    violations = check_report(
        figures,
        single_valued_dimensions=list(single_valued),
        previous_ongoing_at_end=previous_end,
    )
    if budget is not None:
        violations += check_budget(
            year=budget.year,
            budget_sek=budget.budget_sek,
            year_spent_sek=budget.spent_elsewhere_sek + figures.spent_sek,
            spent_sek=figures.spent_sek,
        )
    return violations


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
    with transaction.atomic():
        # Writers of one intervention queue on its row: locking the report row alone cannot stop
        # two first saves of the same period from both inserting. The lock brings the year's
        # budget and other spending along (for the over_budget warning) rather than a query more.
        budget = _year_budget_from(
            period,
            Intervention.objects.select_for_update()
            .filter(pk=intervention.pk)
            .annotate(**_year_budget_columns(period))
            .values_list("year_budget_sek", "year_spent_elsewhere_sek")
            .get(),
        )
        # The report and the one before it in one query; the intervention lock already keeps
        # other saves away from both, the row lock keeps status changes off this one.
        previous_code = period.previous().code
        stored = {
            r.period: r
            for r in PeriodReport.objects.select_for_update().filter(
                intervention=intervention, period__in=[period.code, previous_code]
            )
        }
        if catalog is None:
            catalog = report_catalog(association_id=intervention.association_id)
        save = _report_plan(
            intervention=intervention,
            period=period,
            data=data,
            report=stored.get(period.code),
            previous_end=_ongoing_at_end(stored.get(previous_code)),
            catalog=catalog,
            expected_version=expected_version,
            budget=budget,
        )
        _reports_write([save], user=user)
    return SaveResult(
        report=save.report, created=save.created, changed=save.changed, warnings=save.warnings, figures=save.figures
    )


@dataclass
class _PlannedSave:
    """One checked save, not yet written: the report with its new values set in memory."""

    report: PeriodReport
    created: bool
    changed: bool
    warnings: list[RuleViolation]
    figures: ReportFigures
    comment: str = ""
    before: dict[str, str] | None = None
    exit_rows: list[tuple[int, Counts]] = field(default_factory=list)  # reason id, counts
    breakdown_rows: list[tuple[int, Counts]] = field(default_factory=list)  # category id, counts
    replaces_exit_rows: bool = False
    replaces_breakdown_rows: bool = False


def _report_plan(
    *,
    intervention: Intervention,
    period,
    data: ReportInput,
    report: PeriodReport | None,
    previous_end: Counts | None,
    catalog: ReportCatalog,
    expected_version: int | None,
    budget: YearBudget | None = None,
) -> _PlannedSave:
    """Check a save of ``data`` over the stored ``report`` (``None``: not reported yet) without
    touching the database beyond the stored report's rows; raise what :func:`report_save` raises.

    The caller holds the intervention's lock and passes the previous period's ongoing at end and
    the year's budget (``None``: not checked, as in an import, whose answer has no warnings).
    """
    violations = []
    if period.end < intervention.start or (intervention.end and period.start > intervention.end):
        violations.append(
            RuleViolation(
                "period_outside_intervention",
                "period",
                _("Perioden %(period)s ligger utanför insatsens tid.") % {"period": period.code},
            )
        )
    comment_refusal = personal_data_message(data.comment)
    if comment_refusal:
        violations.append(RuleViolation("personal_data", "comment", comment_refusal))
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
    stored_figures = report.figures() if report is not None else None
    reasons, categories, unknown = _resolve_codes(intervention, figures, catalog, stored_figures)
    checked = report_check(
        intervention=intervention,
        period_code=period.code,
        figures=figures,
        catalog=catalog,
        previous_end=previous_end,
        budget=budget,
    )
    violations += unknown + refused_even_for_draft(checked)
    if violations:
        raise ReportError(violations)
    warnings = [v for v in checked if v not in violations]

    stored = _normalise(stored_figures) if report is not None else None
    if report is not None and stored == figures and report.comment == data.comment:
        return _PlannedSave(report=report, created=False, changed=False, warnings=warnings, figures=stored_figures)

    created = report is None
    before = None if created else _history_values(stored, report.comment)
    if created:
        report = PeriodReport(
            intervention=intervention, period=period.code, period_start=period.start, period_end=period.end
        )
    else:
        report.version += 1
    report.ongoing_at_start, report.new, report.exits = figures.ongoing_at_start, figures.new, figures.exits
    report.spent_sek, report.comment = figures.spent_sek, data.comment
    return _PlannedSave(
        report=report,
        created=created,
        changed=True,
        warnings=warnings,
        figures=figures,
        comment=data.comment,
        before=before,
        exit_rows=[(reasons[code], counts) for code, counts in figures.exits_by_reason.items()],
        breakdown_rows=[
            (categories[(dimension, code)], counts)
            for dimension, cats in figures.breakdowns.items()
            for code, counts in cats.items()
        ],
        # A new report has no rows to replace; nor has a stored one whose figures had none.
        replaces_exit_rows=not created and bool(stored_figures.exits_by_reason),
        replaces_breakdown_rows=not created and bool(stored_figures.breakdowns),
    )


#: Columns a save changes on a stored report (``bulk_update`` does not set ``auto_now`` fields).
_SAVED_FIELDS = [
    *(f"{kind}_{gender}" for kind in ("ongoing_start", "new", "exits") for gender in ("women", "men", "other")),
    "spent_sek",
    "comment",
    "version",
    "updated_at",
]
_BATCH = 500


def _rows_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values of ``columns``, every column without a database default) into the
    table of ``model``, many rows per statement.

    A new report brings over a hundred rows of counts and history; building a model instance for
    each for ``bulk_create`` was most of the CPU time of an import and a third of a first PUT's.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    # Statements of at most about 4 kB: psycopg caches the parsing of those, and parsing longer
    # ones anew took more time than sending more statements.
    per_statement = max(
        1,
        min((4000 - len(head)) // (len(row_sql) + 2), (connection.features.max_query_params or 10**6) // len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([row_sql] * len(chunk)), [value for row in chunk for value in row])


def _reports_write(saves: list[_PlannedSave], *, user: User | None) -> None:
    """Write the changed ``saves``, their rows by reason and category and their history, with a
    fixed number of queries however many there are, and announce each on commit."""
    saves = [s for s in saves if s.changed]
    if not saves:
        return
    if len(saves) == 1:
        saves[0].report.save()
    else:
        PeriodReport.objects.bulk_create([s.report for s in saves if s.created], batch_size=_BATCH)
        updated = [s.report for s in saves if not s.created]
        now = timezone.now()
        for report in updated:
            report.updated_at = now
        PeriodReport.objects.bulk_update(updated, _SAVED_FIELDS, batch_size=_BATCH)
    stale_exits = [s.report.pk for s in saves if s.replaces_exit_rows]
    if stale_exits:
        ExitCount.objects.filter(report_id__in=stale_exits).delete()
    stale_breakdowns = [s.report.pk for s in saves if s.replaces_breakdown_rows]
    if stale_breakdowns:
        BreakdownCount.objects.filter(report_id__in=stale_breakdowns).delete()
    counts = ("women", "men", "other")
    _rows_insert(
        ExitCount,
        ("report_id", "reason_id", *counts),
        [(s.report.pk, reason, c.women, c.men, c.other) for s in saves for reason, c in s.exit_rows],
    )
    _rows_insert(
        BreakdownCount,
        ("report_id", "category_id", *counts),
        [(s.report.pk, category, c.women, c.men, c.other) for s in saves for category, c in s.breakdown_rows],
    )
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None)
    _rows_insert(
        ReportHistory,
        ("report_id", "user_id", "at", "kind", "field", "old", "new", "reason", "version"),
        [
            (s.report.pk, user_id, at, kind, key, old, new, "", s.report.version)
            for s in saves
            for kind, key, old, new in _history_entries(
                status=str(s.report.status), before=s.before, after=_history_values(s.figures, s.comment)
            )
        ],
    )
    for s in saves:
        signals.announce_report_change(report=s.report, action="saved", user=user)


def report_save_many(
    *,
    items: list[tuple[Intervention, str, ReportInput, int | None]],
    user: User | None = None,
    catalogs: dict[int, ReportCatalog] | None = None,
    write: bool = True,
) -> list[SaveResult | ReportError]:
    """Save many reports as :func:`report_save` would one after another, in a fixed number of
    queries: one lock of all their interventions, one read of the stored reports and those of
    the periods before, three per catalog, and the writes in bulk.

    ``items`` are ``(intervention, base period code, data, expected version)``, each period
    already a base period of its intervention and no two for the same intervention and period.
    Answers, item by item, the :class:`SaveResult` or the :class:`ReportError` that
    :func:`report_save` would have given; a later item sees the ongoing at end that an earlier
    successful item of the period before saved. Runs inside the caller's transaction; with
    ``write`` false (a dry run, or any item failed), only checks. ``catalogs`` by association id
    are read when missing and filled in.
    """
    if catalogs is None:
        catalogs = {}
    periods = [base_period(code, intervention.frequency) for intervention, code, _data, _v in items]
    ids = sorted({intervention.pk for intervention, *_rest in items})
    # In id order, so that two imports touching the same interventions cannot deadlock.
    list(Intervention.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    wanted: dict[int, set[str]] = {}
    for (intervention, *_rest), period in zip(items, periods, strict=True):
        wanted.setdefault(intervention.pk, set()).update((period.code, period.previous().code))
    stored: dict[tuple[int, str], PeriodReport] = {}
    if wanted:
        condition = Q()
        for pk, codes in wanted.items():
            condition |= Q(intervention_id=pk, period__in=sorted(codes))
        rows = (
            PeriodReport.objects.select_for_update()
            .filter(condition)
            .prefetch_related(
                Prefetch("exit_counts", queryset=ExitCount.objects.select_related("reason")),
                Prefetch("breakdown_counts", queryset=BreakdownCount.objects.select_related("category__dimension")),
            )
        )
        stored = {(r.intervention_id, r.period): r for r in rows}
    ends = {key: _ongoing_at_end(report) for key, report in stored.items()}
    results: list[SaveResult | ReportError] = []
    saves = []
    for (intervention, _code, data, expected_version), period in zip(items, periods, strict=True):
        if intervention.association_id not in catalogs:
            catalogs[intervention.association_id] = report_catalog(association_id=intervention.association_id)
        try:
            save = _report_plan(
                intervention=intervention,
                period=period,
                data=data,
                report=stored.get((intervention.pk, period.code)),
                previous_end=ends.get((intervention.pk, period.previous().code)),
                catalog=catalogs[intervention.association_id],
                expected_version=expected_version,
            )
        except ReportError as error:
            results.append(error)
            continue
        ends[(intervention.pk, period.code)] = _ongoing_at_end(save.report)
        saves.append(save)
        results.append(
            SaveResult(
                report=save.report,
                created=save.created,
                changed=save.changed,
                warnings=save.warnings,
                figures=save.figures,
            )
        )
    if write:
        _reports_write(saves, user=user)
    return results


def _transition(
    report: PeriodReport, *, allowed_from: tuple[str, ...], to: str, action: str, user, reason: str = ""
) -> PeriodReport:
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
    old_status = report.status
    report.status = to
    report.version += 1
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        report.submitted_at = now
    elif to == ReportStatus.APPROVED:
        report.approved_at = now
    report.save()
    ReportHistory.objects.create(
        report=report,
        user=user,
        kind=HistoryKind.STATUS,
        field="status",
        old=old_status,
        new=to,
        reason=reason,
        version=report.version,
    )
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
    reason_refusal = personal_data_message(reason)
    if reason_refusal:
        raise ReportError([RuleViolation("personal_data", "reason", reason_refusal)])
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        return _transition(
            report,
            allowed_from=(ReportStatus.APPROVED,),
            to=ReportStatus.DRAFT,
            action=_("öppnas igen"),
            user=user,
            reason=reason.strip(),
        )


# --- Surveys (issue 6) -------------------------------------------------------------------------
# Writes of indicator surveys and national averages. The rules live in :mod:`outcomes.surveys`.

from collections.abc import Mapping  # noqa: E402
from decimal import Decimal  # noqa: E402

from outcomes import surveys as survey_rules  # noqa: E402
from outcomes.models.surveys import OPTION_FIELDS, NationalAverage, Survey, SurveyAnswer  # noqa: E402
from outcomes.periods import Period  # noqa: E402


class SurveyError(ReportError):
    """Survey input that was refused; ``violations`` names each field and rule. Nothing stored."""


@dataclass
class SurveySaveResult:
    survey: Survey
    created: bool
    changed: bool


def _survey_period(period_code: str, intervention: Intervention | None) -> tuple[Period | None, list[RuleViolation]]:
    try:
        period = Period.parse(period_code)
    except PeriodError as exc:
        return None, [RuleViolation(exc.code, "period", exc.message)]
    if period.kind.startswith("YTD"):
        return None, [
            RuleViolation(
                "invalid_period",
                "period",
                _("En enkät gäller ett år eller en hel period, inte ”hittills i år” (%(code)s).")
                % {"code": period.code},
            )
        ]
    if intervention is None:
        return period, []
    try:
        period.base_periods(intervention.frequency)
    except PeriodError as exc:
        return None, [RuleViolation(exc.code, "period", exc.message)]
    if period.end < intervention.start or (intervention.end and period.start > intervention.end):
        return None, [
            RuleViolation(
                "period_outside_intervention",
                "period",
                _("Perioden %(period)s ligger utanför insatsens tid.") % {"period": period.code},
            )
        ]
    return period, []


def survey_save(
    *,
    period_code: str,
    group: str,
    data: survey_rules.SurveyInput,
    intervention: Intervention | None = None,
    association: Association | None = None,
    user: User | None = None,
) -> SurveySaveResult:
    """Create or replace the survey of one intervention (or, for board and managers, of the
    association), period and respondent group.

    The period is a year or any whole period that fits the intervention's frequency (not a
    year-to-date). Refused with :class:`SurveyError`, nothing stored, when the period or group is
    wrong or :func:`outcomes.surveys.check_survey` finds a broken rule (negative numbers, more
    answered than invited, answers that do not add up to the number who answered, unknown
    questions). Questions left out are not part of the survey. Saving the same content again
    changes nothing (the version stays). Announces :data:`outcomes.signals.survey_changed` on commit.
    """
    if intervention is None and association is None:
        raise ValueError("give the intervention, or the association for board and managers")
    association_id = intervention.association_id if intervention is not None else association.pk
    period, violations = _survey_period(period_code, intervention)
    violations += survey_rules.check_group(group, for_intervention=intervention is not None)
    if violations:
        raise SurveyError(violations)

    owner = {"intervention": intervention} if intervention is not None else {"intervention_id__isnull": True}
    with transaction.atomic():
        # Writers queue on the owner's row: locking the survey row alone cannot stop two first
        # saves of the same survey from both inserting.
        if intervention is not None:
            list(Intervention.objects.select_for_update().filter(pk=intervention.pk).values_list("pk", flat=True))
        else:
            list(Association.objects.select_for_update().filter(pk=association_id).values_list("pk", flat=True))
        survey = (
            Survey.objects.select_for_update(of=("self",))
            .filter(association_id=association_id, period=period.code, group=group, **owner)
            .first()
        )
        answered_before = set(survey.answers.values_list("question_id", flat=True)) if survey else set()
        questions = {
            q.code: q
            for q in SurveyQuestion.objects.filter(association_id=association_id, group=group)
            if q.active or q.pk in answered_before
        }
        violations = survey_rules.check_survey(data, questions=questions, group=group)
        if violations:
            raise SurveyError(violations)

        answered = Counts.from_mapping(data.answered)
        new_rows = {questions[a.question].pk: (*a.counts, *([0] * (6 - len(a.counts))), a.blank) for a in data.answers}
        if survey is not None:
            old_rows = {
                r.question_id: tuple(getattr(r, f) for f in (*OPTION_FIELDS, "blank")) for r in survey.answers.all()
            }
            if survey.invited == data.invited and survey.answered == answered and old_rows == new_rows:
                return SurveySaveResult(survey=survey, created=False, changed=False)
        created = survey is None
        if created:
            survey = Survey(association_id=association_id, intervention=intervention, period=period.code, group=group)
        else:
            survey.version += 1
        survey.invited = data.invited
        for gender, count in answered.as_dict().items():
            setattr(survey, f"answered_{gender}", count)
        survey.save()
        survey.answers.all().delete()
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                survey=survey, question_id=question_id, **dict(zip((*OPTION_FIELDS, "blank"), values, strict=True))
            )
            for question_id, values in new_rows.items()
        )
        signals.announce_survey_change(survey=survey, action="saved", user=user)
    return SurveySaveResult(survey=survey, created=created, changed=True)


def national_averages_set(
    *, association: Association, year: int, values: Mapping[str, object], user: User | None = None
) -> dict[str, Decimal]:
    """Replace the national averages of one year: ``values`` maps question code to a percent.

    Questions left out (or given ``None``) have no national average that year afterwards. Refused
    with :class:`SurveyError`, nothing stored, for an unknown question code, a value outside
    0–100 or a year before 1900. Answers the stored averages by code.
    """
    violations = []
    if not 1900 <= int(year) <= 9999:
        violations.append(RuleViolation("invalid_year", "year", _("Ogiltigt år %(year)s.") % {"year": year}))
    questions = {q.code: q for q in SurveyQuestion.objects.filter(association=association)}
    cleaned: dict[str, Decimal] = {}
    for code, value in values.items():
        if code not in questions:
            violations.append(
                RuleViolation(survey_rules.UNKNOWN_QUESTION, code, _("Okänd enkätfråga ”%(code)s”.") % {"code": code})
            )
            continue
        if value is None or value == "":
            continue
        problem = survey_rules.check_national_average(code, value)
        if problem:
            violations.append(problem)
            continue
        cleaned[code] = Decimal(str(value)).quantize(Decimal("0.1"))
    if violations:
        raise SurveyError(violations)
    with transaction.atomic():
        NationalAverage.objects.filter(association=association, year=year).exclude(
            question__code__in=list(cleaned)
        ).delete()
        for code, percent in cleaned.items():
            NationalAverage.objects.update_or_create(
                association=association, question=questions[code], year=year, defaults={"percent": percent}
            )
    return cleaned


# --- report history (issue 3: web forms) ---------------------------------------------------------


def _history_values(figures: ReportFigures, comment: str) -> dict[str, str]:
    """The report flattened to field keys and their stored values, as text.

    Keys: ``ongoing_at_start.women``, ``new.men``, ``exits.other``,
    ``exits_by_reason.<reason>.<gender>``, ``breakdowns.<dimension>.<category>.<gender>``,
    ``spent_sek`` and ``comment``. Zero counts and an empty comment are left out, so a key that is
    missing on one side of a comparison was zero (or empty) there.
    """
    values: dict[str, str] = {}

    def put(prefix: str, counts: Counts) -> None:
        for gender, value in counts.as_dict().items():
            if value:
                values[f"{prefix}.{gender}"] = str(value)

    put("ongoing_at_start", figures.ongoing_at_start)
    put("new", figures.new)
    put("exits", figures.exits)
    for reason, counts in figures.exits_by_reason.items():
        put(f"exits_by_reason.{reason}", counts)
    for dimension, categories in figures.breakdowns.items():
        for category, counts in categories.items():
            put(f"breakdowns.{dimension}.{category}", counts)
    if figures.spent_sek:
        values["spent_sek"] = str(figures.spent_sek)
    if comment:
        values["comment"] = comment
    return values


def _history_entries(
    *, status: str, before: dict[str, str] | None, after: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """``(kind, field, old, new)`` of one history entry per changed value; a new report also gets
    its first status.

    ``before`` ``None`` means the report was created by this save: every entered value is recorded
    with an empty old value.
    """
    entries = []
    created = before is None
    if created:
        entries.append((HistoryKind.STATUS.value, "status", "", status))
        before = {}
    for key in sorted(before.keys() | after.keys()):
        zero = "" if key == "comment" else "0"
        old, new = before.get(key, zero), after.get(key, zero)
        if old != new:
            entries.append((HistoryKind.VALUE.value, key, "" if created else old, new))
    return entries


def report_values(*, report: PeriodReport) -> dict[str, str]:
    """The stored values of ``report`` by history field key (zeros and an empty comment left
    out), as the history records them; used to compare with what an editor typed."""
    return _history_values(_normalise(report.figures()), report.comment)


# --- overdue reminders (issue 3: web forms) ------------------------------------------------------

REMINDER_LOOKBACK_DAYS = 365


def overdue_reminders_send(*, today, site_url: str = "") -> int:
    """E-mail the coordinators of every intervention with an overdue base period, once per period.

    A base period is overdue when its report is not submitted or approved more than the
    association's ``overdue_days`` after the period ended. Only periods that ended within the
    last year are considered, so a new installation does not mail about years of history. An
    intervention without coordinators gets no reminder (and none is recorded, so a coordinator
    granted later is reminded). Idempotent: an :class:`OverdueReminder` row per intervention and
    period is written in the same transaction as the mail is sent, so running again sends nothing
    new, and a failed send leaves no row and is retried on the next run. Answers how many
    reminders (intervention and period) were sent.
    """
    import datetime as dt

    from django.core.mail import send_mass_mail
    from django.db import IntegrityError

    from outcomes.models import OverdueReminder
    from outcomes.periods import Period

    earliest_end = today - dt.timedelta(days=REMINDER_LOOKBACK_DAYS)
    interventions = list(Intervention.objects.filter(active=True, start__lte=today).select_related("association"))
    done = set(
        PeriodReport.objects.filter(
            intervention__in=interventions, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
        ).values_list("intervention_id", "period")
    )
    reminded = set(
        OverdueReminder.objects.filter(intervention__in=interventions).values_list("intervention_id", "period")
    )
    coordinators: dict[int, list[str]] = {}
    for intervention_id, email in Membership.objects.filter(
        intervention__in=interventions, role=Role.COORDINATOR, user__is_active=True
    ).values_list("intervention_id", "user__email"):
        coordinators.setdefault(intervention_id, []).append(email)

    sent = 0
    for intervention in interventions:
        recipients = sorted(set(coordinators.get(intervention.pk, [])))
        if not recipients:
            continue
        period = Period.for_date(today, intervention.frequency)
        while period.end >= max(earliest_end, intervention.start):
            deadline = period.end + dt.timedelta(days=intervention.association.overdue_days)
            key = (intervention.pk, period.code)
            ended_in_time = intervention.end is None or period.start <= intervention.end
            if today > deadline and ended_in_time and key not in done and key not in reminded:
                subject = _("Påminnelse: rapporten för %(intervention)s %(period)s är försenad") % {
                    "intervention": intervention.name,
                    "period": period.code,
                }
                body = _(
                    "Hej!\n\nRapporten (pinnstatistiken) för %(intervention)s för perioden %(period)s "
                    "skulle ha skickats in senast %(deadline)s men är inte inskickad ännu.\n\n"
                    "Fyll i och skicka in den här: %(url)s\n\nHälsningar\n%(association)s"
                ) % {
                    "intervention": intervention.name,
                    "period": period.code,
                    "deadline": deadline.isoformat(),
                    "url": f"{site_url}/insatser/{intervention.pk}/{period.code}/",
                    "association": intervention.association.name,
                }
                try:
                    with transaction.atomic():
                        OverdueReminder.objects.create(
                            intervention=intervention, period=period.code, recipients=len(recipients)
                        )
                        send_mass_mail([(subject, body, None, [email]) for email in recipients])
                except IntegrityError:  # another run reminded about this period meanwhile
                    continue
                sent += 1
            period = period.previous()
    return sent


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
