"""Indicator surveys: answer distributions per intervention (or association), period and group.

Storage: one :class:`Survey` row per intervention, period and respondent group with the number
invited and the number who answered per gender, and one :class:`SurveyAnswer` row per question with
the count of each answer option as plain integer columns (``option_1`` least positive …
``option_6`` most positive; yes/no questions use ``option_1`` = no and ``option_2`` = yes) and the
blank answers apart. Plain columns let the figures over an indicator or several periods be summed
in the database. Board and managers' surveys belong to the association (``intervention`` empty).
National averages are entered by staff per question and year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.models import RespondentGroup, SurveyQuestion, catalog_link, respondent_group_field
from outcomes.counts import GENDERS, Counts
from outcomes.model_bases import PeriodRecord
from outcomes.organisations.models import SCOPE, association_link, intervention_link, unique_per_scope

OPTION_FIELDS = tuple(f"option_{i}" for i in range(1, 7))


ASSOCIATION_GROUP_VALUES = (RespondentGroup.MANAGERS, RespondentGroup.BOARD)


class Survey(PeriodRecord):
    """One survey round: who was invited and who answered, for one period and respondent group.

    ``period`` is any period code (a year, or a base period of the intervention). Board and
    managers' surveys have no intervention; every other group's survey has one (a constraint).
    """

    association = association_link("surveys", on_delete=models.PROTECT)
    intervention = intervention_link("surveys", on_delete=models.PROTECT, optional=True)
    group = respondent_group_field()
    invited = models.PositiveIntegerField(_("antal tillfrågade"), default=0)
    answered_women = models.PositiveIntegerField(_("svarande, kvinnor"), default=0)
    answered_men = models.PositiveIntegerField(_("svarande, män"), default=0)
    answered_other = models.PositiveIntegerField(_("svarande, annan/ej angivet"), default=0)

    class Meta:
        verbose_name = _("indikatorenkät")
        verbose_name_plural = _("indikatorenkäter")
        ordering = ["association", "intervention", "period_start", "group"]
        constraints = [
            *unique_per_scope(
                [SCOPE, "period", "group"],
                association_name="one_survey_per_association_period_group",
                intervention_name="one_survey_per_intervention_period_group",
            ),
            models.CheckConstraint(
                condition=(Q(group__in=ASSOCIATION_GROUP_VALUES) & Q(intervention__isnull=True))
                | (~Q(group__in=ASSOCIATION_GROUP_VALUES) & Q(intervention__isnull=False)),
                name="survey_owner_fits_group",
                violation_error_message=_(
                    "Styrelsens och chefernas enkäter hör till förbundet; övriga gruppers till en insats."
                ),
            ),
        ]
        indexes = [models.Index(fields=["intervention", "group", "period_start", "period_end"], name="survey_idx")]

    def __str__(self):
        return f"{self.intervention or self.association} {self.period} {self.get_group_display()}"

    @property
    def answered(self) -> Counts:
        return Counts(*(getattr(self, f"answered_{g}") for g in GENDERS))


class SurveyAnswer(models.Model):
    """The answers to one question in one survey: a count per option, blank answers apart."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = catalog_link(SurveyQuestion, _("fråga"), related_name="answers")
    option_1 = models.PositiveIntegerField(_("alternativ 1 (minst positivt; nej)"), default=0)
    option_2 = models.PositiveIntegerField(_("alternativ 2 (ja)"), default=0)
    option_3 = models.PositiveIntegerField(_("alternativ 3"), default=0)
    option_4 = models.PositiveIntegerField(_("alternativ 4"), default=0)
    option_5 = models.PositiveIntegerField(_("alternativ 5"), default=0)
    option_6 = models.PositiveIntegerField(_("alternativ 6 (mest positivt)"), default=0)
    blank = models.PositiveIntegerField(_("blanka svar"), default=0)

    class Meta:
        verbose_name = _("svarsfördelning")
        verbose_name_plural = _("svarsfördelningar")
        ordering = ["survey", "question__position"]
        constraints = [models.UniqueConstraint(fields=["survey", "question"], name="one_answer_row_per_question")]

    def __str__(self):
        return f"{self.survey}: {self.question_id}"

    def counts_for(self, scale: str) -> tuple[int, ...]:
        n = 2 if scale == "yes_no" else 6
        return tuple(getattr(self, f) for f in OPTION_FIELDS[:n])


class NationalAverage(models.Model):
    """Rikssnitt: the network's national average percent for one question and year."""

    association = association_link("national_averages")
    question = catalog_link(SurveyQuestion, _("fråga"), related_name="national_averages")
    year = models.PositiveSmallIntegerField(_("år"))
    percent = models.DecimalField(_("rikssnitt (procent)"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = verbose_name_plural = _("rikssnitt")
        ordering = ["association", "year", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "year"], name="one_national_average_per_question_year"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="national_average_is_a_percent"
            ),
        ]

    def __str__(self):
        return f"{self.question_id} {self.year}: {self.percent}"
