"""The activity log's web pages: the list of one intervention (per period), add, change, delete.

Everybody who may read the intervention sees the log; its coordinators and staff change it. Every
write goes through one service of :mod:`outcomes.activities.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outcomes.activities.forms import ActivityForm
from outcomes.activities.selectors import activities_of, activity_figures, activity_log_text
from outcomes.activities.services import activity_create, activity_delete, activity_update
from outcomes.catalog.vocabulary import activity_vocabulary
from outcomes.models import PeriodReport, ReportStatus
from outcomes.organisations.access import can_write_reports, intervention_for
from outcomes.periods import Period, PeriodError
from outcomes.tallies.errors import ReportError


def _period(request) -> Period:
    try:
        return Period.parse(request.GET.get("period") or str(timezone.localdate().year))
    except PeriodError:
        return Period.parse(str(timezone.localdate().year))


def _list_url(intervention, period_code: str = "") -> str:
    url = reverse("activities", args=[intervention.pk])
    return f"{url}?period={period_code}" if period_code else url


@login_required
@require_GET
def activity_list(request, intervention_id: int):
    """The activities of one period (a year by default), their figures and the log as text."""
    intervention = intervention_for(request.user, intervention_id)
    period = _period(request)
    activities = list(activities_of(intervention=intervention, period=period))
    locked = set(
        PeriodReport.objects.filter(intervention=intervention, status=ReportStatus.APPROVED).values_list(
            "period", flat=True
        )
    )
    kinds = activity_vocabulary()["kinds"]
    for activity in activities:
        activity.locked = activity.period in locked
        activity.kind_label = kinds.get(activity.kind, activity.kind)
    return render(
        request,
        "outcomes/activity_list.html",
        {
            "intervention": intervention,
            "period": period,
            "activities": activities,
            "figures": activity_figures(intervention=intervention, period=period),
            "log_text": activity_log_text(activities),
            "may_write": can_write_reports(request.user, intervention),
        },
    )


def _writable(request, intervention_id):
    intervention = intervention_for(request.user, intervention_id)
    if not can_write_reports(request.user, intervention):
        raise PermissionDenied
    return intervention


def _activity(intervention, activity_id):
    activity = activities_of(intervention=intervention).filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    return activity


def _form_page(request, intervention, form, activity=None, status=200):
    return render(
        request,
        "outcomes/activity_form.html",
        {"intervention": intervention, "form": form, "activity": activity},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request, intervention_id: int):
    intervention = _writable(request, intervention_id)
    if request.method == "GET":
        return _form_page(request, intervention, ActivityForm(initial={"occasions": 1}))
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity = activity_create(intervention=intervention, data=form.to_input(), user=request.user)
        except ReportError as error:
            form.attach_violations(error.violations)
        else:
            messages.success(request, _("Aktiviteten ”%(title)s” är sparad.") % {"title": activity.title})
            return redirect(_list_url(intervention, str(activity.date.year)))
    return _form_page(request, intervention, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, intervention_id: int, activity_id: int):
    intervention = intervention_for(request.user, intervention_id)
    activity = _activity(intervention, activity_id)
    if request.method == "GET":
        form = ActivityForm(initial=ActivityForm.initial_for(activity))
        if not can_write_reports(request.user, intervention):
            for field in form.fields.values():
                field.disabled = True
        return _form_page(request, intervention, form, activity)
    intervention = _writable(request, intervention_id)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            activity_update(activity=activity, data=form.to_input(), user=request.user)
        except ReportError as error:
            form.attach_violations(error.violations)
        else:
            messages.success(request, _("Aktiviteten ”%(title)s” är ändrad.") % {"title": activity.title})
            return redirect(_list_url(intervention, str(activity.date.year)))
    return _form_page(request, intervention, form, activity, status=400)


@login_required
@require_POST
def activity_remove(request, intervention_id: int, activity_id: int):
    intervention = _writable(request, intervention_id)
    activity = _activity(intervention, activity_id)
    try:
        activity_delete(activity=activity, user=request.user)
    except ReportError as error:
        messages.error(request, error.violations[0].message)
    else:
        messages.success(request, _("Aktiviteten ”%(title)s” är borttagen.") % {"title": activity.title})
    return redirect(_list_url(intervention, str(activity.date.year)))
