"""The associations' catalogs: ``/api/v1/catalog/exit-reasons/``, ``dimensions/``, ``survey-questions/``,
``measures/``.

Every role reads the catalogs of the associations in which it holds a role, retired entries
included and flagged ``active: false`` (old reports still use their codes). ``?association=<id>``
narrows to one association, ``?active=true`` to the entries offered for new reports.

Staff add entries (``POST`` with ``association``, ``code`` and the label) and change them
(``PATCH .../{id}/``: label, position, ``active`` to retire or bring back, an exit reason's
outcome class), through the services the catalog pages use; a code never changes. Others who
see the entry get 403, everybody else 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.filters import DimensionFilter, ExitReasonFilter, MeasureFilter, SurveyQuestionFilter
from outcomes.api.permissions import ManagesAssociationRows, StaffWritesObject
from outcomes.api.serializers import CodeField, TextField
from outcomes.catalog import registry, services
from outcomes.limits import MAX_SMALL
from outcomes.models import (
    Dimension,
    DimensionCategory,
    ExitReason,
    Measure,
    OutcomeClass,
    SurveyQuestion,
)
from outcomes.organisations.selectors import associations_visible_to


class ExitReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExitReason
        fields = ["id", "association", "code", "label_sv", "outcome_class", "active", "position"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = DimensionCategory
        fields = ["id", "code", "label_sv", "active", "position"]


class DimensionSerializer(serializers.ModelSerializer):
    categories = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["id", "association", "code", "label_sv", "multi_valued", "active", "position", "categories"]


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = [
            "id",
            "association",
            "code",
            "group",
            "number",
            "indicator",
            "scale",
            "text_sv",
            "active",
            "position",
        ]


@extend_schema_field(OpenApiTypes.INT)
class _VisibleAssociation(serializers.PrimaryKeyRelatedField):
    """An association in which the requesting user holds a role; others are "does not exist"."""

    def get_queryset(self):
        return associations_visible_to(self.context["request"].user)


class EntryChangeSerializer(serializers.Serializer):
    """What a ``PATCH`` of any catalog entry may change (the catalog's extra fields besides)."""

    position = serializers.IntegerField(min_value=0, max_value=MAX_SMALL, required=False)
    active = serializers.BooleanField(required=False)


class ExitReasonChangeSerializer(EntryChangeSerializer):
    label_sv = TextField(max_length=300, required=False)
    outcome_class = serializers.ChoiceField(choices=OutcomeClass.choices, required=False)


class ExitReasonNewSerializer(serializers.Serializer):
    association = _VisibleAssociation()
    code = CodeField(max_length=50)
    label_sv = TextField(max_length=300)
    outcome_class = serializers.ChoiceField(choices=OutcomeClass.choices)


class DimensionChangeSerializer(EntryChangeSerializer):
    label_sv = TextField(max_length=300, required=False)
    multi_valued = serializers.BooleanField(required=False)


class DimensionNewSerializer(serializers.Serializer):
    association = _VisibleAssociation()
    code = CodeField(max_length=50)
    label_sv = TextField(max_length=300)
    multi_valued = serializers.BooleanField(default=False)


class SurveyQuestionChangeSerializer(EntryChangeSerializer):
    text_sv = serializers.CharField(max_length=500, required=False)


class WritableCatalogMixin:
    """``POST`` (new entry) and ``PATCH .../{id}/`` of a catalog of :mod:`outcomes.catalog.registry`.

    A viewset names its catalog in its header (``kind=``); the model follows from it, and so do
    the methods: ``POST`` only where the catalog's entries can be added (``can_add``)."""

    kind: registry.CatalogKind
    new_serializer = None
    change_serializer = None
    lookup_value_regex = r"[0-9]{1,18}"
    permission_classes = [IsAuthenticated, ManagesAssociationRows]

    def __init_subclass__(cls, *, kind: registry.CatalogKind | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if kind is not None:
            cls.kind, cls.model = kind, kind.model
            cls.http_method_names = ["get", *(["post"] if kind.can_add else []), "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.new_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        association = data.pop("association")
        self.check_object_permissions(request, association)
        entry = services.catalog_entry_create(
            kind=self.kind,
            association=association,
            user=request.user,
            code=data.pop("code"),
            label=data.pop(self.kind.label_field),
            **data,
        )
        return Response(self.serializer_class(entry).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entry = get_object_or_404(self.kind.narrow(self.get_queryset()), pk=kwargs["pk"])
        self.check_object_permissions(request, entry)
        serializer = self.change_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.catalog_entry_update(
            kind=self.kind, entry=entry, association=entry.association, user=request.user, **serializer.validated_data
        )
        return Response(self.serializer_class(self.get_queryset().get(pk=entry.pk)).data)


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


def _documented(*, change: str, title: str | None = None):
    """The OpenAPI summaries of a catalog viewset's list (``title``, by default the catalog's),
    ``PATCH`` (``change``) and, where entries can be added, ``POST``, with the viewset's own
    serializers as request and response."""

    def decorate(viewset):
        kind = viewset.kind
        views = {
            "list": extend_schema(summary=title or str(kind.title)),
            "partial_update": extend_schema(
                summary=change, request=viewset.change_serializer, responses=viewset.serializer_class
            ),
        }
        if kind.can_add:
            views["create"] = extend_schema(
                summary=f"Ny {kind.singular} (förbundspersonal)",
                request=viewset.new_serializer,
                responses={201: viewset.serializer_class},
            )
        return extend_schema_view(**views)(viewset)

    return decorate


@_documented(change="Byt namn, ordning, utfallsklass; ta ur bruk eller återinför (förbundspersonal)")
class ExitReasonViewSet(WritableCatalogMixin, CatalogViewSet, kind=registry.EXIT_REASONS):
    serializer_class = ExitReasonSerializer
    new_serializer = ExitReasonNewSerializer
    change_serializer = ExitReasonChangeSerializer
    filterset_class = ExitReasonFilter


@_documented(
    title="Bakgrundsvariabler med kategorier",
    change="Byt namn eller ordning; ta ur bruk eller återinför (förbundspersonal)",
)
class DimensionViewSet(WritableCatalogMixin, CatalogViewSet, kind=registry.DIMENSIONS):
    serializer_class = DimensionSerializer
    new_serializer = DimensionNewSerializer
    change_serializer = DimensionChangeSerializer
    filterset_class = DimensionFilter

    def get_queryset(self):
        categories = DimensionCategory.objects.order_by("position", "code")
        return super().get_queryset().prefetch_related(Prefetch("categories", queryset=categories))


@_documented(
    title="Enkätfrågor",
    change="Ändra frågetexten för personal, chefer och styrelse; ta ur bruk eller återinför (förbundspersonal)",
)
class SurveyQuestionViewSet(WritableCatalogMixin, CatalogViewSet, kind=registry.SURVEY_QUESTIONS):
    serializer_class = SurveyQuestionSerializer
    change_serializer = SurveyQuestionChangeSerializer
    filterset_class = SurveyQuestionFilter
    ordering = ("association_id", "group", "number", "code")


@extend_schema_view(list=extend_schema(summary="Övriga mått"))
class MeasureViewSet(CatalogViewSet):
    model = Measure
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter


class CategoryNewSerializer(serializers.Serializer):
    code = CodeField(max_length=50)
    label_sv = TextField(max_length=300)


class CategoryChangeSerializer(EntryChangeSerializer):
    label_sv = TextField(max_length=300, required=False)


def _visible_dimensions(user):
    return Dimension.objects.filter(association_id__in=associations_visible_to(user).values("pk"))


class DimensionCategoriesView(APIView):
    """``POST /api/v1/catalog/dimensions/{id}/categories/``: a new category of a dimension (staff)."""

    permission_classes = [IsAuthenticated, StaffWritesObject]

    @extend_schema(
        summary="Ny kategori i en bakgrundsvariabel (förbundspersonal)",
        request=CategoryNewSerializer,
        responses={201: CategorySerializer},
    )
    def post(self, request, dimension_id: int):
        dimension = get_object_or_404(_visible_dimensions(request.user).select_related("association"), pk=dimension_id)
        self.check_object_permissions(request, dimension)
        serializer = CategoryNewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.catalog_entry_create(
            kind=registry.CATEGORIES,
            association=dimension.association,
            parent=dimension,
            user=request.user,
            code=serializer.validated_data["code"],
            label=serializer.validated_data["label_sv"],
        )
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)


class CategoryView(APIView):
    """``PATCH /api/v1/catalog/categories/{id}/``: rename, reorder, retire or bring back (staff)."""

    permission_classes = [IsAuthenticated, StaffWritesObject]

    @extend_schema(
        summary="Byt namn eller ordning på en kategori; ta ur bruk eller återinför (förbundspersonal)",
        request=CategoryChangeSerializer,
        responses=CategorySerializer,
    )
    def patch(self, request, category_id: int):
        categories = DimensionCategory.objects.filter(dimension__in=_visible_dimensions(request.user))
        category = get_object_or_404(categories.select_related("dimension__association"), pk=category_id)
        self.check_object_permissions(request, category.dimension)
        association = category.dimension.association
        serializer = CategoryChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.catalog_entry_update(
            kind=registry.CATEGORIES,
            entry=category,
            association=association,
            user=request.user,
            **serializer.validated_data,
        )
        return Response(CategorySerializer(category).data)
