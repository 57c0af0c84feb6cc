"""The associations' catalogs: ``/api/v1/catalog/exit-reasons/``, ``dimensions/``, ``survey-questions/``.

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
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.filters import DimensionFilter, ExitReasonFilter, SurveyQuestionFilter
from outcomes.catalog import registry, services
from outcomes.limits import MAX_SMALL
from outcomes.models import Dimension, DimensionCategory, ExitReason, Membership, OutcomeClass, Role, SurveyQuestion
from outcomes.organisations.access import is_staff_of
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
    label_sv = serializers.CharField(max_length=300, required=False)
    outcome_class = serializers.ChoiceField(choices=OutcomeClass.choices, required=False)


class ExitReasonNewSerializer(serializers.Serializer):
    association = _VisibleAssociation()
    code = serializers.SlugField(max_length=50)
    label_sv = serializers.CharField(max_length=300)
    outcome_class = serializers.ChoiceField(choices=OutcomeClass.choices)


class DimensionChangeSerializer(EntryChangeSerializer):
    label_sv = serializers.CharField(max_length=300, required=False)
    multi_valued = serializers.BooleanField(required=False)


class DimensionNewSerializer(serializers.Serializer):
    association = _VisibleAssociation()
    code = serializers.SlugField(max_length=50)
    label_sv = serializers.CharField(max_length=300)
    multi_valued = serializers.BooleanField(default=False)


class SurveyQuestionChangeSerializer(EntryChangeSerializer):
    text_sv = serializers.CharField(max_length=500, required=False)


class WritableCatalogMixin:
    """``POST`` (new entry) and ``PATCH .../{id}/`` of a catalog of :mod:`outcomes.catalog.registry`."""

    kind: registry.CatalogKind
    new_serializer = None
    change_serializer = None
    lookup_value_regex = r"[0-9]{1,18}"

    def create(self, request, *args, **kwargs):
        # Roles first: a user who is staff nowhere is refused whatever the body holds.
        if not Membership.objects.filter(user=request.user, role=Role.STAFF).exists():
            raise PermissionDenied
        serializer = self.new_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        association = data.pop("association")
        if not is_staff_of(request.user, association.pk):
            raise PermissionDenied
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
        if not is_staff_of(request.user, entry.association_id):
            raise PermissionDenied
        serializer = self.change_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.catalog_entry_update(
            kind=self.kind, entry=entry, association=entry.association, user=request.user, **serializer.validated_data
        )
        return Response(self.serializer_class(self.get_queryset().get(pk=entry.pk)).data)


class CatalogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Base of the catalog lists: entries of the associations the user holds a role in."""

    model = None
    ordering = ("association_id", "position", "code")

    def get_queryset(self):
        visible = associations_visible_to(self.request.user).values("pk")
        return self.model.objects.filter(association_id__in=visible).order_by(*self.ordering)


@extend_schema_view(
    list=extend_schema(summary="Avslutsorsaker"),
    create=extend_schema(
        summary="Ny avslutsorsak (förbundspersonal)",
        request=ExitReasonNewSerializer,
        responses={201: ExitReasonSerializer},
    ),
    partial_update=extend_schema(
        summary="Byt namn, ordning, utfallsklass; ta ur bruk eller återinför (förbundspersonal)",
        request=ExitReasonChangeSerializer,
        responses=ExitReasonSerializer,
    ),
)
class ExitReasonViewSet(WritableCatalogMixin, CatalogViewSet):
    model = ExitReason
    kind = registry.EXIT_REASONS
    serializer_class = ExitReasonSerializer
    new_serializer = ExitReasonNewSerializer
    change_serializer = ExitReasonChangeSerializer
    filterset_class = ExitReasonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary="Bakgrundsvariabler med kategorier"),
    create=extend_schema(
        summary="Ny bakgrundsvariabel (förbundspersonal)",
        request=DimensionNewSerializer,
        responses={201: DimensionSerializer},
    ),
    partial_update=extend_schema(
        summary="Byt namn eller ordning; ta ur bruk eller återinför (förbundspersonal)",
        request=DimensionChangeSerializer,
        responses=DimensionSerializer,
    ),
)
class DimensionViewSet(WritableCatalogMixin, CatalogViewSet):
    model = Dimension
    kind = registry.DIMENSIONS
    serializer_class = DimensionSerializer
    new_serializer = DimensionNewSerializer
    change_serializer = DimensionChangeSerializer
    filterset_class = DimensionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        categories = DimensionCategory.objects.order_by("position", "code")
        return super().get_queryset().prefetch_related(Prefetch("categories", queryset=categories))


@extend_schema_view(
    list=extend_schema(summary="Enkätfrågor"),
    partial_update=extend_schema(
        summary="Ändra frågetexten för personal, chefer och styrelse; ta ur bruk eller återinför (förbundspersonal)",
        request=SurveyQuestionChangeSerializer,
        responses=SurveyQuestionSerializer,
    ),
)
class SurveyQuestionViewSet(WritableCatalogMixin, CatalogViewSet):
    model = SurveyQuestion
    kind = registry.SURVEY_QUESTIONS
    serializer_class = SurveyQuestionSerializer
    change_serializer = SurveyQuestionChangeSerializer
    filterset_class = SurveyQuestionFilter
    http_method_names = ["get", "patch", "head", "options"]
    ordering = ("association_id", "group", "number", "code")


class CategoryNewSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=50)
    label_sv = serializers.CharField(max_length=300)


class CategoryChangeSerializer(EntryChangeSerializer):
    label_sv = serializers.CharField(max_length=300, required=False)


def _visible_dimensions(user):
    return Dimension.objects.filter(association_id__in=associations_visible_to(user).values("pk"))


class DimensionCategoriesView(APIView):
    """``POST /api/v1/catalog/dimensions/{id}/categories/``: a new category of a dimension (staff)."""

    @extend_schema(
        summary="Ny kategori i en bakgrundsvariabel (förbundspersonal)",
        request=CategoryNewSerializer,
        responses={201: CategorySerializer},
    )
    def post(self, request, dimension_id: int):
        dimension = get_object_or_404(_visible_dimensions(request.user).select_related("association"), pk=dimension_id)
        if not is_staff_of(request.user, dimension.association_id):
            raise PermissionDenied
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

    @extend_schema(
        summary="Byt namn eller ordning på en kategori; ta ur bruk eller återinför (förbundspersonal)",
        request=CategoryChangeSerializer,
        responses=CategorySerializer,
    )
    def patch(self, request, category_id: int):
        categories = DimensionCategory.objects.filter(dimension__in=_visible_dimensions(request.user))
        category = get_object_or_404(categories.select_related("dimension__association"), pk=category_id)
        association = category.dimension.association
        if not is_staff_of(request.user, association.pk):
            raise PermissionDenied
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
