"""Reads of indicator surveys. The figures themselves are computed by :mod:`outcomes.surveys.rules`,
over stored surveys by :class:`outcomes.surveys.figures.SurveyFigures`."""

from __future__ import annotations

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


def survey_figure(
    *,
    intervention: Intervention,
    period,
    figure: str,
    group: str,
    question_code: str | None = None,
    indicator_number: int | None = None,
) -> tuple[int, int] | None:
    """(numerator, denominator) of a survey ``figure`` of an intervention for a period code and
    respondent group, or ``None`` without a survey: :meth:`SurveyFigures.figure
    <outcomes.surveys.figures.SurveyFigures.figure>` (which says what each argument means) over
    the surveys of ``group`` within ``period``, loaded in two queries. Board and managers'
    surveys are the intervention's association's.
    """
    target = as_period(period)
    figures = survey_figures_of(intervention=intervention, start=target.start, end=target.end, group=group)
    return figures.figure(
        period=target, figure=figure, group=group, question_code=question_code, indicator_number=indicator_number
    )


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


def survey_detail(*, survey: Survey) -> dict:
    """One stored survey as the API answers it: the body, per question every figure with the
    national average of the year and the same period a year earlier, and their lights.

    A question without non-blank answers has figures ``None`` and lights ``no_data``.
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
        d = survey_rules.Distribution(
            scale=q.scale, counts=row.counts_for(q.scale), blank=row.blank, indicator=q.indicator
        )
        figures = question_figures(d)
        headline = d.share(d.headline)
        prev = previous.get(q.code)
        prev_percent = prev.share(prev.headline).percent if prev else None
        average = averages.get(q.pk)
        answers.append(
            {
                "question": q.code,
                "counts": list(d.counts),
                "blank": d.blank,
                **{f: (figures[f] or {}).get("value") for f in survey_rules.SHARE_FIGURES},
                "mean": figures["mean"],
                "figures": figures,
                "national_average": float(average) if average is not None else None,
                "national_average_light": survey_rules.light(headline.percent, average),
                "previous_year": prev_percent,
                "previous_year_light": survey_rules.light(headline.percent, prev_percent),
            }
        )
    rate = response_rate_dict([survey])
    return {
        "period": survey.period,
        "group": survey.group,
        "intervention": survey.intervention_id,
        "association": association_id,
        "version": survey.version,
        "invited": survey.invited,
        "answered": survey.answered.as_dict(),
        "answered_total": survey.answered.total,
        "non_response": rate["non_response"],
        "response_rate": rate["value"],
        "response_rate_percent": rate["percent"],
        "answers": answers,
    }


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
