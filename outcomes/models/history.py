"""The history of period reports and the record of reminders sent.

Every change of a stored value and every status transition of a report is written here by the
services in the same transaction as the change itself, so the web forms and the API get the same
history. History is never editable: an entry cannot be saved twice, updated or deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.models.organisation import Intervention
from outcomes.models.reports import PeriodReport
from outcomes.validators import validate_no_personal_data


class HistoryIsReadOnly(Exception):
    """Raised on any attempt to change or delete a history entry."""


class ReportHistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsReadOnly("Report history cannot be changed.")

    def delete(self):
        raise HistoryIsReadOnly("Report history cannot be deleted.")


class HistoryKind(models.TextChoices):
    VALUE = "value", _("värde")
    STATUS = "status", _("status")


class ReportHistory(models.Model):
    """One change of one report: a value (``field``: ``new.women``, ``exits_by_reason.work.men``,
    ``breakdowns.age_band.a16_29.other``, ``spent_sek``, ``comment``) or the status.

    ``old`` is empty when the report was created by the change. ``reason`` holds the written
    reason for a reopen. ``version`` is the report's version after the change.
    """

    report = models.ForeignKey(
        PeriodReport, on_delete=models.PROTECT, related_name="history", verbose_name=_("periodrapport")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("typ"), max_length=10, choices=HistoryKind.choices)
    field = models.CharField(_("fält"), max_length=200)
    old = models.TextField(_("gammalt värde"), blank=True)
    new = models.TextField(_("nytt värde"), blank=True)
    reason = models.TextField(_("motivering"), blank=True, validators=[validate_no_personal_data])
    version = models.PositiveIntegerField(_("version"))

    objects = ReportHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapporthistorik")
        verbose_name_plural = _("rapporthistorik")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "kind", "at"], name="report_history_idx")]

    def __str__(self):
        return f"{self.report_id} v{self.version} {self.field}: {self.old} → {self.new}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsReadOnly("Report history cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsReadOnly("Report history cannot be deleted.")


class OverdueReminder(models.Model):
    """That the coordinators of an intervention were reminded of one overdue base period.

    One row per intervention and period makes the reminder task idempotent: a period is
    reminded about once, however often the task runs.
    """

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="overdue_reminders", verbose_name=_("insats")
    )
    period = models.CharField(_("period"), max_length=10)
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("antal mottagare"), default=0)

    class Meta:
        verbose_name = _("påminnelse om försenad rapport")
        verbose_name_plural = _("påminnelser om försenade rapporter")
        constraints = [
            models.UniqueConstraint(fields=["intervention", "period"], name="one_reminder_per_period"),
        ]

    def __str__(self):
        return f"{self.intervention_id} {self.period}"
