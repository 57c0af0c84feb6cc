"""API of indicator surveys and national averages (API.md, "Survey body and figures").

Thin views: validate the body with a serializer, call one service, answer
:func:`outcomes.surveys.selectors.survey_detail`. Intervention surveys are read by everyone who may see
the intervention and written by its coordinators and staff; the association's own board and
managers' surveys are read by staff and viewers and written by staff only. Anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes import limits
from outcomes.api.serializers import GenderCountsSerializer, ViolationSerializer
from outcomes.organisations.access import (
    association_for,
    can_read_summaries,
    can_write_reports,
    intervention_for,
    is_staff_of,
)
from outcomes.periods import Period, PeriodError
from outcomes.surveys.models import NationalAverage
from outcomes.surveys.rules import AnswerInput, SurveyInput, check_group
from outcomes.surveys.selectors import survey_detail, surveys_of
from outcomes.surveys.services import SurveyError, national_averages_set, survey_save
from outcomes.surveys.tables import survey_tables
from outcomes.violations import RuleViolation


class AnswerRowSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=50)
    counts = serializers.ListField(child=serializers.IntegerField(max_value=limits.MAX_COUNT), max_length=6)
    blank = serializers.IntegerField(required=False, default=0, max_value=limits.MAX_COUNT)


class SurveyInputSerializer(serializers.Serializer):
    """The survey body a client PUTs. Negative numbers pass here and are refused by the rules
    (``negative_count``) with the field named, as in the web form."""

    invited = serializers.IntegerField(max_value=limits.MAX_COUNT)
    answered = GenderCountsSerializer()
    answers = AnswerRowSerializer(many=True, required=False)

    def to_input(self) -> SurveyInput:
        data = self.validated_data
        return SurveyInput(
            invited=data["invited"],
            answered=dict(data["answered"]),
            answers=[
                AnswerInput(r["question"], tuple(r["counts"]), r.get("blank", 0)) for r in data.get("answers", [])
            ],
        )


LIGHT_HELP = "green (högre), yellow (lika i hela procent), red (lägre) eller no_data."


class AnswerOutputSerializer(AnswerRowSerializer):
    positive = serializers.FloatField(allow_null=True, help_text="Andel positiva (tre mest positiva), procent.")
    clearly_positive = serializers.FloatField(allow_null=True)
    key_figure = serializers.FloatField(allow_null=True, help_text="Nätverkets nyckeltal (indikator 7: positiva).")
    yes = serializers.FloatField(allow_null=True, help_text="Andel ja för ja/nej-frågor.")
    mean = serializers.FloatField(allow_null=True, help_text="Medelvärde på skalan 1–6.")
    national_average = serializers.FloatField(allow_null=True)
    national_average_light = serializers.CharField(help_text=LIGHT_HELP)
    previous_year = serializers.IntegerField(allow_null=True, help_text="Samma period året före, hela procent.")
    previous_year_light = serializers.CharField(help_text=LIGHT_HELP)


class SurveyOutputSerializer(serializers.Serializer):
    period = serializers.CharField()
    group = serializers.CharField()
    intervention = serializers.IntegerField(allow_null=True)
    association = serializers.IntegerField()
    version = serializers.IntegerField()
    invited = serializers.IntegerField()
    answered = GenderCountsSerializer()
    answered_total = serializers.IntegerField()
    non_response = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    response_rate_percent = serializers.IntegerField(allow_null=True)
    answers = AnswerOutputSerializer(many=True)


class ErrorsSerializer(serializers.Serializer):
    errors = ViolationSerializer(many=True)


PERIOD = OpenApiParameter("period", str, OpenApiParameter.PATH, description="Period, till exempel 2024 eller 2024Q3.")


GROUP = OpenApiParameter("group", str, OpenApiParameter.PATH, description="Respondentgrupp, till exempel staff.")


def _period_code(period: str) -> str:
    try:
        return Period.parse(period).code
    except PeriodError as exc:
        raise SurveyError([RuleViolation(exc.code, "period", exc.message)]) from exc


class _SurveyView(APIView):
    """GET answers the stored survey (404 when none), PUT creates or replaces it."""

    def owner(self, request, pk, *, write: bool):
        """``(intervention, association)``; raises 404/403 by the rules of the module docstring."""
        raise NotImplementedError

    @extend_schema(responses={200: SurveyOutputSerializer, 400: ErrorsSerializer}, parameters=[PERIOD, GROUP])
    def get(self, request, pk: int, period: str, group: str):
        intervention, association = self.owner(request, pk, write=False)
        # The group check of writes: board and managers' surveys are the association's, never
        # answered on an intervention's URL (and the intervention groups never on the association's).
        if check_group(group, for_intervention=intervention is not None):
            raise Http404
        survey = (
            surveys_of(intervention=intervention, association=association, group=group)
            .filter(period=_period_code(period))
            .first()
        )
        if survey is None:
            raise Http404
        return Response(survey_detail(survey=survey))

    @extend_schema(
        request=SurveyInputSerializer,
        responses={200: SurveyOutputSerializer, 201: SurveyOutputSerializer, 400: ErrorsSerializer},
        parameters=[PERIOD, GROUP],
    )
    def put(self, request, pk: int, period: str, group: str):
        intervention, association = self.owner(request, pk, write=True)
        serializer = SurveyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = survey_save(
            intervention=intervention,
            association=association,
            period_code=period,
            group=group,
            data=serializer.to_input(),
            user=request.user,
        )
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(survey_detail(survey=result.survey), status=code)


class InterventionSurveyView(_SurveyView):
    """An intervention's survey of one period and respondent group (participants, staff, referrers)."""

    def owner(self, request, pk, *, write):
        intervention = intervention_for(request.user, pk)
        if write and not can_write_reports(request.user, intervention):
            raise PermissionDenied
        return intervention, None


