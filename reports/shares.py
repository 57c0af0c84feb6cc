"""Shares, step progression and traffic lights: the goal arithmetic of DOMAIN.md, written once.

Goals, the summary page, its exports and the API all call these functions, so "45 % (5/11)" and
its light come out the same everywhere. Shares are computed and compared on exact fractions and
rounded to whole percents only for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils import numberformat
from django.utils.translation import gettext_lazy as _

from outcomes.shares import DEFAULT_YELLOW_RATIO, GREEN, NO_DATA, RED, YELLOW, Share, round_half_up

#: Outcome classes whose exit reasons count as a step unless an intervention says otherwise.
DEFAULT_STEP_CLASSES = frozenset({"self_support", "continued_rehab"})

STATUS_LABELS = {
    GREEN: _("Uppnått"),
    YELLOW: _("Delvis uppnått"),
    RED: _("Ej uppnått"),
    NO_DATA: _("Uppgift saknas"),
}
AT_LEAST, AT_MOST = "at_least", "at_most"


@dataclass(frozen=True)
class StepRule:
    """Which exit reasons count as a step, and which are left out of the denominator (by code)."""

    steps: frozenset[str]
    excluded: frozenset[str] = frozenset()


def default_step_rule(reasons: Iterable) -> StepRule:
    """The default step definition: reasons of the self-support and continued-rehab classes count.

    ``reasons`` are ExitReason rows (or anything with ``code`` and ``outcome_class``); nothing is
    excluded from the denominator by default.
    """
    return StepRule(steps=frozenset(r.code for r in reasons if r.outcome_class in DEFAULT_STEP_CLASSES))


def share_of_exits(exits_by_reason: Mapping[str, int], rule: StepRule) -> Share:
    """Exits with a reason in ``rule.steps`` over all exits whose reason is not excluded.

    ``exits_by_reason`` maps reason code to the number of exits (all genders). Reasons in both sets
    are treated as excluded; a period with no counted exits gives a zero denominator (no data).
    """
    denominator = sum(n for code, n in exits_by_reason.items() if code not in rule.excluded)
    numerator = sum(n for code, n in exits_by_reason.items() if code in rule.steps and code not in rule.excluded)
    return Share(numerator, denominator)


def traffic_light(
    value: Fraction | Decimal | int | None,
    *,
    target: Decimal | int,
    comparator: str = AT_LEAST,
    yellow_ratio: Decimal | float = DEFAULT_YELLOW_RATIO,
) -> str:
    """Green when the target is met; yellow when within the yellow ratio of it; red otherwise.

    ``value`` and ``target`` are in the same unit (percent for shares, a number for counts) and
    compared exactly. For an "at most" goal, yellow means exceeding the target by at most
    (1 - yellow_ratio), e.g. 20 %. No value gives ``no_data``.
    """
    if value is None:
        return NO_DATA
    value, target, ratio = Fraction(value), Fraction(target), Fraction(Decimal(str(yellow_ratio)))
    if comparator == AT_MOST:
        if value <= target:
            return GREEN
        return YELLOW if value <= target * (2 - ratio) else RED
    if value >= target:
        return GREEN
    return YELLOW if value >= target * ratio else RED


def swedish_number(value, *, grouped: bool = False) -> str:
    """A number as a Swedish document writes it, whatever the reader's language: decimal comma
    ("45,5"), and with ``grouped`` a non-breaking space between thousands ("2 403 500")."""
    if type(value) is int and (not grouped or -1000 < value < 1000):
        return str(value)  # what numberformat answers, without its work: most of a document's cells
    return numberformat.format(value, ",", grouping=3 if grouped else 0, thousand_sep="\u00a0", force_grouping=grouped)


def share_text_for_goal(share: Share, *, target, comparator: str = AT_LEAST) -> str:
    """ "45 % (5/11)" as :class:`Share` writes it, unless the whole percent would contradict the
    light: 100,09 % against "högst 100 %" is not green, so it reads "100,1 % (…)" (as many
    decimals as it takes to differ from the target, at most four). Counts are grouped."""
    if not share.denominator:
        return "–"
    exact = Fraction(share.numerator * 100, share.denominator)
    shown = Decimal(share.percent)
    for places in range(1, 5):
        met_exact = traffic_light(exact, target=target, comparator=comparator) == GREEN
        if (traffic_light(shown, target=target, comparator=comparator) == GREEN) == met_exact:
            break
        shown = round_half_up(share.numerator * 100, share.denominator, str(Decimal(1).scaleb(-places)))
    grouped = "/".join(swedish_number(n, grouped=True) for n in (share.numerator, share.denominator))
    return f"{swedish_number(shown)} % ({grouped})"


def json_number(value):
    """A Decimal as an int when whole (55), else a float (55.5), for JSON."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
