"""The counting rules of DOMAIN.md, written once and called by forms, API and tasks.

Stocks and flows: over a period made of several base periods, *ongoing at start* is the first base
period's, *new* and *exits* are summed, *ongoing at end* = start + new − exits and *participants
during the period* = start + new. Summing the base periods' participants would count everyone who
stays for several periods more than once.

Each rule has a stable English code and a Swedish message. ``error`` violations block a submission;
a draft may be saved with them (they are then shown as warnings), except ``negative_count`` which
is refused even for a draft. ``warning`` violations never block.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

GENDERS = ("women", "men", "other")
GENDER_LABELS = {"women": "kvinnor", "men": "män", "other": "annan/ej angivet"}

NEGATIVE_COUNT = "negative_count"
EXITS_SUM = "exits_sum"
DIMENSION_SUM = "dimension_sum"
NEGATIVE_ONGOING_AT_END = "negative_ongoing_at_end"
CONTINUITY = "continuity"
OVER_BUDGET = "over_budget"

ERROR = "error"
WARNING = "warning"


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

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, g) + getattr(other, g) for g in GENDERS))

    def __sub__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, g) - getattr(other, g) for g in GENDERS))

    def as_dict(self, *, with_total: bool = False) -> dict[str, int]:
        data = {g: getattr(self, g) for g in GENDERS}
        if with_total:
            data["total"] = self.total
        return data


ZERO = Counts()


def sum_counts(items: Iterable[Counts]) -> Counts:
    total = ZERO
    for item in items:
        total = total + item
    return total


@dataclass
class ReportFigures:
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

    @property
    def ongoing_at_end(self) -> Counts:
        return self.ongoing_at_start + self.new - self.exits

    @property
    def participants(self) -> Counts:
        """Participants during the period: ongoing at start plus new, never a sum of periods."""
        return self.ongoing_at_start + self.new


def combine(base_figures: Sequence[ReportFigures]) -> ReportFigures:
    """Combine base-period figures, in period order, into the figures of the longer period.

    The stock (ongoing at start) is the first base period's; flows, breakdowns and money are
    summed. With no base figures at all the result is all zeros.
    """
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
    )


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule: a stable ``code``, the ``field`` it concerns, a Swedish ``message``."""

    code: str
    field: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def _negative_counts(figures: ReportFigures) -> list[RuleViolation]:
    found = []

    def check(field_name: str, label: str, counts: Counts) -> None:
        for gender in GENDERS:
            if getattr(counts, gender) < 0:
                found.append(
                    RuleViolation(
                        NEGATIVE_COUNT,
                        f"{field_name}.{gender}",
                        _("%(label)s (%(gender)s) får inte vara negativt.")
                        % {"label": label, "gender": GENDER_LABELS[gender]},
                    )
                )

    check("ongoing_at_start", _("Pågående vid periodens början"), figures.ongoing_at_start)
    check("new", _("Nya deltagare"), figures.new)
    check("exits", _("Avslutade"), figures.exits)
    for reason, counts in figures.exits_by_reason.items():
        check(f"exits_by_reason.{reason}", _("Avslutade av orsak %(r)s") % {"r": reason}, counts)
    for dimension, categories in figures.breakdowns.items():
        for category, counts in categories.items():
            check(
                f"breakdowns.{dimension}.{category}",
                _("Antal i %(d)s/%(c)s") % {"d": dimension, "c": category},
                counts,
            )
    if figures.spent_sek < 0:
        found.append(RuleViolation(NEGATIVE_COUNT, "spent_sek", _("Förbrukade medel får inte vara negativa.")))
    return found


