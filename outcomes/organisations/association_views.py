"""Staff's pages of their association: the overview, members, settings (issue 14).

Staff read and write, viewers read, coordinators and outsiders get 404
(:func:`outcomes.organisations.access.association_page`). Every write goes through one service,
which logs the change in the same transaction."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from outcomes.models import Member
from outcomes.organisations import selectors, services
from outcomes.organisations.access import association_page
from outcomes.organisations.forms import MemberEditForm, MemberForm, SettingsForm
from outcomes.organisations.pages import attempt, page


@association_page
def overview(request, association):
    """The association's tasks, one link each."""
    return page(request, "outcomes/association/overview.html", association, {})


@association_page
def member_list(request, association):
    """The member organisations and the form that adds one (a municipality also becomes a
    category of *Hemkommun*)."""
    form = MemberForm(request.POST or None)
    if request.method == "POST" and attempt(
        form, lambda: services.member_create(association=association, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Medlemmen ”%(name)s” är tillagd.") % {"name": form.cleaned_data["name"]})
        return redirect("association-members", association.pk)
    return page(
        request,
        "outcomes/association/members.html",
        association,
        {"members": selectors.members_of(association), "form": form},
        refused=request.method == "POST",
    )


@association_page
def member_edit(request, association, member_id: int):
    member = get_object_or_404(Member, pk=member_id, association=association)
    initial = {"name": member.name, "kind": member.kind, "active": member.active}
    form = MemberEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and attempt(
        form, lambda: services.member_update(member=member, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Medlemmen är sparad."))
        return redirect("association-members", association.pk)
    return page(
        request,
        "outcomes/association/member_edit.html",
        association,
        {"member": member, "form": form},
        refused=request.method == "POST",
    )


@association_page
def settings_edit(request, association):
    """Small-count threshold, days to overdue, the default yellow ratio of new goals, reminder
    e-mails and the socio-economic parameters, with the value per person and year they give."""
    form = SettingsForm(request.POST or None, instance=association)
    if request.method == "POST" and attempt(
        form,
        lambda: services.association_settings_update(
            association=association, user=request.user, **{n: form.cleaned_data[n] for n in services.SETTINGS_FIELDS}
        ),
    ):
        messages.success(request, _("Inställningarna är sparade."))
        return redirect("association-settings", association.pk)
    association.refresh_from_db()
    return page(
        request,
        "outcomes/association/settings.html",
        association,
        {"form": form},
        refused=request.method == "POST",
    )
