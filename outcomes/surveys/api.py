"""API of indicator surveys and national averages (API.md, "Survey body and figures").

Thin views: validate the body with a serializer, call one service, answer with
:class:`SurveyOutputSerializer` over :func:`outcomes.surveys.selectors.survey_detail`. Intervention
surveys are read by everyone who may see the intervention and written by its coordinators and
staff; the association's own board and managers' surveys are read by staff and viewers and
written by staff only. Anyone else gets 404 (the permission classes of :mod:`outcomes.api.permissions`)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes import limits
from outcomes.api.params import PeriodField
from outcomes.api.permissions import (
    AssociationScoped,
    InterventionScoped,
    ReadsAssociation,
    ReadsIntervention,
    ReadsSummaries,
    WritesReports,
)
from outcomes.api.serializers import GenderCountsSerializer, ShareSerializer, ViolationSerializer
from outcomes.models import Association, Intervention
from outcomes.surveys.models import NationalAverage
from outcomes.surveys.rules import AnswerInput, SurveyInput, check_group
from outcomes.surveys.selectors import survey_detail, surveys_of
from outcomes.surveys.services import national_averages_set, survey_save
from outcomes.surveys.tables import survey_tables


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


class QuestionFiguresSerializer(serializers.Serializer):
    """Every figure of one question as a share (null where it does not apply), the mean and
    which figure is the headline (the key figure, or share yes for yes/no questions)."""

    positive = ShareSerializer(allow_null=True)
    clearly_positive = ShareSerializer(allow_null=True)
    key_figure = ShareSerializer(allow_null=True)
    yes = ShareSerializer(allow_null=True)
    mean = serializers.FloatField(allow_null=True)
    headline = serializers.CharField()


class AnswerOutputSerializer(AnswerRowSerializer):
    """One question of a survey (:class:`outcomes.surveys.selectors.AnswerDetail`)."""

    positive = serializers.FloatField(allow_null=True, help_text="Andel positiva (tre mest positiva), procent.")
    clearly_positive = serializers.FloatField(allow_null=True)
    key_figure = serializers.FloatField(allow_null=True, help_text="Nätverkets nyckeltal (indikator 7: positiva).")
    yes = serializers.FloatField(allow_null=True, help_text="Andel ja för ja/nej-frågor.")
    mean = serializers.FloatField(allow_null=True, help_text="Medelvärde på skalan 1–6.")
    figures = QuestionFiguresSerializer()
    national_average = serializers.FloatField(allow_null=True)
    national_average_light = serializers.CharField(help_text=LIGHT_HELP)
    previous_year = serializers.IntegerField(allow_null=True, help_text="Samma period året före, hela procent.")
    previous_year_light = serializers.CharField(help_text=LIGHT_HELP)


class SurveyOutputSerializer(serializers.Serializer):
    """A stored survey with its figures (:class:`outcomes.surveys.selectors.SurveyDetail`)."""

    period = serializers.CharField(source="survey.period")
    group = serializers.CharField(source="survey.group")
    intervention = serializers.IntegerField(source="survey.intervention_id", allow_null=True)
    association = serializers.IntegerField(source="survey.association_id")
    version = serializers.IntegerField(source="survey.version")
    invited = serializers.IntegerField(source="survey.invited")
    answered = GenderCountsSerializer(source="survey.answered")
    answered_total = serializers.IntegerField(source="survey.answered.total")
    non_response = serializers.IntegerField()
    response_rate = serializers.FloatField(source="response_rate.value", allow_null=True)
    response_rate_percent = serializers.IntegerField(source="response_rate.percent", allow_null=True)
    answers = AnswerOutputSerializer(many=True)


class ErrorsSerializer(serializers.Serializer):
    errors = ViolationSerializer(many=True)


PERIOD = OpenApiParameter("period", str, OpenApiParameter.PATH, description="Period, till exempel 2024 eller 2024Q3.")


GROUP = OpenApiParameter("group", str, OpenApiParameter.PATH, description="Respondentgrupp, till exempel staff.")


class SurveyPathSerializer(serializers.Serializer):
    """The period of a survey's URL, read as any period code."""

    period = PeriodField()


