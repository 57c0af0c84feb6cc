"""The coordinators' and staff's web pages: start page, report form, workflow, history and
reporting completeness.

Views are thin: access checks from :mod:`outcomes.organisations.access` (404 for what the user may not see, 403
for what they may see but not change), reads from :mod:`outcomes.tallies.selectors`, every write through
one service of :mod:`outcomes.tallies.services`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outcomes.models import Intervention, Membership, PeriodReport, ReportStatus, Role
from outcomes.organisations.access import (
    association_for,
    can_write_reports,
    intervention_for,
    is_staff_of,
    writable_interventions,
)
from outcomes.periods import Period, PeriodError, base_period
from outcomes.tallies.errors import ReportError, VersionConflict
from outcomes.tallies.forms import ReopenForm, ReportForm
from outcomes.tallies.history import field_labels, fields_with_history, report_history, report_values
from outcomes.tallies.reminders import missing_reports_remind
from outcomes.tallies.reopening import latest_reopening
from outcomes.tallies.selectors import (
    home_overview,
    missing_reports,
    previous_ongoing_at_end,
    report_deadline,
    reporting_completeness,
    reporting_matrix,
)
from outcomes.tallies.services import (
    report_approve,
    report_check,
    report_recall,
    report_reopen,
    report_save,
    report_submit,
)


def _today():
    return timezone.localdate()


@login_required
@require_GET
def home(request):
    """The start page: each visible intervention with its recent base periods and their status.

    "Fyll i" is offered only for interventions the user may write (not to viewers); staff and
    viewers get their associations' pages and summaries from the header's links
    (``managed_associations``) and here."""
    overview = home_overview(request.user, _today())
    staff_of = set(
        Membership.objects.filter(user=request.user, role=Role.STAFF).values_list("association_id", flat=True)
    )
    staff_associations = {i.association for i, _periods in overview if i.association_id in staff_of}
    return render(
        request,
        "outcomes/home.html",
        {
            "overview": overview,
            "writable": writable_interventions(request.user, [i for i, _periods in overview]),
            "staff_associations": sorted(staff_associations, key=lambda a: a.name),
        },
    )


def _period_or_error(request, intervention, code: str):
    """The base period ``code`` of the intervention, or a rendered 400 page that says why not.

    A period that is not a base period of the intervention's frequency, or lies outside its
    time, is refused here for reading and writing alike.
    """
    try:
        period = base_period(code, intervention.frequency)
    except PeriodError as exc:
        message = exc.message
    else:
        if not intervention.runs_during(period):
            message = _("Perioden %(period)s ligger utanför insatsens tid.") % {"period": period.code}
        else:
            return period, None
    response = render(
        request, "outcomes/period_error.html", {"intervention": intervention, "message": message}, status=400
    )
    return None, response


def _report_url(intervention, period) -> str:
    return reverse("report", args=[intervention.pk, period.code])


@login_required
@require_http_methods(["GET", "POST"])
def report_form(request, intervention_id, period):
    """The report of one intervention and base period on one page.

    GET shows the stored counts (or a new form whose start comes from the previous period's end)
    with every rule the stored counts break. POST "Spara utkast" saves whatever is there unless a
    cell holds something that is not a count; "Skicka in" saves and then submits, which only
    succeeds when every rule holds. A save based on an older version is refused and the form is
    shown again with what was typed and the newer values beside it.
    """
    intervention = intervention_for(request.user, intervention_id)
    period, error_response = _period_or_error(request, intervention, period)
    if error_response:
        return error_response
    may_write = can_write_reports(request.user, intervention)
    if request.method == "POST" and not may_write:
        raise PermissionDenied
    report = PeriodReport.objects.filter(intervention=intervention, period=period.code).first()
    editable = may_write and (report is None or report.status == ReportStatus.DRAFT)
    previous_end = previous_ongoing_at_end(intervention=intervention, period_code=period.code)

    context = {
        "intervention": intervention,
        "period": period,
        "report": report,
        "editable": editable,
        "may_write": may_write,
        "is_staff": is_staff_of(request.user, intervention.association_id),
        "previous_end": previous_end,
        "deadline": report_deadline(period, intervention.association),
        "reopen_form": ReopenForm(),
        "reopening": latest_reopening(report),
    }

    if request.method == "POST":
        form = ReportForm(request.POST, intervention=intervention, report=report)
        if not editable:
            # Submitted or approved since the editor opened the form: keep what they typed.
            return _render_conflict(request, context, form, report)
        if not form.is_valid():
            context.update(form=form, refused=True)
            return render(request, "outcomes/report_form.html", context, status=400)
        try:
            result = report_save(
                intervention=intervention,
                period_code=period.code,
                data=form.report_input(),
                user=request.user,
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except VersionConflict as exc:
            return _render_conflict(request, context, form, exc.current)
        except ReportError as exc:
            form.attach_violations(exc.violations)
            context.update(form=form, refused=True)
            return render(request, "outcomes/report_form.html", context, status=400)
        if request.POST.get("action") == "submit":
            try:
                report_submit(report=result.report, user=request.user)
            except ReportError:
                messages.error(
                    request,
                    _("Utkastet är sparat, men rapporten kan inte skickas in förrän felen nedan är rättade."),
                )
                return redirect(_report_url(intervention, period))
            messages.success(
                request,
                _("Rapporten för %(intervention)s %(period)s är inskickad.")
                % {"intervention": intervention.name, "period": period.code},
            )
            return redirect("home")
        messages.success(request, _("Utkastet är sparat."))
        return redirect(_report_url(intervention, period))

    figures = report.figures() if report else None
    form = ReportForm(
        initial=ReportForm.initial_for(
            figures,
            comment=report.comment if report else "",
            version=report.version if report else 0,
            start=previous_end,
        ),
        intervention=intervention,
        report=report,
        disabled=not editable,
    )
    if report is not None:
        form.attach_violations(report_check(intervention=intervention, period_code=period.code, figures=figures))
        history_url = reverse("report_history", args=[intervention.pk, period.code])
        form.link_history(history_url, fields_with_history(report))
    context["form"] = form
    return render(request, "outcomes/report_form.html", context)


def _render_conflict(request, context, form, current: PeriodReport):
    """Show the form again with what the editor typed, the newer stored values beside it, and
    the newer version as the one a deliberate second save replaces."""
    labels = field_labels(context["intervention"].association_id)
    stored = report_values(report=current)
    differences = []
    for key, typed in form.typed_values().items():
        theirs = stored.get(key, "" if key == "comment" else "0")
        mine = typed if typed or key == "comment" else "0"
        if mine != theirs:
            differences.append({"label": labels.get(key, key), "mine": mine, "theirs": theirs})
    data = request.POST.copy()
    data["version"] = str(current.version)
    again = ReportForm(data, intervention=context["intervention"], report=current)
    again.is_valid()
    again.attach_violations([])
    context.update(form=again, conflict=current, differences=differences, report=current)
    if current.status != ReportStatus.DRAFT:
        context["editable"] = False
    return render(request, "outcomes/report_form.html", context, status=409)


def _following(period: Period) -> Period:
    """The base period after ``period`` (across the turn of the year)."""
    last = 4 if period.kind == "Q" else 12
    if period.number == last:
        return Period(period.year + 1, period.kind, 1)
    return Period(period.year, period.kind, period.number + 1)


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _stored_report(request, intervention_id, period_code):
    """The intervention, period and stored report a view names, or an error page; 404 when none is stored."""
    intervention = intervention_for(request.user, intervention_id)
    period, error_response = _period_or_error(request, intervention, period_code)
    if error_response:
        return intervention, None, None, error_response
    report = PeriodReport.objects.filter(intervention=intervention, period=period.code).first()
    if report is None:
        raise Http404
    return intervention, period, report, None


@login_required
@require_POST
def report_transition(request, intervention_id, period, action):
    """Recall (coordinator or staff), approve or reopen with a reason (staff) one report."""
    intervention, period, report, error_response = _stored_report(request, intervention_id, period)
    if error_response:
        return error_response
    staff = is_staff_of(request.user, intervention.association_id)
    if action == "recall":
        allowed = can_write_reports(request.user, intervention)
    elif action in ("approve", "reopen"):
        allowed = staff
    else:
        raise Http404
    if not allowed:
        raise PermissionDenied
    try:
        if action == "recall":
            report_recall(report=report, user=request.user)
            done = _("Rapporten är återkallad till utkast och kan ändras.")
        elif action == "approve":
            report_approve(report=report, user=request.user)
            done = _("Rapporten är godkänd och låst.")
        else:
            report_reopen(report=report, reason=request.POST.get("reason", ""), user=request.user)
            done = _("Rapporten är öppnad igen som utkast.")
    except ReportError as exc:
        for violation in exc.violations:
            messages.error(request, violation.message)
    else:
        messages.success(request, f"{intervention.name} {period.code}: {done}")
    return _back(request, _report_url(intervention, period))


@login_required
@require_GET
def report_history_view(request, intervention_id, period):
    """Every change of the report, newest first: who, when, field, old and new value; with
    ``?falt=new.women`` only that value's (a key that names no value of the report form is
    ignored). The report form's cells link here, and its script shows the filtered rows in place."""
    intervention, period, report, error_response = _stored_report(request, intervention_id, period)
    if error_response:
        return error_response
    labels = field_labels(intervention.association_id)
    field = request.GET.get("falt", "")
    field = field if field in labels and field != "status" else ""
    return render(
        request,
        "outcomes/report_history.html",
        {
            "intervention": intervention,
            "period": period,
            "report": report,
            "entries": report_history(report, labels=labels, field=field),
            "field_label": labels.get(field, ""),
        },
    )


