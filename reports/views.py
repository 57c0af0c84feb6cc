"""Web pages of the reports app: the association summary, intervention detail, charts, exports.

Staff and viewers of an association read these pages; coordinators and outsiders get 404. The
numbers come from :mod:`reports.summary`, the same selector as the exports and the API.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from outcomes.counts import GENDERS
from outcomes.organisations.access import association_for, can_read_summaries, intervention_for
from outcomes.organisations.selectors import associations_visible_to
from outcomes.periods import Period, PeriodError
from reports import charts
from reports.exports import CONTENT_TYPES, export_document, export_filename, export_job_create
from reports.models import ExportJob
from reports.summary import MEASURES, association_summary, gender_shares, intervention_detail

# Files small enough to answer at once; a PDF (layout and charts) runs as a background job.
DIRECT_FORMATS = ("xlsx", "csv")


def default_period() -> Period:
    """Last year until the first quarter has ended, then this year so far."""
    today = timezone.localdate()
    if today.month <= 3:
        return Period(today.year - 1, "Y")
    return Period(today.year, "YTDQ", (today.month - 1) // 3)


def period_choices(year: int) -> list[tuple[str, str]]:
    codes = [(f"{year}", _("Helår")), (f"{year}H1", _("Första halvåret")), (f"{year}H2", _("Andra halvåret"))]
    codes += [(f"{year}T{n}", _("Tertial %(n)s") % {"n": n}) for n in (1, 2, 3)]
    codes += [(f"{year}Q{n}", _("Kvartal %(n)s") % {"n": n}) for n in (1, 2, 3, 4)]
    codes += [(f"{year}YTDQ{n}", _("Hittills i år t.o.m. kvartal %(n)s") % {"n": n}) for n in (1, 2, 3)]
    return codes


def _options(request) -> tuple[Period | None, str, bool, bool]:
    """The period, its error message (empty when fine), drafts and publication flags from GET."""
    code = request.GET.get("period") or default_period().code
    try:
        period, error = Period.parse(code), ""
    except PeriodError as exc:
        period, error = None, exc.message
    return period, error, request.GET.get("utkast") == "1", request.GET.get("publicera") == "1"


def _readable_association(user, association_id):
    association = association_for(user, association_id)
    if not can_read_summaries(user, association.pk):
        raise Http404
    return association


def _readable_intervention(user, intervention_id):
    intervention = intervention_for(user, intervention_id)
    if not can_read_summaries(user, intervention.association_id):
        raise Http404
    return intervention


def _query(period: Period, include_drafts: bool, publish: bool = False) -> str:
    params = {"period": period.code}
    if include_drafts:
        params["utkast"] = "1"
    if publish:
        params["publicera"] = "1"
    return urlencode(params)


def _measure_rows(current, previous):
    """Rows for a figures table: measure, counts, shares per gender and last year's counts."""
    labels = {
        "participants": _("Deltagare under perioden"),
        "ongoing_at_start": _("Pågående vid periodens början"),
        "new": _("Nya"),
        "exits": _("Avslutade"),
        "ongoing_at_end": _("Pågående vid periodens slut"),
    }
    rows = []
    for measure in MEASURES:
        counts = current.measure(measure)
        shares = gender_shares(counts)
        rows.append(
            {
                "label": labels[measure],
                "cells": [(getattr(counts, g), shares[g]) for g in GENDERS],
                "total": counts.total,
                "previous": previous.measure(measure),
            }
        )
    return rows


@login_required
def summary_index(request):
    """The associations whose summaries the user may read; straight to the only one."""
    associations = [a for a in associations_visible_to(request.user) if can_read_summaries(request.user, a.pk)]
    if len(associations) == 1:
        return redirect("summary", association_id=associations[0].pk)
    return render(request, "reports/summary_index.html", {"associations": associations})


