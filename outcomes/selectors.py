"""Reads of the outcomes app that are more than a one-line queryset."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from outcomes.models import (
    Association,
    BreakdownCount,
    ExitCount,
    Intervention,
    Membership,
    PeriodReport,
    Role,
    User,
)
from outcomes.periods import Period
from outcomes.rules import GENDERS, Counts, ReportFigures


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    """Interventions the user may read: all of their associations' for staff and viewers, the
    granted ones for coordinators. An anonymous or unassigned user sees none.
    """
    if not user.is_authenticated:
        return Intervention.objects.none()
    memberships = Membership.objects.filter(user=user)
    association_ids = memberships.filter(role__in=[Role.STAFF, Role.VIEWER]).values("association_id")
    intervention_ids = memberships.filter(role=Role.COORDINATOR).values("intervention_id")
    return Intervention.objects.filter(Q(association_id__in=association_ids) | Q(id__in=intervention_ids))


def associations_visible_to(user: User) -> QuerySet[Association]:
    """Associations in which the user holds any role."""
    if not user.is_authenticated:
        return Association.objects.none()
    return Association.objects.filter(memberships__user=user).distinct()


def user_role_in(user: User, association: Association) -> set[str]:
    """The roles the user holds in the association (empty when none)."""
    return set(Membership.objects.filter(user=user, association=association).values_list("role", flat=True))


def period_figures(*, intervention: Intervention, period: Period, include_drafts: bool = False) -> ReportFigures:
    """The stock-and-flow figures of one intervention over any period made of its base periods.

    Counts only submitted and approved reports unless ``include_drafts``. Raises
    :class:`~outcomes.periods.PeriodError` when the period does not align with the intervention's
    frequency. With no reports in the period every figure is zero. The stocks and flows are
    aggregated in the database by :meth:`PeriodReportQuerySet.period_totals`.
    """
    period.base_periods(intervention.frequency)
    reports = PeriodReport.objects.filter(intervention=intervention).counted(include_drafts=include_drafts)
    row = next(iter(reports.period_totals(period)), None)
    if row is None:
        return ReportFigures()
    exits_by_reason: dict[str, Counts] = {}
    scoped = {"report__in": reports.within(period)}
    for reason in ExitCount.objects.filter(**scoped).values("reason__code").annotate(**{g: Sum(g) for g in GENDERS}):
        exits_by_reason[reason["reason__code"]] = Counts(*(reason[g] for g in GENDERS))
    breakdowns: dict[str, dict[str, Counts]] = {}
    for cat in (
        BreakdownCount.objects.filter(**scoped)
        .values("category__dimension__code", "category__code")
        .annotate(**{g: Sum(g) for g in GENDERS})
    ):
        breakdowns.setdefault(cat["category__dimension__code"], {})[cat["category__code"]] = Counts(
            *(cat[g] for g in GENDERS)
        )
    return ReportFigures(
        ongoing_at_start=Counts(*(row[f"ongoing_start_{g}"] for g in GENDERS)),
        new=Counts(*(row[f"new_{g}"] for g in GENDERS)),
        exits=Counts(*(row[f"exits_{g}"] for g in GENDERS)),
        exits_by_reason=exits_by_reason,
        breakdowns=breakdowns,
        spent_sek=row["spent_sek"] or 0,
    )


# --- Surveys (issue 6) -------------------------------------------------------------------------
# Reads of indicator surveys. The figures themselves are computed by :mod:`outcomes.surveys`.

from outcomes import surveys as survey_rules  # noqa: E402
from outcomes.models import SurveyQuestion  # noqa: E402
from outcomes.models.surveys import OPTION_FIELDS, NationalAverage, Survey, SurveyAnswer  # noqa: E402

#: How many years a survey table shows: the period's own year and up to four before it.
SURVEY_TABLE_YEARS = 5


def _as_period(period) -> Period:
    return period if isinstance(period, Period) else Period.parse(str(period))


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


def _resolve_period(surveys: list, period: Period) -> list:
    """The surveys that answer for ``period``: the one entered for exactly that period code, or
    else all entered for periods lying inside it (quarters of a year are pooled). Never both, so
    a year entered both whole and by quarter is not counted twice.
    """
    exact = [s for s in surveys if s.period == period.code]
    if exact:
        return exact
    return [s for s in surveys if s.period_start >= period.start and s.period_end <= period.end]


def survey_figure(
    *,
    intervention: Intervention,
    period,
    figure: str,
    group: str,
    question_code: str | None = None,
    indicator_number: int | None = None,
) -> tuple[int, int] | None:
    """(numerator, denominator) of a survey ``figure`` for a period code and respondent group.

    ``figure`` is ``positive``, ``clearly_positive``, ``key_figure`` or ``yes``
    (:mod:`outcomes.surveys`). Give ``question_code`` for one question, or ``indicator_number``
    to pool the answers of the group's questions of that indicator. The survey entered for
    exactly ``period`` is used, or else the surveys of periods inside it pooled (see
    :func:`_resolve_period`). Board and managers' surveys are the intervention's association's.
    Denominators exclude blank answers. Answers ``None`` when there is no survey, or when the
    figure does not apply to the question(s) (``yes`` of a six-step question); ``(0, 0)`` when
    the survey has no answers to them (``no_data``). Sums are taken in the database.
    """
    if figure not in survey_rules.SHARE_FIGURES:
        raise ValueError(f"unknown survey figure {figure!r}")
    if (question_code is None) == (indicator_number is None):
        raise ValueError("give exactly one of question_code and indicator_number")
    target = _as_period(period)
    candidates = list(
        surveys_of(intervention=intervention, group=group)
        .filter(period_start__gte=target.start, period_end__lte=target.end)
        .only("id", "period", "period_start", "period_end")
    )
    chosen = _resolve_period(candidates, target)
    if not chosen:
        return None
    answers = SurveyAnswer.objects.filter(survey__in=[s.pk for s in chosen])
    if question_code is not None:
        answers = answers.filter(question__code=question_code)
    else:
        answers = answers.filter(question__indicator=indicator_number, question__group=group)
    rows = answers.values("question__scale", "question__indicator").annotate(
        **{f: Sum(f) for f in (*OPTION_FIELDS, "blank")}
    )
    distributions = [
        survey_rules.Distribution(
            scale=row["question__scale"],
            counts=tuple(row[f] for f in OPTION_FIELDS[: survey_rules.option_count(row["question__scale"])]),
            blank=row["blank"],
            indicator=row["question__indicator"],
        )
        for row in rows
    ]
    if not distributions:
        return (0, 0)
    share = survey_rules.pooled(distributions, figure)
    return None if share is None else share.as_pair()


def _ratio_dict(ratio) -> dict | None:
    if ratio is None:
        return None
    value = ratio.value
    return {
        "numerator": ratio.numerator,
        "denominator": ratio.denominator,
        "value": float(value) if value is not None else None,
        "percent": ratio.percent,
    }


def question_figures(distribution) -> dict:
    """Every figure of one question's distribution as plain values (ratios as dicts)."""
    mean = distribution.mean
    return {
        **{f: _ratio_dict(distribution.share(f)) for f in survey_rules.SHARE_FIGURES},
        "mean": float(mean) if mean is not None else None,
        "headline": distribution.headline,
    }


