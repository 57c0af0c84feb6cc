"""Serializers shared by the API of every topic: counts by gender, shares and rule violations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from outcomes.counts import Counts
from outcomes.limits import MAX_REPORT_COUNT
from outcomes.shares import Share


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

    def to_representation(self, instance):
        # A summary answers hundreds of these: Counts' own dict is what the fields would give.
        if isinstance(instance, Counts):
            return instance.as_dict(with_total=True)
        return super().to_representation(instance)


class ViolationSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Fältet i anropet; null när felet gäller hela anropet.")
    code = serializers.CharField()
    message = serializers.CharField()


class ShareSerializer(serializers.Serializer):
    """A share (:class:`outcomes.shares.Share`): ``value`` the exact percent to one decimal,
    ``percent`` the whole percent people see; both null when the denominator is zero."""

    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)

    def to_representation(self, instance):
        # What the four fields would give, without their per-field work (a summary has hundreds).
        if isinstance(instance, Share):
            value = instance.value
            return {
                "numerator": instance.numerator,
                "denominator": instance.denominator,
                "value": None if value is None else float(value),
                "percent": instance.percent,
            }
        return super().to_representation(instance)


class IsoDateTimeField(serializers.DateTimeField):
    """A moment as Python's ``isoformat()`` writes it, in the zone it was stored in (UTC:
    ``+00:00``), as the goal results have always answered it."""

    def to_representation(self, value):
        return value.isoformat() if value is not None else None


class _TextOnly:
    """Refuses a JSON number or boolean where the schema says text (DRF turns ``-5804`` into
    ``"-5804"``; the contract's codes and labels are strings)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class TextField(_TextOnly, serializers.CharField):
    default_error_messages = {"not_text": _("Ange text.")}


class CodeField(_TextOnly, serializers.SlugField):
    """A catalog entry's code: text of letters, digits, hyphens and underscores."""

    default_error_messages = {"not_text": _("Ange koden som text.")}