@login_required
@require_GET
def completeness(request, association_id):
    """Staff: which interventions have reported a period, on time or late and by whom."""
    association = association_for(request.user, association_id)
    if not is_staff_of(request.user, association.pk):
        raise Http404
    today = _today()
    code = request.GET.get("period", "")
    error = None
    try:
        period = Period.parse(code) if code else Period.for_date(today, "quarter").previous()
        if period.kind not in ("Q", "M"):
            raise PeriodError(_("Välj ett kvartal eller en månad, till exempel 2024Q3."))
        reporting = reporting_completeness(association, period, today)
    except PeriodError as exc:
        error, reporting = exc.message, []
        period = Period.for_date(today, "quarter").previous()
    done = sum(1 for row in reporting if row.counted)
    return render(
        request,
        "outcomes/completeness.html",
        {
            "association": association,
            "period": period,
            "matrix": reporting_matrix(association, period.year, today),
            "previous": period.previous(),
            "next": _following(period),
            "rows": reporting,
            "done": done,
            "total": len(reporting),
            "error": error,
            "reopen_form": ReopenForm(),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def completeness_remind(request, association_id, intervention_id):
    """Staff: "Skicka påminnelse" on the completeness matrix e-mails the intervention's
    coordinators about its base periods of the year (``ar``) that ended without a report, then
    back to the page (``period``) with a message saying how many were mailed."""
    association = association_for(request.user, association_id)
    if not is_staff_of(request.user, association.pk):
        raise Http404
    intervention = get_object_or_404(Intervention, pk=intervention_id, association=association)
    today = _today()
    try:
        period = Period.parse(request.POST.get("period", ""))
    except PeriodError:
        period = Period.for_date(today, "quarter").previous()
    statuses = reporting_completeness(association, Period(period.year, "Y"), today, intervention_id=intervention.pk)
    missing = missing_reports(statuses, today)
    mailed = missing_reports_remind(intervention=intervention, missing=missing, site_url=settings.SITE_URL)
    if not missing:
        messages.info(
            request,
            _("%(name)s har inga saknade rapporter %(year)s; ingen påminnelse skickades.")
            % {"name": intervention.name, "year": period.year},
        )
    elif not mailed:
        messages.warning(
            request,
            _("%(name)s har inga aktiva samordnare; ingen påminnelse skickades.") % {"name": intervention.name},
        )
    else:
        text = _("Påminnelse skickad till %(count)s samordnare för %(name)s (%(missing)s saknade rapporter).")
        messages.success(request, text % {"count": mailed, "name": intervention.name, "missing": len(missing)})
    return redirect(reverse("completeness", args=[association.pk]) + "?" + urlencode({"period": period.code}))
