"""Response headers the whole site shares."""

from __future__ import annotations


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer for a signed-in user, every ``/api/``
    answer and every download (``Content-Disposition: attachment``): counts, tokens and exports
    must never be kept by a shared proxy or left in a browser's cache on a shared computer.

    An answer that already says ``no-store`` (the sign-in pages, a new token's page) is left as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = (
            request.path.startswith("/api/")
            or (user is not None and user.is_authenticated)
            or response.get("Content-Disposition", "").startswith("attachment")
        )
        if private and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
