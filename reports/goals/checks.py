"""The rules a goal's input must keep, per field and per goal kind; each adds RuleViolations.

:func:`reports.goals.services.goal_check` runs the rules every goal shares and then the kind's
own check, named in its :data:`reports.goals.kinds.KINDS` entry. A kind check answers the
kind's fields to store (:class:`KindValues`); nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.catalog.models import RespondentGroup
from outcomes.measures import ACTIVITY_COUNTS
from outcomes.models import ExitReason, Intervention, SurveyQuestion
from outcomes.models import Measure as CatalogMeasure
from outcomes.surveys import rules as survey_rules
from outcomes.violations import RuleViolation, unknown_code
from reports.goals.models import Measure, SurveyFigure

if TYPE_CHECKING:
    from reports.goals.services import GoalInput


@dataclass
class KindValues:
    """The kind-specific fields of a checked goal: the model fields and the two reason sets."""

    values: dict = field(
        default_factory=lambda: {
            "measure": "",
            "of_measure": "",
            "question": None,
            "indicator_number": None,
            "group": "",
            "figure": "",
        }
    )
    reasons: list[ExitReason] = field(default_factory=list)
    excluded_reasons: list[ExitReason] = field(default_factory=list)


def decimal_check(value, name: str, violations: list[RuleViolation]) -> Decimal | None:
    """``value`` as a finite Decimal, or None with an ``invalid_number`` violation."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        number = None
    if number is None or not number.is_finite():
        violations.append(RuleViolation("invalid_number", name, _("Ange ett tal.")))
        return None
    return number


def overlap_check(counted, excluded, violations, message) -> None:
    """A reason both counted and left outside the denominator is a ``reason_in_both`` violation;
    ``message`` names the overlap with ``%(codes)s``."""
    overlap = {r.code for r in counted} & {r.code for r in excluded}
    if overlap:
        violations.append(
            RuleViolation("reason_in_both", "excluded_reasons", message % {"codes": ", ".join(sorted(overlap))})
        )


#: What a count goal may count in the activity log, with the words the goal form shows.
ACTIVITY_COUNT_CHOICES = [
    ("attendees", gettext_lazy("deltagare i aktiviteter")),
    ("activities", gettext_lazy("antal aktiviteter")),
    ("occasions", gettext_lazy("tillfällen")),
    ("exhibitors", gettext_lazy("utställare")),
]


def choice_check(value, choices, field: str, message, violations) -> None:
    """A value outside ``choices`` (a ``TextChoices``, or ``(code, label)`` pairs) is an
    ``invalid_choice`` violation;
    ``message`` lists the choices with ``%(choices)s`` by their Swedish labels, since people read
    it on the goal form (API clients have the codes in the schema and the error's ``code``)."""
    pairs = choices.choices if hasattr(choices, "choices") else list(choices)
    if value not in [code for code, _label in pairs]:
        labels = [str(label) for _code, label in pairs]
        listed = ", ".join(labels[:-1]) + " " + _("eller") + " " + labels[-1]
        violations.append(RuleViolation("invalid_choice", field, message % {"choices": listed}))


def reasons_check(intervention: Intervention, codes, name: str, violations, kept=()) -> list[ExitReason]:
    """The exit reasons of ``codes``; unknown codes (``unknown_code``) and retired reasons not
    among those the goal or step definition already has in this set (``kept``, codes;
    ``retired_reason``) become violations."""
    codes = list(dict.fromkeys(codes or []))
    found = {r.code: r for r in ExitReason.objects.filter(association_id=intervention.association_id, code__in=codes)}
    for index, code in enumerate(codes):
        if code not in found:
            message = _("Avslutsorsaken ”%(code)s” finns inte i förbundets katalog.")
            violations.append(unknown_code(f"{name}[{index}]", message, code))
        elif not found[code].is_visible(used=code in kept):
            violations.append(
                RuleViolation(
                    "retired_reason",
                    f"{name}[{index}]",
                    _("Avslutsorsaken ”%(label)s” har utgått och kan inte väljas.") % {"label": found[code].label_sv},
                )
            )
    return [found[c] for c in codes if c in found]


def no_kind_check(intervention: Intervention, data: GoalInput, stored: GoalInput | None, violations) -> KindValues:
    """A kind with no fields of its own (step progression reads the step definition, budget the budget)."""
    return KindValues()


def exit_share_check(intervention: Intervention, data: GoalInput, stored: GoalInput | None, violations) -> KindValues:
    """Share of exits: the counted reasons (required) and those outside the denominator, never both."""
    reasons = reasons_check(intervention, data.reasons, "reasons", violations, stored.reasons if stored else ())
    excluded = reasons_check(
        intervention, data.excluded_reasons, "excluded_reasons", violations, stored.excluded_reasons if stored else ()
    )
    if not data.reasons:
        violations.append(RuleViolation("required", "reasons", _("Ange vilka avslutsorsaker som räknas i täljaren.")))
    overlap_check(
        reasons, excluded, violations, _("En avslutsorsak kan inte både räknas och lämnas utanför nämnaren: %(codes)s.")
    )
    return KindValues(reasons=reasons, excluded_reasons=excluded)


def count_check(intervention: Intervention, data: GoalInput, stored: GoalInput | None, violations) -> KindValues:
    """A count goal names what it counts (``measure``): participants, new or exits, an activity
    count (attendees, activities, occasions, exhibitors) or a measure of the association's catalog."""
    kind_values = KindValues()
    kind_values.values["measure"] = data.measure
    if data.measure in Measure.values or data.measure in ACTIVITY_COUNTS:
        return kind_values
    catalog = _catalog_measures(intervention)
    if data.measure not in catalog:
        choices = [
            *Measure.choices,
            *ACTIVITY_COUNT_CHOICES,
            *((code, m.label_sv) for code, m in catalog.items() if m.active),
        ]
        choice_check(data.measure, choices, "measure", _("Ange vad som räknas: %(choices)s."), violations)
        return kind_values
    _measure_check(catalog, data.measure, "measure", stored.measure if stored else "", violations)
    return kind_values


def _catalog_measures(intervention: Intervention) -> dict[str, Measure]:
    return {m.code: m for m in CatalogMeasure.objects.filter(association_id=intervention.association_id)}


def _measure_check(catalog, code: str, name: str, kept: str, violations) -> None:
    """``code`` names a measure of the catalog (``unknown_code``) that is active or already the
    goal's (``retired_measure``)."""
    measure = catalog.get(code)
    if measure is None:
        violations.append(unknown_code(name, _("Måttet ”%(code)s” finns inte i förbundets katalog."), code or "—"))
    elif not measure.active and code != kept:
        violations.append(
            RuleViolation(
                "retired_measure",
                name,
                _("Måttet ”%(label)s” har utgått och kan inte väljas.") % {"label": measure.label_sv},
            )
        )


def measure_share_check(
    intervention: Intervention, data: GoalInput, stored: GoalInput | None, violations
) -> KindValues:
    """A measure share names two different measures of the catalog: ``measure`` over ``of_measure``."""
    catalog = _catalog_measures(intervention)
    _measure_check(catalog, data.measure, "measure", stored.measure if stored else "", violations)
    _measure_check(catalog, data.of_measure, "of_measure", stored.of_measure if stored else "", violations)
    if data.measure and data.measure == data.of_measure:
        violations.append(
            RuleViolation("same_measure", "of_measure", _("Ett mått kan inte vara en andel av sig självt."))
        )
    kind_values = KindValues()
    kind_values.values.update(measure=data.measure, of_measure=data.of_measure)
    return kind_values


def indicator_check(intervention: Intervention, data: GoalInput, stored: GoalInput | None, violations) -> KindValues:
    """An indicator goal names a figure and either a question or an indicator number with its group.

    The figure must apply to the question (share yes to yes/no questions, the others to six-step
    ones), or to at least one question of the indicator.
    """
    kind_values = KindValues()
    values = kind_values.values
    values.update(group=data.group or "", figure=data.figure)
    choice_check(data.figure, SurveyFigure, "figure", _("Ange nyckeltal: %(choices)s."), violations)
    if bool(data.question) == (data.indicator_number is not None):
        violations.append(
            RuleViolation(
                "question_or_indicator", "question", _("Ange antingen en enkätfråga eller ett indikatornummer.")
            )
        )
        return kind_values
    if data.group and data.group not in RespondentGroup.values:
        violations.append(RuleViolation("invalid_choice", "group", _("Okänd respondentgrupp.")))
    if data.question:
        _question_check(intervention, data, values, violations)
    else:
        _indicator_number_check(intervention, data, values, violations)
    return kind_values


def _question_check(intervention: Intervention, data: GoalInput, values: dict, violations) -> None:
    question = SurveyQuestion.objects.filter(association_id=intervention.association_id, code=data.question).first()
    if question is None:
        violations.append(
            RuleViolation(
                "unknown_question",
                "question",
                _("Enkätfrågan ”%(code)s” finns inte i förbundets katalog.") % {"code": data.question},
            )
        )
        return
    if data.group and data.group != question.group:
        violations.append(RuleViolation("group_mismatch", "group", _("Frågan hör till en annan respondentgrupp.")))
    if data.figure in SurveyFigure.values and not survey_rules.figure_applies(data.figure, question.scale):
        violations.append(_figure_not_applicable(data.figure, _("fråga %(code)s") % {"code": question.code}))
    values.update(question=question, group=question.group)


def _indicator_number_check(intervention: Intervention, data: GoalInput, values: dict, violations) -> None:
    if not data.group:
        violations.append(RuleViolation("required", "group", _("Ange respondentgrupp för indikatorn.")))
    values["indicator_number"] = int(data.indicator_number)
    if not (data.group and data.figure in SurveyFigure.values):
        return
    # Pooled over the indicator's questions, the figure needs one question it applies to.
    scales = set(
        SurveyQuestion.objects.filter(
            association_id=intervention.association_id, group=data.group, indicator=values["indicator_number"]
        ).values_list("scale", flat=True)
    )
    if scales and not any(survey_rules.figure_applies(data.figure, scale) for scale in scales):
        violations.append(
            _figure_not_applicable(data.figure, _("indikator %(number)s") % {"number": data.indicator_number})
        )


def _figure_not_applicable(figure: str, what: str) -> RuleViolation:
    """``figure_not_applicable``: share yes is for yes/no questions, the other figures for six-step ones."""
    return RuleViolation(
        "figure_not_applicable",
        "figure",
        _(
            "Nyckeltalet ”%(figure)s” kan inte beräknas för %(what)s: andel ja gäller ja/nej-frågor, de "
            "andra nyckeltalen frågor med sexgradig skala."
        )
        % {"figure": survey_rules.FIGURE_LABELS[figure], "what": what},
    )
