"""Figures of one intervention and period, stored so that a summary reads rows instead of
computing them (issue 19). Derived data, like goal results: written only by
:mod:`reports.summaries.stored` from the same counting rules, valid only while the intervention's
``figures_version`` is the one they were computed at, and always computable again."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.organisations.models import intervention_link


class StoredFigures(models.Model):
    intervention = intervention_link("stored_figures")
    #: The period's code ("2024", "2024H1", "2024Q3", "2014Q3..2024Q2").
    period = models.CharField(_("period"), max_length=40)
    #: The intervention's ``figures_version`` when these were computed.
    version = models.PositiveBigIntegerField()
    #: The counted figures of submitted and approved reports and the activity log, as
    #: :func:`reports.summaries.stored.figures_data` writes them.
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("lagrade nyckeltal")
        constraints = [
            models.UniqueConstraint(fields=["intervention", "period"], name="stored_figures_intervention_period")
        ]

    def __str__(self):
        return f"{self.intervention_id} {self.period}"
