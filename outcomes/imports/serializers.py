"""Serializers of the bulk import: the request, each item, and the summary."""

from __future__ import annotations

from rest_framework import serializers

from outcomes import limits
from outcomes.api.serializers import ViolationSerializer
from outcomes.tallies.serializers import ReportInputSerializer


class ImportItemSerializer(ReportInputSerializer):
    """One report of an import: the report body plus where it belongs."""

    intervention = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Insatsens id.")
    period = serializers.CharField(max_length=10, help_text="Basperiod, t.ex. 2024Q1.")
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=limits.MAX_COUNT,
        help_text="Som If-Match: sparas bara om rapporten har den versionen.",
    )


class ImportRequestSerializer(serializers.Serializer):
    reports = ImportItemSerializer(many=True)


class FileViolationSerializer(ViolationSerializer):
    """A rule broken in a file import: where in the file (API.md "Files")."""

    sheet = serializers.CharField(required=False, help_text="Bladet i mallen, t.ex. 2024Q3.")
    cell = serializers.CharField(required=False, help_text="Cellen, t.ex. C14.")
    line = serializers.IntegerField(required=False, help_text="Raden i CSV-filen, från 1 (rubrikraden).")


class ImportItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Rapportens plats i listan, från 0.")
    field = serializers.CharField(help_text="reports[index]")
    code = serializers.CharField()
    message = serializers.CharField()
    sheet = serializers.CharField(required=False, help_text="Filimport: rapportens blad.")
    line = serializers.IntegerField(required=False, help_text="Filimport: rapportens första rad.")
    errors = FileViolationSerializer(many=True, help_text="Varje fel i rapporten, med fältet och regeln.")


class ImportSummarySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    locked = serializers.IntegerField(required=False, help_text="Filimport: godkända rapporter som lämnas orörda.")
    errors = ImportItemErrorSerializer(many=True)


MAX_ITEMS = 2000
