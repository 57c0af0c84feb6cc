"""The catalog as a report save reads it: ids by code, and which entries are retired."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from outcomes.catalog.models import catalog_visible
from outcomes.counts import ReportFigures
from outcomes.measures import MeasureValue
from outcomes.models import (
    Dimension,
    DimensionCategory,
    ExitReason,
    Intervention,
    Measure,
)
from outcomes.violations import UNKNOWN_CODE, RuleViolation, unknown_code


@dataclass
class ReportCatalog:
    """The catalog ids a report save looks codes up in, loaded once per association.

    An import of many reports passes one to :func:`report_save` so that the catalogs are read
    once for the whole import rather than once per report.
    """

    reasons: dict[str, int]
    categories: dict[tuple[str, str], int]
    #: The dimensions a save checks the sum rule for: the active ones that have it
    #: (:attr:`~outcomes.catalog.models.Dimension.has_sum_rule`), in catalog order.
    single_valued_dimensions: list[str]
    #: The Swedish label of each single-valued dimension, for the messages people read.
    dimension_labels: dict[str, str] = field(default_factory=dict)
    #: Retired exit reasons by code, with their labels.
    retired_reasons: dict[str, str] = field(default_factory=dict)
    #: Retired categories (or categories of a retired dimension) by ``(dimension, category)``,
    #: with the labels of the dimension and the category.
    retired_categories: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    #: Every exit reason's label by code, and every category's labels (the dimension's and its
    #: own) by ``(dimension, category)``, retired ones included: for the messages people read.
    reason_labels: dict[str, str] = field(default_factory=dict)
    category_labels: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    association_id: int | None = None
    _measures: dict[str, Measure] | None = None

    @property
    def measures(self) -> dict[str, Measure]:
        """The association's measures by code, retired ones included; read on first use, so a
        save without measures costs no query for them."""
        if self._measures is None:
            self._measures = {m.code: m for m in Measure.objects.filter(association_id=self.association_id)}
        return self._measures


def report_catalog(*, association_id: int) -> ReportCatalog:
    """The ids of every exit reason and dimension category of the association by code (retired
    ones included, and listed apart with their labels), and the codes of the dimensions whose sum
    rule a save checks: the active ones with :attr:`~outcomes.catalog.models.Dimension.has_sum_rule`
    (``NOT multi_valued``), in their catalog order. The one place that decides which dimensions
    a report save (form, API, import) checks.

    One query: every PUT reads the catalog, and three ORM queries were a sixth of its CPU time.
    """
    reason, category, dimension = ExitReason._meta.db_table, DimensionCategory._meta.db_table, Dimension._meta.db_table
    sql = (  # table names from the models, values as parameters
        f"SELECT 'r', code, '', id, 0, active, label_sv, '' FROM {reason} WHERE association_id = %s"
        " UNION ALL"
        f" SELECT 'c', d.code, c.code, c.id, 0, c.active AND d.active, c.label_sv, d.label_sv FROM {category} c"
        f" INNER JOIN {dimension} d ON d.id = c.dimension_id WHERE d.association_id = %s"
        " UNION ALL"
        f" SELECT 'd', code, '', id, position, active, label_sv, '' FROM {dimension}"
        " WHERE association_id = %s AND NOT multi_valued AND active"
        " ORDER BY 1, 5, 2"
    )
    catalog = ReportCatalog(reasons={}, categories={}, single_valued_dimensions=[], association_id=association_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, [association_id] * 3)
        for kind, code, subcode, pk, _position, active, label, dimension_label in cursor.fetchall():
            if kind == "r":
                catalog.reasons[code] = pk
                catalog.reason_labels[code] = label
                if not active:
                    catalog.retired_reasons[code] = label
            elif kind == "c":
                catalog.categories[(code, subcode)] = pk
                catalog.category_labels[(code, subcode)] = (dimension_label, label)
                if not active:
                    catalog.retired_categories[(code, subcode)] = (dimension_label, label)
            else:
                catalog.single_valued_dimensions.append(code)
                catalog.dimension_labels[code] = label
    return catalog


def report_codes_resolve(
    intervention: Intervention,
    figures: ReportFigures,
    catalog: ReportCatalog | None = None,
    stored: ReportFigures | None = None,
):
    """Map codes to catalog rows; unknown codes, and retired ones that the ``stored`` figures of
    the report do not already count, become violations (``unknown_code``, ``retired_reason``,
    ``retired_category``). A report keeps the retired entries it counted before it was retired
    (:func:`~outcomes.catalog.models.catalog_visible`)."""
    if catalog is None:
        catalog = report_catalog(association_id=intervention.association_id)
    reasons, categories = catalog.reasons, catalog.categories
    used_reasons = set(stored.exits_by_reason) if stored else set()
    used_categories = {(d, c) for d, cats in stored.breakdowns.items() for c in cats} if stored else set()
    violations = []
    for index, code in enumerate(figures.exits_by_reason):
        if code not in reasons:
            violations.append(unknown_code(f"exits[{index}].reason", _("Okänd avslutsorsak ”%(code)s”."), code))
        elif not catalog_visible(active=code not in catalog.retired_reasons, used=code in used_reasons):
            violations.append(
                RuleViolation(
                    "retired_reason",
                    f"exits[{index}].reason",
                    _("Avslutsorsaken ”%(label)s” har utgått och kan inte användas i nya rapporter.")
                    % {"label": catalog.retired_reasons[code]},
                )
            )
    index = 0
    for dimension, cats in figures.breakdowns.items():
        for category in cats:
            if (dimension, category) not in categories:
                violations.append(
                    RuleViolation(
                        UNKNOWN_CODE,
                        f"breakdowns[{index}].category",
                        _("Okänd kategori ”%(category)s” i bakgrundsvariabeln ”%(dimension)s”.")
                        % {"category": category, "dimension": dimension},
                    )
                )
            elif not catalog_visible(
                active=(dimension, category) not in catalog.retired_categories,
                used=(dimension, category) in used_categories,
            ):
                dimension_label, label = catalog.retired_categories[(dimension, category)]
                violations.append(
                    RuleViolation(
                        "retired_category",
                        f"breakdowns[{index}].category",
                        _(
                            "Kategorin ”%(category)s” i bakgrundsvariabeln ”%(dimension)s” har utgått och kan "
                            "inte användas i nya rapporter."
                        )
                        % {"category": label, "dimension": dimension_label},
                    )
                )
            index += 1
    return reasons, categories, violations


def report_measures_resolve(
    intervention: Intervention,
    rows: dict[str, dict[str, int]],
    catalog: ReportCatalog,
    stored: ReportFigures | None = None,
):
    """The measure rows of a report body (code to the keys given) as values by code, the measure
    ids by code, and the violations: an unknown code (``unknown_code``), a measure retired or
    not offered for the intervention's kind that the ``stored`` report did not already count
    (``retired_measure``, ``measure_not_offered``), gender keys on a total-only measure or a
    total that is not the genders' sum (``measure_split``)."""
    used = set(stored.measures) if stored else set()
    values, ids, violations = {}, {}, []
    for index, (code, row) in enumerate(rows.items()):
        where = f"measures[{index}]"
        measure = catalog.measures.get(code)
        if measure is None:
            violations.append(unknown_code(f"{where}.measure", _("Okänt mått ”%(code)s”."), code))
            continue
        if code not in used and not measure.active:
            violations.append(
                RuleViolation(
                    "retired_measure",
                    f"{where}.measure",
                    _("Måttet ”%(label)s” har utgått och kan inte användas i nya rapporter.")
                    % {"label": measure.label_sv},
                )
            )
        elif code not in used and not measure.offered_for(intervention.kind):
            violations.append(
                RuleViolation(
                    "measure_not_offered",
                    f"{where}.measure",
                    _("Måttet ”%(label)s” räknas inte för den här typen av insats.") % {"label": measure.label_sv},
                )
            )
        split_violation = _measure_split_violation(measure, row, where)
        if split_violation:
            violations.append(split_violation)
            continue
        values[code] = MeasureValue.of_split(measure.split, row)
        ids[code] = measure.pk
    return values, ids, violations


def _measure_split_violation(measure: Measure, row: dict[str, int], where: str) -> RuleViolation | None:
    genders = [g for g in ("women", "men", "other") if row.get(g) is not None]
    if measure.split == "total" and genders:
        return RuleViolation(
            "measure_split",
            f"{where}.{genders[0]}",
            _("Måttet ”%(label)s” räknas som ett totalt antal: ange total, inte kön.") % {"label": measure.label_sv},
        )
    if measure.split == "gender" and row.get("total") is not None:
        given = sum(row.get(g) or 0 for g in genders)
        if not genders or given != row["total"]:
            return RuleViolation(
                "measure_split",
                f"{where}.total",
                _("Måttet ”%(label)s” räknas per kön: ange kvinnor, män och annan/ej angivet.")
                % {"label": measure.label_sv},
            )
    return None
