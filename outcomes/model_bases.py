"""Abstract model pieces that several topics' models share (no table of their own).

Their fields are the same columns the models declared themselves before, so using them needs no
migration; Django lists an abstract base's fields before the model's own.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.periods import Period


class Timestamped(models.Model):
    """When a row was created and last changed, set by Django on save."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PeriodRecord(Timestamped):
    """Counts entered for one period: its code, its first and last day, and a version.

    ``period`` is stored as its canonical code and ``period_start``/``period_end`` are derived from
    it on every save, so queries can compare dates; a code that does not parse raises
    :class:`~outcomes.periods.PeriodError` before anything is written. ``version`` grows with
    every saved change (the services do it) and guards against lost updates.
    """

    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("periodens första dag"), editable=False)
    period_end = models.DateField(_("periodens sista dag"), editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        parsed = Period.parse(self.period)
        self.period = parsed.code
        self.period_start, self.period_end = parsed.start, parsed.end
        super().save(*args, **kwargs)


class ChangeRecord(models.Model):
    """One line of a history that is only ever appended to: who changed a value (kept as empty
    when the user is deleted), when, and from what to what (``old`` is empty for a creation,
    ``new`` for a deletion). The report history and the association's change log are ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    old = models.TextField(_("gammalt värde"), blank=True)
    new = models.TextField(_("nytt värde"), blank=True)

    class Meta:
        abstract = True
