"""File imports: read the files, run their reports through the JSON import, say what it did.

Every file is first a dry run: :func:`files_import` with ``dry_run`` answers a
:class:`FilePreview` (each report created, changed, unchanged or locked, the values that change,
the warnings, every error at its sheet and cell or line) and stores nothing. The same call without
``dry_run`` stores all of it or nothing, and with ``submit`` submits every draft it stored in the
same transaction. The counting rules are those of :func:`outcomes.imports.services.reports_import`
and the report service it calls; nothing here repeats them. Approved reports are left out of the
import (shown as locked), whatever the file holds for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from outcomes.imports.csv import csv_read
from outcomes.imports.files import XLSX, FileRefused, file_kind, file_name_check
from outcomes.imports.sections import FileReport, line_index
from outcomes.imports.services import reports_import
from outcomes.imports.xlsx import workbook_read
from outcomes.models import PeriodReport, ReportStatus
from outcomes.organisations.selectors import interventions_visible_to
from outcomes.tallies.errors import ReportError
from outcomes.tallies.history import field_labels, history_values
from outcomes.tallies.rules import normalised
from outcomes.tallies.services import report_submit

CREATE, CHANGE, UNCHANGED, LOCKED, REFUSED = "create", "change", "unchanged", "locked", "refused"


@dataclass
class PreviewRow:
    """What the import does to one report of the files."""

    source: str  # "mall.xlsx, Blad 2024Q3"
    intervention: object | None
    period: str
    action: str = REFUSED
    diff: list[dict] = field(default_factory=list)  # {"label", "old", "new"}
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    place: dict = field(default_factory=dict)  # {"sheet": "2024Q3"} or {"line": 2}


@dataclass
class FilePreview:
    dry_run: bool
    names: list[str]
    rows: list[PreviewRow] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)  # whole files refused
    stored: bool = False

    @property
    def errors(self) -> list[dict]:
        return self.refusals + [e for row in self.rows for e in row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> dict:
        """The import summary of API.md with the errors of each report at their places."""
        errors = []
        for index, row in enumerate(self.rows):
            if row.errors:
                place = {k: v for k, v in row.place.items() if k in ("sheet", "line")}
                message = _("%(source)s har %(n)s fel.") % {"source": row.source, "n": len(row.errors)}
                errors.append(
                    {"index": index, "field": f"reports[{index}]", "code": "invalid_report", "message": message}
                    | place
                    | {"errors": row.errors}
                )
        failed = bool(errors or self.refusals)
        return {
            "dry_run": self.dry_run,
            "created": 0 if failed else self.count(CREATE),
            "updated": 0 if failed else self.count(CHANGE),
            "unchanged": 0 if failed else self.count(UNCHANGED),
            "locked": self.count(LOCKED),
            "errors": errors,
            "refusals": self.refusals,
        }


class _Refused(Exception):
    pass


def files_read(files: list[tuple[str, bytes]], *, user) -> tuple[list[tuple[str, FileReport]], list[dict], list[str]]:
    """Each file's reports (with the file's name), the refusals of whole files, the names."""
    visible = {}
    indexes = {}

    def index_for(intervention_id):
        if intervention_id not in visible:
            visible[intervention_id] = (
                interventions_visible_to(user).filter(pk=intervention_id).first()
                if isinstance(intervention_id, int) and 0 < intervention_id < 2**63
                else None
            )
        intervention = visible[intervention_id]
        if intervention is None:
            return None
        if intervention.association_id not in indexes:
            indexes[intervention.association_id] = line_index(intervention.association_id)
        return indexes[intervention.association_id]

    found, refusals, names = [], [], []
    for name, content in files:
        try:
            name = file_name_check(name)
            names.append(name)
            reader = workbook_read if file_kind(content) == XLSX else csv_read
            found += [(name, report) for report in reader(content, index_for=index_for)]
        except FileRefused as refused:
            if refused.code == "personal_data":  # the name itself is what is refused: not repeated
                refusals.append(refused.as_dict())
            else:
                refusals.append({**refused.as_dict(), "message": f"{name}: {refused.message}", "file": name})
    return found, refusals, names


def files_import(*, user, files: list[tuple[str, bytes]], dry_run: bool = True, submit: bool = False) -> FilePreview:
    """Read ``files`` and import their reports: a dry run, or all of it stored (and the drafts
    submitted when ``submit``) or nothing. A file refused, an error in any report or a draft that
    cannot be submitted stores nothing; the preview then lists every error."""
    found, refusals, names = files_read(files, user=user)
    preview = FilePreview(dry_run=dry_run, names=names, refusals=refusals)
    if refusals:
        return preview
    preview.rows = rows = _rows_of(found, user)
    stored = _stored_reports([report for _name, report in found])
    items, positions = _items_of(found, rows, stored)
    failed = any(row.errors for row in rows)
    source = _("Från fil: %(names)s") % {"names": ", ".join(sorted(set(names)))}
    try:
        with transaction.atomic():
            summary = reports_import(user=user, items=items, dry_run=dry_run or failed, source=source)
            _rows_fill(rows, found, positions, summary, stored)
            if dry_run or any(row.errors for row in rows):
                raise _Refused
            if submit:
                _drafts_submit(rows, found, positions, summary, user)
            preview.stored = True
    except _Refused:
        preview.stored = False
    return preview


def _rows_of(found, user) -> list[PreviewRow]:
    """A preview row per report read, naming its intervention when the user sees it."""
    ids = {r.item.get("intervention") for _n, r in found if isinstance(r.item.get("intervention"), int)}
    named = {i.pk: i for i in interventions_visible_to(user).filter(pk__in=[i for i in ids if 0 < i < 2**63])}
    return [
        PreviewRow(
            source=f"{name}, {report.name}",
            intervention=named.get(report.item.get("intervention")),
            period=str(report.item.get("period")),
            place=report.builder.origin.place(),
        )
        for name, report in found
    ]


def _items_of(found, rows, stored) -> tuple[list[dict], list[int]]:
    """The import items of the reports read without errors and not locked, and their positions;
    an approved report is marked locked and left out whatever the file holds for it."""
    items, positions = [], []
    for position, ((_name, report), row) in enumerate(zip(found, rows, strict=True)):
        current = stored.get((report.item.get("intervention"), row.period.upper()))
        if current is not None and current.status == ReportStatus.APPROVED:
            row.action, row.intervention = LOCKED, current.intervention
            continue
        row.errors = list(report.errors)
        if not report.errors:
            items.append(report.item)
            positions.append(position)
    return items, positions


def _stored_reports(reports: list[FileReport]) -> dict[tuple, PeriodReport]:
    keys = {
        (r.item.get("intervention"), str(r.item.get("period")).upper())
        for r in reports
        if isinstance(r.item.get("intervention"), int)
    }
    if not keys:
        return {}
    condition = Q()
    for intervention, period in keys:
        condition |= Q(intervention_id=intervention, period=period)
    rows = PeriodReport.objects.filter(condition).select_related("intervention").with_rows()
    return {(r.intervention_id, r.period): r for r in rows}


def _rows_fill(rows, found, positions, summary, stored) -> None:
    """The import's answer, report by report: errors and warnings at their places, the action
    and the values that change (stored → in the file)."""
    labels: dict[int, dict] = {}
    for error in summary.errors:
        position = positions[error["index"]]
        builder = found[position][1].builder
        for violation in error["errors"]:
            where, key = builder.where(violation.get("field"))
            rows[position].errors.append(
                {**violation, "message": f"{where.text(key)}: {violation['message']}", **where.place(key)}
            )
    for index, result in summary.results:
        position = positions[index]
        row, builder = rows[position], found[position][1].builder
        report = result.report
        row.intervention, row.period = report.intervention, report.period
        for warning in result.warnings:
            where, key = builder.where(warning.field)
            row.warnings.append(
                {**warning.as_dict(), "message": f"{where.text(key)}: {warning.message}", **where.place(key)}
            )
        row.action = CREATE if result.created else CHANGE if result.changed else UNCHANGED
        if row.action != CHANGE:
            continue
        before_report = stored.get((report.intervention_id, report.period))
        before = history_values(normalised(before_report.figures()), before_report.comment)
        after = history_values(result.figures, report.comment)
        if report.intervention.association_id not in labels:
            labels[report.intervention.association_id] = field_labels(report.intervention.association_id)
        names = labels[report.intervention.association_id]
        for key in sorted(before.keys() | after.keys()):
            zero = "" if key == "comment" else "0"
            old, new = before.get(key, zero), after.get(key, zero)
            if old != new:
                row.diff.append({"label": names.get(key, key), "old": old, "new": new})


def _drafts_submit(rows, found, positions, summary, user) -> None:
    """Submit every stored draft; a draft whose rules do not hold refuses the whole import."""
    for index, result in summary.results:
        if result.report.status != ReportStatus.DRAFT:
            continue
        try:
            report_submit(report=result.report, user=user)
        except ReportError as exc:
            position = positions[index]
            builder = found[position][1].builder
            for violation in exc.violations:
                where, key = builder.where(violation.field)
                rows[position].errors.append(
                    {**violation.as_dict(), "message": f"{where.text(key)}: {violation.message}", **where.place(key)}
                )
    if any(row.errors for row in rows):
        raise _Refused
