"""Serializers of the period-report API (API.md's report body, in and out), and the fast path that
reads a plainly valid body without them."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import serializers

from outcomes.api.serializers import GenderCountsSerializer, GenderCountsWithTotalSerializer, ViolationSerializer
from outcomes.counts import GENDERS, Counts, ReportFigures, ongoing_at_end_of, participants_of
from outcomes.limits import MAX_REPORT_COUNT, MAX_REPORT_SEK
from outcomes.models import PeriodReport
from outcomes.tallies.services import (
    ReportInput,
)
from outcomes.violations import RuleViolation


class ExitRowSerializer(GenderCountsSerializer):
    reason = serializers.CharField(max_length=50)


class BreakdownRowSerializer(GenderCountsSerializer):
    dimension = serializers.CharField(max_length=50)
    category = serializers.CharField(max_length=50)


# The fields of a report body. A body naming none of them (no body, ``{}``, only unknown keys) is
# not a report: it is refused (``empty_report``) rather than saved as a report of zeros.
REPORT_FIELDS = ("ongoing_at_start", "new", "exits", "breakdowns", "spent_sek", "comment")


class ReportInputSerializer(serializers.Serializer):
    """The report body a client PUTs for one base period (API.md, "Report body")."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and not any(name in data for name in REPORT_FIELDS):
            message = _("Anropet innehåller ingen rapport: ange minst ett av fälten %(fields)s.") % {
                "fields": ", ".join(REPORT_FIELDS)
            }
            raise serializers.ValidationError({"non_field_errors": [message]}, code="empty_report")
        return super().to_internal_value(data)

    ongoing_at_start = GenderCountsSerializer(required=False)
    new = GenderCountsSerializer(required=False)
    exits = ExitRowSerializer(many=True, required=False)
    breakdowns = BreakdownRowSerializer(many=True, required=False)
    spent_sek = serializers.IntegerField(required=False, default=0, max_value=MAX_REPORT_SEK)
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)

    def validate_exits(self, rows):
        seen = set()
        for index, row in enumerate(rows):
            if row["reason"] in seen:
                raise serializers.ValidationError(
                    {index: {"reason": [_("Avslutsorsaken ”%(r)s” förekommer två gånger.") % {"r": row["reason"]}]}},
                    code="duplicate",
                )
            seen.add(row["reason"])
        return rows

    def validate_breakdowns(self, rows):
        seen = set()
        for index, row in enumerate(rows):
            key = (row["dimension"], row["category"])
            if key in seen:
                message = _("Kategorin ”%(d)s/%(c)s” förekommer två gånger.") % {"d": key[0], "c": key[1]}
                raise serializers.ValidationError({index: {"category": [message]}}, code="duplicate")
            seen.add(key)
        return rows

    def to_input(self, data: dict | None = None) -> ReportInput:
        """The validated body (or ``data``, validated by this serializer) as a service input."""
        if data is None:
            data = self.validated_data
        breakdowns: dict[str, dict[str, Counts]] = {}
        for row in data.get("breakdowns", []):
            breakdowns.setdefault(row["dimension"], {})[row["category"]] = Counts.from_mapping(row)
        start = data.get("ongoing_at_start")
        return ReportInput(
            ongoing_at_start=Counts.from_mapping(start) if start is not None else None,
            new=Counts.from_mapping(data.get("new")),
            exits_by_reason={row["reason"]: Counts.from_mapping(row) for row in data.get("exits", [])},
            breakdowns=breakdowns,
            spent_sek=data.get("spent_sek", 0),
            comment=data.get("comment", ""),
        )


_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")  # refused by DRF's CharField


def is_int(value, high: int, low: int | None = None) -> bool:
    return type(value) is int and value <= high and (low is None or value >= low)


def is_text(value, max_length: int, *, allow_blank: bool = False) -> bool:
    return (
        type(value) is str
        and len(value) <= max_length
        and (allow_blank or value != "")
        and value == value.strip()
        and not _BAD_TEXT.search(value)
    )


def _plain_counts(value, texts: tuple[str, ...] = ()) -> dict | None:
    if type(value) is not dict:
        return None
    out = {}
    for name in texts:
        if not is_text(value.get(name), 50):
            return None
        out[name] = value[name]
    for gender in GENDERS:
        count = value.get(gender, 0)
        if not is_int(count, MAX_REPORT_COUNT):
            return None
        out[gender] = count
    return out


def _plain_rows(value, texts: tuple[str, ...]) -> list | None:
    if type(value) is not list:
        return None
    rows, keys = [], set()
    for row in value:
        plain = _plain_counts(row, texts)
        if plain is None:
            return None
        key = tuple(plain[name] for name in texts)
        if key in keys:
            return None
        keys.add(key)
        rows.append(plain)
    return rows


