"""The bulk write of checked report saves: reports, their rows by reason and category, and history,
in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from outcomes import signals
from outcomes.counts import Counts, ReportFigures
from outcomes.measures import MeasureValue
from outcomes.models import (
    BreakdownCount,
    ExitCount,
    Intervention,
    MeasureCount,
    PeriodReport,
    ReportHistory,
    User,
)
from outcomes.tallies.history import history_entries, history_values
from outcomes.violations import RuleViolation


@dataclass
class PlannedSave:
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
    measure_rows: list[tuple[int, MeasureValue]] = field(default_factory=list)  # measure id, value
    replaces_measure_rows: bool = False


#: Columns a save changes on a stored report (``bulk_update`` does not set ``auto_now`` fields).
_SAVED_FIELDS = [
    *(f"{kind}_{gender}" for kind in ("ongoing_start", "new", "exits") for gender in ("women", "men", "other")),
    "spent_sek",
    "comment",
    "version",
    "updated_at",
]


_BATCH = 500


def rows_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
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


def _reports_store(saves: list[PlannedSave]) -> None:
    """Insert the new reports and update the changed ones: one save for a single report, bulk
    statements for many."""
    if len(saves) == 1:
        saves[0].report.save()  # its post_save says the intervention's figures changed
        return
    # Bulk statements send no post_save: say it here, once, for the interventions whose counted
    # reports change (a bulk save never changes a status).
    counted = {s.report.intervention_id for s in saves if s.report.was_or_is_counted}
    if counted:
        Intervention.objects.filter(pk__in=counted).figures_changed()
    PeriodReport.objects.bulk_create([s.report for s in saves if s.created], batch_size=_BATCH)
    updated = [s.report for s in saves if not s.created]
    now = timezone.now()
    for report in updated:
        report.updated_at = now
    PeriodReport.objects.bulk_update(updated, _SAVED_FIELDS, batch_size=_BATCH)


def _count_rows_replace(saves: list[PlannedSave]) -> None:
    """Delete the stale rows by reason and category of the stored reports, insert the new ones."""
    stale_exits = [s.report.pk for s in saves if s.replaces_exit_rows]
    if stale_exits:
        ExitCount.objects.filter(report_id__in=stale_exits).delete()
    stale_breakdowns = [s.report.pk for s in saves if s.replaces_breakdown_rows]
    if stale_breakdowns:
        BreakdownCount.objects.filter(report_id__in=stale_breakdowns).delete()
    stale_measures = [s.report.pk for s in saves if s.replaces_measure_rows]
    if stale_measures:
        MeasureCount.objects.filter(report_id__in=stale_measures).delete()
    counts = ("women", "men", "other")
    rows_insert(
        MeasureCount,
        ("report_id", "measure_id", *counts, "total"),
        [
            (s.report.pk, measure, *(v.counts or Counts()).as_dict().values(), v.total)
            for s in saves
            for measure, v in s.measure_rows
        ],
    )
    rows_insert(
        ExitCount,
        ("report_id", "reason_id", *counts),
        [(s.report.pk, reason, c.women, c.men, c.other) for s in saves for reason, c in s.exit_rows],
    )
    rows_insert(
        BreakdownCount,
        ("report_id", "category_id", *counts),
        [(s.report.pk, category, c.women, c.men, c.other) for s in saves for category, c in s.breakdown_rows],
    )


def _history_insert(saves: list[PlannedSave], user: User | None, reason: str = "") -> None:
    """One history row per changed value of each save, all at the same time, each with
    ``reason`` (where the values came from, such as a file's name; empty for a form or the API)."""
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None)
    rows_insert(
        ReportHistory,
        ("report_id", "user_id", "at", "kind", "field", "old", "new", "reason", "version"),
        [
            (s.report.pk, user_id, at, kind, key, old, new, reason, s.report.version)
            for s in saves
            for kind, key, old, new in history_entries(
                status=str(s.report.status), before=s.before, after=history_values(s.figures, s.comment)
            )
        ],
    )


def reports_write(saves: list[PlannedSave], *, user: User | None, reason: str = "") -> None:
    """Write the changed ``saves``, their rows by reason and category and their history (each
    entry with ``reason``), with a fixed number of queries however many there are, and announce
    each on commit."""
    saves = [s for s in saves if s.changed]
    if not saves:
        return
    _reports_store(saves)
    _count_rows_replace(saves)
    _history_insert(saves, user, reason)
    for s in saves:
        signals.announce_report_change(report=s.report, action="saved", user=user)
