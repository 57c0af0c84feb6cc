"""Plausible synthetic tally statistics that pass every counting rule.

Used by ``load_demo`` and by the national-scale benchmark seed. Each period's start is the previous
period's end; exits never exceed what is available; exits by reason and every single-valued
dimension add up to their totals per gender.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from outcomes.counts import GENDERS, Counts, ReportFigures

# How likely an exit is to each reason, roughly as in published annual reports.
REASON_WEIGHTS = {
    "employment": 10,
    "studies": 6,
    "job_seeking": 8,
    "other_self_support": 3,
    "joint_assessment": 4,
    "af_programme": 8,
    "municipal_labour": 6,
    "other_finsam": 2,
    "daily_activity": 2,
    "care": 6,
    "returned": 12,
    "dropped_out": 6,
    "other": 3,
    "moved": 2,
    "parental_leave": 1,
}


@dataclass(frozen=True)
class DimensionShape:
    code: str
    multi_valued: bool
    categories: tuple[str, ...]


def _spread(rng: random.Random, total: int, keys: Sequence[str], weights=None) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=weights, k=total):
        counts[key] += 1
    return counts


def spread_by_gender(rng: random.Random, totals: Counts, keys: Sequence[str], weights=None) -> dict[str, Counts]:
    """Spread each gender's total over ``keys``; the parts add up to ``totals`` exactly."""
    parts = {g: _spread(rng, getattr(totals, g), keys, weights) for g in GENDERS}
    return {k: Counts(*(parts[g][k] for g in GENDERS)) for k in keys}


def synthetic_periods(
    rng: random.Random,
    *,
    count: int,
    intake: tuple[int, int, int],
    reasons: Sequence[str],
    dimensions: Sequence[DimensionShape],
    spent_per_period: int,
) -> list[ReportFigures]:
    """``count`` consecutive base periods of figures, starting from nobody enrolled.

    ``intake`` is the typical number of new women, men and other per period. All-zero rows are
    left out of the breakdowns, as a coordinator would leave cells empty. A period spends up to
    ``spent_per_period`` (at most 80 000 kr less), so that periods of a year that are each given
    a share of its budget never take the year past it (the ``over_budget`` warning).
    """
    weights = [REASON_WEIGHTS.get(code, 1) for code in reasons]
    ongoing = Counts()
    result = []
    for _ in range(count):
        new = Counts(*(rng.randint(max(0, n - 2), n + 3) for n in intake))
        available = ongoing + new
        exits = Counts(*(rng.randint(0, max(0, getattr(available, g) * 2 // 5)) for g in GENDERS))
        breakdowns = {}
        for dimension in dimensions:
            if dimension.multi_valued:
                parts = {c: Counts(*(rng.randint(0, getattr(new, g)) for g in GENDERS)) for c in dimension.categories}
            else:
                parts = spread_by_gender(rng, new, dimension.categories)
            breakdowns[dimension.code] = {c: v for c, v in parts.items() if v.total}
        by_reason = spread_by_gender(rng, exits, reasons, weights)
        result.append(
            ReportFigures(
                ongoing_at_start=ongoing,
                new=new,
                exits=exits,
                exits_by_reason={c: v for c, v in by_reason.items() if v.total},
                breakdowns=breakdowns,
                spent_sek=max(0, spent_per_period - 40_000 + rng.randint(-40_000, 40_000)),
            )
        )
        ongoing = available - exits
    return result
