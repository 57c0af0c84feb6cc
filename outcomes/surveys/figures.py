"""Survey figures over stored surveys: which surveys answer for a period, and a figure over their
answers. :class:`SurveyFigures` is the one computation; the selector
:func:`outcomes.surveys.selectors.survey_figure` (one figure) and the goal recomputation (every
figure of an intervention's year, loaded once) both read it. The
figures themselves are :mod:`outcomes.surveys.rules`."""

from __future__ import annotations

from django.db.models import Q

from outcomes.models import Intervention
from outcomes.periods import Period
from outcomes.surveys import rules as survey_rules
from outcomes.surveys.models import OPTION_FIELDS, Survey, SurveyAnswer


def as_period(period) -> Period:
    return period if isinstance(period, Period) else Period.parse(str(period))


def resolve_period(surveys: list, period: Period) -> list:
    """The surveys that answer for ``period``: the one entered for exactly that period code, or
    else all entered for periods lying inside it (quarters of a year are pooled). Never both, so
    a year entered both whole and by quarter is not counted twice.
    """
    exact = [s for s in surveys if s.period == period.code]
    if exact:
        return exact
    return [s for s in surveys if s.period_start >= period.start and s.period_end <= period.end]


class SurveyFigures:
    """Surveys of an intervention (and its association's board and manager surveys) in a span of
    dates, with their answer rows, loaded by :func:`survey_figures_of`; :meth:`figure` computes
    a figure from them without a query.
    """

    def __init__(self, surveys: list, answers: list[dict]):
        self._surveys: dict[str, list] = {}
        for survey in surveys:
            self._surveys.setdefault(survey.group, []).append(survey)
        self._answers: dict[int, list[dict]] = {}
        for row in answers:
            self._answers.setdefault(row["survey_id"], []).append(row)

    def figure(
        self,
        *,
        period,
        figure: str,
        group: str,
        question_code: str | None = None,
        indicator_number: int | None = None,
    ) -> tuple[int, int] | None:
        """(numerator, denominator) of a survey ``figure`` for a period and respondent group.

        ``figure`` is ``positive``, ``clearly_positive``, ``key_figure`` or ``yes``
        (:mod:`outcomes.surveys.rules`, which holds the indicator-7 exception of the key figure).
        Give ``question_code`` for one question, or ``indicator_number`` to pool the answers of
        the group's questions of that indicator. The surveys answering for ``period`` are
        :func:`resolve_period`'s. Denominators exclude blank answers. Answers ``None`` when
        there is no survey, or when the figure does not apply to the question(s) (``yes`` of a
        six-step question); ``(0, 0)`` when the survey has no answers to them (``no_data``).
        """
        if figure not in survey_rules.SHARE_FIGURES:
            raise ValueError(f"unknown survey figure {figure!r}")
        if (question_code is None) == (indicator_number is None):
            raise ValueError("give exactly one of question_code and indicator_number")
        target = as_period(period)
        candidates = [
            s for s in self._surveys.get(group, []) if s.period_start >= target.start and s.period_end <= target.end
        ]
        chosen = resolve_period(candidates, target)
        if not chosen:
            return None
        # The answers are pooled per (scale, indicator): the key figure depends on the indicator.
        sums: dict[tuple, list[int]] = {}
        for survey in chosen:
            for row in self._answers.get(survey.pk, ()):
                if question_code is not None:
                    if row["question__code"] != question_code:
                        continue
                elif row["question__indicator"] != indicator_number or row["question__group"] != group:
                    continue
                key = (row["question__scale"], row["question__indicator"])
                values = [row[f] for f in (*OPTION_FIELDS, "blank")]
                total = sums.get(key)
                sums[key] = values if total is None else [a + b for a, b in zip(total, values, strict=True)]
        if not sums:
            return (0, 0)
        distributions = [
            survey_rules.Distribution(
                scale=scale,
                counts=tuple(values[: survey_rules.option_count(scale)]),
                blank=values[-1],
                indicator=indicator,
            )
            for (scale, indicator), values in sums.items()
        ]
        share = survey_rules.pooled(distributions, figure)
        return None if share is None else share.as_pair()


def survey_figures_of(*, intervention: Intervention, start, end, group: str | None = None) -> SurveyFigures:
    """The intervention's surveys (and its association's board and manager surveys) lying
    within ``start``..``end`` with their answers, in two queries (one when there is no survey),
    for :meth:`SurveyFigures.figure`. ``group`` narrows them to one respondent group.
    """
    owned = Q(intervention_id=intervention.pk) & ~Q(group__in=survey_rules.ASSOCIATION_GROUPS) | Q(
        association_id=intervention.association_id,
        intervention_id__isnull=True,
        group__in=survey_rules.ASSOCIATION_GROUPS,
    )
    surveys = Survey.objects.filter(owned, period_start__gte=start, period_end__lte=end)
    if group is not None:
        surveys = surveys.filter(group=group)
    surveys = list(surveys.only("id", "group", "period", "period_start", "period_end"))
    answers = []
    if surveys:
        answers = list(
            SurveyAnswer.objects.filter(survey_id__in=[s.pk for s in surveys]).values(
                "survey_id",
                "question__code",
                "question__scale",
                "question__indicator",
                "question__group",
                *OPTION_FIELDS,
                "blank",
            )
        )
    return SurveyFigures(surveys, answers)
