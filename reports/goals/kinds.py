"""The goal-kind registry: everything that differs between kinds of goal, in one table.

Each :class:`GoalKindRule` declares whether the kind is a share (a target in percent, shown as
"45 % (5/11)") or a count, whether its yearly target is pro-rated for shorter periods, which
figures it reads (the intervention's step definition, its own reasons, the surveys), its input
check (:mod:`reports.goals.checks`) and its evaluator (:mod:`reports.goals.evaluation`). The codes
are the API contract's and the stored ``Goal.kind`` values (:class:`reports.goals.models.GoalKind`).

A new kind is a new :class:`~reports.goals.models.GoalKind` choice, an entry in :data:`KINDS` and an
evaluator (plus a check when it has fields of its own, and its form field).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from outcomes.measures import ACTIVITY_COUNTS, FLOW
from outcomes.periods import Period
from reports import shares
from reports.goals import checks, evaluation
from reports.goals.evaluation import Evaluation, GoalSpec, PeriodInputs
from reports.goals.models import Comparator, GoalKind

#: Count measures whose yearly target is pro-rated: flows (new participants, exits) accumulate
#: over the year. Participants during the period start from the stock at the beginning of the
#: year, so that target is not pro-rated. Activity counts and flow measures of the catalog are
#: pro-rated too; stock measures are not.
PRO_RATED_MEASURES = frozenset({"new", "exits"})


@dataclass(frozen=True)
class GoalKindRule:
    code: str
    #: A share has a target in percent (at most 100) and is shown as "45 % (5/11)"; else a count.
    is_share: bool
    evaluate: Callable[[GoalSpec, PeriodInputs, Decimal], Evaluation]
    check: Callable = checks.no_kind_check
    #: Whether a yearly target applies pro-rated to a shorter period, given the goal.
    pro_rated: Callable[[GoalSpec], bool] = lambda spec: False
    #: Reads the intervention's step definition (rather than reasons of its own).
    uses_step_rule: bool = False
    #: Reads its own counted and excluded reasons (``Goal.reasons``, ``Goal.excluded_reasons``).
    uses_own_reasons: bool = False
    #: Reads the indicator surveys.
    uses_surveys: bool = False
    #: Reads the intervention's yearly budget.
    uses_budget: bool = False
    #: The target may be over 100 (a share of money spent can be).
    target_above_100: bool = False


KINDS: dict[str, GoalKindRule] = {
    rule.code: rule
    for rule in (
        GoalKindRule(
            GoalKind.STEP_PROGRESSION, is_share=True, evaluate=evaluation.evaluate_exit_share, uses_step_rule=True
        ),
        GoalKindRule(
            GoalKind.SHARE_OF_EXITS,
            is_share=True,
            evaluate=evaluation.evaluate_exit_share,
            check=checks.exit_share_check,
            uses_own_reasons=True,
        ),
        GoalKindRule(
            GoalKind.COUNT,
            is_share=False,
            evaluate=evaluation.evaluate_count,
            check=checks.count_check,
            pro_rated=lambda spec: (
                spec.measure in PRO_RATED_MEASURES
                or spec.measure in ACTIVITY_COUNTS
                or spec.measure_aggregation == FLOW
            ),
        ),
        GoalKindRule(
            GoalKind.INDICATOR,
            is_share=True,
            evaluate=evaluation.evaluate_indicator,
            check=checks.indicator_check,
            uses_surveys=True,
        ),
        GoalKindRule(
            GoalKind.BUDGET,
            is_share=True,
            evaluate=evaluation.evaluate_budget,
            pro_rated=lambda spec: True,
            uses_budget=True,
            target_above_100=True,
        ),
        GoalKindRule(
            GoalKind.MEASURE_SHARE,
            is_share=True,
            evaluate=evaluation.evaluate_measure_share,
            check=checks.measure_share_check,
        ),
    )
}


def kind_rule(code: str) -> GoalKindRule:
    """The registry entry of ``code``; ValueError for a kind that is not registered."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown goal kind {code!r}") from None


def kinds_where(predicate: Callable[[GoalKindRule], bool]) -> list[str]:
    """The codes of the kinds whose rule satisfies ``predicate`` (``lambda k: k.uses_surveys``)."""
    return [code for code, rule in KINDS.items() if predicate(rule)]


def is_share(code: str) -> bool:
    """Whether goals of ``code`` are shares in percent (False for an unknown code)."""
    rule = KINDS.get(code)
    return bool(rule and rule.is_share)


def period_target(spec: GoalSpec, period: Period) -> Decimal:
    """The target that applies to ``period``.

    A kind whose target is pro-rated (new participants, exits, budget spent) gets its yearly
    target scaled by the months the period covers (at least 40 new in a year is at least 10 by the
    end of Q1); the others (shares, participants during the period) keep their target.
    """
    if not kind_rule(spec.kind).pro_rated(spec):
        return Decimal(spec.target)
    return evaluation.pro_rated(spec.target, period)


def evaluate(spec: GoalSpec, inputs: PeriodInputs, period: Period) -> Evaluation:
    """The result of the goal ``spec`` over ``period`` given that period's ``inputs``.

    No data (status ``no_data``, no value) when a share's denominator is zero, when a count or
    budget goal has no counted report in the period, when there is no budget, and when an
    indicator goal has no survey. ValueError for an unknown kind.
    """
    return kind_rule(spec.kind).evaluate(spec, inputs, period_target(spec, period))


def target_number(kind: str, target, *, decimal_comma: bool = False, percent_sign: str = " %") -> str:
    """A target's number as it reads: "50 %" for a share, "30" for a count goal.

    ``target`` is shown as :func:`reports.shares.json_number` shows it; ``decimal_comma`` writes
    "12,5"; ``percent_sign`` is what follows a share's number.
    """
    number = shares.json_number(target) if isinstance(target, Decimal) else target
    # for people a decimal comma and grouped thousands: "minst 2 500", "minst 12,5 %"
    number = shares.swedish_number(number, grouped=True) if decimal_comma else str(number)
    return f"{number}{percent_sign if is_share(kind) else ''}"


def target_text(kind: str, comparator: str, target, *, decimal_comma: bool = False) -> str:
    """How a target reads in Swedish: "minst 50 %", "högst 12 %" or "minst 30" (a count goal),
    the number as :func:`target_number` writes it."""
    word = (Comparator.AT_MOST if comparator == shares.AT_MOST else Comparator.AT_LEAST).label
    return f"{word} {target_number(kind, target, decimal_comma=decimal_comma)}"
