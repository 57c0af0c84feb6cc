"""Summary figures read from stored rows (issue 19): compute once, read many times.

A summary of submitted and approved reports reads each intervention's figures for the period
from a :class:`~reports.summaries.models.StoredFigures` row instead of aggregating its reports,
exits by reason, measures and activities again. The rows hold what the counting rules computed
(:func:`reports.summaries.selectors` computes them, the only place of those rules); nothing here
counts.

A row counts only while its ``version`` is the intervention's ``figures_version``. Every change
to what is counted raises that version in the same transaction as the change:

- a report saved, submitted, recalled, approved, reopened or deleted, unless it was and stays a
  draft (its ``post_save`` and ``post_delete``; the bulk writes of imports say it themselves, in
  :mod:`outcomes.tallies.writes`);
- an activity saved or deleted;
- a step definition saved or its reasons changed;
- an exit reason or a measure of the association's catalog saved or deleted (every intervention
  of the association: the default step rule and the measures' rules come from the catalog).

A read finds the rows of the current version, computes only the missing or outdated ones and
stores them, so a change is never shown late: the version is read before the figures, and a row
computed from figures that changed meanwhile carries the old version and is computed again.
Previews with drafts are computed on the fly and never stored. With a worker, the goal
recomputation after a change also computes the intervention's outdated rows ahead
(:func:`stored_figures_refresh`), so the next read finds them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from outcomes.counts import Counts
from outcomes.measures import ActivityFigures, MeasureValue
from outcomes.models import Activity, ExitReason, Intervention, Measure, PeriodReport, ReportStatus
from outcomes.organisations.models import InterventionKind
from outcomes.periods import Period
from reports.shares import Share
from reports.summaries.figures import Figures
from reports.summaries.models import StoredFigures

logger = logging.getLogger(__name__)

_ACTIVITY_FIELDS = ("count", "occasions", "attendees", "exhibitors", "evaluation_answered", "evaluation_positive")


def _counts(counts: Counts) -> list[int]:
    return [counts.women, counts.men, counts.other]


def figures_data(figures: Figures) -> dict:
    """What is stored of one intervention's :class:`Figures`: the counted figures. The budget,
    places and kind are read from their own rows every time."""
    activities = figures.activities
    return {
        "reports": figures.reports,
        "start": _counts(figures.ongoing_at_start),
        "new": _counts(figures.new),
        "exits": _counts(figures.exits),
        "reasons": {code: _counts(counts) for code, counts in figures.exits_by_reason.items()},
        "step": [figures.step_progression.numerator, figures.step_progression.denominator],
        "spent": figures.spent_sek,
        # A measure by gender as its three counts, a measure counted as a total as one number.
        "measures": {
            code: _counts(value.counts) if value.counts is not None else value.only_total
            for code, value in figures.measures.items()
        },
        "activities": [getattr(activities, name) for name in _ACTIVITY_FIELDS]
        + _counts(activities.attendees_by_gender),
    }


def figures_from(data: dict, *, intervention: Intervention, budget_sek: int | None) -> Figures:
    """The :class:`Figures` that :func:`figures_data` stored, with ``intervention``'s places and
    kind and the year's ``budget_sek``."""
    *sums, women, men, other = data["activities"]
    return Figures(
        reports=data["reports"],
        ongoing_at_start=Counts(*data["start"]),
        new=Counts(*data["new"]),
        exits=Counts(*data["exits"]),
        exits_by_reason={code: Counts(*counts) for code, counts in data["reasons"].items()},
        step_progression=Share(*data["step"]),
        budget_sek=budget_sek,
        spent_sek=data["spent"],
        measures={
            code: MeasureValue(only_total=value) if isinstance(value, int) else MeasureValue(counts=Counts(*value))
            for code, value in data["measures"].items()
        },
        activities=ActivityFigures(*sums, attendees_by_gender=Counts(women, men, other)),
        places=intervention.places,
        structural=intervention.kind == InterventionKind.STRUCTURAL,
    )


Compute = Callable[[Period, dict[int, Intervention]], dict[int, Figures]]


