"""Parameters the API's views read: the boolean flag, the period code and the year, each parsed
by one field, which the views' small query serializers use (lists use django-filter filtersets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from outcomes.periods import Period, PeriodError, parse_span


class _BlankIsGiven:
    """A blank value in a query string (``?period=``) is a malformed value, refused on the
    parameter, not an absent one (DRF reads it as absent when the field is not required)."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class FlagField(_BlankIsGiven, serializers.BooleanField):
    """A boolean parameter: ``true``/``false``, ``1``/``0`` (DRF's spellings). Any other value is
    refused with 400 on the parameter rather than read as false, so that ``?include_drafts=ja``
    is not silently ignored."""

    default_error_messages = {"invalid": _("Ange true eller false.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", False)
        super().__init__(**kwargs)


class PeriodField(_BlankIsGiven, serializers.CharField):
    """A period code (``2024``, ``2024H1``, ``2024Q3``, ``2024YTDQ3`` …) read as an
    :class:`outcomes.periods.Period`; a bad code is refused with the period's own code
    (``invalid_period``) and Swedish message, on the field. Written back as its code. With
    ``ranges`` a range of whole base periods (``2014Q3..2024Q2``) is accepted too."""

    def __init__(self, *, ranges: bool = False, **kwargs):
        self.ranges = ranges
        kwargs.setdefault("help_text", "Period, till exempel 2024, 2024H1 eller 2024Q3.")
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # Field's, not CharField's: a blank code is a bad period (the period's message), not "blank".
        return serializers.Field.run_validation(self, data)

    def to_internal_value(self, data) -> Period:
        code = super().to_internal_value(data)
        try:
            return parse_span(code) if self.ranges else Period.parse(code)
        except PeriodError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from exc

    def to_representation(self, value) -> str:
        return getattr(value, "code", value) if value is not None else None


class YearField(_BlankIsGiven, serializers.IntegerField):
    """A year from 1900 to 2999 such as 2024; anything else is refused with the code
    ``invalid_year`` and one Swedish message."""

    default_error_messages = {"invalid": _("Ange ett år, till exempel 2024.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2999)
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        if key in ("required", "null"):
            super().fail(key, **kwargs)
        raise serializers.ValidationError(self.error_messages["invalid"], code="invalid_year")

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError:
            self.fail("invalid")


def query_flag(request, name: str, *, default: bool = False) -> bool:
    """The boolean query parameter ``name`` read by :class:`FlagField`; ``default`` when absent."""
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return FlagField().to_internal_value(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc
