"""The association's change log (*ändringslogg*): who changed what, when, old → new.

Written by the services of members, interventions, budgets, people, catalogs, settings, goals and
step definitions inside their own transactions, so a change and its log row are stored together
or not at all. Rows are never updated or deleted (as report history)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.model_bases import ChangeRecord


class ChangeLogIsReadOnly(Exception):
    """Raised on any attempt to change or delete the change log."""


def _refuse_change(*args, **kwargs):
    raise ChangeLogIsReadOnly("The change log cannot be changed.")


def _refuse_delete(*args, **kwargs):
    raise ChangeLogIsReadOnly("The change log cannot be deleted.")


class ChangeLogQuerySet(models.QuerySet):
    update = _refuse_change
    delete = _refuse_delete


class ChangeKind(models.TextChoices):
    MEMBER = "member", _("medlem")
    INTERVENTION = "intervention", _("insats")
    BUDGET = "budget", _("beviljade medel")
    PERSON = "person", _("användare och behörigheter")
    CATALOG = "catalog", _("katalog")
    SETTINGS = "settings", _("inställningar")
    GOAL = "goal", _("mål")
    STEP_DEFINITION = "step_definition", _("stegdefinition")


class ChangeLogEntry(ChangeRecord):
    """One changed value of one thing of the association.

    ``subject`` names the thing as it was called at the time ("Coachingteamet", "Avslutsorsak
    arbete"); ``field`` is the changed attribute, or ``skapad``/``borttagen``; ``old`` is empty for
    a creation, ``new`` for a deletion."""

    association = models.ForeignKey(
        "outcomes.Association", on_delete=models.CASCADE, related_name="change_log", verbose_name=_("förbund")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=ChangeKind.choices)
    subject = models.CharField(_("vad"), max_length=300)
    field = models.CharField(_("fält"), max_length=100)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("ändringslogg")
        verbose_name_plural = _("ändringslogg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["association", "kind", "at"], name="change_log_idx")]

    def __str__(self):
        return f"{self.subject} {self.field}: {self.old} → {self.new}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse_change()
        super().save(*args, **kwargs)

    delete = _refuse_delete
