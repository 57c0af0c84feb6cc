"""Writes of indicator surveys and national averages. The rules live in :mod:`outcomes.surveys.rules`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from outcomes import signals
from outcomes.counts import Counts
from outcomes.models import (
    Association,
    Intervention,
    SurveyQuestion,
    User,
)
from outcomes.periods import Period, PeriodError
from outcomes.shares import round_half_up
from outcomes.surveys import rules as survey_rules
from outcomes.surveys.models import OPTION_FIELDS, NationalAverage, Survey, SurveyAnswer
from outcomes.tallies.errors import ReportError
from outcomes.violations import RuleViolation


class SurveyError(ReportError):
    """Survey input that was refused; ``violations`` names each field and rule. Nothing stored."""


@dataclass
class SurveySaveResult:
    survey: Survey
    created: bool
    changed: bool


def _survey_period(period_code: str, intervention: Intervention | None) -> tuple[Period | None, list[RuleViolation]]:
    try:
        period = Period.parse(period_code)
    except PeriodError as exc:
        return None, [RuleViolation(exc.code, "period", exc.message)]
    if period.kind.startswith("YTD"):
        return None, [
            RuleViolation(
                "invalid_period",
                "period",
                _("En enkät gäller ett år eller en hel period, inte ”hittills i år” (%(code)s).")
                % {"code": period.code},
            )
        ]
    if intervention is None:
        return period, []
    try:
        period.base_periods(intervention.frequency)
    except PeriodError as exc:
        return None, [RuleViolation(exc.code, "period", exc.message)]
    if not intervention.runs_during(period):
        return None, [
            RuleViolation(
                "period_outside_intervention",
                "period",
                _("Perioden %(period)s ligger utanför insatsens tid.") % {"period": period.code},
            )
        ]
    return period, []


def _survey_locked(*, intervention, association_id: int, period, group: str, owner: dict) -> Survey | None:
    """The stored survey, locked, after a lock of its owner's row (``None``: not entered yet).

    Writers queue on the owner's row: locking the survey row alone cannot stop two first saves of
    the same survey from both inserting."""
    if intervention is not None:
        list(Intervention.objects.select_for_update().filter(pk=intervention.pk).values_list("pk", flat=True))
    else:
        list(Association.objects.select_for_update().filter(pk=association_id).values_list("pk", flat=True))
    return (
        Survey.objects.select_for_update(of=("self",))
        .filter(association_id=association_id, period=period.code, group=group, **owner)
        .first()
    )


def _questions_for(survey: Survey | None, *, association_id: int, group: str) -> dict:
    """The group's questions by code that a save may answer: the active ones, and retired ones the
    stored survey already answers."""
    answered_before = survey.answers.values("question_id") if survey else []
    questions = SurveyQuestion.objects.filter(association_id=association_id, group=group).visible_for(answered_before)
    return {q.code: q for q in questions}


def _survey_unchanged(survey: Survey, *, data, answered: Counts, new_rows: dict) -> bool:
    """Whether the stored survey already holds exactly this content."""
    old_rows = {r.question_id: tuple(getattr(r, f) for f in (*OPTION_FIELDS, "blank")) for r in survey.answers.all()}
    return survey.invited == data.invited and survey.answered == answered and old_rows == new_rows


def _survey_write(survey: Survey, *, data, answered: Counts, new_rows: dict) -> None:
    """Store the survey's numbers and replace its answer rows."""
    survey.invited = data.invited
    for gender, count in answered.as_dict().items():
        setattr(survey, f"answered_{gender}", count)
    survey.save()
    survey.answers.all().delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            survey=survey, question_id=question_id, **dict(zip((*OPTION_FIELDS, "blank"), values, strict=True))
        )
        for question_id, values in new_rows.items()
    )


def survey_save(
    *,
    period_code: str,
    group: str,
    data: survey_rules.SurveyInput,
    intervention: Intervention | None = None,
    association: Association | None = None,
    user: User | None = None,
) -> SurveySaveResult:
    """Create or replace the survey of one intervention (or, for board and managers, of the
    association), period and respondent group.

    The period is a year or any whole period that fits the intervention's frequency (not a
    year-to-date). Refused with :class:`SurveyError`, nothing stored, when the period or group is
    wrong or :func:`outcomes.surveys.rules.check_survey` finds a broken rule (negative numbers, more
    answered than invited, answers that do not add up to the number who answered, unknown
    questions). Questions left out are not part of the survey. Saving the same content again
    changes nothing (the version stays). Announces :data:`outcomes.signals.survey_changed` on commit.
    """
    if intervention is None and association is None:
        raise ValueError("give the intervention, or the association for board and managers")
    association_id = intervention.association_id if intervention is not None else association.pk
    period, violations = _survey_period(period_code, intervention)
    violations += survey_rules.check_group(group, for_intervention=intervention is not None)
    if violations:
        raise SurveyError(violations)

    owner = {"intervention": intervention} if intervention is not None else {"intervention_id__isnull": True}
    with transaction.atomic():
        survey = _survey_locked(
            intervention=intervention, association_id=association_id, period=period, group=group, owner=owner
        )
        questions = _questions_for(survey, association_id=association_id, group=group)
        violations = survey_rules.check_survey(data, questions=questions, group=group)
        if violations:
            raise SurveyError(violations)
        answered = Counts.from_mapping(data.answered)
        new_rows = {questions[a.question].pk: (*a.counts, *([0] * (6 - len(a.counts))), a.blank) for a in data.answers}
        if survey is not None and _survey_unchanged(survey, data=data, answered=answered, new_rows=new_rows):
            return SurveySaveResult(survey=survey, created=False, changed=False)
        created = survey is None
        if created:
            survey = Survey(association_id=association_id, intervention=intervention, period=period.code, group=group)
        else:
            survey.version += 1
        _survey_write(survey, data=data, answered=answered, new_rows=new_rows)
        signals.announce_survey_change(survey=survey, action="saved", user=user)
    return SurveySaveResult(survey=survey, created=created, changed=True)


def national_averages_set(
    *, association: Association, year: int, values: Mapping[str, object], user: User | None = None
) -> dict[str, Decimal]:
    """Replace the national averages of one year: ``values`` maps question code to a percent.

    Questions left out (or given ``None``) have no national average that year afterwards. Refused
    with :class:`SurveyError`, nothing stored, for an unknown question code, a value outside
    0–100 or a year before 1900. Answers the stored averages by code.
    """
    violations = []
    if not 1900 <= int(year) <= 9999:
        violations.append(RuleViolation("invalid_year", "year", _("Ogiltigt år %(year)s.") % {"year": year}))
    questions = {q.code: q for q in SurveyQuestion.objects.filter(association=association)}
    cleaned: dict[str, Decimal] = {}
    for code, value in values.items():
        if code not in questions:
            violations.append(
                RuleViolation(survey_rules.UNKNOWN_QUESTION, code, _("Okänd enkätfråga ”%(code)s”.") % {"code": code})
            )
            continue
        if value is None or value == "":
            continue
        problem = survey_rules.check_national_average(code, value)
        if problem:
            violations.append(problem)
            continue
        cleaned[code] = round_half_up(Decimal(str(value)), places="0.1")
    if violations:
        raise SurveyError(violations)
    with transaction.atomic():
        NationalAverage.objects.filter(association=association, year=year).exclude(
            question__code__in=list(cleaned)
        ).delete()
        for code, percent in cleaned.items():
            NationalAverage.objects.update_or_create(
                association=association, question=questions[code], year=year, defaults={"percent": percent}
            )
    return cleaned
