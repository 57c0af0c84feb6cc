"""``GET /api/v1/associations/{id}/summary/?period=2024``: the summary page's numbers as JSON."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.params import query_flag
from outcomes.organisations.access import association_for, can_read_summaries
from outcomes.periods import PeriodError, parse_span
from reports.summaries.selectors import association_summary

SUMMARY_SCHEMA = inline_serializer(
    "AssociationSummary",
    {
        "association": serializers.IntegerField(),
        "period": serializers.CharField(),
        "include_drafts": serializers.BooleanField(),
        "missing_reports": serializers.IntegerField(),
        "interventions": serializers.ListField(child=serializers.DictField()),
        "totals": serializers.DictField(),
        "not_aligned": serializers.ListField(child=serializers.DictField()),
    },
)


class AssociationSummaryView(APIView):
    """The association's summary for any period code; staff and viewers only (others get 404).

    ``?period=`` is required; ``?include_drafts=true`` counts drafts too. A bad period answers 400
    with the field ``period`` and the period's own code and Swedish message.
    """

    @extend_schema(
        responses=SUMMARY_SCHEMA,
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=True,
                description="Till exempel 2024, 2024H1, 2024Q3 eller intervallet 2014Q3..2024Q2.",
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
        summary = association_summary(
            association=association, period=period, include_drafts=query_flag(request, "include_drafts")
        )
        return Response(summary.as_api())