@login_required
def summary_page(request, association_id: int):
    association = _readable_association(request.user, association_id)
    period, error, include_drafts, _publish = _options(request)
    context = {
        "association": association,
        "period_code": request.GET.get("period") or default_period().code,
        "error": error,
        "include_drafts": include_drafts,
        "choices": period_choices(period.year if period else timezone.localdate().year),
    }
    if period is None:
        return render(request, "reports/summary.html", context, status=400)
    summary = association_summary(association=association, period=period, include_drafts=include_drafts)
    rows = [
        {
            "row": row,
            "participants": _gender_cells(row.current.participants),
            "measures": [_measure_cell(row.current.measure(m), row.previous.measure(m)) for m in MEASURES[1:]],
            "detail_url": reverse("summary-detail", args=[row.intervention.pk]) + "?" + _query(period, include_drafts),
        }
        for row in summary.rows
    ]
    context.update(
        {
            "summary": summary,
            "rows": rows,
            "totals": summary.totals,
            "previous_totals": summary.previous_totals,
            "totals_participants": _gender_cells(summary.totals.participants),
            "totals_measures": [
                _measure_cell(summary.totals.measure(m), summary.previous_totals.measure(m)) for m in MEASURES[1:]
            ],
            "exports": _export_links("summary-export", association.pk, period, include_drafts),
        }
    )
    return render(request, "reports/summary.html", context)


def _gender_cells(counts):
    shares = gender_shares(counts)
    return [(getattr(counts, g), shares[g]) for g in GENDERS]


GENDER_ABBREVIATIONS = {"women": "K", "men": "M", "other": "A"}


def _measure_cell(counts, previous):
    """A total with its gender split ("K 8 (50 %)") and last year's total."""
    shares = gender_shares(counts)
    split = [(GENDER_ABBREVIATIONS[g], getattr(counts, g), shares[g]) for g in GENDERS]
    return {"total": counts.total, "split": split, "previous": previous.total}


def _export_links(name, pk, period, include_drafts):
    """Addresses of every export, internal and for publication: links for the files that download
    at once, POST buttons for the PDF (a POST creates its job)."""
    links = {}
    for fmt in (*DIRECT_FORMATS, "pdf"):
        base = reverse(name, args=[pk, fmt])
        links[fmt] = {
            "format": fmt.upper(),
            "internal": f"{base}?{_query(period, include_drafts)}",
            "publish": f"{base}?{_query(period, include_drafts, publish=True)}",
        }
    return {"files": [links[fmt] for fmt in DIRECT_FORMATS], "pdf": links["pdf"]}


@login_required
def detail_page(request, intervention_id: int):
    intervention = _readable_intervention(request.user, intervention_id)
    period, error, include_drafts, _publish = _options(request)
    detail = None
    if period is not None:
        try:
            detail = intervention_detail(intervention=intervention, period=period, include_drafts=include_drafts)
        except PeriodError as exc:
            error = exc.message
    context = {
        "intervention": intervention,
        "association": intervention.association,
        "period_code": request.GET.get("period") or default_period().code,
        "error": error,
        "include_drafts": include_drafts,
        "choices": period_choices(period.year if period else timezone.localdate().year),
    }
    if detail is None:
        return render(request, "reports/summary_detail.html", context, status=400)
    query = _query(period, include_drafts)
    tables = [*detail.dimensions, detail.exits]
    context.update(
        {
            "detail": detail,
            "measures": _measure_rows(detail.current, detail.previous),
            "tables": [
                {
                    "table": table,
                    "svg": reverse("summary-chart", args=[intervention.pk, table.code, "svg"]) + "?" + query,
                    "png": reverse("summary-chart", args=[intervention.pk, table.code, "png"]) + "?" + query,
                }
                for table in tables
            ],
            "summary_url": reverse("summary", args=[intervention.association_id]) + "?" + query,
            "exports": _export_links("summary-detail-export", intervention.pk, period, include_drafts),
        }
    )
    return render(request, "reports/summary_detail.html", context)


