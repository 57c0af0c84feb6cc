"""``GET /api/v1/associations/{id}/annual-report.docx?period=2024``: the annual-report section as Word."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from outcomes.api.params import query_flag
from outcomes.organisations.access import association_for, can_read_summaries
from outcomes.periods import PeriodError, parse_span
from reports.exports.services import DOCX_CONTENT_TYPE, annual_report_docx, annual_report_filename


class AnnualReportView(APIView):
    """The association's annual (or interim) report section for ``?period=``; staff and viewers
    only (others get 404). A bad period answers 400 with the field ``period``."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        """The file is answered as it is; errors are always the contract's JSON, also to a client
        that asks for the Word type in ``Accept`` (no 406)."""
        return (JSONRenderer(), JSONRenderer.media_type)

    @extend_schema(
        operation_id="associations_annual_report_docx",
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Word-dokumentet."),
            (400, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="Ogiltig period."),
        },
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=True,
                description="Till exempel 2024, 2024H1, 2024YTDQ3 eller intervallet 2014Q3..2024Q2.",
            ),
            OpenApiParameter("include_drafts", OpenApiTypes.BOOL, description="Räkna även utkast."),
        ],
    )
    def get(self, request: Request, association_id: int):
        association = association_for(request.user, association_id)
        if not can_read_summaries(request.user, association.pk):
            raise Http404
        try:
            period = parse_span(request.query_params.get("period", ""))
        except PeriodError as exc:
            raise exceptions.ValidationError({"period": [exceptions.ErrorDetail(exc.message, code=exc.code)]}) from exc
        content = annual_report_docx(
            association=association, period=period, include_drafts=query_flag(request, "include_drafts")
        )
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{annual_report_filename(period=period)}"'
        return response
