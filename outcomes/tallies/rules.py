"""The counting rules of a period report (DOMAIN.md), written once and called by forms, API and tasks.

Each rule has a stable English code (see :mod:`outcomes.violations`) and a Swedish message."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from outcomes.counts import GENDER_LABELS, GENDERS, Counts, ReportFigures, sum_counts
from outcomes.violations import NEGATIVE_COUNT, WARNING, RuleViolation

EXITS_SUM = "exits_sum"


DIMENSION_SUM = "dimension_sum"


NEGATIVE_ONGOING_AT_END = "negative_ongoing_at_end"


CONTINUITY = "continuity"


OVER_BUDGET = "over_budget"


UNUSUAL_VALUE = "unusual_value"

#: A value is unusual when it is more than this many times the largest value of the same field
#: in the intervention's earlier base-period reports ...
UNUSUAL_FACTOR = 3

#: ... and at least this large (so that 0 → 2 or 3 → 10 new participants, or 0 → 5 000 kr, are
#: not questioned): for a count, and for ``spent_sek`` in kronor.
UNUSUAL_FLOOR_COUNT = 10
UNUSUAL_FLOOR_SEK = 100_000


def _below_zero(counts: Counts) -> Iterator[tuple[str, int]]:
    """``(gender, count)`` for each gender whose count is negative."""
    for gender in GENDERS:
        if getattr(counts, gender) < 0:
            yield gender, getattr(counts, gender)


def _differing(expected: Counts, got: Counts) -> Iterator[tuple[str, int, int]]:
    """``(gender, expected, got)`` for each gender where ``got`` differs from ``expected``."""
    for gender in GENDERS:
        if getattr(expected, gender) != getattr(got, gender):
            yield gender, getattr(expected, gender), getattr(got, gender)


def _negative_counts(
    figures: ReportFigures,
    reason_labels: Mapping[str, str],
    category_labels: Mapping[tuple[str, str], tuple[str, str]],
    measure_labels: Mapping[str, str],
) -> list[RuleViolation]:
    """``negative_count`` for every count below zero, named by the labels people know (an entry
    missing from the labels by its code)."""
    found = []

    def check(field_name: str, label: str, counts: Counts) -> None:
        for gender, _count in _below_zero(counts):
            found.append(
                RuleViolation(
                    NEGATIVE_COUNT,
                    f"{field_name}.{gender}",
                    _("%(label)s (%(gender)s) får inte vara negativt.")
                    % {"label": label, "gender": GENDER_LABELS[gender]},
                )
            )

    check("ongoing_at_start", _("Pågående vid periodens början"), figures.ongoing_at_start)
    check("new", _("Nya deltagare"), figures.new)
    check("exits", _("Avslutade"), figures.exits)
    for reason, counts in figures.exits_by_reason.items():
        label = reason_labels.get(reason, reason)
        check(f"exits_by_reason.{reason}", _("Avslutade av orsak ”%(r)s”") % {"r": label}, counts)
    for dimension, categories in figures.breakdowns.items():
        for category, counts in categories.items():
            labels = category_labels.get((dimension, category), (dimension, category))
            check(
                f"breakdowns.{dimension}.{category}",
                _("Antal i ”%(d)s: %(c)s”") % {"d": labels[0], "c": labels[1]},
                counts,
            )
    for code, value in figures.measures.items():
        for key in value.negative_keys():
            found.append(
                RuleViolation(
                    NEGATIVE_COUNT,
                    f"measures.{code}.{key}",
                    _("Måttet ”%(m)s” (%(key)s) får inte vara negativt.")
                    % {"m": measure_labels.get(code, code), "key": GENDER_LABELS.get(key, _("totalt"))},
                )
            )
    if figures.spent_sek < 0:
        found.append(RuleViolation(NEGATIVE_COUNT, "spent_sek", _("Förbrukade medel får inte vara negativa.")))
    return found


def check_report(
    figures: ReportFigures,
    *,
    single_valued_dimensions: Iterable[str] = (),
    previous_ongoing_at_end: Counts | None = None,
    dimension_labels: Mapping[str, str] | None = None,
    reason_labels: Mapping[str, str] | None = None,
    category_labels: Mapping[tuple[str, str], tuple[str, str]] | None = None,
    measure_labels: Mapping[str, str] | None = None,
) -> list[RuleViolation]:
    """Every rule the figures of one base period break, errors first.

    ``single_valued_dimensions`` lists the dimensions whose categories must add up to the new
    participants (a multi-valued dimension has no sum rule; a dimension with no counts at all is
    treated as all zero, so it must still add up when there are new participants).
    ``previous_ongoing_at_end`` is the end of the base period before; a difference from this
    period's start is a warning, and with ``None`` (the first period) nothing is compared.
    ``dimension_labels`` gives each dimension's Swedish label for the messages (people never read
    a code such as ``age_band``); a dimension without one is named by its code. ``reason_labels``
    and ``category_labels`` (as :class:`~outcomes.catalog.selectors.ReportCatalog` has them) name
    the exit reasons and categories likewise in the messages about negative counts, and
    ``measure_labels`` the counted measures.
    """
    dimension_labels = dimension_labels or {}
    violations = _negative_counts(figures, reason_labels or {}, category_labels or {}, measure_labels or {})

    reasons_total = sum_counts(figures.exits_by_reason.values())
    for gender, expected, got in _differing(figures.exits, reasons_total):
        violations.append(
            RuleViolation(
                EXITS_SUM,
                f"exits.{gender}",
                _("Avslutade per orsak (%(gender)s) summerar till %(got)s men antalet avslutade är %(expected)s.")
                % {"gender": GENDER_LABELS[gender], "got": got, "expected": expected},
            )
        )

    for dimension in single_valued_dimensions:
        total = sum_counts(figures.breakdowns.get(dimension, {}).values())
        for gender, expected, got in _differing(figures.new, total):
            violations.append(
                RuleViolation(
                    DIMENSION_SUM,
                    f"breakdowns.{dimension}.{gender}",
                    _(
                        "Bakgrundsvariabeln ”%(dimension)s” (%(gender)s) summerar till %(got)s "
                        "men antalet nya deltagare är %(expected)s. Använd ”Uppgift saknas” "
                        "för dem du inte vet."
                    )
                    % {
                        "dimension": dimension_labels.get(dimension, dimension),
                        "gender": GENDER_LABELS[gender],
                        "got": got,
                        "expected": expected,
                    },
                )
            )

    for gender, end in _below_zero(figures.ongoing_at_end):
        violations.append(
            RuleViolation(
                NEGATIVE_ONGOING_AT_END,
                f"exits.{gender}",
                _(
                    "Pågående vid periodens slut (%(gender)s) blir %(end)s: fler avslutade än "
                    "pågående och nya tillsammans."
                )
                % {"gender": GENDER_LABELS[gender], "end": end},
            )
        )

    if previous_ongoing_at_end is not None:
        for gender, before, now in _differing(previous_ongoing_at_end, figures.ongoing_at_start):
            violations.append(
                RuleViolation(
                    CONTINUITY,
                    f"ongoing_at_start.{gender}",
                    _(
                        "Pågående vid periodens början (%(gender)s) är %(now)s, men "
                        "föregående period slutade med %(before)s."
                    )
                    % {"gender": GENDER_LABELS[gender], "now": now, "before": before},
                    severity=WARNING,
                )
            )
    return violations


def check_budget(*, year: int, budget_sek: int | None, year_spent_sek: int, spent_sek: int) -> list[RuleViolation]:
    """A warning (``over_budget``) when a period that spends something leaves the year's
    spending (``year_spent_sek``, this period included) above the year's budget.

    No budget for the year (``None``), or a period without spending, gives nothing: the warning
    belongs to the periods whose spending goes past the budget, not to every report of the year.
    """
    if budget_sek is None or spent_sek <= 0 or year_spent_sek <= budget_sek:
        return []
    return [
        RuleViolation(
            OVER_BUDGET,
            "spent_sek",
            _("Förbrukat under %(year)s blir %(spent)s kr, mer än årets budget på %(budget)s kr.")
            % {"year": year, "spent": _grouped(year_spent_sek), "budget": _grouped(budget_sek)},
            severity=WARNING,
        )
    ]


def checked_values(figures: ReportFigures) -> dict[str, int]:
    """The values the unusual-value rule compares, by history field key: new participants and
    exits per gender (``new.women``, ``exits.other``) and ``spent_sek``.

    Exits by reason and the categories are left out: they must add up to the exits and the new
    participants, so a slip in one breaks a sum rule (an error), and a rise in new participants
    would otherwise be questioned once more in every background variable. Ongoing at start is
    left out too: it continues from the period before (the continuity rule checks it), so a
    growing intervention's start would be questioned every period. So are the measures."""
    values = {
        f"{name}.{gender}": value
        for name in ("new", "exits")
        for gender, value in getattr(figures, name).as_dict().items()
    }
    values["spent_sek"] = figures.spent_sek
    return values


