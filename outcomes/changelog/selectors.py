"""Reading the change log of one association, with the reports' status changes beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from outcomes.changelog.models import ChangeKind, ChangeLogEntry
from outcomes.models import Association, HistoryKind, ReportHistory, ReportStatus

REPORT = "report"
#: At most this many rows on one page of the log, newest first.
CHANGE_LOG_LIMIT = 500


@dataclass(frozen=True)
class ChangeRow:
    at: dt.datetime
    user: str
    kind: str
    kind_label: str
    subject: str
    field: str
    old: str
    new: str


def change_log_kinds() -> list[tuple[str, str]]:
    """The kinds the log can be filtered by: those of :class:`ChangeKind` and the reports'."""
    return [*ChangeKind.choices, (REPORT, _("periodrapport"))]


def change_log_for(
    *, association: Association, kind: str = "", since: dt.date | None = None, until: dt.date | None = None
) -> list[ChangeRow]:
    """The association's changes, newest first, at most :data:`CHANGE_LOG_LIMIT`: every row of the
    change log and every status change of its reports (submitted, approved, reopened; the report
    history holds those and is not copied). ``kind`` narrows to one kind, ``since``/``until`` to
    days (both inclusive). No change: an empty list. Two queries."""
    labels = dict(change_log_kinds())
    statuses = dict(ReportStatus.choices)
    rows: list[ChangeRow] = []
    if kind != REPORT:
        entries = ChangeLogEntry.objects.filter(association=association).select_related("user")
        if kind:
            entries = entries.filter(kind=kind)
        entries = _dated(entries, since, until)[:CHANGE_LOG_LIMIT]
        rows += [
            ChangeRow(
                e.at,
                e.user.email if e.user else "",
                e.kind,
                labels.get(e.kind, e.kind),
                e.subject,
                e.field,
                e.old,
                e.new,
            )
            for e in entries
        ]
    if kind in ("", REPORT):
        history = ReportHistory.objects.filter(
            report__intervention__association=association, kind=HistoryKind.STATUS
        ).select_related("user", "report__intervention")
        history = _dated(history.order_by("-at", "-id"), since, until)[:CHANGE_LOG_LIMIT]
        rows += [
            ChangeRow(
                h.at,
                h.user.email if h.user else "",
                REPORT,
                labels[REPORT],
                f"{h.report.intervention.name} {h.report.period}",
                _("status"),
                str(statuses.get(h.old, h.old)),
                str(statuses.get(h.new, h.new)) + (f" ({h.reason})" if h.reason else ""),
            )
            for h in history
        ]
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:CHANGE_LOG_LIMIT]


def _dated(queryset, since, until):
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    return queryset