def _pool_answers(rows, questions: dict) -> dict[str, survey_rules.Distribution]:
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
    target = _as_period(period)
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
    target = _as_period(period)
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


def _tables_from(target: Period, owner_groups, stored: list, answers_by_survey, questions, averages) -> dict:
    """Build the :func:`survey_tables` answer from rows already loaded (no queries)."""
    window = _table_window(target)
    row_periods = window[:SURVEY_TABLE_YEARS]
    labels = dict(Survey._meta.get_field("group").choices)

    groups, response_rates = [], []
    for group in [g for g in labels if g in owner_groups]:
        group_surveys = [s for s in stored if s.group == group]
        if not group_surveys:
            continue
        per_period = {}
        for p in window:
            chosen = _resolve_period(group_surveys, p)
            rows = [a for s in chosen for a in answers_by_survey.get(s.pk, [])]
            per_period[p.code] = (chosen, _pool_answers(rows, questions))
        answered_ids = {a.question_id for s in group_surveys for a in answers_by_survey.get(s.pk, [])}
        columns = [q for q in questions.values() if q.group == group and (q.active or q.pk in answered_ids)]
        table_rows = []
        for p in row_periods:
            chosen, distributions = per_period[p.code]
            _before, previous = per_period[Period(p.year - 1, p.kind, p.number).code]
            cells = []
            for q in columns:
                d = distributions.get(q.code)
                figure = survey_rules.YES if q.scale == survey_rules.YES_NO else survey_rules.KEY_FIGURE
                share = d.share(figure) if d else survey_rules.Share(0, 0)
                prev = previous.get(q.code)
                prev_percent = prev.share(figure).percent if prev else None
                average = averages.get((q.pk, p.year))
                cells.append(
                    {
                        "question": q.code,
                        "figure": figure,
                        **_ratio_dict(share),
                        "figures": question_figures(d) if d else None,
                        "national_average": float(average) if average is not None else None,
                        "national_light": survey_rules.light(share.percent, average),
                        "previous_percent": prev_percent,
                        "previous_light": survey_rules.light(share.percent, prev_percent),
                    }
                )
            table_rows.append({"period": p.code, "has_survey": bool(chosen), "cells": cells})
        chosen, _d = per_period[target.code]
        rate = _response_rate_dict(chosen) if chosen else None
        if rate is not None:
            response_rates.append({"group": group, "label": str(labels[group]), **rate})
        groups.append(
            {
                "group": group,
                "label": str(labels[group]),
                "questions": [
                    {
                        "code": q.code,
                        "number": q.number,
                        "text": q.text_sv,
                        "indicator": q.indicator,
                        "scale": q.scale,
                        "figure": survey_rules.YES if q.scale == survey_rules.YES_NO else survey_rules.KEY_FIGURE,
                    }
                    for q in columns
                ],
                "rows": table_rows,
                "response_rate": rate,
            }
        )
    return {
        "period": target.code,
        "periods": [p.code for p in row_periods],
        "groups": groups,
        "response_rates": response_rates,
    }


def _response_rate_dict(surveys: list) -> dict:
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
        **_ratio_dict(ratio),
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
        previous = _pool_answers(previous_rows, {r.question_id: r.question for r in previous_rows})
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
    rate = _response_rate_dict([survey])
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


# --- start page, completeness and history (issue 3: web forms) --------------------------------

import datetime as _dt  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402

from django.db.models import OuterRef as _OuterRef  # noqa: E402
from django.db.models import Subquery as _Subquery  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402

from outcomes.models import DimensionCategory, ExitReason, ReportHistory, ReportStatus  # noqa: E402
from outcomes.rules import GENDER_LABELS  # noqa: E402

NOT_STARTED = "not_started"
OVERDUE = "overdue"
HOME_PERIODS = 4


def report_deadline(period: Period, association: Association) -> _dt.date:
    """The last day a report for ``period`` is on time: the period's end plus the association's
    ``overdue_days``."""
    return period.end + _dt.timedelta(days=association.overdue_days)


@_dataclass
class PeriodStatus:
    """The state of one base period of one intervention as a coordinator sees it."""

    period: Period
    report: PeriodReport | None
    deadline: _dt.date
    overdue: bool
    submitted_by: str = ""

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self) -> str:
        label = self.report.get_status_display() if self.report else _gettext("ej påbörjad")
        return _gettext("%(status)s, försenad") % {"status": label} if self.overdue else label

    @property
    def counted(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def late(self) -> bool:
        """Submitted after the deadline (an approved or submitted report that came in late)."""
        if not self.report or not self.report.submitted_at:
            return False
        from django.utils import timezone

        return timezone.localtime(self.report.submitted_at).date() > self.deadline


def _period_status(period: Period, intervention: Intervention, report, today: _dt.date) -> PeriodStatus:
    deadline = report_deadline(period, intervention.association)
    done = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    return PeriodStatus(period=period, report=report, deadline=deadline, overdue=not done and today > deadline)


def recent_base_periods(intervention: Intervention, today: _dt.date, count: int = HOME_PERIODS) -> list[Period]:
    """The intervention's last ``count`` base periods up to the one containing ``today``, newest
    first, never before its start or after its end. Empty for an intervention not started yet."""
    period = Period.for_date(min(today, intervention.end or today), intervention.frequency)
    periods = []
    while len(periods) < count and period.end >= intervention.start:
        periods.append(period)
        period = period.previous()
    return periods


def home_overview(user: User, today: _dt.date) -> list[tuple[Intervention, list[PeriodStatus]]]:
    """Every visible active intervention with the status of its recent base periods, plus any
    older period whose report is still a draft or submitted (work not yet approved), newest first.

    Two queries whatever the number of interventions: the interventions, and their reports in
    the window or not approved. A period without a report is *not started*; one not submitted
    some days after it ended (``Association.overdue_days``) is *overdue*.
    """
    interventions = list(
        interventions_visible_to(user).active().select_related("association").order_by("association__name", "name")
    )
    windows = {i.pk: recent_base_periods(i, today) for i in interventions}
    earliest = min((p.start for periods in windows.values() for p in periods), default=today)
    reports = {}
    for report in PeriodReport.objects.filter(intervention__in=interventions).filter(
        Q(period_start__gte=earliest) | ~Q(status=ReportStatus.APPROVED)
    ):
        reports[(report.intervention_id, report.period)] = report
    overview = []
    for intervention in interventions:
        periods = {p.code: p for p in windows[intervention.pk]}
        for intervention_id, code in reports:
            if intervention_id == intervention.pk and code not in periods:
                periods[code] = Period.parse(code)
        ordered = sorted(periods.values(), key=lambda p: p.start, reverse=True)
        overview.append(
            (
                intervention,
                [_period_status(p, intervention, reports.get((intervention.pk, p.code)), today) for p in ordered],
            )
        )
    return overview


def reporting_completeness(association: Association, period: Period, today: _dt.date) -> list[PeriodStatus]:
    """One row per active intervention and base period inside ``period`` (for a monthly
    intervention, every month of it), with status, lateness and who submitted.

    Interventions that had not started or had ended in the period are left out. Three queries
    whatever the number of interventions. ``row.intervention`` is set on each row.
    """
    interventions = list(
        Intervention.objects.filter(association=association, active=True, start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .select_related("association")
        .order_by("name")
    )
    submitted_by = (
        ReportHistory.objects.filter(report=_OuterRef("pk"), kind="status", new=ReportStatus.SUBMITTED)
        .order_by("-at", "-id")
        .values("user__email")[:1]
    )
    reports = {
        (r.intervention_id, r.period): r
        for r in PeriodReport.objects.filter(intervention__in=interventions)
        .within(period)
        .annotate(submitted_by=_Subquery(submitted_by))
    }
    rows = []
    for intervention in interventions:
        for base in period.base_periods(intervention.frequency):
            if base.end < intervention.start or (intervention.end and base.start > intervention.end):
                continue
            report = reports.get((intervention.pk, base.code))
            row = _period_status(base, intervention, report, today)
            row.intervention = intervention
            row.submitted_by = (getattr(report, "submitted_by", None) or "") if row.counted else ""
            rows.append(row)
    return rows


def field_labels(association_id: int) -> dict[str, str]:
    """Swedish labels for the history's field keys (``new.women`` → "Nya deltagare, kvinnor")."""
    labels = {"spent_sek": _gettext("Förbrukat (kr)"), "comment": _gettext("Kommentar"), "status": _gettext("Status")}
    groups = {
        "ongoing_at_start": _gettext("Pågående vid periodens början"),
        "new": _gettext("Nya deltagare"),
        "exits": _gettext("Avslutade"),
    }
    for reason in ExitReason.objects.filter(association_id=association_id):
        groups[f"exits_by_reason.{reason.code}"] = _gettext("Avslutade, %(reason)s") % {"reason": reason.label_sv}
    for category in DimensionCategory.objects.filter(dimension__association_id=association_id).select_related(
        "dimension"
    ):
        groups[f"breakdowns.{category.dimension.code}.{category.code}"] = (
            f"{category.dimension.label_sv}: {category.label_sv}"
        )
    for prefix, label in groups.items():
        for gender, gender_label in GENDER_LABELS.items():
            labels[f"{prefix}.{gender}"] = f"{label}, {gender_label}"
    return labels


def report_history(report: PeriodReport) -> list[ReportHistory]:
    """The report's history, newest first, each entry with ``label`` (the field in Swedish) and
    for status entries ``old_label``/``new_label``. Empty for a report never changed."""
    labels = field_labels(report.intervention.association_id)
    statuses = dict(ReportStatus.choices)
    entries = list(report.history.select_related("user").order_by("-at", "-id"))
    for entry in entries:
        entry.label = labels.get(entry.field, entry.field)
        if entry.kind == "status":
            entry.old_label = str(statuses.get(entry.old, "")) if entry.old else _gettext("(ny rapport)")
            entry.new_label = str(statuses.get(entry.new, entry.new))
        else:
            entry.old_label, entry.new_label = entry.old, entry.new
    return entries


# --- Survey figures in bulk (issue 8: goal recomputation at national scale) --------------------
# The figures of :func:`survey_figure` for many periods, questions and indicators of one
# intervention from two queries, for the goal recomputation. Same rules: the survey entered for
# exactly the period or else those inside it pooled (:func:`_resolve_period`), association
# surveys for board and managers, blank answers out of the denominator, ``None``/``(0, 0)``.


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
        target = _as_period(period)
        candidates = [
            s for s in self._surveys.get(group, []) if s.period_start >= target.start and s.period_end <= target.end
        ]
        chosen = _resolve_period(candidates, target)
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
