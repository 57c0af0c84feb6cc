"""Goal fulfilment as pure computation: no database, no clock.

Each goal kind's evaluator (registered in :mod:`reports.goals.kinds`) turns one goal's definition
and the figures of one period into a numerator, a denominator, the exact value, the rounded
percent and the light. The services feed them figures read from the database and store what they
answer; the goal page uses them for last year's comparison and the coordinator's preview with
drafts. Because they are pure functions, recomputing gives the same result however often it runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from outcomes.counts import Counts
from outcomes.periods import MONTH, Period
from outcomes.shares import round_half_up
from reports import shares


@dataclass(frozen=True)
class GoalSpec:
    """What an evaluator needs to know about a goal (no database rows)."""

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


def period_fraction_of_year(period: Period) -> Fraction:
    """How much of the year the period covers, in whole months (Q1 = 1/4, H2 = 1/2)."""
    return Fraction(period.last_month - period.first_month + 1, 12)


def pro_rated(target: Decimal, period: Period) -> Decimal:
    """A yearly ``target`` pro-rated by the months ``period`` covers, to the öre (half up)."""
    share = period_fraction_of_year(period)
    return round_half_up(Decimal(target) * share.numerator, share.denominator, "0.01")


def _share_result(share: shares.Share, spec: GoalSpec, target: Decimal) -> Evaluation:
    fraction = share.fraction
    status = shares.traffic_light(
        None if fraction is None else fraction * 100,
        target=target,
        comparator=spec.comparator,
        yellow_ratio=spec.yellow_ratio,
    )
    return Evaluation(share.numerator, share.denominator, share.value, share.percent, target, status)


def _no_data(target: Decimal) -> Evaluation:
    return Evaluation(None, None, None, None, target, shares.NO_DATA)


# --- the evaluators, one per goal kind (see reports.goals.kinds.KINDS) -------------------------
# Each answers the Evaluation of ``spec`` over a period given that period's ``inputs`` and the
# ``target`` that applies to the period. Shares compare the exact fraction with the target; the
# value is rounded only for showing.


def evaluate_exit_share(spec: GoalSpec, inputs: PeriodInputs, target: Decimal) -> Evaluation:
    """Step progression and share of exits: exits with a counted reason over the counted exits.

    No data when no exit is counted (a zero denominator).
    """
    by_reason = {code: counts.total for code, counts in (inputs.exits_by_reason or {}).items()}
    share = shares.share_of_exits(by_reason, spec.rule or shares.StepRule(frozenset()))
    return _share_result(share, spec, target)


def evaluate_indicator(spec: GoalSpec, inputs: PeriodInputs, target: Decimal) -> Evaluation:
    """The survey figure's share; no data without a survey for the period."""
    if inputs.survey is None:
        return _no_data(target)
    numerator, denominator = inputs.survey
    return _share_result(shares.Share(int(numerator), int(denominator)), spec, target)


def evaluate_budget(spec: GoalSpec, inputs: PeriodInputs, target: Decimal) -> Evaluation:
    """Spent over the year's budget; no data without a counted report or without a budget."""
    if not inputs.reports or not inputs.budget_sek:
        return _no_data(target)
    return _share_result(shares.Share(inputs.spent_sek, inputs.budget_sek), spec, target)


def evaluate_count(spec: GoalSpec, inputs: PeriodInputs, target: Decimal) -> Evaluation:
    """A number of people (``spec.measure``) against the target; no data without a counted report."""
    if not inputs.reports:
        return _no_data(target)
    count = {"participants": inputs.participants, "new": inputs.new, "exits": inputs.exits}[spec.measure]
    status = shares.traffic_light(count, target=target, comparator=spec.comparator, yellow_ratio=spec.yellow_ratio)
    return Evaluation(count, None, Decimal(count), None, target, status)


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