def check_report(
    figures: ReportFigures,
    *,
    single_valued_dimensions: Iterable[str] = (),
    previous_ongoing_at_end: Counts | None = None,
) -> list[RuleViolation]:
    """Every rule the figures of one base period break, errors first.

    ``single_valued_dimensions`` lists the dimensions whose categories must add up to the new
    participants (a multi-valued dimension has no sum rule; a dimension with no counts at all is
    treated as all zero, so it must still add up when there are new participants).
    ``previous_ongoing_at_end`` is the end of the base period before; a difference from this
    period's start is a warning, and with ``None`` (the first period) nothing is compared.
    """
    violations = _negative_counts(figures)

    reasons_total = sum_counts(figures.exits_by_reason.values())
    for gender in GENDERS:
        expected, got = getattr(figures.exits, gender), getattr(reasons_total, gender)
        if expected != got:
            violations.append(
                RuleViolation(
                    EXITS_SUM,
                    f"exits.{gender}",
                    _("Avslutade per orsak (%(gender)s) summerar till %(got)s men antalet avslutade är %(expected)s.")
                    % {"gender": GENDER_LABELS[gender], "got": got, "expected": expected},
                )
            )

    for dimension in single_valued_dimensions:
        total = sum_counts(figures.breakdowns.get(dimension, {}).values())
        for gender in GENDERS:
            expected, got = getattr(figures.new, gender), getattr(total, gender)
            if expected != got:
                violations.append(
                    RuleViolation(
                        DIMENSION_SUM,
                        f"breakdowns.{dimension}.{gender}",
                        _(
                            "Bakgrundsvariabeln %(dimension)s (%(gender)s) summerar till %(got)s "
                            "men antalet nya deltagare är %(expected)s. Använd ”Uppgift saknas” "
                            "för dem du inte vet."
                        )
                        % {
                            "dimension": dimension,
                            "gender": GENDER_LABELS[gender],
                            "got": got,
                            "expected": expected,
                        },
                    )
                )

    end = figures.ongoing_at_end
    for gender in GENDERS:
        if getattr(end, gender) < 0:
            violations.append(
                RuleViolation(
                    NEGATIVE_ONGOING_AT_END,
                    f"exits.{gender}",
                    _(
                        "Pågående vid periodens slut (%(gender)s) blir %(end)s: fler avslutade än "
                        "pågående och nya tillsammans."
                    )
                    % {"gender": GENDER_LABELS[gender], "end": getattr(end, gender)},
                )
            )

    if previous_ongoing_at_end is not None:
        for gender in GENDERS:
            before = getattr(previous_ongoing_at_end, gender)
            now = getattr(figures.ongoing_at_start, gender)
            if before != now:
                violations.append(
                    RuleViolation(
                        CONTINUITY,
                        f"ongoing_at_start.{gender}",
                        _(
                            "Pågående vid periodens början (%(gender)s) är %(now)s, men "
                            "föregående period slutade med %(before)s."
                        )
                        % {"gender": GENDER_LABELS[gender], "now": now, "before": before},
                        severity=WARNING,
                    )
                )
    return violations


def check_budget(*, year: int, budget_sek: int | None, year_spent_sek: int, spent_sek: int) -> list[RuleViolation]:
    """A warning (``over_budget``) when a period that spends something leaves the year's
    spending (``year_spent_sek``, this period included) above the year's budget.

    No budget for the year (``None``), or a period without spending, gives nothing: the warning
    belongs to the periods whose spending goes past the budget, not to every report of the year.
    """
    if budget_sek is None or spent_sek <= 0 or year_spent_sek <= budget_sek:
        return []
    return [
        RuleViolation(
            OVER_BUDGET,
            "spent_sek",
            _("Förbrukat under %(year)s blir %(spent)s kr, mer än årets budget på %(budget)s kr.")
            % {"year": year, "spent": _kronor(year_spent_sek), "budget": _kronor(budget_sek)},
            severity=WARNING,
        )
    ]


def _kronor(amount: int) -> str:
    return number_format(amount, force_grouping=True)


def blocking(violations: Iterable[RuleViolation]) -> list[RuleViolation]:
    """The violations that stop a submission."""
    return [v for v in violations if v.severity == ERROR]


def refused_even_for_draft(violations: Iterable[RuleViolation]) -> list[RuleViolation]:
    """The violations that stop even a draft from being saved (impossible values)."""
    return [v for v in violations if v.code == NEGATIVE_COUNT]
