"""Goal fulfilment as pure computation: no database, no clock.

:func:`evaluate` turns one goal's definition and the figures of one period into a numerator, a
denominator, the exact value, the rounded percent and the light. The services feed it figures
read from the database and store what it answers; the goal page uses it for last year's
comparison and the coordinator's preview with drafts. Because it is a pure function, recomputing
gives the same result however often it runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from outcomes.counts import Counts
from outcomes.periods import MONTH, Period
from reports import shares

STEP_PROGRESSION, SHARE_OF_EXITS, COUNT, INDICATOR, BUDGET = (
    "step_progression",
    "share_of_exits",
    "count",
    "indicator",
    "budget",
)
#: Goal kinds whose target is for the whole year and is pro-rated for shorter periods: flows
#: (new participants, exits) and money accumulate over the year. Participants during the period
#: start from the stock at the beginning of the year, so that target is not pro-rated.
PRO_RATED_MEASURES = frozenset({"new", "exits"})


@dataclass(frozen=True)
class GoalSpec:
    """What :func:`evaluate` needs to know about a goal (no database rows)."""

    kind: str
    target: Decimal
    comparator: str = shares.AT_LEAST
    yellow_ratio: Decimal = shares.DEFAULT_YELLOW_RATIO
    rule: shares.StepRule | None = None
    measure: str = ""


@dataclass(frozen=True)
class PeriodInputs:
    """The figures of one intervention and period that goals are evaluated on.

    ``reports`` is how many counted base reports were found: with none, a count or budget goal
    has no data (rather than a misleading zero). ``survey`` is the (numerator, denominator) of the
    indicator figure, or None without a survey.
    """

    reports: int = 0
    exits_by_reason: Mapping[str, Counts] | None = None
    participants: int = 0
    new: int = 0
    exits: int = 0
    spent_sek: int = 0
    budget_sek: int | None = None
    survey: tuple[int, int] | None = None


@dataclass(frozen=True)
class Evaluation:
    """One goal's result for one period: exactly what is stored and shown."""

    numerator: int | None
    denominator: int | None
    value: Decimal | None
    percent: int | None
    target: Decimal
    status: str

    @property
    def share(self) -> shares.Share | None:
        if self.numerator is None or self.denominator is None:
            return None
        return shares.Share(self.numerator, self.denominator)


def period_fraction_of_year(period: Period) -> Fraction:
    """How much of the year the period covers, in whole months (Q1 = 1/4, H2 = 1/2)."""
    return Fraction(period.last_month - period.first_month + 1, 12)


def period_target(spec: GoalSpec, period: Period) -> Decimal:
    """The target that applies to ``period``.

    Shares keep their target. A yearly target of new participants, exits or budget spent is
    pro-rated by the months the period covers (at least 40 new in a year is at least 10 by the
    end of Q1); a count of participants during the period is not, because it starts from the
    stock of people already enrolled.
    """
    prorate = spec.kind == BUDGET or (spec.kind == COUNT and spec.measure in PRO_RATED_MEASURES)
    if not prorate:
        return Decimal(spec.target)
    share = period_fraction_of_year(period)
    return (Decimal(spec.target) * share.numerator / share.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _share_result(share: shares.Share, spec: GoalSpec, target: Decimal) -> Evaluation:
    fraction = share.fraction
    status = shares.traffic_light(
        None if fraction is None else fraction * 100,
        target=target,
        comparator=spec.comparator,
        yellow_ratio=spec.yellow_ratio,
    )
    return Evaluation(share.numerator, share.denominator, share.value, share.percent, target, status)


def _no_data(target: Decimal, numerator=None, denominator=None) -> Evaluation:
    return Evaluation(numerator, denominator, None, None, target, shares.NO_DATA)


def evaluate(spec: GoalSpec, inputs: PeriodInputs, period: Period) -> Evaluation:
    """The result of the goal ``spec`` over ``period`` given that period's ``inputs``.

    Shares compare the exact fraction with the target; the value is rounded only for showing.
    No data (status ``no_data``, no value) when a share's denominator is zero, when a count or
    budget goal has no counted report in the period, when there is no budget, and when an
    indicator goal has no survey.
    """
    target = period_target(spec, period)
    if spec.kind in (STEP_PROGRESSION, SHARE_OF_EXITS):
        by_reason = {code: counts.total for code, counts in (inputs.exits_by_reason or {}).items()}
        return _share_result(shares.share_of_exits(by_reason, spec.rule or shares.StepRule(frozenset())), spec, target)
    if spec.kind == INDICATOR:
        if inputs.survey is None:
            return _no_data(target)
        numerator, denominator = inputs.survey
        return _share_result(shares.Share(int(numerator), int(denominator)), spec, target)
    if spec.kind == BUDGET:
        if not inputs.reports or not inputs.budget_sek:
            return _no_data(target)
        return _share_result(shares.Share(inputs.spent_sek, inputs.budget_sek), spec, target)
    if spec.kind == COUNT:
        if not inputs.reports:
            return _no_data(target)
        count = {"participants": inputs.participants, "new": inputs.new, "exits": inputs.exits}[spec.measure]
        status = shares.traffic_light(count, target=target, comparator=spec.comparator, yellow_ratio=spec.yellow_ratio)
        return Evaluation(count, None, Decimal(count), None, target, status)
    raise ValueError(f"unknown goal kind {spec.kind!r}")


def evaluated_periods(year: int, frequency: str) -> list[Period]:
    """The periods a goal of ``year`` gets a result for, without two of the same span.

    Quarterly: each quarter's year-to-date, each half-year and the year (year-to-date Q2 is the
    first half-year and year-to-date Q4 the year, so they are stored once, under H1 and the year).
    Monthly: each month's year-to-date the same way.
    """
    if frequency == MONTH:
        ytd = [Period(year, "YTDM", m) for m in range(1, 12) if m != 6]
    else:
        ytd = [Period(year, "YTDQ", q) for q in (1, 3)]
    periods = [*ytd, Period(year, "H", 1), Period(year, "H", 2), Period(year, "Y", 1)]
    return sorted(periods, key=lambda p: (p.end, p.start))


def periods_affected_by(base: Period, frequency: str) -> list[Period]:
    """The evaluated periods whose result can change when the report of ``base`` changes."""
    return [p for p in evaluated_periods(base.year, frequency) if p.contains(base)]
