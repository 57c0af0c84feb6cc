"""API of goals, step definitions and goal results (API.md "Goals and results").

Thin views: read with the access checks of :mod:`outcomes.organisations.access`, validate the shape with a
serializer, call one service, render. Everybody who may read the intervention reads; only the
association's staff write (403 for other readers, 404 for everybody else).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes import limits
from outcomes.api.params import query_flag
from outcomes.organisations.access import can_write_reports, intervention_for, is_staff_of
from outcomes.periods import Period, PeriodError
from outcomes.violations import RuleViolation
from reports import shares
from reports.goals import selectors, services
from reports.goals.models import Comparator, Goal, GoalKind, SurveyFigure
from reports.goals.services import GoalError, GoalInput


class StepDefinitionSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(max_length=50), allow_empty=True)
    excluded_reasons = serializers.ListField(child=serializers.CharField(max_length=50), allow_empty=True, default=list)


class GoalSerializer(serializers.Serializer):
    """A goal as in API.md; the service checks the rules between the fields."""

    id = serializers.IntegerField(read_only=True)
    intervention = serializers.IntegerField(read_only=True, source="intervention_id")
    year = serializers.IntegerField(min_value=1900, max_value=2999)
    label = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=GoalKind.choices)
    comparator = serializers.ChoiceField(choices=Comparator.choices, default=Comparator.AT_LEAST)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    yellow_ratio = serializers.DecimalField(
        max_digits=4, decimal_places=3, default=str(shares.DEFAULT_YELLOW_RATIO), coerce_to_string=False
    )
    reasons = serializers.ListField(child=serializers.CharField(max_length=50), default=list)
    excluded_reasons = serializers.ListField(child=serializers.CharField(max_length=50), default=list)
    measure = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text="count: participants, new, exits, attendees, activities, occasions, exhibitors or a measure "
        "code; measure_share: the numerator's measure code.",
    )
    of_measure = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="measure_share: the denominator."
    )
    question = serializers.CharField(max_length=50, required=False, allow_null=True, allow_blank=True, default=None)
    indicator_number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=limits.MAX_SMALL, default=None
    )
    group = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    figure = serializers.ChoiceField(choices=SurveyFigure.choices, required=False, allow_blank=True, default="")
    position = serializers.IntegerField(min_value=0, max_value=limits.MAX_SMALL, required=False, default=0)


def goal_as_dict(goal: Goal) -> dict:
    """A goal as the API answers it (reason sets and question prefetched by ``goals_of``)."""
    return {
        "id": goal.pk,
        "intervention": goal.intervention_id,
        "year": goal.year,
        "label": goal.label,
        "kind": goal.kind,
        "comparator": goal.comparator,
        "target": shares.json_number(goal.target),
        "yellow_ratio": float(goal.yellow_ratio),
        "reasons": sorted(r.code for r in goal.reasons.all()),
        "excluded_reasons": sorted(r.code for r in goal.excluded_reasons.all()),
        "measure": goal.measure,
        "of_measure": goal.of_measure,
        "question": goal.question.code if goal.question_id else None,
        "indicator_number": goal.indicator_number,
        "group": goal.group,
        "figure": goal.figure,
        "position": goal.position,
    }


class InterventionMixin:
    def intervention(self, request, intervention_id):
        return intervention_for(request.user, intervention_id)

    def writable_intervention(self, request, intervention_id):
        intervention = self.intervention(request, intervention_id)
        if not is_staff_of(request.user, intervention.association_id):
            raise PermissionDenied
        return intervention


class StepDefinitionView(InterventionMixin, APIView):
    """Which exit reasons count as a step for the intervention, and which leave the denominator."""

    @extend_schema(responses=StepDefinitionSerializer)
    def get(self, request, intervention_id: int):
        return Response(selectors.step_definition_of(self.intervention(request, intervention_id)))

    @extend_schema(request=StepDefinitionSerializer, responses=StepDefinitionSerializer)
    def put(self, request, intervention_id: int):
        intervention = self.writable_intervention(request, intervention_id)
        serializer = StepDefinitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.step_definition_set(intervention=intervention, user=request.user, **serializer.validated_data)
        return Response(selectors.step_definition_of(intervention))


class GoalListView(InterventionMixin, APIView):
    """The intervention's goals (``?year=`` for one year), and creating one (staff)."""

    @extend_schema(
        responses=GoalSerializer(many=True),
        parameters=[OpenApiParameter("year", int, OpenApiParameter.QUERY, required=False)],
    )
    def get(self, request, intervention_id: int):
        intervention = self.intervention(request, intervention_id)
        year = request.query_params.get("year")
        try:
            year = int(year) if year else None
        except ValueError as exc:
            raise GoalError([RuleViolation("invalid_year", "year", "Ange ett år, till exempel 2024.")]) from exc
        return Response([goal_as_dict(g) for g in selectors.goals_of(intervention, year=year)])

    @extend_schema(request=GoalSerializer, responses={201: GoalSerializer})
    def post(self, request, intervention_id: int):
        intervention = self.writable_intervention(request, intervention_id)
        serializer = GoalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = services.goal_create(intervention=intervention, data=GoalInput(**serializer.validated_data))
        goal = selectors.goals_of(intervention).get(pk=goal.pk)
        return Response(goal_as_dict(goal), status=status.HTTP_201_CREATED)


