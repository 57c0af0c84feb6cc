"""The activity log of structural interventions (and of individual ones that run group activities).

One row per activity: its date (which places it in a base period of the intervention), title,
kind, occasions, attendees (a total, perhaps estimated, perhaps split by gender and by member
organisation), exhibitors, evaluation and cost. Every count is a plain integer column so that a
period's figures are one ``SUM … GROUP BY`` in the database."""

from django.db import models
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.vocabulary import activity_vocabulary
from outcomes.counts import GENDER_LABELS, GENDERS, Counts
from outcomes.measures import ActivityFigures
from outcomes.organisations.models import Intervention
from outcomes.periods import Period
from outcomes.validators import validate_no_personal_data


class ActivityQuerySet(models.QuerySet):
    def within(self, period: Period):
        return self.filter(date__gte=period.start, date__lte=period.end)

    def period_totals(self, period: Period) -> dict[int, ActivityFigures]:
        """The activity figures of each intervention over ``period``, by intervention id; an
        intervention without activities has no entry. One query whatever the number."""
        sums = {
            "occasions_sum": Sum("occasions"),
            "attendees_sum": Sum("attendees"),
            "exhibitors_sum": Sum("exhibitors"),
            "answered_sum": Sum("evaluation_answered"),
            "positive_sum": Sum("evaluation_positive"),
            **{f"{g}_sum": Sum(f"attendees_{g}") for g in GENDERS},
        }
        result = {}
        for row in self.within(period).values("intervention").annotate(n=Count("id"), **sums).order_by():
            result[row["intervention"]] = ActivityFigures(
                count=row["n"],
                occasions=row["occasions_sum"] or 0,
                attendees=row["attendees_sum"] or 0,
                exhibitors=row["exhibitors_sum"] or 0,
                evaluation_answered=row["answered_sum"] or 0,
                evaluation_positive=row["positive_sum"] or 0,
                attendees_by_gender=Counts(*(row[f"{g}_sum"] or 0 for g in GENDERS)),
            )
        return result


class Activity(models.Model):
    """One activity of an intervention's log.

    ``period`` is the base period its ``date`` falls in; the activity is locked while that
    period's report is approved. ``attendees_women``/``men``/``other`` are all empty when the
    attendees were not split by gender, and add up to ``attendees`` when they were.
    """

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="activities", verbose_name=_("insats")
    )
    date = models.DateField(_("datum"))
    period = models.CharField(_("period"), max_length=10, editable=False)
    title = models.CharField(_("rubrik"), max_length=200, validators=[validate_no_personal_data])
    kind = models.CharField(_("typ av aktivitet"), max_length=30, choices=list(activity_vocabulary()["kinds"].items()))
    occasions = models.PositiveIntegerField(_("tillfällen"), default=1)
    attendees = models.PositiveIntegerField(_("deltagare"))
    estimated = models.BooleanField(_("uppskattat antal"), default=False)
    attendees_women = models.PositiveIntegerField(GENDER_LABELS["women"], null=True, blank=True)
    attendees_men = models.PositiveIntegerField(GENDER_LABELS["men"], null=True, blank=True)
    attendees_other = models.PositiveIntegerField(GENDER_LABELS["other"], null=True, blank=True)
    exhibitors = models.PositiveIntegerField(_("utställare"), null=True, blank=True)
    evaluation_answered = models.PositiveIntegerField(_("svar på utvärderingen"), null=True, blank=True)
    evaluation_positive = models.PositiveIntegerField(_("positiva svar"), null=True, blank=True)
    spent_sek = models.PositiveBigIntegerField(_("kostnad (kr)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["intervention", "date", "id"]
        indexes = [models.Index(fields=["intervention", "date"], name="activity_date_idx")]

    def __str__(self):
        return f"{self.title} ({self.attendees})"

    @property
    def attendees_by_gender(self) -> Counts | None:
        if self.attendees_women is None and self.attendees_men is None and self.attendees_other is None:
            return None
        return Counts(*(getattr(self, f"attendees_{g}") or 0 for g in GENDERS))

    @property
    def cost_per_attendee_sek(self) -> int | None:
        """The activity's own cost per attendee, when it has a cost (whole kronor, half up)."""
        return (
            ActivityFigures(attendees=self.attendees).cost_per_attendee_sek(self.spent_sek)
            if self.spent_sek is not None
            else None
        )


class ActivityOrganisation(models.Model):
    """Attendees of one activity from one member organisation (``organisation``: a code of the
    activity log's vocabulary, ``catalog/measures.json``)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.CharField(
        _("organisation"), max_length=30, choices=list(activity_vocabulary()["organisations"].items())
    )
    attendees = models.PositiveIntegerField(_("deltagare"))

    class Meta:
        verbose_name = _("deltagare per organisation")
        verbose_name_plural = _("deltagare per organisation")
        constraints = [
            models.UniqueConstraint(fields=["activity", "organisation"], name="one_row_per_activity_organisation")
        ]

    def __str__(self):
        return f"{self.organisation} ({self.attendees})"
