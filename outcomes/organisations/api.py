"""Interventions and their budgets: ``/api/v1/interventions/`` and ``.../budgets/{year}/``; the
association's settings: ``/api/v1/associations/{id}/settings/``.

Everyone with a role reads the interventions they may see (staff and viewers: their whole
association; coordinators: those granted). Only staff of the intervention's association create,
change and budget them. An intervention the user may not see answers 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.filters import InterventionFilter
from outcomes.api.permissions import (
    AssociationScoped,
    InterventionScoped,
    ManagesAssociationRows,
    ReadsSummaries,
    StaffWritesIntervention,
)
from outcomes.limits import MAX_COUNT, MAX_REPORT_SEK, MAX_SMALL
from outcomes.models import Budget, Intervention
from outcomes.organisations.access import intervention_for
from outcomes.organisations.selectors import associations_visible_to, interventions_visible_to
from outcomes.organisations.services import (
    association_settings_update,
    budget_set,
    intervention_create,
    intervention_update,
)


class BudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    budget_sek = serializers.IntegerField(
        min_value=0, max_value=MAX_REPORT_SEK, help_text="Beviljade medel i hela kronor."
    )


class VisibleAssociationField(serializers.PrimaryKeyRelatedField):
    """An association in which the requesting user holds a role; others are "does not exist"."""

    def get_queryset(self):
        return associations_visible_to(self.context["request"].user)


class InterventionSerializer(serializers.ModelSerializer):
    association = VisibleAssociationField(help_text="Förbundets id.")
    budgets = BudgetSerializer(many=True, read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "association",
            "name",
            "owner",
            "kind",
            "frequency",
            "start",
            "end",
            "places",
            "active",
            "budgets",
            "created_at",
        ]
        read_only_fields = ["id", "budgets", "created_at"]
        # The model's clean() and services check the rules, so the API and web forms agree.
        validators = []

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end": _("Slutdatum kan inte ligga före startdatum.")}, code="end_before_start"
            )
        return attrs

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["association"].read_only = True
        return fields


INTERVENTION_EXAMPLE = OpenApiExample(
    "Ny insats",
    value={
        "association": 1,
        "name": "Coachingteamet",
        "owner": "Lindesbergs kommun",
        "kind": "individual",
        "frequency": "quarter",
        "start": "2024-01-01",
        "end": None,
    },
    request_only=True,
)


@extend_schema_view(
    list=extend_schema(summary="Insatser användaren får se"),
    retrieve=extend_schema(summary="En insats"),
    create=extend_schema(summary="Skapa en insats (förbundspersonal)", examples=[INTERVENTION_EXAMPLE]),
    partial_update=extend_schema(summary="Ändra en insats (förbundspersonal)"),
)
class InterventionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InterventionSerializer
    filterset_class = InterventionFilter
    # Reading is the queryset's (what the user may see); creating and changing are staff's.
    permission_classes = [IsAuthenticated, ManagesAssociationRows]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return (
            interventions_visible_to(self.request.user)
            .order_by("association_id", "name", "id")
            .prefetch_related(Prefetch("budgets", queryset=Budget.objects.order_by("year")))
        )

    def get_object(self):
        intervention = intervention_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, intervention)
        return intervention

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        association = data.pop("association")
        self.check_object_permissions(self.request, association)
        serializer.instance = intervention_create(association=association, user=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = intervention_update(
            intervention=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)


YEAR = OpenApiParameter("year", int, OpenApiParameter.PATH, description="Budgetåret, till exempel 2024.")


class BudgetView(InterventionScoped, APIView):
    """The intervention's budget (beviljade medel) of one year: read by all roles, set by staff."""

    serializer_class = BudgetSerializer
    permission_classes = [IsAuthenticated, StaffWritesIntervention]

    @extend_schema(summary="Årets budget", parameters=[YEAR], responses=BudgetSerializer)
    def get(self, request, intervention_id: int, year: int):
        budget = Budget.objects.filter(intervention=self.get_intervention(), year=year).first()
        if budget is None:
            raise Http404
        return Response(BudgetSerializer(budget).data)

    @extend_schema(
        summary="Sätt årets budget (förbundspersonal)",
        parameters=[YEAR],
        request=BudgetSerializer,
        responses={200: BudgetSerializer, 201: BudgetSerializer},
        examples=[OpenApiExample("Budget", value={"budget_sek": 2403500}, request_only=True)],
    )
    def put(self, request, intervention_id: int, year: int):
        serializer = BudgetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget, created = budget_set(
            intervention=self.get_intervention(),
            year=year,
            budget_sek=serializer.validated_data["budget_sek"],
            user=request.user,
        )
        return Response(
            BudgetSerializer(budget).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SocioEconomicSerializer(serializers.Serializer):
    """The parameters of the socio-economic estimate, and the value per person and year they give."""

    support_per_month_sek = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    annual_salary_sek = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    income_tax_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    employer_fee_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    health_gain_per_year_sek = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)
    value_per_person_year_sek = serializers.IntegerField(read_only=True)


class AssociationSettingsSerializer(serializers.Serializer):
    """API.md "Places and the socio-economic estimate"; a PATCH names only the keys it changes.

    Both the request and the answer: the answer reads the association itself, its estimate's
    parameters nested under ``socio_economic`` (``source="*"``)."""

    small_count_threshold = serializers.IntegerField(min_value=0, max_value=MAX_SMALL, required=False)
    overdue_days = serializers.IntegerField(min_value=0, max_value=MAX_SMALL, required=False)
    default_yellow_ratio = serializers.DecimalField(
        max_digits=4, decimal_places=3, min_value=0, max_value=1, coerce_to_string=False, required=False
    )
    reminder_emails = serializers.BooleanField(required=False)
    socio_economic = SocioEconomicSerializer(source="*", required=False)

    def to_representation(self, instance):
        answer = super().to_representation(instance)
        answer["default_yellow_ratio"] = float(instance.default_yellow_ratio)
        return answer


class AssociationSettingsView(AssociationScoped, APIView):
    """The association's settings: read by staff and viewers, changed by staff (404 to
    coordinators and to everybody outside the association, 403 to viewers on a PATCH)."""

    permission_classes = [IsAuthenticated, ReadsSummaries]
    serializer_class = AssociationSettingsSerializer

    @extend_schema(summary="Förbundets inställningar", responses=AssociationSettingsSerializer)
    def get(self, request, association_id: int):
        return Response(AssociationSettingsSerializer(self.get_association()).data)

    @extend_schema(
        summary="Ändra förbundets inställningar (förbundspersonal)",
        request=AssociationSettingsSerializer,
        responses=AssociationSettingsSerializer,
        examples=[
            OpenApiExample(
                "Ny gräns och årslön", value={"overdue_days": 20, "socio_economic": {"annual_salary_sek": 320000}}
            )
        ],
    )
    def patch(self, request, association_id: int):
        serializer = AssociationSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        association = association_settings_update(
            association=self.get_association(), user=request.user, **serializer.validated_data
        )
        return Response(AssociationSettingsSerializer(association).data)
