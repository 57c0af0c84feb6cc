"""Export jobs: a slow export (a PDF with charts) runs in a Celery worker while the page waits."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.models import Association, Intervention


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("väntar")
    RUNNING = "running", _("pågår")
    DONE = "done", _("klar")
    FAILED = "failed", _("misslyckades")


class ExportJob(models.Model):
    """One requested export file: what to export, how far it has come, and the file when done.

    The id is a random UUID, so a job's address cannot be guessed; the file is still only handed
    to users who may read the association's summaries. The file is kept in the database
    (``content``): exports are small, and this needs no shared file storage between web and worker.
    Running a job twice produces the same file for the same data.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="export_jobs")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, null=True, blank=True, related_name="export_jobs"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    period = models.CharField(_("period"), max_length=24)
    format = models.CharField(_("format"), max_length=8)
    publish = models.BooleanField(_("för publicering"), default=False)
    include_drafts = models.BooleanField(_("med utkast"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    error = models.TextField(_("fel"), blank=True)
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    content = models.BinaryField(_("fil"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Issue 20: set when the sweep (reports.exports.export_jobs_sweep) queued the job a second
    # time after its first message was lost (a broker restart); a job is requeued only once.
    requeued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("exportjobb")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or self.format} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
