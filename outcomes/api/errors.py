"""The contract's error format for every 4xx: ``{"errors": [{"field", "code", "message"}]}``.

Codes are stable English, messages Swedish. Services raise
:class:`outcomes.tallies.errors.ReportError` and its subclasses; this handler maps them to 400, 409
(locked) and 412 (stale ``If-Match``), and flattens DRF's validation errors into the same shape.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from outcomes.api.throttling import auth_failure_record, auth_failure_wait
from outcomes.periods import PeriodError
from outcomes.tallies.errors import ReportError, ReportLocked, VersionConflict


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "version_conflict"
    default_detail = "Rapporten har ändrats sedan den version du angav i If-Match."


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a list of {field, code, message} with dotted/indexed paths."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            if isinstance(key, int):  # DRF keys a list's errors by index: exits[2], as in the contract
                errors += _flatten(value, f"{prefix}[{key}]")
                continue
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


# Messages are translated when an error is answered (gettext_lazy), in the request's language.
_GENERIC = {
    status.HTTP_400_BAD_REQUEST: ("parse_error", gettext_lazy("Anropets innehåll är inte giltig JSON.")),
    status.HTTP_401_UNAUTHORIZED: ("not_authenticated", gettext_lazy("Inloggning eller API-nyckel krävs.")),
    status.HTTP_403_FORBIDDEN: ("permission_denied", gettext_lazy("Din roll får inte göra detta.")),
    status.HTTP_404_NOT_FOUND: ("not_found", gettext_lazy("Hittades inte.")),
    status.HTTP_405_METHOD_NOT_ALLOWED: ("method_not_allowed", gettext_lazy("Metoden är inte tillåten här.")),
    status.HTTP_406_NOT_ACCEPTABLE: ("not_acceptable", gettext_lazy("Tjänsten kan bara svara med JSON.")),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: (
        "unsupported_media_type",
        gettext_lazy("Skicka innehållet som JSON (Content-Type: application/json)."),
    ),
}


def error_body(code: str, message, field: str | None = None) -> dict:
    return {"errors": [{"field": field, "code": code, "message": str(message)}]}


def json_error(status_code: int, code: str | None = None, message=None) -> JsonResponse:
    """An error in the contract's format for views outside DRF (unknown URLs, server errors)."""
    default_code, default_message = _GENERIC.get(status_code, ("server_error", gettext_lazy("Ett fel uppstod.")))
    return JsonResponse(error_body(code or default_code, message or default_message), status=status_code)


def _django_validation_errors(exc: DjangoValidationError) -> list[dict]:
    """A model ``ValidationError`` (from ``full_clean`` or a service) as contract errors."""
    if hasattr(exc, "error_dict"):
        pairs = [(name, error) for name, errors in exc.error_dict.items() for error in errors]
    else:
        pairs = [(None, error) for error in exc.error_list]
    errors = []
    for name, error in pairs:
        message = error.message % error.params if error.params else error.message
        field = None if name in (None, "__all__") else name
        errors.append({"field": field, "code": error.code or "invalid", "message": str(message)})
    return errors


def exception_handler(exc, context):
    if isinstance(exc, ReportError):
        return report_error_response(exc)
    if isinstance(exc, PeriodError):
        # A period code that a view passed on unchecked is the client's error, never a 500.
        return Response(error_body(exc.code, exc.message, "period"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response({"errors": _django_validation_errors(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        # Django's own size check (a form-encoded body read by the CSRF check, say): the same 413.
        from outcomes.api.parsers import body_limit, too_large

        exc = too_large(body_limit(context.get("view")))
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        # Counted here, where the 401 is answered: DRF's throttles never see these requests.
        request = context["request"]
        wait = auth_failure_wait(request)
        if wait is None:
            auth_failure_record(request)
        else:
            exc = exceptions.Throttled(wait=wait)
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
                {
                    "field": None,
                    "code": getattr(detail, "code", None) or code,
                    "message": str(message or detail),
                }
            ]
        }
    return response


def api_not_found(request, *args, **kwargs):
    """Unknown URLs under ``/api/``: the contract's 404, whatever the method."""
    return json_error(status.HTTP_404_NOT_FOUND)


api_not_found.csrf_exempt = True


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def server_error(request, *args, **kwargs):
    """``handler500``: JSON for ``/api/`` requests, the site's Swedish ``500.html`` otherwise."""
    if is_api(request):
        return json_error(status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", _("Ett oväntat fel uppstod."))
    from django.views.defaults import server_error as html_server_error

    return html_server_error(request, *args, **kwargs)


def bad_request(request, exception, *args, **kwargs):
    """``handler400`` (a bad ``Host``, a body over Django's size limit outside DRF's views): JSON
    for ``/api/`` requests, a 413 for the size; Django's page otherwise."""
    if is_api(request):
        if isinstance(exception, RequestDataTooBig):
            from outcomes.api.parsers import too_large

            error = too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            return json_error(error.status_code, error.default_code, error.detail)
        return json_error(status.HTTP_400_BAD_REQUEST, "bad_request", _("Anropet är ogiltigt och besvaras inte."))
    from django.views.defaults import bad_request as html_bad_request

    return html_bad_request(request, exception, *args, **kwargs)


def permission_denied(request, exception, *args, **kwargs):
    """``handler403``: JSON for ``/api/`` requests, the site's Swedish ``403.html`` otherwise."""
    if is_api(request):
        return json_error(status.HTTP_403_FORBIDDEN)
    from django.views.defaults import permission_denied as html_permission_denied

    return html_permission_denied(request, exception, *args, **kwargs)


def page_not_found(request, exception, *args, **kwargs):
    """``handler404``: JSON for ``/api/`` requests, the site's Swedish ``404.html`` otherwise."""
    if is_api(request):
        return json_error(status.HTTP_404_NOT_FOUND)
    from django.views.defaults import page_not_found as html_page_not_found

    return html_page_not_found(request, exception, *args, **kwargs)
