"""The refusals of a report write: the violations say why, field by field; the API maps them to
400, 409 and 412."""

from __future__ import annotations

from django.utils.translation import gettext as _

from outcomes.models import (
    PeriodReport,
)
from outcomes.violations import RuleViolation


class ReportError(Exception):
    """A write to a report that was refused; ``violations`` says why, field by field."""

    def __init__(self, violations: list[RuleViolation]):
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


class ReportLocked(ReportError):
    """The report is approved and locked until staff reopen it."""


class VersionConflict(ReportError):
    """Somebody saved the report after the version the writer started from."""

    def __init__(self, current: PeriodReport):
        super().__init__(
            [
                RuleViolation(
                    "version_conflict",
                    "version",
                    _(
                        "Rapporten har ändrats av någon annan sedan du öppnade den (nu version "
                        "%(version)s). Öppna den nya versionen och gör dina ändringar där."
                    )
                    % {"version": current.version},
                )
            ]
        )
        self.current = current