class AssociationSurveyView(_SurveyView):
    """The association's own survey of board members or the partners' managers."""

    def owner(self, request, pk, *, write):
        association = association_for(request.user, pk)
        if not can_read_summaries(request.user, association.pk):
            raise Http404
        if write and not is_staff_of(request.user, association.pk):
            raise PermissionDenied
        return None, association


class NationalAveragesView(APIView):
    """National averages (rikssnitt) of one year as ``{"p1": 76.0, ...}``; staff replace them."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
    )
    def get(self, request, pk: int, year: int):
        association = association_for(request.user, pk)
        rows = NationalAverage.objects.filter(association=association, year=year).select_related("question")
        return Response({row.question.code: float(row.percent) for row in rows})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: ErrorsSerializer},
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
    )
    def put(self, request, pk: int, year: int):
        association = association_for(request.user, pk)
        if not is_staff_of(request.user, association.pk):
            raise PermissionDenied
        if not isinstance(request.data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_('Skicka ett objekt med frågekod och procent, till exempel {"p1": 76.0}.')]}
            )
        if not request.data:
            # No body or {} would replace the year's averages with none: refused, nothing deleted.
            # A question given null is removed on purpose.
            message = _('Ange minst en frågekod med procent, till exempel {"p1": 76.0}; inget har ändrats.')
            raise serializers.ValidationError({"non_field_errors": [message]}, code="empty")
        stored = national_averages_set(association=association, year=year, values=request.data, user=request.user)
        return Response({code: float(value) for code, value in stored.items()})


PERIOD_QUERY = OpenApiParameter("period", str, OpenApiParameter.QUERY, description="Period, till exempel 2024.")


def _query_period(request) -> str:
    return _period_code(request.query_params.get("period") or "")


class InterventionSurveyTablesView(APIView):
    """The annual-report tables of an intervention's surveys (see ``survey_tables``)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[PERIOD_QUERY])
    def get(self, request, pk: int):
        intervention = intervention_for(request.user, pk)
        return Response(survey_tables(intervention=intervention, period=_query_period(request)))


class AssociationSurveyTablesView(APIView):
    """The tables of the association's board and managers' surveys; staff and viewers."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[PERIOD_QUERY])
    def get(self, request, pk: int):
        association = association_for(request.user, pk)
        if not can_read_summaries(request.user, association.pk):
            raise Http404
        return Response(survey_tables(association=association, period=_query_period(request)))
