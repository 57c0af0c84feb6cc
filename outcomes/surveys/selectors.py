"""Reads of indicator surveys. The figures themselves are computed by :mod:`outcomes.surveys.rules`,
over stored surveys by :class:`outcomes.surveys.figures.SurveyFigures`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from outcomes.counts import Counts
from outcomes.models import Association, Intervention
from outcomes.periods import Period
from outcomes.surveys import rules as survey_rules
from outcomes.surveys.figures import as_period, survey_figures_of
from outcomes.surveys.models import OPTION_FIELDS, NationalAverage, Survey


def surveys_of(*, intervention: Intervention | None = None, association: Association | None = None, group: str):
    """The survey rows of one respondent group: the association's own for board and managers,
    the intervention's for every other group (``association`` defaults to the intervention's).
    """
    if group in survey_rules.ASSOCIATION_GROUPS:
        association_id = association.pk if association is not None else intervention.association_id
        return Survey.objects.filter(association_id=association_id, intervention_id__isnull=True, group=group)
    if intervention is None:
        return Survey.objects.none()
    return Survey.objects.filter(intervention=intervention, group=group)


def survey_figure(*, intervention: Intervention, period, group: str, **figure) -> tuple[int, int] | None:
    """(numerator, denominator) of a survey figure of an intervention for a period code and
    respondent group, or ``None`` without a survey: :meth:`SurveyFigures.figure
    <outcomes.surveys.figures.SurveyFigures.figure>` over the surveys of ``group`` within
    ``period``, loaded in two queries; ``figure`` holds that method's other arguments (the
    ``figure``, and a ``question_code`` or an ``indicator_number``), which it explains. Board and
    managers' surveys are the intervention's association's.
    """
    target = as_period(period)
    figures = survey_figures_of(intervention=intervention, start=target.start, end=target.end, group=group)
    return figures.figure(period=target, group=group, **figure)


def ratio_dict(ratio) -> dict | None:
    """A share as plain values (:meth:`Share.as_dict`), None when there is none."""
    return None if ratio is None else ratio.as_dict()


def question_figures(distribution) -> dict:
    """Every figure of one question's distribution as plain values (ratios as dicts)."""
    mean = distribution.mean
    return {
        **{f: ratio_dict(distribution.share(f)) for f in survey_rules.SHARE_FIGURES},
        "mean": float(mean) if mean is not None else None,
        "headline": distribution.headline,
    }


def response_rate_dict(surveys: list) -> dict:
    """Invited, non-response, answered (per gender) and the response rate, summed over surveys."""
    invited = sum(s.invited for s in surveys)
    answered = Counts()
    for s in surveys:
        answered = answered + s.answered
    ratio = survey_rules.response_rate(invited=invited, answered=answered.total)
    return {
        "invited": invited,
        "non_response": invited - answered.total,
        "answered": answered.total,
        "answered_by_gender": answered.as_dict(),
        **ratio_dict(ratio),
    }


@dataclass(frozen=True)
class AnswerDetail:
    """One question of a stored survey: its answers, every figure, the national average of the
    year and the headline figure of the same period a year earlier, with their lights.

    A question without non-blank answers has figures ``None`` and lights ``no_data``.
    """

    question: str
    distribution: survey_rules.Distribution
    national_average: Decimal | None
    previous_year: int | None

    @property
    def counts(self) -> list[int]:
        return list(self.distribution.counts)

    @property
    def blank(self) -> int:
        return self.distribution.blank

    def _value(self, figure: str) -> float | None:
        share = self.distribution.share(figure)
        return float(share.value) if share is not None and share.value is not None else None

    @property
    def positive(self) -> float | None:
        return self._value(survey_rules.POSITIVE)

    @property
    def clearly_positive(self) -> float | None:
        return self._value(survey_rules.CLEARLY_POSITIVE)

    @property
    def key_figure(self) -> float | None:
        return self._value(survey_rules.KEY_FIGURE)

    @property
    def yes(self) -> float | None:
        return self._value(survey_rules.YES)

    @property
    def mean(self):
        return self.distribution.mean

    @property
    def figures(self) -> dict:
        """Every figure as a share (``None`` where it does not apply), the mean and which figure
        is the headline."""
        d = self.distribution
        return {
            **{f: d.share(f) for f in survey_rules.SHARE_FIGURES},
            "mean": d.mean,
            "headline": d.headline,
        }

    @property
    def _headline_percent(self) -> int | None:
        return self.distribution.share(self.distribution.headline).percent

    @property
    def national_average_light(self) -> str:
        return survey_rules.light(self._headline_percent, self.national_average)

    @property
    def previous_year_light(self) -> str:
        return survey_rules.light(self._headline_percent, self.previous_year)


@dataclass(frozen=True)
class SurveyDetail:
    """One stored survey with the figures of every question (:func:`survey_detail`); the API's
    shape of it is :class:`outcomes.surveys.api.SurveyOutputSerializer`."""

    survey: Survey
    answers: list[AnswerDetail]

    @property
    def non_response(self) -> int:
        return self.survey.invited - self.survey.answered.total

    @property
    def response_rate(self):
        """Answered over invited (a share without value when nobody was invited)."""
        return survey_rules.response_rate(invited=self.survey.invited, answered=self.survey.answered.total)


def survey_detail(*, survey: Survey) -> SurveyDetail:
    """One stored survey as the API answers it: the body, per question every figure with the
    national average of the year and the same period a year earlier, and their lights.
    """
    association_id = survey.association_id
    period = Period.parse(survey.period)
    rows = list(survey.answers.select_related("question").order_by("question__position", "question__code"))
    previous_code = Period(period.year - 1, period.kind, period.number).code
    previous_survey = (
        Survey.objects.filter(
            association_id=association_id,
            intervention_id=survey.intervention_id,
            group=survey.group,
            period=previous_code,
        )
        .only("id")
        .first()
    )
    previous = {}
    if previous_survey is not None:
        previous_rows = list(previous_survey.answers.select_related("question"))
        previous = pool_answers(previous_rows, {r.question_id: r.question for r in previous_rows})
    averages = {
        a.question_id: a.percent
        for a in NationalAverage.objects.filter(
            association_id=association_id, year=period.year, question_id__in=[r.question_id for r in rows]
        )
    }
    answers = []
    for row in rows:
        q = row.question
        prev = previous.get(q.code)
        average = averages.get(q.pk)
        answers.append(
            AnswerDetail(
                question=q.code,
                distribution=survey_rules.Distribution(
                    scale=q.scale, counts=row.counts_for(q.scale), blank=row.blank, indicator=q.indicator
                ),
                national_average=average,
                previous_year=prev.share(prev.headline).percent if prev else None,
            )
        )
    return SurveyDetail(survey=survey, answers=answers)


def pool_answers(rows, questions: dict) -> dict[str, survey_rules.Distribution]:
    """Sum answer rows (``SurveyAnswer`` objects) per question code into distributions."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        target = sums.setdefault(row.question_id, [0] * 7)
        for i, f in enumerate((*OPTION_FIELDS, "blank")):
            target[i] += getattr(row, f)
    result = {}
    for question_id, values in sums.items():
        question = questions[question_id]
        n = survey_rules.option_count(question.scale)
        result[question.code] = survey_rules.Distribution(
            scale=question.scale, counts=tuple(values[:n]), blank=values[6], indicator=question.indicator
        )
    return result