@login_required
def chart(request, intervention_id: int, chart: str, fmt: str):
    """A bar chart of new participants by one dimension, or of exits by reason, as SVG or PNG."""
    intervention = _readable_intervention(request.user, intervention_id)
    period, _error, include_drafts, _publish = _options(request)
    if period is None or fmt not in charts.FORMATS:
        raise Http404
    try:
        detail = intervention_detail(
            intervention=intervention, period=period, include_drafts=include_drafts, with_goals_and_surveys=False
        )
    except PeriodError as exc:
        raise Http404 from exc
    tables = {t.code: t for t in [*detail.dimensions, detail.exits]}
    if chart not in tables:
        raise Http404
    table = tables[chart]
    title = _("Avslutade per orsak, %(p)s") if chart == "exits" else _("Nya deltagare per %(d)s, %(p)s")
    figure = charts.breakdown_chart(table, title=title % {"p": period.code, "d": table.title.lower()})
    response = HttpResponse(charts.render(figure, fmt), content_type=charts.FORMATS[fmt])
    if request.GET.get("ladda_ner") == "1":
        response["Content-Disposition"] = f'attachment; filename="{intervention.pk}-{chart}-{period.code}.{fmt}"'
    return response


def _export(request, *, association, intervention=None):
    """XLSX and CSV download at once on a GET. A PDF is a job: a GET shows a page with a button,
    and only its POST creates the job (a link followed by a crawler or a prefetch creates none)."""
    fmt = request.resolver_match.kwargs["fmt"]
    if fmt not in CONTENT_TYPES:
        raise Http404
    allowed = ["GET", "HEAD", "POST"] if fmt not in DIRECT_FORMATS else ["GET", "HEAD"]
    if request.method not in allowed:
        return HttpResponseNotAllowed(allowed)
    period, error, include_drafts, publish = _options(request)
    if period is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    if fmt not in DIRECT_FORMATS and request.method != "POST":
        back = (
            reverse("summary-detail", args=[intervention.pk])
            if intervention
            else reverse("summary", args=[association.pk])
        )
        context = {
            "association": association,
            "intervention": intervention,
            "period": period,
            "publish": publish,
            "include_drafts": include_drafts,
            "format": fmt.upper(),
            "action": f"{request.path}?{_query(period, include_drafts, publish)}",
            "back_url": f"{back}?{_query(period, include_drafts)}",
        }
        return render(request, "reports/summary_export_start.html", context)
    if fmt in DIRECT_FORMATS:
        try:
            content = export_document(
                association=association,
                intervention=intervention,
                period=period,
                fmt=fmt,
                publish=publish,
                include_drafts=include_drafts,
            )
        except PeriodError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        name = export_filename(
            association=association, intervention=intervention, period=period.code, fmt=fmt, publish=publish
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    job = export_job_create(
        user=request.user,
        association=association,
        intervention=intervention,
        period=period,
        fmt=fmt,
        publish=publish,
        include_drafts=include_drafts,
    )
    return redirect("export-job", job_id=job.pk)


@login_required
def summary_export(request, association_id: int, fmt: str):
    return _export(request, association=_readable_association(request.user, association_id))


@login_required
def detail_export(request, intervention_id: int, fmt: str):
    intervention = _readable_intervention(request.user, intervention_id)
    return _export(request, association=intervention.association, intervention=intervention)


def _readable_job(user, job_id) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("association", "intervention"), pk=job_id)
    if not can_read_summaries(user, job.association_id):
        raise Http404
    return job


@login_required
def export_job_page(request, job_id):
    """The waiting page: progress while the job runs (refreshing itself), then the file."""
    job = _readable_job(request.user, job_id)
    return render(request, "reports/summary_export_job.html", {"job": job})


@login_required
def export_job_file(request, job_id):
    job = _readable_job(request.user, job_id)
    if job.status != "done":
        raise Http404
    response = HttpResponse(bytes(job.content), content_type=CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
