"""API of goals, step definitions and goal results (API.md "Goals and results").

Each view reads its query with a small input serializer, validates the body with the input
serializer, calls one service or selector and answers with the output serializer, the one place
where each response's shape is written (the schema is generated from it). Who may do what is the
view's permission class (:mod:`outcomes.api.permissions`): everybody who may read the
intervention reads; only the association's staff write (403 for other readers, 404 for everybody
else).
"""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes import limits
from outcomes.api.params import FlagField, PeriodField, YearField
from outcomes.api.permissions import InterventionScoped, PreviewsDrafts, StaffWritesIntervention
from outcomes.api.serializers import IsoDateTimeField
from outcomes.periods import PeriodError
from reports import shares
from reports.goals import selectors, services
from reports.goals.models import Comparator, Goal, GoalKind, Measure, SurveyFigure
from reports.goals.services import GoalInput


class StepDefinitionSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(max_length=50), allow_empty=True)
    excluded_reasons = serializers.ListField(child=serializers.CharField(max_length=50), allow_empty=True, default=list)


class GoalInputSerializer(serializers.Serializer):
    """A goal's body as in API.md; the service checks the rules between the fields."""

    year = serializers.IntegerField(min_value=1900, max_value=2999)
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=GoalKind.choices)
    comparator = serializers.ChoiceField(choices=Comparator.choices, default=Comparator.AT_LEAST)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    yellow_ratio = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        required=False,
        coerce_to_string=False,
        help_text="Utan värde: förbundets standardgräns för nya mål (default_yellow_ratio, 0,8 från början).",
    )
    reasons = serializers.ListField(child=serializers.CharField(max_length=50), default=list)
    excluded_reasons = serializers.ListField(child=serializers.CharField(max_length=50), default=list)
    measure = serializers.ChoiceField(choices=Measure.choices, required=False, allow_blank=True, default="")
    question = serializers.CharField(max_length=50, required=False, allow_null=True, allow_blank=True, default=None)
    indicator_number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=limits.MAX_SMALL, default=None
    )
    group = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    figure = serializers.ChoiceField(choices=SurveyFigure.choices, required=False, allow_blank=True, default="")
    position = serializers.IntegerField(min_value=0, max_value=limits.MAX_SMALL, required=False, default=0)


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A number as people typed it: 55 when whole, 55.5 otherwise (:func:`reports.shares.json_number`)."""

    def to_representation(self, value):
        return shares.json_number(Decimal(value))


class CodesField(serializers.ListField):
    """The codes of a set of catalog entries (a prefetched many-to-many), sorted."""

    child = serializers.CharField()

    def to_representation(self, manager):
        return sorted(entry.code for entry in manager.all())


class GoalOutputSerializer(serializers.Serializer):
    """A goal as the API answers it (reason sets and question prefetched by ``goals_of``)."""

    id = serializers.IntegerField(source="pk")
    intervention = serializers.IntegerField(source="intervention_id")
    year = serializers.IntegerField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=GoalKind.choices)
    comparator = serializers.ChoiceField(choices=Comparator.choices)
    target = NumberField()
    yellow_ratio = serializers.FloatField()
    reasons = CodesField()
    excluded_reasons = CodesField()
    measure = serializers.ChoiceField(choices=Measure.choices, allow_blank=True)
    question = serializers.CharField(source="question.code", allow_null=True)
    indicator_number = serializers.IntegerField(allow_null=True)
    group = serializers.CharField(allow_blank=True)
    figure = serializers.ChoiceField(choices=SurveyFigure.choices, allow_blank=True)
    position = serializers.IntegerField()


class GoalResultOutputSerializer(serializers.Serializer):
    """A goal's result for one period (:class:`reports.goals.selectors.PeriodResult`), as in
    API.md; ``preview`` appears only on a preview computed with drafts."""

    goal = serializers.IntegerField(source="goal.pk")
    label = serializers.CharField()
    kind = serializers.CharField()
    period = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    target = NumberField()
    comparator = serializers.CharField()
    status = serializers.ChoiceField(choices=["green", "yellow", "red", "no_data"])
    computed_at = IsoDateTimeField(allow_null=True)
    stale = serializers.BooleanField()
    preview = serializers.BooleanField(
        required=False, help_text="true: beräknat nu med utkast (förhandsvisning), inte sparat."
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.preview:
            del data["preview"]
        return data


class GoalListQuerySerializer(serializers.Serializer):
    year = YearField(required=False, help_text="Bara årets mål, till exempel 2024.")


class GoalResultsQuerySerializer(serializers.Serializer):
    period = PeriodField(required=False, help_text="Till exempel 2024, 2024H1.")
    include_drafts = FlagField(
        help_text="Förhandsvisning med utkast (för den som får rapportera för insatsen; kräver period)."
    )

    def validate_period(self, period):
        # The goal's periods are those of the intervention's frequency (no tertial of a quarterly one).
        try:
            period.base_periods(self.context["intervention"].frequency)
        except PeriodError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from exc
        return period

    def validate(self, attrs):
        if attrs["include_drafts"] and "period" not in attrs:
            raise serializers.ValidationError(
                {"period": serializers.ErrorDetail("Ange en period för förhandsvisning med utkast.", code="required")}
            )
        return attrs


class InterventionMixin(InterventionScoped):
    permission_classes = [IsAuthenticated, StaffWritesIntervention]


class StepDefinitionView(InterventionMixin, APIView):
    """Which exit reasons count as a step for the intervention, and which leave the denominator."""

    @extend_schema(responses=StepDefinitionSerializer)
    def get(self, request, intervention_id: int):
        return Response(StepDefinitionSerializer(selectors.step_definition_of(self.get_intervention())).data)

    @extend_schema(request=StepDefinitionSerializer, responses=StepDefinitionSerializer)
    def put(self, request, intervention_id: int):
        intervention = self.get_intervention()
        serializer = StepDefinitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.step_definition_set(intervention=intervention, user=request.user, **serializer.validated_data)
        return Response(StepDefinitionSerializer(selectors.step_definition_of(intervention)).data)


class GoalListView(InterventionMixin, APIView):
    """The intervention's goals (``?year=`` for one year), and creating one (staff)."""

    @extend_schema(responses=GoalOutputSerializer(many=True), parameters=[GoalListQuerySerializer])
    def get(self, request, intervention_id: int):
        query = GoalListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        goals = selectors.goals_of(self.get_intervention(), year=query.validated_data.get("year"))
        return Response(GoalOutputSerializer(goals, many=True).data)

    @extend_schema(request=GoalInputSerializer, responses={201: GoalOutputSerializer})
    def post(self, request, intervention_id: int):
        intervention = self.get_intervention()
        serializer = GoalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = services.goal_create(
            intervention=intervention, data=GoalInput(**serializer.validated_data), user=request.user
        )
        goal = selectors.goals_of(intervention).get(pk=goal.pk)
        return Response(GoalOutputSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalDetailView(InterventionMixin, APIView):
    """One goal: read it, change some of its fields (staff) or delete it (staff)."""

    def goal(self, intervention, goal_id) -> Goal:
        return get_object_or_404(selectors.goals_of(intervention), pk=goal_id)

    @extend_schema(responses=GoalOutputSerializer)
    def get(self, request, intervention_id: int, goal_id: int):
        return Response(GoalOutputSerializer(self.goal(self.get_intervention(), goal_id)).data)

    @extend_schema(request=GoalInputSerializer(partial=True), responses=GoalOutputSerializer)
    def patch(self, request, intervention_id: int, goal_id: int):
        intervention = self.get_intervention()
        goal = self.goal(intervention, goal_id)
        serializer = GoalInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # Only the fields sent change; defaults of the serializer do not apply to a PATCH.
        changes = {name: value for name, value in serializer.validated_data.items() if name in request.data}
        data = GoalInput(**{**GoalInput.from_goal(goal).__dict__, **changes})
        services.goal_update(goal=goal, data=data, user=request.user)
        return Response(GoalOutputSerializer(self.goal(intervention, goal_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, intervention_id: int, goal_id: int):
        services.goal_delete(goal=self.goal(self.get_intervention(), goal_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GoalResultsView(InterventionScoped, APIView):
    """Computed results of the intervention's goals; ``?period=2024`` for one period.

    A result carries ``"stale": true`` while a recomputation is pending. With
    ``include_drafts=true`` (coordinators and staff, one period) the results are computed now with
    drafts counted, for a preview, and not stored.
    """

    permission_classes = [IsAuthenticated, PreviewsDrafts]

    @extend_schema(responses=GoalResultOutputSerializer(many=True), parameters=[GoalResultsQuerySerializer])
    def get(self, request, intervention_id: int):
        intervention = self.get_intervention()
        query = GoalResultsQuerySerializer(data=request.query_params, context={"intervention": intervention})
        query.is_valid(raise_exception=True)
        period = query.validated_data.get("period")
        code = period.code if period else None
        if query.validated_data["include_drafts"]:
            results = selectors.goal_results_preview(intervention=intervention, period_code=code)
        else:
            results = selectors.goal_results_of(intervention, period_code=code)
        return Response(GoalResultOutputSerializer(results, many=True).data)
