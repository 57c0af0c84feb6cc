"""Period reports: the tally statistics of one intervention for one base period.

Storage: one row per report with the participant stocks and flows as nine integer columns
(ongoing at start, new and exits, each for women, men and other), and one row per exit reason and
per dimension category that has counts. This keeps every count a plain integer column, so a
summary over any number of reports and interventions is a single ``SUM … GROUP BY`` in the
database instead of JSON to unpack in Python, and catalog entries are real foreign keys that
cannot be deleted while counts refer to them."""

from django.db import connection, models
from django.db.models import Max, Min, Prefetch, Sum
from django.utils.translation import gettext_lazy as _

from outcomes.catalog.models import (
    Dimension,
    DimensionCategory,
    ExitReason,
    Measure,
    MeasureAggregation,
    MeasureSplit,
    catalog_link,
)
from outcomes.counts import GENDER_LABELS, GENDERS, Counts, ReportFigures
from outcomes.measures import MeasureValue
from outcomes.model_bases import ChangeRecord, PeriodRecord
from outcomes.organisations.models import intervention_link
from outcomes.periods import Period
from outcomes.validators import validate_no_personal_data


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("utkast")
    SUBMITTED = "submitted", _("inskickad")
    APPROVED = "approved", _("godkänd")


COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


STOCK_AND_FLOWS = ("ongoing_start", "new", "exits")


class GenderCounts(models.Model):
    women = models.PositiveIntegerField(GENDER_LABELS["women"], default=0)
    men = models.PositiveIntegerField(GENDER_LABELS["men"], default=0)
    other = models.PositiveIntegerField(GENDER_LABELS["other"], default=0)

    class Meta:
        abstract = True

    @property
    def counts(self) -> Counts:
        return Counts(self.women, self.men, self.other)


class PeriodReportQuerySet(models.QuerySet):
    def counted(self, *, include_drafts: bool = False):
        """Reports that count in results: submitted and approved, plus drafts when asked for."""
        if include_drafts:
            return self
        return self.filter(status__in=COUNTED_STATUSES)

    def within(self, period: Period):
        """Reports whose base period lies inside ``period``."""
        return self.filter(period_start__gte=period.start, period_end__lte=period.end)

    def with_rows(self):
        """The reports with their rows by reason, category and measure, for :meth:`PeriodReport.figures`
        of many reports without a query each."""
        return self.prefetch_related(
            Prefetch("exit_counts", queryset=ExitCount.objects.select_related("reason")),
            Prefetch("breakdown_counts", queryset=BreakdownCount.objects.select_related("category__dimension")),
            Prefetch("measure_counts", queryset=MeasureCount.objects.select_related("measure")),
        )

    def period_totals(self, period: Period) -> list[dict]:
        """Stock-and-flow totals per intervention over ``period``, computed in the database.

        Answers one dict per intervention, by intervention id, with ``reports`` (how many base
        reports were found), ``ongoing_start_*`` (from the earliest base report inside the
        period), and the sums of ``new_*``, ``exits_*`` and ``spent_sek``. An intervention with
        no reports in the period has no row. The same rule as :func:`outcomes.counts.combine`, in
        SQL. Two queries, whatever the number of interventions: the sums with each
        intervention's first start date, then the starting stocks of those first reports (a
        correlated subquery per intervention and gender was the slowest part of a national
        summary).
        """
        rows = self.within(period)
        sums = {f"{kind}_{g}": Sum(f"{kind}_{g}") for kind in ("new", "exits") for g in GENDERS}
        totals = list(
            rows.values("intervention")
            .annotate(reports=models.Count("id"), spent_sek=Sum("spent_sek"), first_start=Min("period_start"), **sums)
            .order_by("intervention")
        )
        firsts = {row["first_start"] for row in totals}
        starts = {
            (row["intervention"], row["period_start"]): row
            for row in rows.filter(period_start__in=firsts)
            .values("intervention", "period_start", *(f"ongoing_start_{g}" for g in GENDERS))
            .order_by()
        }
        for row in totals:
            first = starts[(row["intervention"], row.pop("first_start"))]
            row.update({f"ongoing_start_{g}": first[f"ongoing_start_{g}"] for g in GENDERS})
        return totals


