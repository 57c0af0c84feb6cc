"""The web pages of file imports: download the template, "Läs in fil" and its preview.

Every upload is first a dry run shown on its own page (``/las-in/<id>/``); "Spara som utkast" and
"Spara och skicka in" then store all of it or nothing through :func:`files_import`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from outcomes.imports.files import MAX_FILE_BYTES, XLSX_TYPE
from outcomes.imports.forms import UploadForm
from outcomes.imports.preview import CHANGE, CREATE, LOCKED, UNCHANGED, files_import
from outcomes.imports.template import template_xlsx, template_year
from outcomes.models import FileUpload, FileUploadPart
from outcomes.organisations.access import can_write_reports, intervention_for

ACTION_LABELS = {
    CREATE: gettext_lazy("skapas"),
    CHANGE: gettext_lazy("ändras"),
    UNCHANGED: gettext_lazy("oförändrad"),
    LOCKED: gettext_lazy("godkänd och låst: lämnas orörd"),
}


def template_response(intervention, year: int) -> HttpResponse:
    response = HttpResponse(template_xlsx(intervention=intervention, year=year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mall-{intervention.pk}-{year}.xlsx"'
    return response


@login_required
@require_GET
def template_download(request, intervention_id):
    """ "Ladda ned mall": the template of the intervention and ``?ar=`` (this year by default)."""
    intervention = intervention_for(request.user, intervention_id)
    if not can_write_reports(request.user, intervention):
        raise PermissionDenied
    year = template_year(request.GET.get("ar"), timezone.localdate().year)
    if year is None:
        return HttpResponse(_("Ange året med fyra siffror, till exempel ?ar=2024."), status=400)
    return template_response(intervention, year)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """ "Läs in fil": choose files; they are kept for the preview, nothing is stored yet."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # This user's uploads of more than a day ago are forgotten (the hourly sweep
            # forgets everyone's; this keeps it so without a beat, as under `make run`).
            FileUpload.objects.filter(user=request.user).expired().delete()
            saved = FileUpload.objects.create(user=request.user)
            for position, file in enumerate(form.cleaned_data["files"]):
                # One byte more than the limit is enough for the check to refuse it.
                content = file.read(MAX_FILE_BYTES + 1)
                FileUploadPart.objects.create(upload=saved, position=position, name=file.name[:200], content=content)
        return redirect("import-preview", upload_id=saved.pk)
    return render(request, "outcomes/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, upload_id):
    """The dry run of an upload; POST ``action=draft|submit`` stores all of it or nothing."""
    saved = FileUpload.objects.filter(pk=upload_id, user=request.user).first()
    if saved is None:
        raise Http404
    if saved.stored_at is not None:
        return render(request, "outcomes/import_preview.html", {"upload": saved, "done": True})
    files = [(part.name, bytes(part.content)) for part in saved.parts.all()]
    action = request.POST.get("action") if request.method == "POST" else None
    result = files_import(
        user=request.user, files=files, dry_run=action not in ("draft", "submit"), submit=action == "submit"
    )
    if result.stored:
        saved.stored_at = timezone.now()
        saved.save(update_fields=["stored_at"])
        saved.parts.all().delete()
        done = _("inskickade") if action == "submit" else _("sparade som utkast")
        messages.success(
            request,
            _("Filen är inläst: %(n)s rapporter %(done)s, %(same)s oförändrade, %(locked)s låsta.")
            % {
                "n": result.count(CREATE) + result.count(CHANGE),
                "done": done,
                "same": result.count(UNCHANGED),
                "locked": result.count(LOCKED),
            },
        )
        return redirect("home")
    context = {
        "upload": saved,
        "result": result,
        "labels": ACTION_LABELS,
        "refused": action is not None,
        "can_store": not result.errors and any(r.action in (CREATE, CHANGE, UNCHANGED) for r in result.rows),
    }
    return render(request, "outcomes/import_preview.html", context, status=400 if action else 200)
