"""The ``/api/v1/`` endpoints of period reports: serializers and views."""

from __future__ import annotations

from django.http import Http404
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.errors import PreconditionFailed, report_error_response
from outcomes.api.filters import ReportFilter
from outcomes.api.permissions import InterventionScoped, ReadsIntervention, StaffWritesIntervention, WritesReports
from outcomes.models import PeriodReport
from outcomes.organisations.selectors import interventions_visible_to
from outcomes.periods import PeriodError, base_period
from outcomes.tallies.errors import ReportError
from outcomes.tallies.serializers import (
    ReportInputSerializer,
    ReportListSerializer,
    ReportOutputSerializer,
    body_field,
    plain_report_data,
)
from outcomes.tallies.services import report_approve, report_check, report_reopen, report_save, report_submit
from outcomes.violations import RuleViolation


def etag_for(report: PeriodReport) -> str:
    return f'"{report.version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version named by ``If-Match`` (``"3"``, ``W/"3"``, or ``3`` as some clients send it);
    ``None`` when absent or ``*``. Anything else, several tags included, is a 412."""
    if not header:
        return None
    tags = parse_etags(header) or parse_etags(f'"{header.strip()}"')
    if tags == ["*"]:
        return None
    if len(tags) == 1:
        try:
            return int(tags[0].removeprefix("W/").strip('"'))
        except ValueError:
            pass
    raise PreconditionFailed(detail='If-Match ska vara en version som ETag anger, till exempel "3".')


def report_response(report: PeriodReport, *, warnings=None, figures=None, status_code=status.HTTP_200_OK) -> Response:
    """The report with its warnings and ETag; ``figures`` are its stored figures when in hand."""
    if figures is None:
        figures = report.figures()
    if warnings is None:
        warnings = report_check(intervention=report.intervention, period_code=report.period, figures=figures)
    response = Response(ReportOutputSerializer.represent(report, warnings, figures), status=status_code)
    response["ETag"] = etag_for(report)
    return response


class ReportMixin(InterventionScoped):
    """The URL's intervention and base period; who may do what is the view's permission class."""

    def period_code(self, intervention, period: str) -> str:
        try:
            return base_period(period, intervention.frequency).code
        except PeriodError as exc:
            raise ReportError([RuleViolation(exc.code, "period", exc.message)]) from exc

    def stored_report(self, intervention, period: str) -> PeriodReport:
        report = PeriodReport.objects.filter(
            intervention=intervention, period=self.period_code(intervention, period)
        ).first()
        if report is None:
            raise Http404
        return report


PERIOD = OpenApiParameter(
    "period", str, OpenApiParameter.PATH, description="Basperiod, till exempel 2024Q3 eller 2024M05."
)


ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='Rapportens version, till exempel "3"; skicka den som If-Match vid nästa ändring.',
)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='Spara bara om rapporten har denna version (ETag, till exempel "3"); annars 412.',
)


REPORT_EXAMPLE = OpenApiExample(
    "Rapport för en basperiod",
    request_only=True,
    value={
        "ongoing_at_start": {"women": 20, "men": 15, "other": 1},
        "new": {"women": 12, "men": 9, "other": 0},
        "exits": [
            {"reason": "employment", "women": 2, "men": 1, "other": 0},
            {"reason": "returned", "women": 3, "men": 2, "other": 0},
        ],
        "breakdowns": [{"dimension": "education", "category": "upper_secondary", "women": 7, "men": 4, "other": 0}],
        "spent_sek": 590000,
        "comment": "",
    },
)


class ReportView(ReportMixin, APIView):
    """One base-period report of an intervention: read it, or create or replace it (idempotent)."""

    permission_classes = [IsAuthenticated, WritesReports]

    @extend_schema(summary="En rapport", responses=ReportOutputSerializer, parameters=[PERIOD, ETAG])
    def get(self, request, intervention_id: int, period: str):
        return report_response(self.stored_report(self.get_intervention(), period))

    @extend_schema(
        summary="Skapa eller ersätt en rapport (idempotent)",
        request=ReportInputSerializer,
        responses={200: ReportOutputSerializer, 201: ReportOutputSerializer},
        parameters=[PERIOD, IF_MATCH, ETAG],
        examples=[REPORT_EXAMPLE],
    )
    def put(self, request, intervention_id: int, period: str):
        intervention = self.get_intervention()
        period_code = self.period_code(intervention, period)
        data = plain_report_data(request.data)
        if data is None:
            serializer = ReportInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        # A malformed body is a 400 whatever If-Match says (RFC 9110: conditions apply to requests
        # that would otherwise succeed).
        expected = parse_if_match(request.headers.get("If-Match"))
        body = request.data if isinstance(request.data, dict) else None
        try:
            result = report_save(
                intervention=intervention,
                period_code=period_code,
                data=ReportInputSerializer().to_input(data),
                user=request.user,
                expected_version=expected,
            )
        except ReportError as error:
            error.violations = [body_field(v, body) for v in error.violations]
            return report_error_response(error)
        warnings = [body_field(v, body) for v in result.warnings]
        return report_response(
            result.report,
            warnings=warnings,
            figures=result.figures,
            status_code=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class ReportTransitionView(ReportMixin, APIView):
    """Base of the status changes; subclasses name who may do it and which service runs."""

    permission_classes = [IsAuthenticated, WritesReports]

    def transition(self, request, report):
        raise NotImplementedError

    @extend_schema(request=None, responses=ReportOutputSerializer, parameters=[PERIOD, ETAG])
    def post(self, request, intervention_id: int, period: str):
        report = self.stored_report(self.get_intervention(), period)
        return report_response(self.transition(request, report))


class ReportSubmitView(ReportTransitionView):
    def transition(self, request, report):
        return report_submit(report=report, user=request.user)


class ReportApproveView(ReportTransitionView):
    permission_classes = [IsAuthenticated, WritesReports, StaffWritesIntervention]

    def transition(self, request, report):
        return report_approve(report=report, user=request.user)


class ReportReopenView(ReportTransitionView):
    permission_classes = [IsAuthenticated, WritesReports, StaffWritesIntervention]

    @extend_schema(
        request={
            "application/json": {"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]}
        },
        responses=ReportOutputSerializer,
        parameters=[PERIOD, ETAG],
    )
    def post(self, request, intervention_id: int, period: str):
        return super().post(request, intervention_id, period)

    def transition(self, request, report):
        reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
        return report_reopen(report=report, reason=str(reason), user=request.user)


@extend_schema(summary="Rapporter användaren får se")
class ReportListView(generics.ListAPIView):
    """Reports of every intervention the user may see, newest base period first; filters narrow
    them by intervention, association, status, year, period (``2024H1``) or change time."""

    serializer_class = ReportListSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return PeriodReport.objects.filter(intervention__in=interventions_visible_to(self.request.user)).order_by(
            "-period_start", "intervention_id"
        )


@extend_schema(summary="En insats rapporter")
class InterventionReportListView(InterventionScoped, ReportListView):
    """The reports of one intervention (404 when the user may not see it)."""

    permission_classes = [IsAuthenticated, ReadsIntervention]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return PeriodReport.objects.none()
        return PeriodReport.objects.filter(intervention=self.get_intervention()).order_by("-period_start")