class PeriodReport(PeriodRecord):
    """All counts of one intervention for one base period (pinnstatistik för perioden).

    ``version`` grows by one with every saved change and guards against lost updates. An approved
    report is locked until staff reopen it. Exits are entered as totals per gender and broken
    down by reason in :class:`ExitCount`; the sum rule between them is checked by
    :mod:`outcomes.tallies.rules`, not by the database, because a draft may break it.
    """

    intervention = intervention_link("reports", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    ongoing_start_women = models.PositiveIntegerField(_("pågående vid start, kvinnor"), default=0)
    ongoing_start_men = models.PositiveIntegerField(_("pågående vid start, män"), default=0)
    ongoing_start_other = models.PositiveIntegerField(_("pågående vid start, annan/ej angivet"), default=0)
    new_women = models.PositiveIntegerField(_("nya, kvinnor"), default=0)
    new_men = models.PositiveIntegerField(_("nya, män"), default=0)
    new_other = models.PositiveIntegerField(_("nya, annan/ej angivet"), default=0)
    exits_women = models.PositiveIntegerField(_("avslutade, kvinnor"), default=0)
    exits_men = models.PositiveIntegerField(_("avslutade, män"), default=0)
    exits_other = models.PositiveIntegerField(_("avslutade, annan/ej angivet"), default=0)

    spent_sek = models.PositiveBigIntegerField(_("förbrukat (kr)"), default=0)
    comment = models.TextField(_("kommentar"), blank=True, validators=[validate_no_personal_data])

    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = PeriodReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodrapport")
        verbose_name_plural = _("periodrapporter")
        ordering = ["intervention", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "period"], name="one_report_per_period"),
        ]
        indexes = [
            models.Index(fields=["intervention", "period_start", "period_end"], name="report_period_idx"),
            models.Index(fields=["status", "period_start"], name="report_status_idx"),
        ]

    def __str__(self):
        return f"{self.intervention} {self.period}"

    @classmethod
    def from_db(cls, db, field_names, values):
        report = super().from_db(db, field_names, values)
        report.stored_status = report.__dict__.get("status")
        return report

    #: The status the database holds for this report, as last read or saved (``None``: not known).
    stored_status = None

    @property
    def was_or_is_counted(self) -> bool:
        """Whether the report counts in summaries now or did as stored: a draft that was a draft
        (or is new) changes nothing counted when saved."""
        return self.status != ReportStatus.DRAFT or self.stored_status not in (None, ReportStatus.DRAFT)

    @property
    def base_period(self) -> Period:
        return Period.parse(self.period)

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED

    def _counts(self, prefix: str) -> Counts:
        return Counts(*(getattr(self, f"{prefix}_{g}") for g in GENDERS))

    def _set_counts(self, prefix: str, counts: Counts) -> None:
        for g in GENDERS:
            setattr(self, f"{prefix}_{g}", getattr(counts, g))

    ongoing_at_start = property(
        lambda self: self._counts("ongoing_start"), lambda self, c: self._set_counts("ongoing_start", c)
    )
    new = property(lambda self: self._counts("new"), lambda self, c: self._set_counts("new", c))
    exits = property(lambda self: self._counts("exits"), lambda self, c: self._set_counts("exits", c))

    def _rows(self, name: str, related: str):
        manager = getattr(self, name)
        if name in getattr(self, "_prefetched_objects_cache", {}):
            return manager.all()
        return manager.select_related(related)

    def figures(self) -> ReportFigures:
        """The report as :class:`~outcomes.counts.ReportFigures` (prefetch the counts for lists;
        without a prefetch its rows are read in one query)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if not any(name in prefetched for name in ("breakdown_counts", "exit_counts", "measure_counts")):
            return self._figures_read()
        breakdowns: dict[str, dict[str, Counts]] = {}
        for row in self._rows("breakdown_counts", "category__dimension"):
            breakdowns.setdefault(row.category.dimension.code, {})[row.category.code] = row.counts
        return self._figures_of(
            exits_by_reason={row.reason.code: row.counts for row in self._rows("exit_counts", "reason")},
            breakdowns=breakdowns,
            measures={row.measure.code: row.value for row in self._rows("measure_counts", "measure")},
        )

    def _figures_of(self, *, exits_by_reason, breakdowns, measures) -> ReportFigures:
        return ReportFigures(
            ongoing_at_start=self.ongoing_at_start,
            new=self.new,
            exits=self.exits,
            exits_by_reason=exits_by_reason,
            breakdowns=breakdowns,
            spent_sek=self.spent_sek,
            measures=measures,
        )

    def _figures_read(self) -> ReportFigures:
        """:meth:`figures` with the rows by reason, by category and of measures in one query
        (three were a tenth of a report PUT's queries), each kind in the order it was stored."""
        table = {model: model._meta.db_table for model in (ExitCount, BreakdownCount, MeasureCount)}
        reason, category = ExitReason._meta.db_table, DimensionCategory._meta.db_table
        dimension, measure = Dimension._meta.db_table, Measure._meta.db_table
        sql = (  # table names from the models, the report's id as a parameter
            f"SELECT 'r', r.code, '', x.id, x.women, x.men, x.other, 0, '' FROM {table[ExitCount]} x"
            f" INNER JOIN {reason} r ON r.id = x.reason_id WHERE x.report_id = %s"
            " UNION ALL"
            f" SELECT 'c', d.code, c.code, x.id, x.women, x.men, x.other, 0, '' FROM {table[BreakdownCount]} x"
            f" INNER JOIN {category} c ON c.id = x.category_id INNER JOIN {dimension} d ON d.id = c.dimension_id"
            " WHERE x.report_id = %s"
            " UNION ALL"
            f" SELECT 'm', m.code, '', x.id, x.women, x.men, x.other, x.total, m.split FROM {table[MeasureCount]} x"
            f" INNER JOIN {measure} m ON m.id = x.measure_id WHERE x.report_id = %s"
            " ORDER BY 1, 4"
        )
        exits_by_reason, breakdowns, measures = {}, {}, {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.pk] * 3)
            for kind, code, subcode, _pk, women, men, other, total, split in cursor.fetchall():
                if kind == "r":
                    exits_by_reason[code] = Counts(women, men, other)
                elif kind == "c":
                    breakdowns.setdefault(code, {})[subcode] = Counts(women, men, other)
                else:
                    row = {"women": women, "men": men, "other": other, "total": total}
                    measures[code] = MeasureValue.of_split(split, row)
        return self._figures_of(exits_by_reason=exits_by_reason, breakdowns=breakdowns, measures=measures)


