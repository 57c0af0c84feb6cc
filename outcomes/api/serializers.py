"""Serializers shared by the API of every topic: counts by gender and rule violations."""

from __future__ import annotations

from rest_framework import serializers

from outcomes.limits import MAX_REPORT_COUNT


class GenderCountsSerializer(serializers.Serializer):
    """``{"women": n, "men": n, "other": n}``; a missing key means 0.

    Negative numbers pass here on purpose: the counting rules refuse them with the stable code
    ``negative_count`` and the field named, the same as in the web form.
    """

    women = serializers.IntegerField(required=False, default=0, max_value=MAX_REPORT_COUNT)
    men = serializers.IntegerField(required=False, default=0, max_value=MAX_REPORT_COUNT)
    other = serializers.IntegerField(required=False, default=0, max_value=MAX_REPORT_COUNT)


class GenderCountsWithTotalSerializer(GenderCountsSerializer):
    total = serializers.IntegerField(read_only=True)


class ViolationSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Fältet i anropet; null när felet gäller hela anropet.")
    code = serializers.CharField()
    message = serializers.CharField()