def check_unusual(
    values: Mapping[str, int], earlier_largest: Mapping[str, int] | None, labels: Mapping[str, str]
) -> list[RuleViolation]:
    """A warning (``unusual_value``, never a refusal) for each value far outside the
    intervention's own history: more than :data:`UNUSUAL_FACTOR` times the largest value of the
    same field in its earlier base-period reports, and at least the floor
    (:data:`UNUSUAL_FLOOR_COUNT`, :data:`UNUSUAL_FLOOR_SEK` for ``spent_sek``).

    ``values`` are this report's (:func:`checked_values`); ``earlier_largest`` the largest earlier
    value per field key, a field missing there never having been above 0, or ``None`` when the
    intervention has no earlier report (then nothing is unusual: there is nothing to compare
    with). ``labels`` name each field key for people (``new.women`` → "Nya deltagare, kvinnor").
    """
    if earlier_largest is None:
        return []
    found = []
    for key, value in values.items():
        largest = earlier_largest.get(key, 0)
        floor = UNUSUAL_FLOOR_SEK if key == "spent_sek" else UNUSUAL_FLOOR_COUNT
        if value >= floor and value > UNUSUAL_FACTOR * largest:
            found.append(
                RuleViolation(
                    UNUSUAL_VALUE,
                    key,
                    _(
                        "%(label)s: %(value)s är mer än tre gånger det största värdet i insatsens "
                        "tidigare rapporter (%(largest)s). Är detta rätt?"
                    )
                    % {"label": labels.get(key, key), "value": _grouped(value), "largest": _grouped(largest)},
                    severity=WARNING,
                )
            )
    return found


def _grouped(amount: int) -> str:
    return number_format(amount, force_grouping=True)


def normalised(figures: ReportFigures) -> ReportFigures:
    """Drop all-zero rows so that "left out" and "zero" compare equal."""
    return ReportFigures(
        ongoing_at_start=figures.ongoing_at_start,
        new=figures.new,
        exits=figures.exits,
        exits_by_reason={k: v for k, v in figures.exits_by_reason.items() if v.total or min(v.as_dict().values()) < 0},
        breakdowns={
            d: {c: v for c, v in cats.items() if v.total or min(v.as_dict().values()) < 0}
            for d, cats in figures.breakdowns.items()
            if any(v.total or min(v.as_dict().values()) < 0 for v in cats.values())
        },
        spent_sek=figures.spent_sek,
        measures=dict(figures.measures),
    )