class ExitCount(GenderCounts):
    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="exit_counts")
    reason = catalog_link(ExitReason, _("avslutsorsak"), related_name="counts")

    class Meta:
        verbose_name = verbose_name_plural = _("avslutade per orsak")
        constraints = [models.UniqueConstraint(fields=["report", "reason"], name="one_count_per_reason")]

    def __str__(self):
        return f"{self.report}: {self.reason_id} {self.counts}"


class BreakdownCount(GenderCounts):
    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="breakdown_counts")
    category = catalog_link(DimensionCategory, _("kategori"), related_name="counts")

    class Meta:
        verbose_name = verbose_name_plural = _("nya per bakgrundskategori")
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="one_count_per_category")]

    def __str__(self):
        return f"{self.report}: {self.category_id} {self.counts}"


class MeasureCountQuerySet(models.QuerySet):
    def period_totals(self, period: Period) -> dict[int, dict[str, MeasureValue]]:
        """Each intervention's measures over ``period`` (rows of the reports inside it), by
        intervention id and measure code: flows summed, stocks the latest base period's value, a
        measure no report gave left out (blank). The rule of
        :func:`outcomes.measures.aggregate_measure`, in SQL: two queries whatever the number of
        interventions (the sums with each measure's latest period, then the latest rows of stocks).
        """
        rows = self.filter(report__period_start__gte=period.start, report__period_end__lte=period.end)
        grouped = list(
            rows.values("report__intervention", "measure__code", "measure__split", "measure__aggregation")
            .annotate(latest=Max("report__period_start"), **{k: Sum(k) for k in (*GENDERS, "total")})
            .order_by()
        )
        stocks = [row for row in grouped if row["measure__aggregation"] == MeasureAggregation.LAST]
        latest = {}
        if stocks:
            latest = {
                (row["report__intervention"], row["measure__code"], row["report__period_start"]): row
                for row in rows.filter(
                    measure__aggregation=MeasureAggregation.LAST,
                    report__period_start__in={row["latest"] for row in stocks},
                )
                .values("report__intervention", "measure__code", "report__period_start", *GENDERS, "total")
                .order_by()
            }
        result: dict[int, dict[str, MeasureValue]] = {}
        for row in grouped:
            source = row
            if row["measure__aggregation"] == MeasureAggregation.LAST:
                source = latest[(row["report__intervention"], row["measure__code"], row["latest"])]
            result.setdefault(row["report__intervention"], {})[row["measure__code"]] = MeasureValue.of_split(
                row["measure__split"], source
            )
        return result


class MeasureCount(GenderCounts):
    """One counted measure of one report. A ``gender`` measure fills the three gender columns
    (``total`` is their sum, kept so that sums need no arithmetic); a ``total`` measure only
    ``total``. A measure the report left out has no row: blank, not zero."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="measure_counts")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="counts", verbose_name=_("mått"))
    total = models.PositiveIntegerField(_("totalt"), default=0)

    objects = MeasureCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("övrigt mått")
        verbose_name_plural = _("övriga mått")
        constraints = [models.UniqueConstraint(fields=["report", "measure"], name="one_count_per_measure")]

    def __str__(self):
        return f"{self.report}: {self.measure_id} {self.total}"

    @property
    def value(self) -> MeasureValue:
        if self.measure.split == MeasureSplit.GENDER:
            return MeasureValue(counts=self.counts)
        return MeasureValue(only_total=self.total)


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


class ReportHistory(ChangeRecord):
    """One change of one report: a value (``field``: ``new.women``, ``exits_by_reason.work.men``,
    ``breakdowns.age_band.a16_29.other``, ``spent_sek``, ``comment``) or the status.

    ``old`` is empty when the report was created by the change. ``reason`` holds the written
    reason for a reopen. ``version`` is the report's version after the change.
    """

    report = models.ForeignKey(
        PeriodReport, on_delete=models.PROTECT, related_name="history", verbose_name=_("periodrapport")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=HistoryKind.choices)
    field = models.CharField(_("fält"), max_length=200)
    reason = models.TextField(_("motivering"), blank=True, validators=[validate_no_personal_data])
    version = models.PositiveIntegerField(_("version"))

    objects = ReportHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("rapporthistorik")
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

    intervention = intervention_link("overdue_reminders")
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
