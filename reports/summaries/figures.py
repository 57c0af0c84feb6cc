"""The figures of a summary row: one intervention's, or the sum of several, over one period.

:class:`Figures` holds the counts by gender, the exits by reason, the step progression and the
money; the derived figures (participants, ongoing at end, share spent, cost per participant)
are its properties, so every page, export and API answer derives them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from outcomes.counts import GENDERS, ZERO, Counts, StockAndFlow, sum_counts
from outcomes.shares import round_half_up
from reports.shares import Share

MEASURES = ("participants", "ongoing_at_start", "new", "exits", "ongoing_at_end")


def gender_shares(counts: Counts) -> dict[str, Share]:
    """Each gender's share of the total ("52 % (14/27)"); no data when the total is zero."""
    return {g: Share(getattr(counts, g), counts.total) for g in GENDERS}


@dataclass
class Figures(StockAndFlow):
    """The figures of one intervention (or the sum of several) over one period.

    ``budget_sek`` is the yearly budget of the period's year, ``None`` when none is set. The share
    spent and the cost per participant have no value when their denominator is zero or missing.
    """

    reports: int = 0
    ongoing_at_start: Counts = ZERO
    new: Counts = ZERO
    exits: Counts = ZERO
    exits_by_reason: dict[str, Counts] = field(default_factory=dict)
    step_progression: Share = Share(0, 0)
    budget_sek: int | None = None
    spent_sek: int = 0
    #: For totals: what the interventions that have a budget spent (the share's numerator).
    spent_within_budget_sek: int | None = None

    def measure(self, name: str) -> Counts:
        return getattr(self, name)

    @property
    def share_spent(self) -> Share | None:
        """Spent over the yearly budget; for totals only interventions with a budget count."""
        if not self.budget_sek:
            return None
        spent = self.spent_sek if self.spent_within_budget_sek is None else self.spent_within_budget_sek
        return Share(spent, self.budget_sek)

    @property
    def cost_per_participant_sek(self) -> int | None:
        """Spent divided by participants during the period, in whole kronor (half up)."""
        participants = self.participants.total
        if not participants:
            return None
        return int(round_half_up(self.spent_sek, participants))


def sum_figures(items: Iterable[Figures]) -> Figures:
    """Totals over interventions: counts, step numerators and denominators and money are summed."""
    items = list(items)
    reasons: dict[str, Counts] = {}
    for item in items:
        for code, counts in item.exits_by_reason.items():
            reasons[code] = reasons.get(code, ZERO) + counts
    budgets = [i.budget_sek for i in items if i.budget_sek is not None]
    return Figures(
        reports=sum(i.reports for i in items),
        ongoing_at_start=sum_counts(i.ongoing_at_start for i in items),
        new=sum_counts(i.new for i in items),
        exits=sum_counts(i.exits for i in items),
        exits_by_reason=reasons,
        step_progression=Share(
            sum(i.step_progression.numerator for i in items), sum(i.step_progression.denominator for i in items)
        ),
        budget_sek=sum(budgets) if budgets else None,
        spent_sek=sum(i.spent_sek for i in items),
        spent_within_budget_sek=sum(i.spent_sek for i in items if i.budget_sek is not None),
    )
