"""The API of files: the template download and the XLSX or CSV body of ``POST /api/v1/imports/``."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from outcomes.api.params import query_flag
from outcomes.imports.files import CSV_TYPE, MAX_FILE_BYTES, XLSX_TYPE
from outcomes.imports.preview import files_import
from outcomes.imports.template import template_year
from outcomes.imports.views import template_response
from outcomes.organisations.access import can_write_reports, intervention_for

FILE_TYPES = (XLSX_TYPE, CSV_TYPE)


class _FileBodyParser(BaseParser):
    """A file as the request body: its bytes, at most one more than the 5 MB a file may have
    (the file check refuses it with its message)."""

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(MAX_FILE_BYTES + 1) if stream is not None else b""


class XlsxBodyParser(_FileBodyParser):
    media_type = XLSX_TYPE


class CsvBodyParser(_FileBodyParser):
    media_type = CSV_TYPE


def is_file_body(request) -> bool:
    return request.content_type.split(";")[0].strip().lower() in FILE_TYPES


_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def _file_name(request) -> str:
    named = request.query_params.get("filename")
    if not named:
        found = _FILENAME.search(request.headers.get("Content-Disposition", ""))
        named = found.group(1) if found else None
    csv = request.content_type.lower().startswith(CSV_TYPE)
    return named or ("import.csv" if csv else "import.xlsx")


def file_import_response(request, *, dry_run: bool) -> Response:
    """The import summary of a file body (API.md "Files"); a refused file answers the error
    format with the reason, nothing stored. ``?submit=true`` submits the drafts it stores."""
    submit = query_flag(request, "submit")
    data = request.data if isinstance(request.data, bytes) else b""
    preview = files_import(user=request.user, files=[(_file_name(request), data)], dry_run=dry_run, submit=submit)
    if preview.refusals:
        return Response({"errors": preview.refusals}, status=status.HTTP_400_BAD_REQUEST)
    summary = preview.summary()
    del summary["refusals"]
    return Response(summary, status=status.HTTP_400_BAD_REQUEST if summary["errors"] else status.HTTP_200_OK)


class _FirstRenderer(BaseContentNegotiation):
    """The template answers XLSX (or a JSON error) whatever ``Accept`` asks for."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


YEAR = OpenApiParameter("year", int, OpenApiParameter.QUERY, description="Året, t.ex. 2024 (i år om det utelämnas).")


class TemplateView(APIView):
    """The spreadsheet template of one intervention and year, filled with what is stored."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FirstRenderer

    @extend_schema(
        summary="Ladda ned mallen (XLSX)",
        parameters=[YEAR],
        responses={
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Mallen som Excel-arbetsbok."),
        },
        description="Ett blad per basperiod av året, ifyllt med det som är sparat. Samordnare och förbundets kansli.",
    )
    def get(self, request, intervention_id: int):
        intervention = intervention_for(request.user, intervention_id)
        if not can_write_reports(request.user, intervention):
            raise PermissionDenied(_("Din roll får inte rapportera för insatsen."))
        year = template_year(request.query_params.get("year"), timezone.localdate().year)
        if year is None:
            raise serializers.ValidationError({"year": [_("Ange året med fyra siffror, till exempel 2024.")]})
        return template_response(intervention, year)