class GoalDetailView(InterventionMixin, APIView):
    """One goal: read it, change some of its fields (staff) or delete it (staff)."""

    def goal(self, intervention, goal_id) -> Goal:
        return get_object_or_404(selectors.goals_of(intervention), pk=goal_id)

    @extend_schema(responses=GoalSerializer)
    def get(self, request, intervention_id: int, goal_id: int):
        return Response(goal_as_dict(self.goal(self.intervention(request, intervention_id), goal_id)))

    @extend_schema(request=GoalSerializer(partial=True), responses=GoalSerializer)
    def patch(self, request, intervention_id: int, goal_id: int):
        intervention = self.writable_intervention(request, intervention_id)
        goal = self.goal(intervention, goal_id)
        serializer = GoalSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # Only the fields sent change; defaults of the serializer do not apply to a PATCH.
        changes = {name: value for name, value in serializer.validated_data.items() if name in request.data}
        data = GoalInput(**{**GoalInput.from_goal(goal).__dict__, **changes})
        services.goal_update(goal=goal, data=data, user=request.user)
        return Response(goal_as_dict(self.goal(intervention, goal_id)))

    @extend_schema(responses={204: None})
    def delete(self, request, intervention_id: int, goal_id: int):
        intervention = self.writable_intervention(request, intervention_id)
        services.goal_delete(goal=self.goal(intervention, goal_id), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


GOAL_RESULT = inline_serializer(
    "GoalResult",
    {
        "goal": serializers.IntegerField(),
        "label": serializers.CharField(),
        "kind": serializers.CharField(),
        "period": serializers.CharField(),
        "numerator": serializers.IntegerField(allow_null=True),
        "denominator": serializers.IntegerField(allow_null=True),
        "value": serializers.FloatField(allow_null=True),
        "percent": serializers.IntegerField(allow_null=True),
        "target": serializers.FloatField(),
        "comparator": serializers.CharField(),
        "status": serializers.ChoiceField(choices=["green", "yellow", "red", "no_data"]),
        "computed_at": serializers.DateTimeField(allow_null=True),
        "stale": serializers.BooleanField(),
    },
    many=True,
)


class GoalResultsView(InterventionMixin, APIView):
    """Computed results of the intervention's goals; ``?period=2024`` for one period.

    A result carries ``"stale": true`` while a recomputation is pending. With
    ``include_drafts=true`` (coordinators and staff, one period) the results are computed now with
    drafts counted, for a preview, and not stored.
    """

    @extend_schema(
        responses=GOAL_RESULT,
        parameters=[
            OpenApiParameter(
                "period", str, OpenApiParameter.QUERY, required=False, description="Till exempel 2024, 2024H1."
            ),
            OpenApiParameter(
                "include_drafts",
                bool,
                OpenApiParameter.QUERY,
                required=False,
                description="Förhandsvisning med utkast (för den som får rapportera för insatsen; kräver period).",
            ),
        ],
    )
    def get(self, request, intervention_id: int):
        intervention = self.intervention(request, intervention_id)
        code = request.query_params.get("period")
        if code:
            try:
                period = Period.parse(code)
                period.base_periods(intervention.frequency)
            except PeriodError as exc:
                raise GoalError([RuleViolation(exc.code, "period", exc.message)]) from exc
            code = period.code
        if query_flag(request, "include_drafts"):
            if not can_write_reports(request.user, intervention):
                raise PermissionDenied
            if not code:
                raise GoalError([RuleViolation("required", "period", "Ange en period för förhandsvisning med utkast.")])
            return Response(selectors.goal_results_preview(intervention=intervention, period_code=code))
        return Response(selectors.goal_results_of(intervention, period_code=code))
