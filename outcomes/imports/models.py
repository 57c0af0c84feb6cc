"""Uploaded files waiting between their preview and the save (``/las-in/``)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.validators import validate_no_personal_data

#: How long an upload is kept: its preview can be saved until then.
UPLOAD_KEPT = dt.timedelta(days=1)


class FileUploadQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Uploads made more than :data:`UPLOAD_KEPT` before ``now``, stored or not."""
        return self.filter(created_at__lt=(now or timezone.now()) - UPLOAD_KEPT)


class FileUpload(models.Model):
    """One upload of one or more files by one user: previewed (a dry run) as often as it is
    shown, stored once. Only its user sees it. Its files are deleted when it is stored, and every
    upload is deleted a day after it was made, by the sweep ``file_uploads_clean_task`` (beat,
    hourly) and whenever the same user uploads again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="file_uploads")
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    stored_at = models.DateTimeField(_("sparad"), null=True, blank=True)

    objects = FileUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("inläst fil")
        verbose_name_plural = _("inlästa filer")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class FileUploadPart(models.Model):
    upload = models.ForeignKey(FileUpload, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("filnamn"), max_length=200, validators=[validate_no_personal_data])
    content = models.BinaryField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name
