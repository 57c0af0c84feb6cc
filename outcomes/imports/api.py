"""The ``/api/v1/imports/`` endpoint."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.params import query_flag
from outcomes.api.parsers import JSONParser
from outcomes.imports.file_api import (
    CSV_TYPE,
    XLSX_TYPE,
    CsvBodyParser,
    XlsxBodyParser,
    file_import_response,
    is_file_body,
)
from outcomes.imports.serializers import MAX_ITEMS, ImportRequestSerializer, ImportSummarySerializer
from outcomes.imports.services import reports_import

# Bytes an import body may have: 10 KiB per report. A report that lists every exit reason and
# every category of the default catalogs, each count seven digits, is 10.0 KB as indented JSON
# (4.5 KB compact), so the documented 2 000 reports fit with room for comments.
MAX_BODY_SIZE = MAX_ITEMS * 10 * 1024


DRY_RUN = OpenApiParameter(
    "dry_run", bool, OpenApiParameter.QUERY, description="true: kontrollera allt men spara inget.", default=False
)


class ImportView(APIView):
    """Many reports at once, all or nothing; ``?dry_run=true`` checks without storing."""

    max_body_size = MAX_BODY_SIZE  # read by outcomes.api.parsers.JSONParser
    parser_classes = [JSONParser, XlsxBodyParser, CsvBodyParser]  # a file: outcomes.imports.file_api

    @extend_schema(
        summary="Importera många rapporter",
        parameters=[DRY_RUN],
        request={"application/json": ImportRequestSerializer, XLSX_TYPE: bytes, CSV_TYPE: str},
        responses={200: ImportSummarySerializer},
        description=(
            "Svarar 200 med sammanställningen, eller 400 när någon rapport har fel: då innehåller"
            " sammanställningen varje rapports fel (index, fält, regel), inget har sparats och"
            " created, updated och unchanged är 0."
        ),
        examples=[
            OpenApiExample(
                "Två rapporter",
                request_only=True,
                value={
                    "reports": [
                        {
                            "intervention": 7,
                            "period": "2024Q1",
                            "ongoing_at_start": {"women": 20, "men": 15, "other": 1},
                            "new": {"women": 2, "men": 1, "other": 0},
                            "exits": [{"reason": "employment", "women": 2, "men": 1, "other": 0}],
                            "spent_sek": 590000,
                        },
                        {"intervention": 7, "period": "2024Q2", "new": {"women": 1}},
                    ]
                },
            )
        ],
    )
    def post(self, request):
        dry_run = query_flag(request, "dry_run")
        if is_file_body(request):
            return file_import_response(request, dry_run=dry_run)
        items = request.data.get("reports") if isinstance(request.data, dict) else None
        if not isinstance(items, list):
            raise serializers.ValidationError(
                {"reports": [_("Ange rapporterna som en lista under ”reports”.")]}, code="required"
            )
        if len(items) > MAX_ITEMS:
            raise serializers.ValidationError(
                {"reports": [_("Högst %(n)s rapporter per import.") % {"n": MAX_ITEMS}]}, code="too_many"
            )
        summary = reports_import(user=request.user, items=items, dry_run=dry_run)
        return Response(
            ImportSummarySerializer(summary).data,
            status=status.HTTP_400_BAD_REQUEST if summary.errors else status.HTTP_200_OK,
        )
