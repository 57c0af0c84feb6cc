"""django-filter filtersets of the API's lists; every list narrows the user's visible rows."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from outcomes.catalog.models import RespondentGroup
from outcomes.models import Dimension, ExitReason, Intervention, Measure, PeriodReport, ReportStatus, SurveyQuestion
from outcomes.organisations.models import Frequency, InterventionKind
from outcomes.periods import Period, PeriodError


class StrictBooleanField(forms.Field):
    """``true``/``false`` (also ``1``/``0``); anything else is an error rather than "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise ValidationError(_("Ange true eller false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class IntegerFilter(django_filters.NumberFilter):
    """An id or year: a whole number within the database's range (django-filter's NumberFilter
    takes decimals, and a huge one would reach the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, compared in UTC (some databases refuse unusual UTC offsets)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(_("Tidpunkten ligger utanför det tillåtna intervallet."), code="invalid") from exc


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class StrictFilterSet(django_filters.FilterSet):
    """A filterset that refuses what django-filter would silently ignore: a parameter given twice,
    and an empty value for a filter that is not free text."""

    def is_valid(self):
        valid = super().is_valid()
        for name, declared in self.filters.items():
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if len(values) > 1:
                self.form.add_error(name, ValidationError(_("Ange parametern en gång."), code="repeated"))
            elif values and values[0] == "" and not isinstance(declared, django_filters.CharFilter):
                self.form.add_error(name, ValidationError(_("Ange ett värde."), code="blank"))
        return valid and not self.form.errors


class InterventionFilter(StrictFilterSet):
    association = IntegerFilter(field_name="association_id", help_text="Förbundets id.")
    active = BooleanFilter(help_text="true: bara aktiva insatser.")
    kind = django_filters.ChoiceFilter(choices=InterventionKind.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Del av namnet.")
    owner = django_filters.CharFilter(lookup_expr="icontains", help_text="Del av insatsägarens namn.")

    class Meta:
        model = Intervention
        fields = ["association", "active", "kind", "frequency", "name", "owner"]


class CatalogFilter(StrictFilterSet):
    association = IntegerFilter(field_name="association_id", help_text="Förbundets id.")
    active = BooleanFilter(help_text="true: bara poster som används; false: bara avvecklade.")


class ExitReasonFilter(CatalogFilter):
    class Meta:
        model = ExitReason
        fields = ["association", "active", "outcome_class"]


class MeasureFilter(CatalogFilter):
    class Meta:
        model = Measure
        fields = ["association", "active", "split", "aggregation"]


class DimensionFilter(CatalogFilter):
    multi_valued = BooleanFilter(help_text="true: bara dimensioner där en person kan räknas flera gånger.")

    class Meta:
        model = Dimension
        fields = ["association", "active", "multi_valued"]


class SurveyQuestionFilter(CatalogFilter):
    group = django_filters.ChoiceFilter(choices=RespondentGroup.choices)

    class Meta:
        model = SurveyQuestion
        fields = ["association", "active", "group", "indicator"]


class ReportFilter(StrictFilterSet):
    intervention = IntegerFilter(field_name="intervention_id", help_text="Insatsens id.")
    association = IntegerFilter(field_name="intervention__association_id", help_text="Förbundets id.")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    year = IntegerFilter(
        field_name="period_start__year", min_value=1900, max_value=2999, help_text="Rapporter för basperioder i året."
    )
    period = django_filters.CharFilter(method="filter_period", help_text="Rapporter inom en period, t.ex. 2024H1.")
    updated_since = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Ändrade från och med tidpunkten (ISO 8601)."
    )

    class Meta:
        model = PeriodReport
        fields = ["intervention", "association", "status", "year", "period", "updated_since"]

    def filter_period(self, queryset, name, value):
        try:
            period = Period.parse(value)
        except PeriodError as exc:
            raise ValidationError({"period": ValidationError(exc.message, code=exc.code)}) from exc
        return queryset.within(period)
