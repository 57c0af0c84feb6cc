"""``/healthz``: the process answers and the database does.

compose's web health check (and any load balancer) asks it from inside the container, by an
address that is not one of ``ALLOWED_HOSTS`` and over plain HTTP. So it is answered by the first
middleware, before host validation, the HTTPS redirect, sessions and sign-in: it reads nothing
from the request and tells nothing but whether the database answers.
"""

from django.db import DatabaseError, connection
from django.http import JsonResponse

PATH = "/healthz"


def healthz(request):
    """``{"database": "ok"}`` (200), or ``{"database": "error"}`` (503) when it does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status, code = "ok", 200
    except DatabaseError:
        status, code = "error", 503
    response = JsonResponse({"database": status}, status=code)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` before any other middleware sees the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH:
            return healthz(request)
        return self.get_response(request)
