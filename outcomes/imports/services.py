"""The bulk import of period reports: every item checked on its own, then all saved together or
none (a dry run, or any item refused, rolls the whole import back). The API's POST /imports/ and
the file imports (template, CSV) both come here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from outcomes import limits
from outcomes.api.errors import _flatten
from outcomes.imports.serializers import ImportItemSerializer
from outcomes.organisations.access import writable_interventions
from outcomes.organisations.selectors import interventions_visible_to
from outcomes.periods import PeriodError, base_period
from outcomes.tallies.errors import ReportError
from outcomes.tallies.serializers import body_field, is_int, is_text, plain_report_data
from outcomes.tallies.services import report_save_many


class _Rollback(Exception):
    """Raised inside the import's savepoint to undo every save of a dry run or a failed import."""


@dataclass
class ImportSummary:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    #: ``(index, SaveResult)`` of every item the save accepted, for a preview of what changes.
    results: list = field(default_factory=list)

    def fail(self, index: int, violations: list[dict]) -> None:
        self.errors.append(
            {
                "index": index,
                "field": f"reports[{index}]",
                "code": "invalid_report",
                "message": _("Rapport %(index)s i listan har %(n)s fel.") % {"index": index, "n": len(violations)},
                "errors": violations,
            }
        )


def _violation(code: str, field_name: str | None, message: str) -> dict:
    return {"field": field_name, "code": code, "message": str(message)}


def reports_import(*, user, items: list, dry_run: bool, source: str = "") -> ImportSummary:
    """Check and save every item; keep the saves only if none failed and it is not a dry run.

    Each item is first checked on its own (body, intervention, rights, period, duplicates); the
    rest are then saved together by :func:`outcomes.tallies.services.report_save_many`, which answers
    what one save after another would, with a number of queries that does not grow with the items.
    ``source`` is written into the history of every change (a file import gives the file's name).
    """
    summary = ImportSummary(dry_run=dry_run)
    # Only plain ids are looked up; anything else (an object, a list) is refused by the item's check.
    ids = {
        item.get("intervention")
        for item in items
        if isinstance(item, dict) and is_int(item.get("intervention"), 2**63 - 1, 1)
    }
    interventions = {i.pk: i for i in interventions_visible_to(user).filter(pk__in=ids).select_related("association")}
    writable = writable_interventions(user, interventions.values())
    seen: dict[tuple[int, str], int] = {}
    # One serializer validates every item: building one per item deep-copies all nested fields.
    validator = ImportItemSerializer()
    failures: dict[int, list[dict]] = {}
    to_save: list[tuple[int, tuple]] = []
    for index, item in enumerate(items):
        checked = _import_check(index, item, validator, interventions, writable, seen)
        if isinstance(checked, list):
            failures[index] = checked
        else:
            to_save.append((index, checked))
    try:
        with transaction.atomic():
            results = report_save_many(
                items=[entry for _index, entry in to_save],
                user=user,
                write=not (dry_run or failures),
                reason=source,
            )
            for (index, _entry), result in zip(to_save, results, strict=True):
                if isinstance(result, ReportError):
                    failures[index] = [body_field(v, items[index]).as_dict() for v in result.violations]
                    continue
                summary.results.append((index, result))
                if result.created:
                    summary.created += 1
                elif result.changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
            for index in sorted(failures):
                summary.fail(index, failures[index])
            if summary.errors:
                # A refused import stores nothing, so it created, updated and left unchanged nothing.
                summary.created = summary.updated = summary.unchanged = 0
            if dry_run or summary.errors:
                raise _Rollback
    except _Rollback:
        pass
    return summary


def _plain_item(item: dict) -> dict | None:
    """The item as :class:`ImportItemSerializer` would validate it, when it is plainly valid."""
    data = plain_report_data(item)
    if data is None or not is_int(item.get("intervention"), 2**63 - 1, 1) or not is_text(item.get("period"), 10):
        return None
    data["intervention"], data["period"] = item["intervention"], item["period"]
    if "version" in item:
        if not is_int(item["version"], limits.MAX_COUNT, 0):
            return None
        data["version"] = item["version"]
    return data


def _import_check(index, item, validator, interventions, writable, seen) -> list[dict] | tuple:
    """The item's violations found without the database, or what to save for it."""
    if not isinstance(item, dict):
        return [_violation("invalid", None, _("Varje rapport ska vara ett JSON-objekt."))]
    data = _plain_item(item)
    if data is None:
        try:
            data = validator.run_validation(item)
        except serializers.ValidationError as exc:
            return _flatten(exc.detail)
    intervention = interventions.get(data["intervention"])
    if intervention is None:
        return [_violation("not_found", "intervention", _("Insatsen finns inte eller är inte din."))]
    if intervention.pk not in writable:
        return [_violation("permission_denied", "intervention", _("Din roll får inte rapportera för insatsen."))]
    try:
        period = base_period(data["period"], intervention.frequency)
    except PeriodError as exc:
        return [_violation(exc.code, "period", exc.message)]
    key = (intervention.pk, period.code)
    if key in seen:
        message = _("Samma insats och period finns redan som rapport %(index)s i listan.") % {"index": seen[key]}
        return [_violation("duplicate_report", "period", message)]
    seen[key] = index
    return (intervention, period.code, validator.to_input(data), data.get("version"))
