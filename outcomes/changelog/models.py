"""The association's change log (*ändringslogg*): who changed what, when, old → new.

Written by the services of members, interventions, budgets, people, catalogs, settings, goals and
step definitions inside their own transactions, so a change and its log row are stored together
or not at all. Rows are never updated or deleted (as report history)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLogIsReadOnly(Exception):
    """Raised on any attempt to change or delete the change log."""


class ChangeLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ChangeLogIsReadOnly("The change log cannot be changed.")

    def delete(self):
        raise ChangeLogIsReadOnly("The change log cannot be deleted.")


class ChangeKind(models.TextChoices):
    MEMBER = "member", _("medlem")
    INTERVENTION = "intervention", _("insats")
    BUDGET = "budget", _("beviljade medel")
    PERSON = "person", _("användare och behörigheter")
    CATALOG = "catalog", _("katalog")
    SETTINGS = "settings", _("inställningar")
    GOAL = "goal", _("mål")
    STEP_DEFINITION = "step_definition", _("stegdefinition")


class ChangeLogEntry(models.Model):
    """One changed value of one thing of the association.

    ``subject`` names the thing as it was called at the time ("Coachingteamet", "Avslutsorsak
    arbete"); ``field`` is the changed attribute, or ``skapad``/``borttagen``; ``old`` is empty for
    a creation, ``new`` for a deletion."""

    association = models.ForeignKey(
        "outcomes.Association", on_delete=models.CASCADE, related_name="change_log", verbose_name=_("förbund")
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
    kind = models.CharField(_("typ"), max_length=20, choices=ChangeKind.choices)
    subject = models.CharField(_("vad"), max_length=300)
    field = models.CharField(_("fält"), max_length=100)
    old = models.TextField(_("gammalt värde"), blank=True)
    new = models.TextField(_("nytt värde"), blank=True)

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
            raise ChangeLogIsReadOnly("The change log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ChangeLogIsReadOnly("The change log cannot be deleted.")
