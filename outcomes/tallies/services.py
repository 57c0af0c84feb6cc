"""Writes of period reports: save one or many, and the status transitions.

Services are keyword-only functions named noun-then-verb. They validate with the rules of
:mod:`outcomes.tallies.rules`, write in one transaction, and announce changes with
:data:`outcomes.signals.report_changed` after the commit, so that nothing is recomputed for a
write that was rolled back."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes import signals
from outcomes.catalog.selectors import ReportCatalog, report_catalog, report_codes_resolve, report_measures_resolve
from outcomes.counts import Counts, ReportFigures, sum_counts
from outcomes.organisations.models import Intervention, InterventionKind, User
from outcomes.periods import PeriodError, base_period
from outcomes.tallies.errors import ReportError, ReportLocked, VersionConflict
from outcomes.tallies.history import history_values, participant_labels
from outcomes.tallies.inputs import ReportInput, SaveResult
from outcomes.tallies.models import (
    HistoryKind,
    PeriodReport,
    ReportHistory,
    ReportStatus,
)
from outcomes.tallies.rules import check_budget, check_report, check_unusual, checked_values, normalised
from outcomes.tallies.selectors import (
    YearBudget,
    earlier_largest,
    ongoing_at_end,
    previous_ongoing_at_end,
    year_budget,
    year_budget_columns,
    year_budget_from,
)
from outcomes.tallies.writes import PlannedSave, reports_write
from outcomes.validators import personal_data_message
from outcomes.violations import RuleViolation, blocking, refused_even_for_draft

_NOT_GIVEN = object()


def report_check(
    *,
    intervention: Intervention,
    period_code: str,
    figures: ReportFigures,
    catalog: ReportCatalog | None = None,
    previous_end=_NOT_GIVEN,
    budget=_NOT_GIVEN,
    earlier=_NOT_GIVEN,
) -> list[RuleViolation]:
    """Every rule the figures break for this intervention and base period (errors and warnings),
    with the ``over_budget`` warning when the year's spending goes past its budget and the
    ``unusual_value`` warnings for values far above the intervention's earlier reports.

    ``catalog``, ``previous_end`` (the previous base period's ongoing at end, ``None`` when not
    reported), ``budget`` (a :class:`YearBudget`; ``None`` leaves the budget unchecked) and
    ``earlier`` (:func:`earlier_largest`; ``None`` leaves the values unchecked) may be passed by
    a caller that already has them, to save their queries.
    """
    if catalog is None:
        catalog = report_catalog(association_id=intervention.association_id)
    if previous_end is _NOT_GIVEN:
        previous_end = previous_ongoing_at_end(intervention=intervention, period_code=period_code)
    if budget is _NOT_GIVEN:
        budget = year_budget(intervention=intervention, period_code=period_code)
    if earlier is _NOT_GIVEN:
        period = base_period(period_code, intervention.frequency)
        earlier = earlier_largest(intervention_id=intervention.pk, period=period)
    violations = check_report(
        figures,
        single_valued_dimensions=catalog.single_valued_dimensions,
        dimension_labels=catalog.dimension_labels,
        reason_labels=catalog.reason_labels,
        category_labels=catalog.category_labels,
        # the measures were read when the body's measures were resolved: no query here
        measure_labels={code: m.label_sv for code, m in catalog.measures.items()} if figures.measures else None,
        previous_ongoing_at_end=previous_end,
    )
    if budget is not None:
        violations += check_budget(
            year=budget.year,
            budget_sek=budget.budget_sek,
            year_spent_sek=budget.spent_elsewhere_sek + figures.spent_sek,
            spent_sek=figures.spent_sek,
        )
    return violations + check_unusual(checked_values(figures), earlier, participant_labels())


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
        budget = year_budget_from(
            period,
            Intervention.objects.select_for_update()
            .filter(pk=intervention.pk)
            .annotate(**year_budget_columns(period))
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
            previous_end=ongoing_at_end(stored.get(previous_code)),
            catalog=catalog,
            expected_version=expected_version,
            budget=budget,
            earlier=earlier_largest(intervention_id=intervention.pk, period=period),
        )
        reports_write([save], user=user)
    return SaveResult(
        report=save.report, created=save.created, changed=save.changed, warnings=save.warnings, figures=save.figures
    )


def _save_refusals(
    *, intervention: Intervention, period, data: ReportInput, report: PeriodReport | None, expected_version
) -> list[RuleViolation]:
    """What refuses a save whatever its figures: a period outside the intervention's time and
    personal data in the comment (returned); a locked report and a stale version (raised)."""
    violations = []
    if not intervention.runs_during(period):
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
    if intervention.kind == InterventionKind.STRUCTURAL:
        for name in data.participant_fields():
            violations.append(
                RuleViolation(
                    "structural_no_participants",
                    name,
                    _(
                        "En strukturövergripande insats har inga inskrivna deltagare: rapportera förbrukat, "
                        "kommentar och mått, och deltagare i aktivitetsloggen."
                    ),
                )
            )
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
    return violations


def _figures_from(data: ReportInput, previous_end: Counts | None) -> ReportFigures:
    """The figures ``data`` stands for: ongoing at start left out is the previous end (zero for
    the first period), exits left out are the sum of the exits by reason; all-zero rows dropped."""
    start = data.ongoing_at_start
    if start is None:
        start = previous_end or Counts()
    exits = data.exits if data.exits is not None else sum_counts(data.exits_by_reason.values())
    return normalised(
        ReportFigures(
            ongoing_at_start=start,
            new=data.new,
            exits=exits,
            exits_by_reason=dict(data.exits_by_reason),
            breakdowns={d: dict(c) for d, c in data.breakdowns.items()},
            spent_sek=data.spent_sek,
        )
    )


def _changed_save(
    *,
    intervention: Intervention,
    period,
    report: PeriodReport | None,
    stored_figures: ReportFigures | None,
    figures: ReportFigures,
    comment: str,
    codes: tuple[dict, dict],
    warnings: list[RuleViolation],
) -> PlannedSave:
    """The save of changed ``figures``: a new report (``report`` ``None``) or the stored one with
    its version bumped, its new values set in memory, and its rows by reason and category (``stored_figures``:
    the stored report's, read once by the caller)."""
    reasons, categories, measure_ids = codes
    created = report is None
    before = None if created else history_values(normalised(stored_figures), report.comment)
    if created:
        report = PeriodReport(
            intervention=intervention, period=period.code, period_start=period.start, period_end=period.end
        )
    else:
        report.version += 1
    report.ongoing_at_start, report.new, report.exits = figures.ongoing_at_start, figures.new, figures.exits
    report.spent_sek, report.comment = figures.spent_sek, comment
    return PlannedSave(
        report=report,
        created=created,
        changed=True,
        warnings=warnings,
        figures=figures,
        comment=comment,
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
        measure_rows=[(measure_ids[code], value) for code, value in figures.measures.items()],
        replaces_measure_rows=not created and bool(stored_figures.measures),
    )


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
    earlier: dict[str, int] | None = None,
) -> PlannedSave:
    """Check a save of ``data`` over the stored ``report`` (``None``: not reported yet) without
    touching the database beyond the stored report's rows; raise what :func:`report_save` raises.

    The caller holds the intervention's lock and passes the previous period's ongoing at end and
    the year's budget and the earlier reports' largest values (``None``: not checked, as in an
    import, whose answer has no warnings).
    """
    violations = _save_refusals(
        intervention=intervention, period=period, data=data, report=report, expected_version=expected_version
    )
    figures = _figures_from(data, previous_end)
    stored_figures = report.figures() if report is not None else None
    reasons, categories, unknown = report_codes_resolve(intervention, figures, catalog, stored_figures)
    measure_ids = {}
    if data.measures:
        figures.measures, measure_ids, measure_refusals = report_measures_resolve(
            intervention, data.measures, catalog, stored_figures
        )
        unknown += measure_refusals
    checked = report_check(
        intervention=intervention,
        period_code=period.code,
        figures=figures,
        catalog=catalog,
        previous_end=previous_end,
        budget=budget,
        earlier=earlier,
    )
    violations += unknown + refused_even_for_draft(checked)
    if violations:
        raise ReportError(violations)
    warnings = [v for v in checked if v not in violations]
    if report is not None and normalised(stored_figures) == figures and report.comment == data.comment:
        return PlannedSave(report=report, created=False, changed=False, warnings=warnings, figures=stored_figures)
    return _changed_save(
        intervention=intervention,
        period=period,
        report=report,
        stored_figures=stored_figures,
        figures=figures,
        comment=data.comment,
        codes=(reasons, categories, measure_ids),
        warnings=warnings,
    )


def report_save_many(
    *,
    items: list[tuple[Intervention, str, ReportInput, int | None]],
    user: User | None = None,
    catalogs: dict[int, ReportCatalog] | None = None,
    write: bool = True,
    reason: str = "",
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
    are read when missing and filled in. ``reason`` goes into every history entry written (where
    the values came from, such as "Från fil: mall.xlsx").
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
        rows = PeriodReport.objects.select_for_update().filter(condition).with_rows()
        stored = {(r.intervention_id, r.period): r for r in rows}
    ends = {key: ongoing_at_end(report) for key, report in stored.items()}
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
        ends[(intervention.pk, period.code)] = ongoing_at_end(save.report)
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
        reports_write(saves, user=user, reason=reason)
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
        figures, period_code = report.figures(), report.period
        broken = blocking(report_check(intervention=report.intervention, period_code=period_code, figures=figures))
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
