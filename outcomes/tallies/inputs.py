"""What a writer sends for one base period (:class:`ReportInput`) and what a save did
(:class:`SaveResult`); apart from the services so that forms and serializers build inputs
without the write machinery."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from outcomes.counts import Counts, ReportFigures
from outcomes.models import PeriodReport
from outcomes.violations import RuleViolation


@dataclass
class ReportInput:
    """What a writer sends for one base period.

    ``ongoing_at_start`` ``None`` takes the previous base period's end (zero for the first);
    ``exits`` ``None`` takes the sum of ``exits_by_reason``. Codes left out are zero.
    """

    new: Counts = Counts()
    exits_by_reason: dict[str, Counts] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, Counts]] = field(default_factory=dict)
    ongoing_at_start: Counts | None = None
    exits: Counts | None = None
    spent_sek: int = 0
    comment: str = ""
    #: Counted measures: code to the keys given (``women``/``men``/``other`` or ``total``).
    measures: dict[str, dict[str, int]] = field(default_factory=dict)

    def participant_fields(self) -> list[str]:
        """The participant counts this input gives that are not zero (a structural
        intervention refuses them)."""
        given = {
            "ongoing_at_start": self.ongoing_at_start is not None and self.ongoing_at_start.total != 0,
            "new": any(self.new.as_dict().values()),
            "exits": bool(self.exits and any(self.exits.as_dict().values()))
            or any(any(c.as_dict().values()) for c in self.exits_by_reason.values()),
            "breakdowns": any(any(c.as_dict().values()) for cats in self.breakdowns.values() for c in cats.values()),
        }
        return [name for name, present in given.items() if present]

    @classmethod
    def from_figures(cls, figures: ReportFigures, comment: str = "") -> ReportInput:
        """The input that saves ``figures`` as they are: every count given, nothing derived
        (measures as the numbers entered)."""
        given = {f.name: getattr(figures, f.name) for f in fields(figures)}
        given["measures"] = {code: value.values() for code, value in figures.measures.items()}
        return cls(comment=comment, **given)


@dataclass
class SaveResult:
    """What :func:`report_save` did. ``figures`` are the report's figures as stored after the
    save, so that a caller can answer with them without reading the rows back."""

    report: PeriodReport
    created: bool
    changed: bool
    warnings: list[RuleViolation]
    figures: ReportFigures | None = None
