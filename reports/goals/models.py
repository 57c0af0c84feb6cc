"""Step definitions, goals and their stored results.

A goal belongs to one intervention and one year. Its results (one per evaluated period: each
quarter's or month's year-to-date, each half-year and the year) are derived data: they are written
only by :mod:`reports.goals.services` and can always be recomputed from the period reports, so a lost
update is repaired by the next recomputation.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.models import catalog_link, respondent_group_field
from outcomes.model_bases import Timestamped
from outcomes.models import ExitReason, Intervention, SurveyQuestion
from outcomes.organisations.models import intervention_link
from outcomes.validators import validate_no_personal_data
from reports import shares


class StepDefinition(models.Model):
    """Which exit reasons of one intervention count as a step, and which leave the denominator.

    An intervention without a stored definition uses the default of DOMAIN.md (the reasons of
    the self-support and continued-rehabilitation classes count; nothing is excluded), see
    :func:`reports.shares.default_step_rule`.
    """

    intervention = models.OneToOneField(
        Intervention, on_delete=models.CASCADE, related_name="step_definition", verbose_name=_("insats")
    )
    reasons = models.ManyToManyField(
        ExitReason, related_name="+", blank=True, verbose_name=_("avslutsorsaker som räknas som steg")
    )
    excluded_reasons = models.ManyToManyField(
        ExitReason, related_name="+", blank=True, verbose_name=_("avslutsorsaker som inte räknas i nämnaren")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stegdefinition")
        verbose_name_plural = _("stegdefinitioner")

    def __str__(self):
        return str(self.intervention)


class GoalKind(models.TextChoices):
    STEP_PROGRESSION = "step_progression", _("stegförflyttning")
    SHARE_OF_EXITS = "share_of_exits", _("andel av avslutade")
    COUNT = "count", _("antal")
    INDICATOR = "indicator", _("indikator")
    BUDGET = "budget", _("budget")


class Comparator(models.TextChoices):
    AT_LEAST = shares.AT_LEAST, _("minst")
    AT_MOST = shares.AT_MOST, _("högst")


class Measure(models.TextChoices):
    PARTICIPANTS = "participants", _("deltagare under perioden")
    NEW = "new", _("nya deltagare")
    EXITS = "exits", _("avslutade deltagare")


class SurveyFigure(models.TextChoices):
    POSITIVE = "positive", _("andel positiva")
    CLEARLY_POSITIVE = "clearly_positive", _("andel tydligt positiva")
    KEY_FIGURE = "key_figure", _("nätverkets nyckeltal")
    YES = "yes", _("andel ja")


class Goal(Timestamped):
    """A target for one intervention and year, with a traffic light (resultatmål).

    Shares (step progression, share of exits, indicator, budget) have a target in percent; a count
    goal has a target in people. Which fields matter depends on ``kind``: ``share_of_exits`` uses
    ``reasons`` and ``excluded_reasons``, ``count`` uses ``measure``, ``indicator`` uses
    ``question`` or ``indicator_number`` with ``group`` and ``figure``; ``step_progression`` uses the
    intervention's step definition. The rules that tie them together live in
    :func:`reports.goals.services.goal_check` and the kind's entry in :mod:`reports.goals.kinds`.
    """

    intervention = intervention_link("goals")
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(1900), MaxValueValidator(2999)])
    label = models.CharField(_("benämning"), max_length=200, validators=[validate_no_personal_data])
    kind = models.CharField(_("typ av mål"), max_length=20, choices=GoalKind.choices)
    comparator = models.CharField(
        _("jämförelse"), max_length=10, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    target = models.DecimalField(
        _("målvärde"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    yellow_ratio = models.DecimalField(
        _("gräns för gult"),
        max_digits=4,
        decimal_places=3,
        default=shares.DEFAULT_YELLOW_RATIO,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Gult när värdet når minst denna andel av målet (för ”högst”: överskrider med högst 1 − andelen)."),
    )
    reasons = models.ManyToManyField(ExitReason, related_name="+", blank=True, verbose_name=_("avslutsorsaker"))
    excluded_reasons = models.ManyToManyField(
        ExitReason, related_name="+", blank=True, verbose_name=_("avslutsorsaker utanför nämnaren")
    )
    measure = models.CharField(_("mått"), max_length=20, choices=Measure.choices, blank=True)
    question = catalog_link(SurveyQuestion, _("enkätfråga"), related_name="+", optional=True)
    indicator_number = models.PositiveSmallIntegerField(_("indikator"), null=True, blank=True)
    group = respondent_group_field(blank=True)
    figure = models.CharField(_("nyckeltal"), max_length=20, choices=SurveyFigure.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("mål")
        ordering = ["intervention", "year", "position", "id"]
        indexes = [models.Index(fields=["intervention", "year"], name="goal_intervention_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_ratio__gte=0) & Q(yellow_ratio__lte=1),
                name="goal_yellow_ratio_between_0_and_1",
                violation_error_message=_("Gränsen för gult ska ligga mellan 0 och 1."),
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.year}"


class ResultStatus(models.TextChoices):
    GREEN = shares.GREEN, _("uppnått")
    YELLOW = shares.YELLOW, _("delvis uppnått")
    RED = shares.RED, _("ej uppnått")
    NO_DATA = shares.NO_DATA, _("uppgift saknas")


class GoalResult(models.Model):
    """The computed result of one goal for one evaluated period.

    ``value`` is the exact percentage to one decimal (or the count), ``percent`` the whole percent
    shown to people (empty for counts). With a zero denominator, no report or no survey the
    status is ``no_data`` and value and percent are empty. ``stale`` is set when a change that
    affects the result has been committed and cleared by the recomputation that saw it;
    ``generation`` grows with every such change, so a recomputation that started before a later
    change leaves the result stale for the next one.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="results", verbose_name=_("mål"))
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("periodens första dag"))
    period_end = models.DateField(_("periodens sista dag"))
    numerator = models.BigIntegerField(_("täljare"), null=True, blank=True)
    denominator = models.BigIntegerField(_("nämnare"), null=True, blank=True)
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=1, null=True, blank=True)
    percent = models.IntegerField(_("procent"), null=True, blank=True)
    target = models.DecimalField(_("målvärde för perioden"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.NO_DATA)
    computed_at = models.DateTimeField(_("beräknat"), null=True, blank=True)
    stale = models.BooleanField(_("räknas om"), default=True)
    generation = models.PositiveIntegerField(default=0, editable=False)
    # When it was last marked stale (or swept): the beat sweep recomputes results left stale
    # longer than GOAL_RESULTS_STALE_AFTER, whose recomputation was lost with a killed worker.
    marked_stale_at = models.DateTimeField(null=True, blank=True, editable=False, default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("målresultat")
        ordering = ["goal", "period_end", "period_start"]
        constraints = [models.UniqueConstraint(fields=["goal", "period"], name="one_result_per_goal_period")]
        indexes = [
            models.Index(fields=["period_start", "period_end"], name="goal_result_span_idx"),
            models.Index(fields=["marked_stale_at"], condition=models.Q(stale=True), name="goal_result_stale_idx"),
        ]

    def __str__(self):
        return f"{self.goal} {self.period}: {self.status}"
