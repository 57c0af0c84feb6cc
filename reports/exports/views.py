"""Export downloads and export jobs' pages: XLSX and CSV at once, a PDF as a background job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from outcomes.organisations.access import can_read_summaries
from outcomes.periods import PeriodError
from reports.exports.models import ExportJob
from reports.exports.services import (
    CONTENT_TYPES,
    DIRECT_FORMATS,
    INTERNAL_ONLY_FORMATS,
    export_document,
    export_filename,
    export_job_create,
)
from reports.summaries.views import readable_association, readable_intervention, summary_options, summary_query


def _export(request, *, association, intervention=None):
    """XLSX and CSV download at once on a GET. A PDF is a job: a GET shows a page with a button,
    and only its POST creates the job (a link followed by a crawler or a prefetch creates none)."""
    fmt = request.resolver_match.kwargs["fmt"]
    if fmt not in CONTENT_TYPES:
        raise Http404
    allowed = ["GET", "HEAD", "POST"] if fmt not in DIRECT_FORMATS else ["GET", "HEAD"]
    if request.method not in allowed:
        return HttpResponseNotAllowed(allowed)
    period, error, include_drafts, publish = summary_options(request)
    if period is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    if publish and fmt in INTERNAL_ONLY_FORMATS:
        message = _("Word-dokumentet har exakta tal och görs bara internt; välj XLSX, CSV eller PDF för publicering.")
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
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
            "action": f"{request.path}?{summary_query(period, include_drafts, publish)}",
            "back_url": f"{back}?{summary_query(period, include_drafts)}",
        }
        return render(request, "reports/summary_export_start.html", context)
    what = {
        "association": association,
        "intervention": intervention,
        "period": period,
        "fmt": fmt,
        "publish": publish,
        "include_drafts": include_drafts,
    }
    if fmt in DIRECT_FORMATS:
        try:
            content = export_document(**what)
        except PeriodError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        name = export_filename(
            association=association, intervention=intervention, period=period.code, fmt=fmt, publish=publish
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    job = export_job_create(user=request.user, **what)
    return redirect("export-job", job_id=job.pk)


@login_required
def summary_export(request, association_id: int, fmt: str):
    return _export(request, association=readable_association(request.user, association_id))


@login_required
def detail_export(request, intervention_id: int, fmt: str):
    intervention = readable_intervention(request.user, intervention_id)
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
