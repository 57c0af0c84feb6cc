"""Web pages for a user's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outcomes.models import ApiToken
from outcomes.organisations.forms import ApiTokenForm
from outcomes.organisations.services import api_token_create, api_token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens, newest first, and the form that creates one (secret shown once)."""
    created, secret = None, None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    response = render(
        request,
        "outcomes/api_tokens.html",
        {"tokens": tokens, "form": form, "secret": secret, "created": created},
        status=400 if request.method == "POST" and secret is None else 200,
    )
    if secret:
        # The secret is on this page only: never keep it in a cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's own tokens after a confirmation page (a POST without
    ``confirm=yes`` only asks); another user's token is 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "confirm.html",
            {
                "question": _("Återkalla nyckeln ”%(name)s”?") % {"name": token.name},
                "consequence": _(
                    "System som använder nyckeln kan inte längre rapportera eller läsa. Det går inte att ångra."
                ),
                "confirm_label": _("Ja, återkalla nyckeln"),
                "cancel_url": reverse("api-tokens"),
            },
        )
    api_token_revoke(token=token)
    messages.success(request, _("Nyckeln ”%(name)s” är återkallad och fungerar inte längre.") % {"name": token.name})
    return redirect("api-tokens")
