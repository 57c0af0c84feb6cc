"""Counts by gender and the stock-and-flow arithmetic of DOMAIN.md, written once.

Stocks and flows: over a period made of several base periods, *ongoing at start* is the first base
period's, *new* and *exits* are summed, *ongoing at end* = start + new − exits and *participants
during the period* = start + new. Summing the base periods' participants would count everyone who
stays for several periods more than once. Pure: no ORM, no Django settings (the labels are lazy translations)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

GENDERS = ("women", "men", "other")  # the fields of Counts, in this order


#: The one set of gender labels (lower case, as inside a sentence or after a comma); headings
#: and chart legends use ``capfirst`` of these.
GENDER_LABELS = {
    "women": gettext_lazy("kvinnor"),
    "men": gettext_lazy("män"),
    "other": gettext_lazy("annan/ej angivet"),
}

#: The same labels as column headings and chart legends ("Kvinnor").
GENDER_HEADINGS = {g: capfirst(label) for g, label in GENDER_LABELS.items()}


@dataclass(frozen=True)
class Counts:
    """A count split by gender. Missing genders are zero."""

    women: int = 0
    men: int = 0
    other: int = 0

    @classmethod
    def from_mapping(cls, data: Mapping[str, int] | None) -> Counts:
        data = data or {}
        return cls(**{g: int(data.get(g) or 0) for g in GENDERS})

    @property
    def total(self) -> int:
        return self.women + self.men + self.other

    # Spelled out rather than looped over GENDERS: summaries add and write out these by the
    # thousand (the summary API of 200 interventions), and the loop was most of that time.
    def __add__(self, other: Counts) -> Counts:
        return Counts(self.women + other.women, self.men + other.men, self.other + other.other)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.women - other.women, self.men - other.men, self.other - other.other)

    def as_dict(self, *, with_total: bool = False) -> dict[str, int]:
        data = {"women": self.women, "men": self.men, "other": self.other}
        if with_total:
            data["total"] = self.women + self.men + self.other
        return data


ZERO = Counts()


def ongoing_at_end_of(ongoing_at_start: Counts, new: Counts, exits: Counts) -> Counts:
    """Ongoing at the end of a period: ongoing at start plus new minus exits (per gender)."""
    return ongoing_at_start + new - exits


def participants_of(ongoing_at_start: Counts, new: Counts) -> Counts:
    """Participants during a period: ongoing at start plus new, never a sum of periods."""
    return ongoing_at_start + new


def sum_counts(items: Iterable[Counts]) -> Counts:
    total = ZERO
    for item in items:
        total = total + item
    return total


class StockAndFlow:
    """The derived stocks of anything with ``ongoing_at_start``, ``new`` and ``exits`` counts: a
    report's figures here, a summary row's in :mod:`reports.summaries.figures`."""

    ongoing_at_start: Counts
    new: Counts
    exits: Counts

    @property
    def ongoing_at_end(self) -> Counts:
        return ongoing_at_end_of(self.ongoing_at_start, self.new, self.exits)

    @property
    def participants(self) -> Counts:
        """Participants during the period: ongoing at start plus new, never a sum of periods."""
        return participants_of(self.ongoing_at_start, self.new)


@dataclass
class ReportFigures(StockAndFlow):
    """The counts of one base period, or of a longer period combined with :func:`combine`.

    ``exits_by_reason`` maps an exit-reason code to counts; ``breakdowns`` maps a dimension code to
    a mapping of category code to counts. Codes not present are zero.
    """

    ongoing_at_start: Counts = ZERO
    new: Counts = ZERO
    exits: Counts = ZERO
    exits_by_reason: dict[str, Counts] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, Counts]] = field(default_factory=dict)
    spent_sek: int = 0
    #: Counted measures by code (:class:`outcomes.measures.MeasureValue`); a code left out is blank.
    measures: dict = field(default_factory=dict)

    def count_rows(self) -> Iterator[tuple[tuple[str, ...], Counts]]:
        """Every count of the figures once, keyed by where it sits: ``("ongoing_at_start",)``,
        ``("new",)``, ``("exits",)``, ``("exits_by_reason", reason)`` and ``("breakdowns",
        dimension, category)``, in that order. Forms and history spell the keys their own way."""
        yield ("ongoing_at_start",), self.ongoing_at_start
        yield ("new",), self.new
        yield ("exits",), self.exits
        for reason, counts in self.exits_by_reason.items():
            yield ("exits_by_reason", reason), counts
        for dimension, categories in self.breakdowns.items():
            for category, counts in categories.items():
                yield ("breakdowns", dimension, category), counts


def combine(
    base_figures: Sequence[ReportFigures], measure_aggregations: Mapping[str, str] | None = None
) -> ReportFigures:
    """Combine base-period figures, in period order, into the figures of the longer period.

    The stock (ongoing at start) is the first base period's; flows, breakdowns and money are
    summed; measures follow their aggregation (``measure_aggregations``: code to ``sum`` or
    ``last``, :func:`outcomes.measures.combine_measures`). With no base figures at all the result
    is all zeros.
    """
    from outcomes.measures import combine_measures  # measures builds on Counts

    if not base_figures:
        return ReportFigures()
    exits_by_reason: dict[str, Counts] = {}
    breakdowns: dict[str, dict[str, Counts]] = {}
    for figures in base_figures:
        for reason, counts in figures.exits_by_reason.items():
            exits_by_reason[reason] = exits_by_reason.get(reason, ZERO) + counts
        for dimension, categories in figures.breakdowns.items():
            target = breakdowns.setdefault(dimension, {})
            for category, counts in categories.items():
                target[category] = target.get(category, ZERO) + counts
    return ReportFigures(
        ongoing_at_start=base_figures[0].ongoing_at_start,
        new=sum_counts(f.new for f in base_figures),
        exits=sum_counts(f.exits for f in base_figures),
        exits_by_reason=exits_by_reason,
        breakdowns=breakdowns,
        spent_sek=sum(f.spent_sek for f in base_figures),
        measures=combine_measures([f.measures for f in base_figures], measure_aggregations or {}),
    )
