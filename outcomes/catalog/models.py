"""Per-association catalogs: exit reasons, background dimensions and survey questions.

Entries are never deleted once counts refer to them (``PROTECT``); staff retire them instead
(``active = False``), which hides them from new entry while every earlier report keeps its counts.
Codes are stable identifiers used by the API; labels may be renamed freely."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outcomes.organisations.models import InterventionKind, association_link
from outcomes.validators import validate_no_personal_data


class CatalogQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_for(self, used):
        """The entries shown and offered where ``used`` are the entries already counted there:
        every active entry, and a retired one only when it is in ``used`` (ids, or a queryset of
        ids: what a report counts, a survey answers, a goal or step definition names), so that
        history keeps it and nothing new takes it up. :meth:`CatalogEntry.is_visible` is the
        same rule for an entry already loaded.
        """
        return self.filter(Q(active=True) | Q(pk__in=used))


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

    def is_visible(self, *, used: bool) -> bool:
        """:meth:`CatalogQuerySet.visible_for` for a loaded entry: whether it is shown where it is
        ``used`` (already counted) or not."""
        return catalog_visible(active=self.active, used=used)


def catalog_visible(*, active: bool, used: bool) -> bool:
    """Catalog visibility, the rule :meth:`CatalogQuerySet.visible_for` writes in SQL: an active
    entry is shown and offered; a retired one only where it is already used."""
    return active or used


def catalog_link(
    entry: type[models.Model], verbose_name, *, related_name: str, optional: bool = False
) -> models.ForeignKey:
    """The foreign key from counts (or a goal) to the catalog entry they refer to: ``PROTECT``, so
    an entry in use is retired, never deleted. ``optional`` for a reference that may be empty."""
    return models.ForeignKey(
        entry,
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class OutcomeClass(models.TextChoices):
    SELF_SUPPORT = "self_support", _("egen försörjning")
    CONTINUED_REHAB = "continued_rehab", _("fortsatt rehabilitering")
    CARE = "care", _("vård eller behandling")
    NO_STEP = "no_step", _("ingen stegförflyttning")
    EXCLUDED = "excluded", _("räknas inte")


class ExitReason(CatalogEntry):
    association = association_link("exit_reasons")
    outcome_class = models.CharField(_("utfallsklass"), max_length=20, choices=OutcomeClass.choices)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("avslutsorsak")
        verbose_name_plural = _("avslutsorsaker")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_exit_reason_code")]


class Dimension(CatalogEntry):
    """A background variable of new participants; a multi-valued one has no sum rule."""

    association = association_link("dimensions")
    multi_valued = models.BooleanField(
        _("flera värden per person"),
        default=False,
        help_text=_("En person kan räknas i flera kategorier; kategorierna behöver inte summera till nya."),
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("bakgrundsvariabel")
        verbose_name_plural = _("bakgrundsvariabler")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_dimension_code")]

    @property
    def has_sum_rule(self) -> bool:
        """Whether the categories must add up to the new participants, per gender (DOMAIN.md): every
        single-valued dimension; a multi-valued one counts a person in several categories. The
        forms, summaries and exports show the sum by it; a report save checks it for the active
        dimensions, :func:`outcomes.catalog.selectors.report_catalog` (in its SQL)."""
        return not self.multi_valued


class DimensionCategory(CatalogEntry):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="categories", verbose_name=_("bakgrundsvariabel")
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="unique_category_code")]


class RespondentGroup(models.TextChoices):
    PARTICIPANT_ONGOING = "participant_ongoing", _("pågående deltagare")
    PARTICIPANT_EXIT = "participant_exit", _("avslutade deltagare")
    STAFF = "staff", _("personal")
    MANAGERS = "managers", _("chefer hos parterna")
    BOARD = "board", _("styrelse")
    REFERRERS = "referrers", _("remittenter")


def respondent_group_field(*, blank: bool = False) -> models.CharField:
    """The respondent-group column of a question, a survey and an indicator goal (``blank`` for a
    goal, which has one only when it is an indicator goal)."""
    return models.CharField(_("respondentgrupp"), max_length=30, choices=RespondentGroup.choices, blank=blank)


class Scale(models.TextChoices):
    FREQUENCY6 = "frequency6", _("frekvens, sex steg")
    EXTENT6 = "extent6", _("omfattning, sex steg")
    YES_NO = "yes_no", _("ja/nej")


class SurveyIndicator(models.Model):
    """One of the national network's numbered indicators."""

    association = association_link("survey_indicators")
    number = models.PositiveSmallIntegerField(_("nummer"))
    label_sv = models.CharField(_("benämning"), max_length=400, validators=[validate_no_personal_data])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["association", "number"], name="unique_indicator_number")]

    def __str__(self):
        return f"{self.number}. {self.label_sv}"


class SurveyQuestion(CatalogEntry):
    association = association_link("survey_questions")
    group = respondent_group_field()
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

    association = association_link("measures")
    split = models.CharField(_("uppdelning"), max_length=10, choices=MeasureSplit.choices)
    aggregation = models.CharField(_("över längre perioder"), max_length=10, choices=MeasureAggregation.choices)
    kinds = models.JSONField(_("insatstyper"), default=list)

    class Meta(CatalogEntry.Meta):
        verbose_name = verbose_name_plural = _("mått")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="unique_measure_code")]

    def offered_for(self, kind: str) -> bool:
        return kind in (self.kinds or [])

    def clean(self):
        # None of them is refused as a blank field; a list of unknown kinds (or no list) here.
        kinds = self.kinds if isinstance(self.kinds, list) else None
        if kinds is None or not set(kinds) <= set(InterventionKind.values):
            raise ValidationError(
                {"kinds": ValidationError(_("Välj en eller flera av insatstyperna."), code="invalid_kinds")}
            )

    @property
    def kind_labels(self) -> str:
        """The intervention kinds it is offered for, as the catalog page lists them."""
        return ", ".join(str(label) for value, label in InterventionKind.choices if value in (self.kinds or []))

    get_kinds_display = kind_labels.fget  # the change log shows the kinds by their labels

    @property
    def in_use(self) -> bool:
        """Whether any report counts it or once did (its report history has a value of it): then
        its split and aggregation stay as they are (:func:`outcomes.catalog.services.catalog_entry_update`),
        so stored values and their history keep their meaning."""
        if self.pk is None:
            return False
        history = apps.get_model("outcomes", "ReportHistory").objects.filter(
            report__intervention__association_id=self.association_id, field__startswith=f"measures.{self.code}."
        )
        return self.counts.exists() or history.exists()
