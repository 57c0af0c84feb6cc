"""Survey figures in bulk, for the goal recomputation at national scale."""

from __future__ import annotations

from dataclasses import dataclass as dataclass

from django.db.models import OuterRef as OuterRef
from django.db.models import Q
from django.db.models import Subquery as Subquery
from django.utils.translation import gettext as gettext

from outcomes.models import (
    Intervention,
)
from outcomes.surveys import rules as survey_rules
from outcomes.surveys.models import OPTION_FIELDS, Survey, SurveyAnswer
from outcomes.surveys.selectors import as_period, resolve_period


class SurveyFigures:
    """Every survey of an intervention (and its association's board and manager surveys) in a
    span of dates, with the answers summed per survey and question, loaded by
    :func:`survey_figures_of`. :meth:`figure` answers exactly what :func:`survey_figure` would.
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
        """(numerator, denominator) as :func:`survey_figure` answers it, without a query."""
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
        # Summed per (scale, indicator) like the GROUP BY of survey_figure.
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


def survey_figures_of(*, intervention: Intervention, start, end) -> SurveyFigures:
    """The intervention's surveys (and its association's board and manager surveys) lying
    within ``start``..``end`` with their answers, in two queries, for :meth:`SurveyFigures.figure`.
    """
    surveys = list(
        Survey.objects.filter(
            Q(intervention_id=intervention.pk) & ~Q(group__in=survey_rules.ASSOCIATION_GROUPS)
            | Q(
                association_id=intervention.association_id,
                intervention_id__isnull=True,
                group__in=survey_rules.ASSOCIATION_GROUPS,
            ),
            period_start__gte=start,
            period_end__lte=end,
        ).only("id", "group", "period", "period_start", "period_end")
    )
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