def stored_figures(
    *, periods: list[Period], interventions: dict[int, Intervention], budgets: dict, compute: Compute
) -> dict[str, dict[int, Figures]]:
    """The figures of ``interventions`` (by id, as read with their ``figures_version``) for each
    of ``periods`` (by code, then by intervention id), counting submitted and approved reports:
    stored rows where they are current (one query), and ``compute(period, missing)`` for the
    others, which are stored for the next read (one statement). ``budgets`` maps
    ``(intervention id, year)`` to the yearly budget."""
    found: dict[tuple[int, str], dict] = {
        (pk, code): data
        for pk, code, version, data in StoredFigures.objects.filter(
            intervention_id__in=list(interventions), period__in=[p.code for p in periods]
        ).values_list("intervention_id", "period", "version", "data")
        if version == interventions[pk].figures_version
    }
    result, computed = {}, []
    for period in periods:
        missing = {pk: i for pk, i in interventions.items() if (pk, period.code) not in found}
        figures = compute(period, missing) if missing else {}
        computed += [(pk, period.code, interventions[pk].figures_version, f) for pk, f in figures.items()]
        for pk in interventions.keys() - missing.keys():
            figures[pk] = figures_from(
                found[(pk, period.code)], intervention=interventions[pk], budget_sek=budgets.get((pk, period.year))
            )
        result[period.code] = figures
    _store(computed)
    return result


def _store(computed: list[tuple[int, str, int, Figures]]) -> None:
    """Insert or replace the rows of ``computed`` (intervention id, period code, version and
    figures), in key order so that two readers storing the same rows cannot deadlock. A row that
    cannot be stored is logged and computed again by the next read."""
    if not computed:
        return
    rows = [
        StoredFigures(intervention_id=pk, period=code, version=version, data=figures_data(figures))
        for pk, code, version, figures in sorted(computed, key=lambda row: row[:2])
    ]
    try:
        with transaction.atomic():
            StoredFigures.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["intervention", "period"],
                update_fields=["version", "data", "computed_at"],
            )
    except DatabaseError:
        logger.exception("Could not store %s summary rows; they are computed again when read", len(rows))


def stored_figures_refresh(*, intervention: Intervention, compute: Compute, budgets: dict) -> int:
    """Compute again the intervention's stored rows that are no longer current (the worker's
    part after a change, so that the next summary finds them); answers how many."""
    outdated = StoredFigures.objects.filter(intervention=intervention).exclude(version=intervention.figures_version)
    periods = [Period.parse(code) for code in outdated.values_list("period", flat=True)]
    if periods:
        stored_figures(periods=periods, interventions={intervention.pk: intervention}, budgets=budgets, compute=compute)
    return len(periods)


# --- what makes stored figures outdated ---------------------------------------------------------


def _report_changed(sender, *, instance: PeriodReport, created: bool = False, **kwargs) -> None:
    """A report saved or deleted: its intervention's figures changed, unless it was and stays a
    draft (drafts are never counted, so their saves cost no query here)."""
    if created and instance.status == ReportStatus.DRAFT:
        pass
    elif instance.was_or_is_counted:
        Intervention.objects.filter(pk=instance.intervention_id).figures_changed()
    instance.stored_status = instance.status


def _activity_changed(sender, *, instance, **kwargs) -> None:
    """An activity saved or deleted: its intervention's figures changed (activities count at once)."""
    Intervention.objects.filter(pk=instance.intervention_id).figures_changed()


def _step_definition_changed(sender, *, instance, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        Intervention.objects.filter(pk=instance.intervention_id).figures_changed()


def _catalog_changed(sender, *, instance, **kwargs) -> None:
    """An exit reason or a measure of the catalog: every intervention of the association."""
    Intervention.objects.filter(association_id=instance.association_id).figures_changed()


def connect() -> None:
    from reports.models import StepDefinition

    post_save.connect(_report_changed, sender=PeriodReport, dispatch_uid="stored_figures.report.save")
    post_delete.connect(_report_changed, sender=PeriodReport, dispatch_uid="stored_figures.report.delete")
    post_save.connect(_activity_changed, sender=Activity, dispatch_uid="stored_figures.activity.save")
    post_delete.connect(_activity_changed, sender=Activity, dispatch_uid="stored_figures.activity.delete")
    for model in (ExitReason, Measure):
        post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"stored_figures.{model.__name__}.save")
        post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"stored_figures.{model.__name__}.del")
    post_save.connect(_step_definition_changed, sender=StepDefinition, dispatch_uid="stored_figures.steps.save")
    post_delete.connect(_step_definition_changed, sender=StepDefinition, dispatch_uid="stored_figures.steps.del")
    for through in (StepDefinition.reasons.through, StepDefinition.excluded_reasons.through):
        m2m_changed.connect(_step_definition_changed, sender=through, dispatch_uid=f"stored_figures.{through.__name__}")
