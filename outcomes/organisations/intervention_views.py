"""Staff's intervention pages: the list with status, "Ny insats", edit, budgets, end (issue 14)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from outcomes.models import Intervention, Membership, Role
from outcomes.organisations import people, selectors, services
from outcomes.organisations.access import association_page
from outcomes.organisations.forms import BudgetForm, EndForm, InterventionForm, NewInterventionForm
from outcomes.organisations.pages import attempt, page


def _context(association, **more) -> dict:
    return {"members": selectors.members_of(association).filter(active=True), **more}


@association_page
def intervention_list(request, association):
    """Every intervention of the association, running ones first, with owner, places, budgets."""
    today = dt.date.today()
    interventions = list(selectors.interventions_of(association))
    for intervention in interventions:
        intervention.ended = intervention.end is not None and intervention.end < today
    interventions.sort(key=lambda i: i.ended)
    return page(request, "outcomes/association/interventions.html", association, {"interventions": interventions})


@association_page
def intervention_new(request, association):
    form = NewInterventionForm(request.POST or None, association=association)

    def write():
        with transaction.atomic():
            intervention = services.intervention_create(
                association=association, user=request.user, **form.intervention_fields()
            )
            if form.cleaned_data.get("budget_year") is not None:
                services.budget_set(
                    intervention=intervention,
                    year=form.cleaned_data["budget_year"],
                    budget_sek=form.cleaned_data["budget_sek"],
                    user=request.user,
                )
            people.intervention_coordinators_set(
                intervention=intervention, people=form.cleaned_data["coordinators"], by=request.user
            )
        write.created = intervention

    if request.method == "POST" and attempt(form, write):
        messages.success(request, _("Insatsen ”%(name)s” är skapad.") % {"name": write.created.name})
        return redirect("association-intervention", association.pk, write.created.pk)
    return page(
        request,
        "outcomes/association/intervention_form.html",
        association,
        _context(association, form=form, intervention=None),
        refused=request.method == "POST",
    )


def _intervention(association, intervention_id) -> Intervention:
    return get_object_or_404(Intervention, pk=intervention_id, association=association)


def _granted(intervention):
    return [
        m.user
        for m in Membership.objects.filter(intervention=intervention, role=Role.COORDINATOR).select_related("user")
    ]


def _edit_page(request, association, intervention, *, form=None, budget_form=None, end_form=None, refused=False):
    fields = ("name", "owner", "kind", "frequency", "start", "end", "places")
    initial = {name: getattr(intervention, name) for name in fields}
    initial["coordinators"] = _granted(intervention)
    return page(
        request,
        "outcomes/association/intervention_form.html",
        association,
        _context(
            association,
            intervention=intervention,
            form=form or InterventionForm(initial=initial, association=association),
            budget_form=budget_form or BudgetForm(initial={"year": dt.date.today().year}),
            end_form=end_form or EndForm(initial={"end": dt.date.today()}),
            budgets=intervention.budgets.order_by("year"),
        ),
        refused=refused,
    )


@association_page
def intervention_edit(request, association, intervention_id: int):
    """Edit the fields and the coordinators granted; a changed frequency of an intervention with
    reports is refused at the field with the reason."""
    intervention = _intervention(association, intervention_id)
    if request.method == "GET":
        return _edit_page(request, association, intervention)
    form = InterventionForm(request.POST, association=association)

    def write():
        with transaction.atomic():
            services.intervention_update(
                intervention=_intervention(association, intervention_id),
                user=request.user,
                **form.intervention_fields(),
            )
            people.intervention_coordinators_set(
                intervention=intervention, people=form.cleaned_data["coordinators"], by=request.user
            )

    if attempt(form, write):
        messages.success(request, _("Insatsen är sparad."))
        return redirect("association-intervention", association.pk, intervention.pk)
    return _edit_page(request, association, intervention, form=form, refused=True)


@association_page
def intervention_budget(request, association, intervention_id: int):
    """POST: set the beviljade medel of one year."""
    intervention = _intervention(association, intervention_id)
    if request.method == "GET":
        return redirect("association-intervention", association.pk, intervention.pk)
    form = BudgetForm(request.POST)
    if attempt(form, lambda: services.budget_set(intervention=intervention, user=request.user, **form.cleaned_data)):
        messages.success(request, _("Beviljade medel för %(year)s är sparade.") % {"year": form.cleaned_data["year"]})
        return redirect("association-intervention", association.pk, intervention.pk)
    return _edit_page(request, association, intervention, budget_form=form, refused=True)


@association_page
def intervention_end(request, association, intervention_id: int):
    """POST: end the intervention on the day given."""
    intervention = _intervention(association, intervention_id)
    if request.method == "GET":
        return redirect("association-intervention", association.pk, intervention.pk)
    form = EndForm(request.POST)
    if attempt(
        form,
        lambda: services.intervention_end(intervention=intervention, end=form.cleaned_data["end"], user=request.user),
    ):
        messages.success(request, _("Insatsen avslutas %(end)s.") % {"end": form.cleaned_data["end"].isoformat()})
        return redirect("association-interventions", association.pk)
    return _edit_page(request, association, intervention, end_form=form, refused=True)
