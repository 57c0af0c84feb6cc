"""Per-association catalogs: exit reasons, background dimensions and survey questions.

Entries are never deleted once counts refer to them (``PROTECT``); staff retire them instead
(``active = False``), which hides them from new entry while every earlier report keeps its counts.
Codes are stable identifiers used by the API; labels may be renamed freely."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.organisations.models import Association
from outcomes.validators import validate_no_personal_data


class CatalogQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class CatalogEntry(models.Model):
    code = models.SlugField(_("kod"), max_length=50)
    label_sv = models.CharField(_("benämning"), max_length=300, validators=[validate_no_personal_data])
    active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label_sv


class OutcomeClass(models.TextChoices):
    SELF_SUPPORT = "self_support", _("egen försörjning")
    CONTINUED_REHAB = "continued_rehab", _("fortsatt rehabilitering")
    CARE = "care", _("vård eller behandling")
    NO_STEP = "no_step", _("ingen stegförflyttning")
    EXCLUDED = "excluded", _("räknas inte")


class ExitReason(CatalogEntry):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="exit_reasons", verbose_name=_("förbund")
    )
    outcome_class = models.CharField(_("utfallsklass"), max_length=20, choices=OutcomeClass.choices)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("avslutsorsak")
        verbose_name_plural = _("avslutsorsaker")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_exit_reason_code")]


class Dimension(CatalogEntry):
    """A background variable of new participants; a multi-valued one has no sum rule."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("förbund")
    )
    multi_valued = models.BooleanField(
        _("flera värden per person"),
        default=False,
        help_text=_("En person kan räknas i flera kategorier; kategorierna behöver inte summera till nya."),
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("bakgrundsvariabel")
        verbose_name_plural = _("bakgrundsvariabler")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_dimension_code")]


class DimensionCategory(CatalogEntry):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="categories", verbose_name=_("bakgrundsvariabel")
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="unique_category_code")]


class SurveyIndicator(models.Model):
    """One of the national network's numbered indicators."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="survey_indicators", verbose_name=_("förbund")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    label_sv = models.CharField(_("benämning"), max_length=400, validators=[validate_no_personal_data])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["association", "number"], name="unique_indicator_number")]

    def __str__(self):
        return f"{self.number}. {self.label_sv}"


class RespondentGroup(models.TextChoices):
    PARTICIPANT_ONGOING = "participant_ongoing", _("pågående deltagare")
    PARTICIPANT_EXIT = "participant_exit", _("avslutade deltagare")
    STAFF = "staff", _("personal")
    MANAGERS = "managers", _("chefer hos parterna")
    BOARD = "board", _("styrelse")
    REFERRERS = "referrers", _("remittenter")


class Scale(models.TextChoices):
    FREQUENCY6 = "frequency6", _("frekvens, sex steg")
    EXTENT6 = "extent6", _("omfattning, sex steg")
    YES_NO = "yes_no", _("ja/nej")


class SurveyQuestion(CatalogEntry):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="survey_questions", verbose_name=_("förbund")
    )
    group = models.CharField(_("respondentgrupp"), max_length=30, choices=RespondentGroup.choices)
    number = models.PositiveSmallIntegerField(_("frågenummer"))
    indicator = models.PositiveSmallIntegerField(_("indikator"), null=True, blank=True)
    scale = models.CharField(_("skala"), max_length=20, choices=Scale.choices)
    label_sv = None
    text_sv = models.CharField(_("frågetext"), max_length=500, validators=[validate_no_personal_data])

    class Meta(CatalogEntry.Meta):
        verbose_name = _("enkätfråga")
        verbose_name_plural = _("enkätfrågor")
        ordering = ["group", "number"]
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_question_code")]

    def __str__(self):
        return f"{self.code}: {self.text_sv}"


class MeasureSplit(models.TextChoices):
    GENDER = "gender", _("per kön")
    TOTAL = "total", _("totalt")


class MeasureAggregation(models.TextChoices):
    SUM = "sum", _("summeras (flöde)")
    LAST = "last", _("senaste värdet (stock)")


class Measure(CatalogEntry):
    """A counted measure (*övrigt mått*) of the association's reports, beyond the participants.

    ``split`` says whether it is counted per gender or as one total, ``aggregation`` how base
    periods combine (:func:`outcomes.measures.aggregate_measure`), ``kinds`` which intervention
    kinds' reports offer it. A measure a report leaves out is blank there, not zero.
    """

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="measures", verbose_name=_("förbund")
    )
    split = models.CharField(_("uppdelning"), max_length=10, choices=MeasureSplit.choices)
    aggregation = models.CharField(_("över längre perioder"), max_length=10, choices=MeasureAggregation.choices)
    kinds = models.JSONField(_("insatstyper"), default=list)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("mått")
        verbose_name_plural = _("mått")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_measure_code")]

    def offered_for(self, kind: str) -> bool:
        return kind in (self.kinds or [])