class TablesQuerySerializer(serializers.Serializer):
    period = PeriodField()


def _period_code(period: str) -> str:
    path = SurveyPathSerializer(data={"period": period})
    path.is_valid(raise_exception=True)
    return path.validated_data["period"].code


class _SurveyView(APIView):
    """GET answers the stored survey (404 when none), PUT creates or replaces it."""

    def owner(self) -> tuple[Intervention | None, Association | None]:
        """``(intervention, association)`` of the URL; the permission class has checked them."""
        raise NotImplementedError

    @extend_schema(responses={200: SurveyOutputSerializer, 400: ErrorsSerializer}, parameters=[PERIOD, GROUP])
    def get(self, request, pk: int, period: str, group: str):
        intervention, association = self.owner()
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
        return Response(SurveyOutputSerializer(survey_detail(survey=survey)).data)

    @extend_schema(
        request=SurveyInputSerializer,
        responses={200: SurveyOutputSerializer, 201: SurveyOutputSerializer, 400: ErrorsSerializer},
        parameters=[PERIOD, GROUP],
    )
    def put(self, request, pk: int, period: str, group: str):
        intervention, association = self.owner()
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
        return Response(SurveyOutputSerializer(survey_detail(survey=result.survey)).data, status=code)


class InterventionSurveyView(InterventionScoped, _SurveyView):
    """An intervention's survey of one period and respondent group (participants, staff, referrers)."""

    intervention_kwarg = "pk"
    permission_classes = [IsAuthenticated, WritesReports]

    def owner(self):
        return self.get_intervention(), None


class AssociationSurveyView(AssociationScoped, _SurveyView):
    """The association's own survey of board members or the partners' managers."""

    association_kwarg = "pk"
    permission_classes = [IsAuthenticated, ReadsSummaries]

    def owner(self):
        return None, self.get_association()


class NationalAveragesView(AssociationScoped, APIView):
    """National averages (rikssnitt) of one year as ``{"p1": 76.0, ...}``; staff replace them."""

    association_kwarg = "pk"
    permission_classes = [IsAuthenticated, ReadsAssociation]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
    )
    def get(self, request, pk: int, year: int):
        rows = NationalAverage.objects.filter(association=self.get_association(), year=year).select_related("question")
        return Response({row.question.code: float(row.percent) for row in rows})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: ErrorsSerializer},
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
    )
    def put(self, request, pk: int, year: int):
        if not isinstance(request.data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_('Skicka ett objekt med frågekod och procent, till exempel {"p1": 76.0}.')]}
            )
        if not request.data:
            # No body or {} would replace the year's averages with none: refused, nothing deleted.
            # A question given null is removed on purpose.
            message = _('Ange minst en frågekod med procent, till exempel {"p1": 76.0}; inget har ändrats.')
            raise serializers.ValidationError({"non_field_errors": [message]}, code="empty")
        stored = national_averages_set(
            association=self.get_association(), year=year, values=request.data, user=request.user
        )
        return Response({code: float(value) for code, value in stored.items()})


class InterventionSurveyTablesView(InterventionScoped, APIView):
    """The annual-report tables of an intervention's surveys (see ``survey_tables``)."""

    intervention_kwarg = "pk"
    permission_classes = [IsAuthenticated, ReadsIntervention]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[TablesQuerySerializer])
    def get(self, request, pk: int):
        query = TablesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(survey_tables(intervention=self.get_intervention(), period=query.validated_data["period"].code))


class AssociationSurveyTablesView(AssociationScoped, APIView):
    """The tables of the association's board and managers' surveys; staff and viewers."""

    association_kwarg = "pk"
    permission_classes = [IsAuthenticated, ReadsSummaries]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[TablesQuerySerializer])
    def get(self, request, pk: int):
        query = TablesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(survey_tables(association=self.get_association(), period=query.validated_data["period"].code))
