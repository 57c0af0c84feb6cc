"""The associations' catalogs: ``/api/v1/catalog/exit-reasons/``, ``dimensions/``, ``survey-questions/``,
``measures/``.

Every role reads the catalogs of the associations in which it holds a role, retired entries
included and flagged ``active: false`` (old reports still use their codes). ``?association=<id>``
narrows to one association, ``?active=true`` to the entries offered for new reports."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from outcomes.api.filters import DimensionFilter, ExitReasonFilter, MeasureFilter, SurveyQuestionFilter
from outcomes.models import Dimension, DimensionCategory, ExitReason, Measure, SurveyQuestion
from outcomes.organisations.selectors import associations_visible_to


class ExitReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExitReason
        fields = ["association", "code", "label_sv", "outcome_class", "active", "position"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = DimensionCategory
        fields = ["code", "label_sv", "active", "position"]


class DimensionSerializer(serializers.ModelSerializer):
    categories = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["association", "code", "label_sv", "multi_valued", "active", "position", "categories"]


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["association", "code", "group", "number", "indicator", "scale", "text_sv", "active", "position"]


class MeasureSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Measure
        fields = ["association", "code", "label_sv", "split", "aggregation", "kinds", "active", "position"]


class CatalogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Base of the catalog lists: entries of the associations the user holds a role in."""

    model = None
    ordering = ("association_id", "position", "code")

    def get_queryset(self):
        visible = associations_visible_to(self.request.user).values("pk")
        return self.model.objects.filter(association_id__in=visible).order_by(*self.ordering)


@extend_schema_view(list=extend_schema(summary="Avslutsorsaker"))
class ExitReasonViewSet(CatalogViewSet):
    model = ExitReason
    serializer_class = ExitReasonSerializer
    filterset_class = ExitReasonFilter


@extend_schema_view(list=extend_schema(summary="Bakgrundsvariabler med kategorier"))
class DimensionViewSet(CatalogViewSet):
    model = Dimension
    serializer_class = DimensionSerializer
    filterset_class = DimensionFilter

    def get_queryset(self):
        categories = DimensionCategory.objects.order_by("position", "code")
        return super().get_queryset().prefetch_related(Prefetch("categories", queryset=categories))


@extend_schema_view(list=extend_schema(summary="Enkätfrågor"))
class SurveyQuestionViewSet(CatalogViewSet):
    model = SurveyQuestion
    serializer_class = SurveyQuestionSerializer
    filterset_class = SurveyQuestionFilter
    ordering = ("association_id", "group", "number", "code")


@extend_schema_view(list=extend_schema(summary="Övriga mått"))
class MeasureViewSet(CatalogViewSet):
    model = Measure
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
