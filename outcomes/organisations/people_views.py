"""Staff's people pages: users and roles, "Bjud in", grants, deactivation, tokens (issue 14); and
the invitee's page that sets a password from the one-time link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outcomes.models import ApiToken, User
from outcomes.organisations import people, selectors
from outcomes.organisations.access import association_page
from outcomes.organisations.forms import GrantForm, InviteForm
from outcomes.organisations.pages import attempt, page


def _grant(form) -> people.Grant:
    interventions = form.cleaned_data["interventions"] if form.cleaned_data["role"] == "coordinator" else []
    return people.Grant(role=form.cleaned_data["role"], interventions=tuple(interventions))


@association_page
def people_list(request, association):
    """Everybody with a role, with their grants and tokens, and the invitation form."""
    form = InviteForm(request.POST or None, association=association)
    if request.method == "POST" and attempt(
        form,
        lambda: people.person_invite(
            association=association, email=form.cleaned_data["email"], grant=_grant(form), invited_by=request.user
        ),
    ):
        messages.success(
            request, _("En inbjudan är skickad till %(email)s.") % {"email": form.cleaned_data["email"].lower()}
        )
        return redirect("association-people", association.pk)
    return page(
        request,
        "outcomes/association/people.html",
        association,
        {"people": selectors.people_of(association), "form": form},
        refused=request.method == "POST",
    )


def _person(association, person_id) -> User:
    return get_object_or_404(User.objects.filter(memberships__association=association).distinct(), pk=person_id)


@association_page
def person_edit(request, association, person_id: int):
    """Change a person's role and grants (``action=grant``), deactivate or bring back
    (``action=deactivate``/``activate``)."""
    person = _person(association, person_id)
    grant = people.grant_of(association=association, person=person)
    initial = {"role": grant.role, "interventions": list(grant.interventions)}
    form = GrantForm(initial=initial, association=association)
    action = request.POST.get("action")
    active_errors: list[str] = []
    if request.method == "POST" and action == "grant":
        form = GrantForm(request.POST, association=association)
        if attempt(
            form,
            lambda: people.person_grant_set(
                association=association, person=person, grant=_grant(form), by=request.user
            ),
        ):
            messages.success(request, _("Behörigheterna för %(email)s är sparade.") % {"email": person.email})
            return redirect("association-person", association.pk, person.pk)
    elif request.method == "POST" and action in ("deactivate", "activate"):
        try:
            people.person_active_set(
                association=association, person=person, active=action == "activate", by=request.user
            )
        except ValidationError as error:
            active_errors = error.messages
        else:
            done = _("%(email)s kan logga in igen.") if action == "activate" else _("%(email)s är avaktiverad.")
            messages.success(request, done % {"email": person.email})
            return redirect("association-person", association.pk, person.pk)
    elif request.method == "POST":
        active_errors = [_("Välj vad som ska ändras.")]
    return page(
        request,
        "outcomes/association/person.html",
        association,
        {
            "person": person,
            "grant": grant,
            "form": form,
            "active_errors": active_errors,
            "tokens": person.api_tokens.order_by("-created_at", "-id"),
        },
        refused=request.method == "POST",
    )


@association_page
def person_token_revoke(request, association, person_id: int, token_id: int):
    """POST: revoke one of the person's API tokens."""
    person = _person(association, person_id)
    token = get_object_or_404(ApiToken, pk=token_id, user=person)
    if request.method == "POST":
        people.person_token_revoke(association=association, token=token, by=request.user)
        messages.success(request, _("Nyckeln ”%(name)s” är återkallad.") % {"name": token.name})
    return redirect("association-person", association.pk, person.pk)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, uidb64: str, token: str):
    """The one-time link of an invitation: the invitee sets a password (Django's
    ``SetPasswordForm``), is signed in and lands on the start page. A used or expired link says so."""
    person = people.invitation_user(uidb64, token)
    if person is None:
        return render(request, "registration/invitation_invalid.html", status=400)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            people.invitation_accepted(person=person)
        login(request, person, backend="outcomes.organisations.throttle.ThrottledModelBackend")
        messages.success(request, _("Välkommen! Ditt lösenord är sparat."))
        return redirect("home")
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )
