"""The survey tables of an intervention or association: five years of figures per question and
indicator, with national averages and traffic lights."""

from __future__ import annotations

from outcomes.models import Association, Intervention, SurveyQuestion
from outcomes.periods import Period
from outcomes.surveys import rules as survey_rules
from outcomes.surveys.figures import as_period, resolve_period
from outcomes.surveys.models import NationalAverage, Survey, SurveyAnswer
from outcomes.surveys.selectors import pool_answers, question_figures, ratio_dict, response_rate_dict

#: How many years a survey table shows: the period's own year and up to four before it.
SURVEY_TABLE_YEARS = 5


def survey_tables(*, intervention: Intervention | None = None, period, association: Association | None = None) -> dict:
    """Everything the annual report shows of an intervention's indicator surveys for ``period``.

    With ``intervention`` the intervention's groups (participants, staff, referrers); with only
    ``association`` the association's own groups (board, managers). ``period`` is a period code
    or :class:`Period`; rows cover it and the same period of up to four earlier years. A fixed
    number of queries however many groups, questions and years. Return shape::

        {
          "period": "2024",
          "periods": ["2024", "2023", "2022", "2021", "2020"],   # newest first, rows follow this
          "groups": [{
              "group": "participant_ongoing", "label": "pågående deltagare",
              "questions": [{"code": "p1", "number": 1, "text": "...", "indicator": 1,
                             "scale": "frequency6", "figure": "key_figure"}],   # the columns
              "rows": [{
                  "period": "2024", "has_survey": True,
                  "cells": [{                      # one per question, in column order
                      "question": "p1", "figure": "key_figure",           # "yes" for yes/no
                      "numerator": 15, "denominator": 24, "value": 62.5, "percent": 63,
                      "figures": {"positive": {...}, "clearly_positive": {...},
                                  "key_figure": {...}, "yes": None, "mean": 4.71, "headline": ...},
                      "national_average": 60.0 | None, "national_light": "green",
                      "previous_percent": 58 | None, "previous_light": "green"}]}],
              "response_rate": {"invited": 33, "non_response": 9, "answered": 24,
                                "answered_by_gender": {"women": 14, "men": 9, "other": 1},
                                "value": 72.7, "percent": 73, "numerator": 24, "denominator": 33}
                                | None                          # for ``period`` itself
          }],
          "response_rates": [{"group": ..., "label": ..., **response_rate}],  # groups with a survey
        }

    Ratios without answers have ``value``/``percent`` ``None`` (``no_data``). Lights are
    ``green`` (higher), ``yellow`` (equal as whole percents), ``red`` (lower) or ``no_data``.
    Groups without any survey in the five periods are left out.
    """
    target = as_period(period)
    if intervention is not None:
        return survey_tables_many(interventions=[intervention], period=target)[intervention.pk]
    window = _table_window(target)
    stored = list(
        Survey.objects.filter(
            association_id=association.pk,
            intervention_id__isnull=True,
            group__in=survey_rules.ASSOCIATION_GROUPS,
            period_start__gte=window[-1].start,
            period_end__lte=target.end,
        ).order_by("period_start")
    )
    return _tables_from(
        target, survey_rules.ASSOCIATION_GROUPS, stored, *_table_lookups(stored, [association.pk], window)
    )


def survey_tables_many(*, interventions, period) -> dict[int, dict]:
    """:func:`survey_tables` of several interventions at once, by intervention id, in four
    queries however many interventions (for summaries over a whole association).
    """
    target = as_period(period)
    interventions = list(interventions)
    window = _table_window(target)
    stored = list(
        Survey.objects.filter(
            intervention__in=[i.pk for i in interventions],
            group__in=survey_rules.INTERVENTION_GROUPS,
            period_start__gte=window[-1].start,
            period_end__lte=target.end,
        ).order_by("period_start")
    )
    answers, questions, averages = _table_lookups(stored, {i.association_id for i in interventions}, window)
    result = {}
    for intervention in interventions:
        own = [s for s in stored if s.intervention_id == intervention.pk]
        own_questions = {pk: q for pk, q in questions.items() if q.association_id == intervention.association_id}
        result[intervention.pk] = _tables_from(
            target, survey_rules.INTERVENTION_GROUPS, own, answers, own_questions, averages
        )
    return result


def _table_window(target: Period) -> list[Period]:
    """The period and the same period of the years before: rows plus one more for comparison."""
    return [Period(target.year - k, target.kind, target.number) for k in range(SURVEY_TABLE_YEARS + 1)]


def _table_lookups(stored: list, association_ids, window: list[Period]):
    """Answer rows by survey, questions by id and national averages by (question, year)."""
    answers_by_survey: dict[int, list] = {}
    for row in SurveyAnswer.objects.filter(survey__in=[s.pk for s in stored]):
        answers_by_survey.setdefault(row.survey_id, []).append(row)
    questions = {
        q.pk: q for q in SurveyQuestion.objects.filter(association_id__in=association_ids).order_by("position", "code")
    }
    averages = {
        (a.question_id, a.year): a.percent
        for a in NationalAverage.objects.filter(
            association_id__in=association_ids, year__gte=window[-1].year, year__lte=window[0].year
        )
    }
    return answers_by_survey, questions, averages


def _table_cell(q, distributions: dict, previous: dict, average) -> dict:
    """One cell: the question's figure in a period, against the national average and the year before."""
    d = distributions.get(q.code)
    figure = survey_rules.headline_figure(q.scale)
    share = d.share(figure) if d else survey_rules.Share(0, 0)
    prev = previous.get(q.code)
    prev_percent = prev.share(figure).percent if prev else None
    return {
        "question": q.code,
        "figure": figure,
        **ratio_dict(share),
        "figures": question_figures(d) if d else None,
        "national_average": float(average) if average is not None else None,
        "national_light": survey_rules.light(share.percent, average),
        "previous_percent": prev_percent,
        "previous_light": survey_rules.light(share.percent, prev_percent),
    }


def _group_table(group: str, label: str, target: Period, window: list[Period], group_surveys: list, loaded) -> tuple:
    """The table of one respondent group and its response rate in ``target`` (``None``: no survey)."""
    answers_by_survey, questions, averages = loaded
    per_period = {}
    for p in window:
        chosen = resolve_period(group_surveys, p)
        rows = [a for s in chosen for a in answers_by_survey.get(s.pk, [])]
        per_period[p.code] = (chosen, pool_answers(rows, questions))
    answered_ids = {a.question_id for s in group_surveys for a in answers_by_survey.get(s.pk, [])}
    columns = [q for q in questions.values() if q.group == group and q.is_visible(used=q.pk in answered_ids)]
    table_rows = []
    for p in window[:SURVEY_TABLE_YEARS]:
        chosen, distributions = per_period[p.code]
        _before, previous = per_period[Period(p.year - 1, p.kind, p.number).code]
        cells = [_table_cell(q, distributions, previous, averages.get((q.pk, p.year))) for q in columns]
        table_rows.append({"period": p.code, "has_survey": bool(chosen), "cells": cells})
    chosen, _d = per_period[target.code]
    rate = response_rate_dict(chosen) if chosen else None
    table = {
        "group": group,
        "label": label,
        "questions": [
            {
                "code": q.code,
                "number": q.number,
                "text": q.text_sv,
                "indicator": q.indicator,
                "scale": q.scale,
                "figure": survey_rules.headline_figure(q.scale),
            }
            for q in columns
        ],
        "rows": table_rows,
        "response_rate": rate,
    }
    return table, rate


def _tables_from(target: Period, owner_groups, stored: list, answers_by_survey, questions, averages) -> dict:
    """Build the :func:`survey_tables` answer from rows already loaded (no queries)."""
    window = _table_window(target)
    labels = dict(Survey._meta.get_field("group").choices)
    groups, response_rates = [], []
    for group in [g for g in labels if g in owner_groups]:
        group_surveys = [s for s in stored if s.group == group]
        if not group_surveys:
            continue
        table, rate = _group_table(
            group, str(labels[group]), target, window, group_surveys, (answers_by_survey, questions, averages)
        )
        if rate is not None:
            response_rates.append({"group": group, "label": str(labels[group]), **rate})
        groups.append(table)
    return {
        "period": target.code,
        "periods": [p.code for p in window[:SURVEY_TABLE_YEARS]],
        "groups": groups,
        "response_rates": response_rates,
    }
