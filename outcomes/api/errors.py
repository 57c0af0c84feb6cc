"""The contract's error format for every 4xx: ``{"errors": [{"field", "code", "message"}]}``.

Codes are stable English, messages Swedish. Services raise
:class:`outcomes.services.ReportError` and its subclasses; this handler maps them to 400, 409
(locked) and 412 (stale ``If-Match``), and flattens DRF's validation errors into the same shape.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from outcomes.services import ReportError, ReportLocked, VersionConflict


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "version_conflict"
    default_detail = "Rapporten har ändrats sedan den version du angav i If-Match."


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a list of {field, code, message} with dotted/indexed paths."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            errors += _flatten(value, path)
        return errors
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                errors += _flatten(value, f"{prefix}[{index}]")
            else:
                errors += _flatten(value, prefix)
        return errors
    return [{"field": prefix or None, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def report_error_response(error: ReportError) -> Response:
    if isinstance(error, ReportLocked):
        code = status.HTTP_409_CONFLICT
    elif isinstance(error, VersionConflict):
        code = status.HTTP_412_PRECONDITION_FAILED
    else:
        code = status.HTTP_400_BAD_REQUEST
    return Response({"errors": [v.as_dict() for v in error.violations]}, status=code)


_GENERIC = {
    status.HTTP_401_UNAUTHORIZED: ("not_authenticated", _("Inloggning eller API-nyckel krävs.")),
    status.HTTP_403_FORBIDDEN: ("permission_denied", _("Din roll får inte göra detta.")),
    status.HTTP_404_NOT_FOUND: ("not_found", _("Hittades inte.")),
    status.HTTP_405_METHOD_NOT_ALLOWED: ("method_not_allowed", _("Metoden är inte tillåten här.")),
}


def exception_handler(exc, context):
    if isinstance(exc, ReportError):
        return report_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(exc.detail)}
    else:
        code, message = _GENERIC.get(response.status_code, (getattr(exc, "default_code", "error"), None))
        detail = getattr(exc, "detail", None)
        if isinstance(exc, exceptions.Throttled):
            code, message = "throttled", _("För många anrop. Försök igen om %(s)s sekunder.") % {"s": exc.wait or 1}
        response.data = {
            "errors": [
                {"field": None, "code": getattr(detail, "code", None) or code, "message": message or str(detail)}
            ]
        }
    return response