def plain_report_data(data) -> dict | None:
    """``data`` as :class:`ReportInputSerializer` would validate it, when it is plainly valid;
    ``None`` when the serializer must look at it (it may still be valid)."""
    if type(data) is not dict or not any(name in data for name in REPORT_FIELDS):
        return None
    out = {}
    for name in ("ongoing_at_start", "new"):
        if name in data:
            out[name] = _plain_counts(data[name])
            if out[name] is None:
                return None
    for name, texts in (("exits", ("reason",)), ("breakdowns", ("dimension", "category"))):
        if name in data:
            out[name] = _plain_rows(data[name], texts)
            if out[name] is None:
                return None
    out["spent_sek"] = data.get("spent_sek", 0)
    out["comment"] = data.get("comment", "")
    if not is_int(out["spent_sek"], MAX_REPORT_SEK) or not is_text(out["comment"], 4000, allow_blank=True):
        return None
    return out


def body_field(violation: RuleViolation, body: dict | None) -> RuleViolation:
    """Rename a rule's field path to the path in the request body (``exits[2].women``)."""
    parts = violation.field.split(".")
    if body is None:
        return violation
    if parts[0] == "exits_by_reason" and len(parts) == 3:
        for index, row in enumerate(body.get("exits") or []):
            if isinstance(row, dict) and row.get("reason") == parts[1]:
                return RuleViolation(
                    violation.code, f"exits[{index}].{parts[2]}", violation.message, violation.severity
                )
    if parts[0] == "breakdowns" and len(parts) == 4:
        for index, row in enumerate(body.get("breakdowns") or []):
            if isinstance(row, dict) and (row.get("dimension"), row.get("category")) == (parts[1], parts[2]):
                return RuleViolation(
                    violation.code, f"breakdowns[{index}].{parts[3]}", violation.message, violation.severity
                )
    return violation


class ReportHeadSerializer(serializers.Serializer):
    """The fields a report answer and a report in a list begin with."""

    intervention = serializers.IntegerField(source="intervention_id")
    period = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    ongoing_at_start = GenderCountsWithTotalSerializer()
    new = GenderCountsWithTotalSerializer()


class ReportOutputSerializer(ReportHeadSerializer):
    """A stored report as the API answers it: the body plus derived figures and status."""

    exits = ExitRowSerializer(many=True)
    exits_total = GenderCountsWithTotalSerializer()
    ongoing_at_end = GenderCountsWithTotalSerializer()
    participants = GenderCountsWithTotalSerializer()
    breakdowns = BreakdownRowSerializer(many=True)
    spent_sek = serializers.IntegerField()
    comment = serializers.CharField(allow_blank=True)
    warnings = ViolationSerializer(many=True)
    updated_at = serializers.DateTimeField()

    @staticmethod
    def represent(report: PeriodReport, warnings: list[RuleViolation], figures: ReportFigures | None = None) -> dict:
        """The answer for ``report``; ``figures`` (its stored figures) save reading its rows again."""
        if figures is None:
            figures = report.figures()
        return {
            "intervention": report.intervention_id,
            "period": report.period,
            "status": report.status,
            "version": report.version,
            "ongoing_at_start": figures.ongoing_at_start.as_dict(with_total=True),
            "new": figures.new.as_dict(with_total=True),
            "exits": [{"reason": code, **counts.as_dict()} for code, counts in sorted(figures.exits_by_reason.items())],
            "exits_total": figures.exits.as_dict(with_total=True),
            "ongoing_at_end": figures.ongoing_at_end.as_dict(with_total=True),
            "participants": figures.participants.as_dict(with_total=True),
            "breakdowns": [
                {"dimension": dimension, "category": category, **counts.as_dict()}
                for dimension, categories in sorted(figures.breakdowns.items())
                for category, counts in sorted(categories.items())
            ],
            "spent_sek": report.spent_sek,
            "comment": report.comment,
            "warnings": [v.as_dict() for v in warnings],
            "updated_at": report.updated_at,
        }


class ReportListSerializer(ReportHeadSerializer):
    """A report in a list: status, version and the stock-and-flow figures, without the rows by
    reason and category (read one report for those)."""

    exits_total = GenderCountsWithTotalSerializer()
    ongoing_at_end = GenderCountsWithTotalSerializer()
    participants = GenderCountsWithTotalSerializer()
    spent_sek = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, report: PeriodReport) -> dict:
        start, new, exits = report.ongoing_at_start, report.new, report.exits
        return {
            "intervention": report.intervention_id,
            "period": report.period,
            "status": report.status,
            "version": report.version,
            "ongoing_at_start": start.as_dict(with_total=True),
            "new": new.as_dict(with_total=True),
            "exits_total": exits.as_dict(with_total=True),
            "ongoing_at_end": ongoing_at_end_of(start, new, exits).as_dict(with_total=True),
            "participants": participants_of(start, new).as_dict(with_total=True),
            "spent_sek": report.spent_sek,
            "updated_at": serializers.DateTimeField().to_representation(report.updated_at),
            "submitted_at": report.submitted_at and serializers.DateTimeField().to_representation(report.submitted_at),
            "approved_at": report.approved_at and serializers.DateTimeField().to_representation(report.approved_at),
        }
