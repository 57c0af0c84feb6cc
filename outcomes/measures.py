"""Counted measures (*övriga mått*) and the activity figures of structural interventions, pure.

A measure is counted per gender (``split`` ``gender``) or as one number (``total``) in each base
period. Over a longer period a flow (``aggregation`` ``sum``) is the sum of the base periods that
reported it and a stock (``last``) the value of the latest base period that reported it. A
measure no base period reported is blank (``None``), never zero: summaries say "uppgift saknas".
No ORM, no settings; :func:`aggregate_measure` is the one place of that rule (in SQL:
``MeasureCount.objects.period_totals``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from outcomes.counts import GENDERS, ZERO, Counts
from outcomes.shares import round_half_up

SPLIT_GENDER = "gender"
SPLIT_TOTAL = "total"
SPLITS = (SPLIT_GENDER, SPLIT_TOTAL)

FLOW = "sum"
STOCK = "last"
AGGREGATIONS = (FLOW, STOCK)


@dataclass(frozen=True)
class MeasureValue:
    """One measure's value: ``counts`` per gender for a ``gender`` measure, or ``None`` and
    ``only_total`` for a ``total`` measure."""

    counts: Counts | None = None
    only_total: int = 0

    @classmethod
    def of_split(cls, split: str, data: Mapping[str, int | None]) -> MeasureValue:
        """The value of a row ``{"women", "men", "other"}`` or ``{"total"}`` for a measure of ``split``."""
        if split == SPLIT_GENDER:
            return cls(counts=Counts.from_mapping(data))
        return cls(only_total=int(data.get("total") or 0))

    @property
    def total(self) -> int:
        return self.counts.total if self.counts is not None else self.only_total

    @property
    def by_gender(self) -> bool:
        return self.counts is not None

    def __add__(self, other: MeasureValue) -> MeasureValue:
        if self.counts is not None and other.counts is not None:
            return MeasureValue(counts=self.counts + other.counts)
        return MeasureValue(only_total=self.total + other.total)

    def as_dict(self) -> dict[str, int | None]:
        """``{"women", "men", "other", "total"}``; the genders are ``None`` for a total measure."""
        genders = self.counts.as_dict() if self.counts is not None else dict.fromkeys(GENDERS)
        return {**genders, "total": self.total}

    def values(self) -> dict[str, int]:
        """The entered numbers by key (``women``, ``men``, ``other`` or ``total``)."""
        return self.counts.as_dict() if self.counts is not None else {"total": self.only_total}

    def negative_keys(self) -> list[str]:
        return [key for key, value in self.values().items() if value < 0]


def aggregate_measure(values: Sequence[MeasureValue | None], aggregation: str) -> MeasureValue | None:
    """One measure over a longer period from its base periods' values, in period order (``None``:
    the base period did not report it). A flow sums the reported values; a stock takes the latest
    reported one. ``None`` when no base period reported it."""
    reported = [v for v in values if v is not None]
    if not reported:
        return None
    if aggregation == STOCK:
        return reported[-1]
    total = reported[0]
    for value in reported[1:]:
        total = total + value
    return total


def combine_measures(
    base: Sequence[Mapping[str, MeasureValue]], aggregations: Mapping[str, str]
) -> dict[str, MeasureValue]:
    """Every measure over the longer period made of the ``base`` periods' measures (in period
    order); ``aggregations`` maps a code to ``sum`` or ``last`` (a code not in it is a flow)."""
    codes = sorted({code for values in base for code in values})
    combined = {}
    for code in codes:
        value = aggregate_measure([values.get(code) for values in base], aggregations.get(code, FLOW))
        if value is not None:
            combined[code] = value
    return combined


def sum_measures(items: Iterable[Mapping[str, MeasureValue]]) -> dict[str, MeasureValue]:
    """Measures summed over interventions (totals of a summary); blank where none reported."""
    totals: dict[str, MeasureValue] = {}
    for values in items:
        for code, value in values.items():
            totals[code] = totals[code] + value if code in totals else value
    return totals


@dataclass(frozen=True)
class ActivityFigures:
    """The activity log of a period summed: how many activities, occasions, attendees and
    exhibitors, and the evaluations' answers and positive answers."""

    count: int = 0
    occasions: int = 0
    attendees: int = 0
    exhibitors: int = 0
    evaluation_answered: int = 0
    evaluation_positive: int = 0
    attendees_by_gender: Counts = ZERO

    def __add__(self, other: ActivityFigures) -> ActivityFigures:
        return ActivityFigures(
            *(getattr(self, name) + getattr(other, name) for name in ACTIVITY_SUMS),
        )

    def cost_per_attendee_sek(self, spent_sek: int) -> int | None:
        """The period's spending per attendee (whole kronor, half up); ``None`` without attendees."""
        return int(round_half_up(spent_sek, self.attendees)) if self.attendees else None

    def count_of(self, name: str) -> int:
        """A count goal's figure: ``activities``, ``occasions``, ``attendees`` or ``exhibitors``."""
        return self.count if name == "activities" else getattr(self, name)


ACTIVITY_SUMS = (
    "count",
    "occasions",
    "attendees",
    "exhibitors",
    "evaluation_answered",
    "evaluation_positive",
    "attendees_by_gender",
)

#: What a structural intervention's ``count`` goal may count.
ACTIVITY_COUNTS = ("attendees", "activities", "occasions", "exhibitors")
