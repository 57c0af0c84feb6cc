"""Breakdown tables: new participants per dimension and exits per reason, with each count's share
of its gender's column, for one intervention (:func:`reports.summaries.selectors.intervention_detail`)
or every row of a summary at once (:func:`summary_breakdowns`, for the annual report)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from outcomes.counts import GENDERS, ZERO, Counts
from outcomes.models import Dimension, ExitReason
from outcomes.tallies.selectors import breakdowns_many
from reports.shares import Share


@dataclass
class BreakdownRow:
    code: str
    label: str
    counts: Counts
    shares: dict[str, Share]


@dataclass
class BreakdownTable:
    """Counts per category and gender, with each category's share of the gender's column total.

    ``base`` is the column total the shares are taken of (new participants for dimensions, exits
    for exit reasons). ``has_sum_rule`` is the dimension's
    (:attr:`~outcomes.catalog.models.Dimension.has_sum_rule`; exits by reason always add up to the
    exits): without it the shares may add up to more than 100 %.
    """

    code: str
    title: str
    rows: list[BreakdownRow]
    base: Counts
    has_sum_rule: bool = True

    @classmethod
    def build(
        cls, *, code, title, entries: Iterable[tuple[str, str]], counts: dict[str, Counts], base, has_sum_rule=True
    ):
        rows = []
        for entry_code, label in entries:
            value = counts.get(entry_code, ZERO)
            rows.append(
                BreakdownRow(
                    code=entry_code,
                    label=label,
                    counts=value,
                    shares={
                        **{g: Share(getattr(value, g), getattr(base, g)) for g in GENDERS},
                        "total": Share(value.total, base.total),
                    },
                )
            )
        return cls(code=code, title=title, rows=rows, base=base, has_sum_rule=has_sum_rule)


def breakdown_tables(
    *, dimensions: Iterable[Dimension], reasons: list[ExitReason], breakdowns: dict[str, dict[str, Counts]], current
) -> tuple[BreakdownTable, list[BreakdownTable]]:
    """The exits by reason and one table per dimension of ``current``'s new participants
    (``breakdowns``: counts by dimension and category code). Retired catalog entries are shown
    only when they have counts."""
    tables = []
    for dimension in dimensions:
        counts = breakdowns.get(dimension.code, {})
        if not dimension.is_visible(used=bool(counts)):
            continue
        entries = [(c.code, c.label_sv) for c in dimension.categories.all() if c.is_visible(used=c.code in counts)]
        tables.append(
            BreakdownTable.build(
                code=dimension.code,
                title=dimension.label_sv,
                entries=entries,
                counts=counts,
                base=current.new,
                has_sum_rule=dimension.has_sum_rule,
            )
        )
    exits = BreakdownTable.build(
        code="exits",
        title=_("Avslutsorsaker"),
        entries=[(r.code, r.label_sv) for r in reasons if r.is_visible(used=r.code in current.exits_by_reason)],
        counts=current.exits_by_reason,
        base=current.exits,
    )
    return exits, tables


def summary_breakdowns(summary) -> dict[int, tuple[BreakdownTable, list[BreakdownTable]]]:
    """:func:`breakdown_tables` of every row of a :class:`~reports.summaries.selectors.Summary`,
    by intervention id, from the rows' own figures and one query for every row's categories
    (as :func:`~reports.summaries.selectors.intervention_detail` builds them, one by one)."""
    dimensions = list(Dimension.objects.filter(association=summary.association).prefetch_related("categories"))
    counts = breakdowns_many(
        intervention_ids=[row.intervention.pk for row in summary.rows],
        period=summary.period,
        include_drafts=summary.include_drafts,
    )
    return {
        row.intervention.pk: breakdown_tables(
            dimensions=dimensions,
            reasons=summary.exit_reasons,
            breakdowns=counts.get(row.intervention.pk, {}),
            current=row.current,
        )
        for row in summary.rows
    }
