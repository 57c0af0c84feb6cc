"""Reads of the outcomes app that are more than a one-line queryset."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from outcomes.models import (
    Association,
    BreakdownCount,
    ExitCount,
    Intervention,
    Membership,
    PeriodReport,
    Role,
    User,
)
from outcomes.periods import Period
from outcomes.rules import GENDERS, Counts, ReportFigures


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    """Interventions the user may read: all of their associations' for staff and viewers, the
    granted ones for coordinators. An anonymous or unassigned user sees none.
    """
    if not user.is_authenticated:
        return Intervention.objects.none()
    memberships = Membership.objects.filter(user=user)
    association_ids = memberships.filter(role__in=[Role.STAFF, Role.VIEWER]).values("association_id")
    intervention_ids = memberships.filter(role=Role.COORDINATOR).values("intervention_id")
    return Intervention.objects.filter(Q(association_id__in=association_ids) | Q(id__in=intervention_ids))


def associations_visible_to(user: User) -> QuerySet[Association]:
    """Associations in which the user holds any role."""
    if not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(memberships__user=user).distinct()


def user_role_in(user: User, association: Association) -> set[str]:
    """The roles the user holds in the association (empty when none)."""
    return set(Membership.objects.filter(user=user, association=association).values_list("role", flat=True))


def period_figures(*, intervention: Intervention, period: Period, include_drafts: bool = False) -> ReportFigures:
    """The stock-and-flow figures of one intervention over any period made of its base periods.

    Counts only submitted and approved reports unless ``include_drafts``. Raises
    :class:`~outcomes.periods.PeriodError` when the period does not align with the intervention's
    frequency. With no reports in the period every figure is zero. The stocks and flows are
    aggregated in the database by :meth:`PeriodReportQuerySet.period_totals`.
    """
    period.base_periods(intervention.frequency)
    reports = PeriodReport.objects.filter(intervention=intervention).counted(include_drafts=include_drafts)
    row = reports.period_totals(period).first()
    if row is None:
        return ReportFigures()
    exits_by_reason: dict[str, Counts] = {}
    scoped = {"report__in": reports.within(period)}
    for reason in ExitCount.objects.filter(**scoped).values("reason__code").annotate(**{g: Sum(g) for g in GENDERS}):
        exits_by_reason[reason["reason__code"]] = Counts(*(reason[g] for g in GENDERS))
    breakdowns: dict[str, dict[str, Counts]] = {}
    for cat in (
        BreakdownCount.objects.filter(**scoped)
        .values("category__dimension__code", "category__code")
        .annotate(**{g: Sum(g) for g in GENDERS})
    ):
        breakdowns.setdefault(cat["category__dimension__code"], {})[cat["category__code"]] = Counts(
            *(cat[g] for g in GENDERS)
        )
    return ReportFigures(
        ongoing_at_start=Counts(*(row[f"ongoing_start_{g}"] for g in GENDERS)),
        new=Counts(*(row[f"new_{g}"] for g in GENDERS)),
        exits=Counts(*(row[f"exits_{g}"] for g in GENDERS)),
        exits_by_reason=exits_by_reason,
        breakdowns=breakdowns,
        spent_sek=row["spent_sek"] or 0,
    )


# --- start page, completeness and history (issue 3: web forms) --------------------------------

import datetime as _dt  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402

from django.db.models import OuterRef as _OuterRef  # noqa: E402
from django.db.models import Subquery as _Subquery  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402

from outcomes.models import DimensionCategory, ExitReason, ReportHistory, ReportStatus  # noqa: E402
from outcomes.rules import GENDER_LABELS  # noqa: E402

NOT_STARTED = "not_started"
OVERDUE = "overdue"
HOME_PERIODS = 4


def report_deadline(period: Period, association: Association) -> _dt.date:
    """The last day a report for ``period`` is on time: the period's end plus the association's
    ``overdue_days``."""
    return period.end + _dt.timedelta(days=association.overdue_days)


@_dataclass
class PeriodStatus:
    """The state of one base period of one intervention as a coordinator sees it."""

    period: Period
    report: PeriodReport | None
    deadline: _dt.date
    overdue: bool
    submitted_by: str = ""

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self) -> str:
        label = self.report.get_status_display() if self.report else _gettext("ej påbörjad")
        return _gettext("%(status)s, försenad") % {"status": label} if self.overdue else label

    @property
    def counted(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def late(self) -> bool:
        """Submitted after the deadline (an approved or submitted report that came in late)."""
        if not self.report or not self.report.submitted_at:
            return False
        from django.utils import timezone

        return timezone.localtime(self.report.submitted_at).date() > self.deadline


def _period_status(period: Period, intervention: Intervention, report, today: _dt.date) -> PeriodStatus:
    deadline = report_deadline(period, intervention.association)
    done = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    return PeriodStatus(period=period, report=report, deadline=deadline, overdue=not done and today > deadline)


def recent_base_periods(intervention: Intervention, today: _dt.date, count: int = HOME_PERIODS) -> list[Period]:
    """The intervention's last ``count`` base periods up to the one containing ``today``, newest
    first, never before its start or after its end. Empty for an intervention not started yet."""
    period = Period.for_date(min(today, intervention.end or today), intervention.frequency)
    periods = []
    while len(periods) < count and period.end >= intervention.start:
        periods.append(period)
        period = period.previous()
    return periods


def home_overview(user: User, today: _dt.date) -> list[tuple[Intervention, list[PeriodStatus]]]:
    """Every visible active intervention with the status of its recent base periods, plus any
    older period whose report is still a draft or submitted (work not yet approved), newest first.

    Two queries whatever the number of interventions: the interventions, and their reports in
    the window or not approved. A period without a report is *not started*; one not submitted
    some days after it ended (``Association.overdue_days``) is *overdue*.
    """
    interventions = list(
        interventions_visible_to(user).active().select_related("association").order_by("association__name", "name")
    )
    windows = {i.pk: recent_base_periods(i, today) for i in interventions}
    earliest = min((p.start for periods in windows.values() for p in periods), default=today)
    reports = {}
    for report in PeriodReport.objects.filter(intervention__in=interventions).filter(
        Q(period_start__gte=earliest) | ~Q(status=ReportStatus.APPROVED)
    ):
        reports[(report.intervention_id, report.period)] = report
    overview = []
    for intervention in interventions:
        periods = {p.code: p for p in windows[intervention.pk]}
        for intervention_id, code in reports:
            if intervention_id == intervention.pk and code not in periods:
                periods[code] = Period.parse(code)
        ordered = sorted(periods.values(), key=lambda p: p.start, reverse=True)
        overview.append(
            (
                intervention,
                [_period_status(p, intervention, reports.get((intervention.pk, p.code)), today) for p in ordered],
            )
        )
    return overview


def reporting_completeness(association: Association, period: Period, today: _dt.date) -> list[PeriodStatus]:
    """One row per active intervention and base period inside ``period`` (for a monthly
    intervention, every month of it), with status, lateness and who submitted.

    Interventions that had not started or had ended in the period are left out. Three queries
    whatever the number of interventions. ``row.intervention`` is set on each row.
    """
    interventions = list(
        Intervention.objects.filter(association=association, active=True, start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .select_related("association")
        .order_by("name")
    )
    submitted_by = (
        ReportHistory.objects.filter(report=_OuterRef("pk"), kind="status", new=ReportStatus.SUBMITTED)
        .order_by("-at", "-id")
        .values("user__email")[:1]
    )
    reports = {
        (r.intervention_id, r.period): r
        for r in PeriodReport.objects.filter(intervention__in=interventions)
        .within(period)
        .annotate(submitted_by=_Subquery(submitted_by))
    }
    rows = []
    for intervention in interventions:
        for base in period.base_periods(intervention.frequency):
            if base.end < intervention.start or (intervention.end and base.start > intervention.end):
                continue
            report = reports.get((intervention.pk, base.code))
            row = _period_status(base, intervention, report, today)
            row.intervention = intervention
            row.submitted_by = (getattr(report, "submitted_by", None) or "") if row.counted else ""
            rows.append(row)
    return rows


def field_labels(association_id: int) -> dict[str, str]:
    """Swedish labels for the history's field keys (``new.women`` → "Nya deltagare, kvinnor")."""
    labels = {"spent_sek": _gettext("Förbrukat (kr)"), "comment": _gettext("Kommentar"), "status": _gettext("Status")}
    groups = {
        "ongoing_at_start": _gettext("Pågående vid periodens början"),
        "new": _gettext("Nya deltagare"),
        "exits": _gettext("Avslutade"),
    }
    for reason in ExitReason.objects.filter(association_id=association_id):
        groups[f"exits_by_reason.{reason.code}"] = _gettext("Avslutade, %(reason)s") % {"reason": reason.label_sv}
    for category in DimensionCategory.objects.filter(dimension__association_id=association_id).select_related(
        "dimension"
    ):
        groups[f"breakdowns.{category.dimension.code}.{category.code}"] = (
            f"{category.dimension.label_sv}: {category.label_sv}"
        )
    for prefix, label in groups.items():
        for gender, gender_label in GENDER_LABELS.items():
            labels[f"{prefix}.{gender}"] = f"{label}, {gender_label}"
    return labels


def report_history(report: PeriodReport) -> list[ReportHistory]:
    """The report's history, newest first, each entry with ``label`` (the field in Swedish) and
    for status entries ``old_label``/``new_label``. Empty for a report never changed."""
    labels = field_labels(report.intervention.association_id)
    statuses = dict(ReportStatus.choices)
    entries = list(report.history.select_related("user").order_by("-at", "-id"))
    for entry in entries:
        entry.label = labels.get(entry.field, entry.field)
        if entry.kind == "status":
            entry.old_label = str(statuses.get(entry.old, "")) if entry.old else _gettext("(ny rapport)")
            entry.new_label = str(statuses.get(entry.new, entry.new))
        else:
            entry.old_label, entry.new_label = entry.old, entry.new
    return entries
