"""The input rules of an activity (pure: no database), each with a stable code and a Swedish message.

Negative numbers, a split by gender or organisation that does not add up to the attendees, an
unknown kind or organisation, more positive answers than answers and a date outside the
intervention are refused; nothing is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from outcomes.counts import GENDER_LABELS, GENDERS, Counts
from outcomes.validators import personal_data_message
from outcomes.violations import NEGATIVE_COUNT, RuleViolation, unknown_code

ATTENDEES_SUM = "attendees_sum"
DATE_OUTSIDE = "date_outside_intervention"
EVALUATION_POSITIVE = "evaluation_positive_exceeds_answered"
REQUIRED = "required"
DUPLICATE = "duplicate"


@dataclass
class ActivityInput:
    """One activity as a writer sends it; ``None`` means not given (no split, no exhibitors, ...)."""

    date: dt.date
    title: str
    kind: str
    attendees: int
    occasions: int = 1
    estimated: bool = False
    attendees_by_gender: Counts | None = None
    attendees_by_organisation: dict[str, int] = field(default_factory=dict)
    exhibitors: int | None = None
    evaluation_answered: int | None = None
    evaluation_positive: int | None = None
    spent_sek: int | None = None


def _negatives(data: ActivityInput) -> list[RuleViolation]:
    found = []
    numbers = {
        "occasions": (_("Tillfällen"), data.occasions),
        "attendees": (_("Deltagare"), data.attendees),
        "exhibitors": (_("Utställare"), data.exhibitors),
        "evaluation.answered": (_("Svar på utvärderingen"), data.evaluation_answered),
        "evaluation.positive": (_("Positiva svar"), data.evaluation_positive),
        "spent_sek": (_("Kostnad"), data.spent_sek),
    }
    if data.attendees_by_gender is not None:
        for gender in GENDERS:
            numbers[f"attendees_by_gender.{gender}"] = (
                _("Deltagare, %(gender)s") % {"gender": GENDER_LABELS[gender]},
                getattr(data.attendees_by_gender, gender),
            )
    for index, (code, count) in enumerate(data.attendees_by_organisation.items()):
        numbers[f"attendees_by_organisation[{index}].attendees"] = (_("Deltagare från %(o)s") % {"o": code}, count)
    for name, (label, value) in numbers.items():
        if value is not None and value < 0:
            found.append(RuleViolation(NEGATIVE_COUNT, name, _("%(label)s får inte vara negativt.") % {"label": label}))
    return found


def check_activity(
    data: ActivityInput,
    *,
    starts: dt.date,
    ends: dt.date | None,
    kinds: Mapping[str, str],
    organisations: Mapping[str, str],
) -> list[RuleViolation]:
    """Every rule ``data`` breaks for an intervention running from ``starts`` through ``ends``
    (inclusive, ``None``: still running), with the vocabularies ``kinds`` and ``organisations``.
    An empty list means the activity may be stored."""
    violations = _negatives(data)
    if data.date < starts or (ends is not None and data.date > ends):
        violations.append(
            RuleViolation(
                DATE_OUTSIDE,
                "date",
                _("Datumet %(date)s ligger utanför insatsens tid.") % {"date": data.date.isoformat()},
            )
        )
    if not data.title.strip():
        violations.append(RuleViolation(REQUIRED, "title", _("Ange aktivitetens rubrik.")))
    refusal = personal_data_message(data.title)
    if refusal:
        violations.append(RuleViolation("personal_data", "title", refusal))
    if data.kind not in kinds:
        violations.append(unknown_code("kind", _("Okänd typ av aktivitet ”%(code)s”."), data.kind))
    for index, code in enumerate(data.attendees_by_organisation):
        if code not in organisations:
            field_name = f"attendees_by_organisation[{index}].organisation"
            violations.append(unknown_code(field_name, _("Okänd organisation ”%(code)s”."), code))
    if data.attendees_by_gender is not None and data.attendees_by_gender.total != data.attendees:
        violations.append(
            RuleViolation(
                ATTENDEES_SUM,
                "attendees_by_gender",
                _("Deltagare per kön summerar till %(got)s men antalet deltagare är %(expected)s.")
                % {"got": data.attendees_by_gender.total, "expected": data.attendees},
            )
        )
    by_organisation = sum(data.attendees_by_organisation.values())
    if data.attendees_by_organisation and by_organisation != data.attendees:
        violations.append(
            RuleViolation(
                ATTENDEES_SUM,
                "attendees_by_organisation",
                _(
                    "Deltagare per organisation summerar till %(got)s men antalet deltagare är %(expected)s. "
                    "Använd ”Övriga/uppgift saknas” för dem du inte vet."
                )
                % {"got": by_organisation, "expected": data.attendees},
            )
        )
    answered, positive = data.evaluation_answered, data.evaluation_positive
    if positive is not None and (answered is None or positive > answered):
        violations.append(
            RuleViolation(
                EVALUATION_POSITIVE,
                "evaluation.positive",
                _("Positiva svar (%(positive)s) kan inte vara fler än svaren på utvärderingen (%(answered)s).")
                % {"positive": positive, "answered": answered or 0},
            )
        )
    return violations
