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
