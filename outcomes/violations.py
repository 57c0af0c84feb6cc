"""A broken rule, as every topic reports it: a stable English code, the field, a Swedish message.

``error`` violations block a submission; a draft may be saved with them (they are then shown as
warnings), except ``negative_count`` which is refused even for a draft. ``warning`` violations
never block."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NEGATIVE_COUNT = "negative_count"

#: The one code for a code that names nothing known (API.md: "unknown codes"): a catalog entry,
#: an activity kind or an organisation, in reports, imports, activities, goals and step
#: definitions alike.
UNKNOWN_CODE = "unknown_code"


ERROR = "error"


WARNING = "warning"


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule: a stable ``code``, the ``field`` it concerns, a Swedish ``message``."""

    code: str
    field: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def unknown_code(field: str, message: str, code: str) -> RuleViolation:
    """``code`` at ``field`` names nothing known (``unknown_code``); ``message`` is the translated
    Swedish text, which names the code by ``%(code)s``."""
    return RuleViolation(UNKNOWN_CODE, field, message % {"code": code})


def blocking(violations: Iterable[RuleViolation]) -> list[RuleViolation]:
    """The violations that stop a submission."""
    return [v for v in violations if v.severity == ERROR]


def refused_even_for_draft(violations: Iterable[RuleViolation]) -> list[RuleViolation]:
    """The violations that stop even a draft from being saved (impossible values)."""
    return [v for v in violations if v.code == NEGATIVE_COUNT]
