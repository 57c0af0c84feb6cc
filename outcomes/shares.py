"""A share: a numerator over a denominator, shown as "45 % (5/11)".

Computed and compared on exact fractions, rounded half up only for people. Lives in ``outcomes``
because survey figures need it as much as goals and summaries (``reports.shares`` re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

#: A goal is yellow when its value reaches this share of the target, unless the goal or its
#: association says otherwise (the association's setting is the default of its new goals).
DEFAULT_YELLOW_RATIO = Decimal("0.8")

#: The codes of a traffic light: a goal's fulfilment (:func:`reports.shares.traffic_light`) and a
#: survey figure's comparison (:func:`outcomes.surveys.rules.light`) each label them.
GREEN, YELLOW, RED, NO_DATA = "green", "yellow", "red", "no_data"


def round_half_up(numerator, denominator=1, places: str = "1") -> Decimal:
    """``numerator / denominator`` rounded half up to ``places`` ("1" whole, "0.1", "0.01"): the
    one rounding of figures people see (percents, means, kronor, pro-rated targets)."""
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), ROUND_HALF_UP)


def without_percent_sign(typed: str) -> str:
    """A percentage as people type it, without its trailing percent sign: "70 %", "70%" and
    "12,5 %" are 70, 70 and 12,5 (the sign says what the field already means)."""
    text = typed.strip()
    if text.endswith("%"):
        text = text[:-1].rstrip().rstrip("\u00a0\u202f")
    return text


@dataclass(frozen=True)
class Share:
    """A numerator over a denominator. With a zero denominator there is no value (``no_data``)."""

    numerator: int
    denominator: int

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def value(self) -> Decimal | None:
        """The exact percentage to one decimal (45.5), or None without a denominator."""
        if not self.denominator:
            return None
        return round_half_up(Decimal(self.numerator) * 100, self.denominator, "0.1")

    @property
    def percent(self) -> int | None:
        """The whole percent people see, rounded half up from the exact fraction."""
        if not self.denominator:
            return None
        return int(round_half_up(Decimal(self.numerator) * 100, self.denominator))

    def __str__(self) -> str:
        if not self.denominator:
            return "–"
        return f"{self.percent} % ({self.numerator}/{self.denominator})"

    def __add__(self, other: Share) -> Share:
        return Share(self.numerator + other.numerator, self.denominator + other.denominator)

    def as_pair(self) -> tuple[int, int]:
        return (self.numerator, self.denominator)

    def as_dict(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": float(value) if value is not None else None,
            "percent": self.percent,
        }
