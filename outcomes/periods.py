"""Period codes: parsing, formatting, base periods and alignment.

A *base period* is what one period report covers: a quarter (the default) or a month, by the
intervention's reporting frequency. Every other period (year, half-year, tertial, year-to-date) is
a summary period and must be made of whole base periods of the intervention.

Codes: ``2024``, ``2024H1``, ``2024T2``, ``2024Q3``, ``2024M05``, ``2024YTDQ3``, ``2024YTDM08``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

QUARTER = "quarter"
MONTH = "month"
FREQUENCIES = (QUARTER, MONTH)

# Kind -> (number of months in one such period, largest number in a year).
_KINDS = {
    "Y": (12, 1),
    "H": (6, 2),
    "T": (4, 3),
    "Q": (3, 4),
    "M": (1, 12),
}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<kind>H|T|Q|M|YTDQ|YTDM)(?P<number>\d{1,2}))?$")


class PeriodError(ValueError):
    """A period code that cannot be parsed, or that does not fit an intervention."""

    def __init__(self, message: str, code: str = "invalid_period"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole calendar months within one year, named by a period code.

    ``kind`` is one of ``Y``, ``H``, ``T``, ``Q``, ``M``, ``YTDQ`` and ``YTDM``; ``number`` is the
    half, tertial, quarter or month (for the year-to-date kinds: the last quarter or month
    included), and 1 for a year.
    """

    year: int
    kind: str
    number: int = 1

    @classmethod
    def parse(cls, code: str) -> Period:
        """Parse a period code; raise :class:`PeriodError` with a Swedish message if invalid."""
        match = _PATTERN.match((code or "").strip().upper())
        if not match:
            raise PeriodError(
                _(
                    "Ogiltig period ”%(code)s”. Ange till exempel 2024, 2024H1, 2024T2, 2024Q3, "
                    "2024M05, 2024YTDQ3 eller 2024YTDM08."
                )
                % {"code": code}
            )
        year = int(match["year"])
        kind = match["kind"] or "Y"
        number = int(match["number"] or 1)
        base_kind = kind.removeprefix("YTD")
        if not 1 <= number <= _KINDS[base_kind][1] or year < 1900:
            raise PeriodError(_("Ogiltig period ”%(code)s”: numret ligger utanför året.") % {"code": code})
        return cls(year, kind, number)

    @classmethod
    def for_date(cls, day: dt.date, frequency: str) -> Period:
        """The base period of ``frequency`` that contains ``day``."""
        if frequency == MONTH:
            return cls(day.year, "M", day.month)
        return cls(day.year, "Q", (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind in ("M", "YTDM"):
            return f"{self.year}{self.kind}{self.number:02d}"
        return f"{self.year}{self.kind}{self.number}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_month(self) -> int:
        if self.kind.startswith("YTD"):
            return 1
        months, _count = _KINDS[self.kind]
        return (self.number - 1) * months + 1

    @property
    def last_month(self) -> int:
        if self.kind == "YTDQ":
            return self.number * 3
        if self.kind == "YTDM":
            return self.number
        months, _count = _KINDS[self.kind]
        return self.number * months

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        if self.last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.last_month + 1, 1) - dt.timedelta(days=1)

    @property
    def is_base(self) -> bool:
        return self.kind in ("Q", "M")

    def is_base_for(self, frequency: str) -> bool:
        return self.kind == ("M" if frequency == MONTH else "Q")

    def base_periods(self, frequency: str) -> list[Period]:
        """The base periods of ``frequency`` that make up this period, in order.

        Raises :class:`PeriodError` when the period does not consist of whole base periods, for
        example a tertial (four months) of a quarterly intervention.
        """
        if frequency not in FREQUENCIES:
            raise PeriodError(_("Okänd rapporteringsfrekvens ”%(f)s”.") % {"f": frequency})
        if frequency == MONTH:
            return [Period(self.year, "M", m) for m in range(self.first_month, self.last_month + 1)]
        if (self.first_month - 1) % 3 or self.last_month % 3:
            raise PeriodError(
                _(
                    "Perioden %(code)s går inte att dela i hela kvartal. Insatsen rapporterar per "
                    "kvartal; välj år, halvår, kvartal eller hittills i år till och med ett kvartal."
                )
                % {"code": self.code},
                code="period_not_aligned",
            )
        return [Period(self.year, "Q", q) for q in range(self.first_month // 3 + 1, self.last_month // 3 + 1)]

    def previous(self) -> Period:
        """The base period just before this one (across the turn of the year)."""
        if not self.is_base:
            raise PeriodError(_("Bara en basperiod (kvartal eller månad) har en föregående period."))
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, 4 if self.kind == "Q" else 12)

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.kind, self.number)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def parse(code: str) -> Period:
    return Period.parse(code)


def base_period(code: str, frequency: str) -> Period:
    """Parse ``code`` and require it to be a base period of ``frequency``.

    Raises :class:`PeriodError` (code ``not_base_period``) for a summary period such as ``2024``.
    """
    period = Period.parse(code)
    if not period.is_base_for(frequency):
        expected = _("en månad, till exempel 2024M05") if frequency == MONTH else _("ett kvartal, till exempel 2024Q3")
        raise PeriodError(
            _("Perioden %(code)s är inte en rapportperiod för insatsen; ange %(expected)s.")
            % {"code": period.code, "expected": expected},
            code="not_base_period",
        )
    return period


MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_ORDINALS = {1: "första", 2: "andra"}


def period_name(period) -> str:
    """The Swedish name of a period as people read it in pages, exports and documents.

    "helåret 2024", "första halvåret 2024", "maj–augusti 2024" (a tertial), "kvartal 3 2024",
    "maj 2024", "januari–september 2026" (year to date), and for a range of base periods its
    dates, "2014-07-01 – 2024-06-30". Codes stay in URLs and the API.
    """
    if isinstance(period, PeriodRange):
        return f"{period.start.isoformat()} – {period.end.isoformat()}"
    months = f"{MONTH_NAMES[period.first_month - 1]}–{MONTH_NAMES[period.last_month - 1]} {period.year}"
    if period.kind == "Y":
        return f"helåret {period.year}"
    if period.kind == "H":
        return f"{_ORDINALS[period.number]} halvåret {period.year}"
    if period.kind == "Q":
        return f"kvartal {period.number} {period.year}"
    if period.first_month == period.last_month:  # a month, or the year to date through January
        return f"{MONTH_NAMES[period.first_month - 1]} {period.year}"
    return months


def is_interim(period) -> bool:
    """Whether a report over ``period`` is an interim report (*delårsrapport*): any period of one
    year that is not the whole year (a half-year, tertial, quarter, month or year to date)."""
    return not isinstance(period, PeriodRange) and period.kind != "Y"


def during(period) -> str:
    """ "under året" for a whole year, otherwise "under första halvåret 2024" and so on: the
    words an annual or interim report uses for the period its figures cover."""
    if isinstance(period, Period) and period.kind == "Y":
        return "under året"
    if isinstance(period, PeriodRange):
        return f"under perioden {period_name(period)}"
    return f"under {period_name(period)}"


@dataclass(frozen=True)
class PeriodRange:
    """A range of whole base periods (or years), ``2014Q3..2024Q2``, for "since the start" figures.

    Both ends are periods of the same kind (quarters, months or years); the range covers every
    base period from the first through the last. Stocks come from its first base period, flows
    are summed, as for any longer period. It has no single year, so no yearly budget or goals.
    """

    first: Period
    last: Period

    year = None
    kind = "RANGE"

    @classmethod
    def parse(cls, code: str) -> PeriodRange:
        left, _sep, right = (code or "").strip().upper().partition("..")
        first, last = Period.parse(left), Period.parse(right)
        if first.kind != last.kind or first.kind not in ("Y", "Q", "M"):
            raise PeriodError(
                _(
                    "Ogiltigt intervall ”%(code)s”: båda ändarna ska vara år, kvartal eller månader av "
                    "samma slag, till exempel 2014Q3..2024Q2."
                )
                % {"code": code},
                code="invalid_range",
            )
        if last.end < first.start:
            raise PeriodError(
                _("Intervallet ”%(code)s” slutar innan det börjar.") % {"code": code}, code="invalid_range"
            )
        return cls(first, last)

    @property
    def code(self) -> str:
        return f"{self.first.code}..{self.last.code}"

    def __str__(self) -> str:
        return self.code

    @property
    def start(self) -> dt.date:
        return self.first.start

    @property
    def end(self) -> dt.date:
        return self.last.end

    @property
    def is_base(self) -> bool:
        return False

    def is_base_for(self, frequency: str) -> bool:
        return False

    def base_periods(self, frequency: str) -> list[Period]:
        """Every base period of ``frequency`` from the first end through the last; refused (as
        for one period) when an end is not made of whole base periods of the frequency."""
        self.first.base_periods(frequency)
        self.last.base_periods(frequency)
        years = range(self.first.year, self.last.year + 1)
        every = [base for year in years for base in Period(year, "Y").base_periods(frequency)]
        return [base for base in every if self.start <= base.start and base.end <= self.end]

    def same_period_last_year(self) -> PeriodRange:
        return PeriodRange(self.first.same_period_last_year(), self.last.same_period_last_year())

    def contains(self, other) -> bool:
        return self.start <= other.start and other.end <= self.end


def parse_span(code: str) -> Period | PeriodRange:
    """A period code or a range code (``2014Q3..2024Q2``): what summaries, goal results and
    exports accept."""
    if ".." in (code or ""):
        return PeriodRange.parse(code)
    return Period.parse(code)
