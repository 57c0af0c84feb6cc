"""Web pages for indicator surveys (mounted at ``/enkater/``).

Coordinators and staff enter an intervention's survey in one grid per question (answer options ×
count, with the running total against the number who answered, computed by the server so the page
works without JavaScript); viewers read. The association's board and managers' surveys and the
national averages are entered by staff. Every write goes through :mod:`outcomes.surveys.services`, so the
form refuses exactly what the API refuses, with the rule named, and stores nothing then."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize_input, sanitize_separators
from django.utils.translation import gettext as _

from outcomes.catalog.models import RespondentGroup
from outcomes.models import SurveyQuestion
from outcomes.organisations.access import (
    association_for,
    can_read_summaries,
    can_write_reports,
    intervention_for,
    is_staff_of,
)
from outcomes.organisations.selectors import associations_visible_to, interventions_visible_to
from outcomes.periods import Period, PeriodError
from outcomes.shares import without_percent_sign
from outcomes.surveys import rules as survey_rules
from outcomes.surveys.api import SurveyOutputSerializer
from outcomes.surveys.forms import SurveyForm
from outcomes.surveys.models import NationalAverage
from outcomes.surveys.selectors import survey_detail, surveys_of
from outcomes.surveys.services import SurveyError, national_averages_set, survey_save
from outcomes.surveys.tables import survey_tables
from outcomes.violations import RuleViolation

GROUP_LABELS = dict(RespondentGroup.choices)


def _questions_for(association_id: int, group: str, survey=None):
    """The group's questions of the form: the active ones and the retired ones the survey answers."""
    answered = survey.answers.values("question_id") if survey else []
    questions = SurveyQuestion.objects.filter(association_id=association_id, group=group).visible_for(answered)
    return list(questions.order_by("position", "code"))


def _survey_page(request, *, intervention, association, period: str, group: str, can_write: bool, back_url: str):
    """Show and (for writers) save one survey; shared by intervention and association pages."""
    try:
        period_code = Period.parse(period).code
        violations = []
    except PeriodError as exc:
        violations = [RuleViolation(exc.code, "period", exc.message)]
    violations += survey_rules.check_group(group, for_intervention=intervention is not None)
    if violations:
        context = {"violations": violations, "back_url": back_url}
        return render(request, "outcomes/survey_refused.html", context, status=400)
    owner_association_id = intervention.association_id if intervention else association.pk
    survey = (
        surveys_of(intervention=intervention, association=association, group=group).filter(period=period_code).first()
    )
    detail = SurveyOutputSerializer(survey_detail(survey=survey)).data if survey else None
    questions = _questions_for(owner_association_id, group, survey)
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = SurveyForm(request.POST, questions=questions)
        if form.is_valid():
            data = form.to_input()
            try:
                survey_save(
                    intervention=intervention,
                    association=association,
                    period_code=period_code,
                    group=group,
                    data=data,
                    user=request.user,
                )
            except SurveyError as error:
                form.add_violations(error.violations, data)
                status = 400
            else:
                messages.success(request, _("Enkäten är sparad."))
                return redirect(request.path)
        else:
            status = 400
    else:
        form = SurveyForm(initial=SurveyForm.initial_from(detail), questions=questions)
    texts = {q.code: q for q in questions}
    context = {
        "intervention": intervention,
        "association": association if association else intervention.association,
        "period": period_code,
        "group": group,
        "group_label": GROUP_LABELS[group],
        "form": form,
        "grids": form.grids(),
        "detail": detail,
        "detail_rows": [(texts.get(a["question"]), a) for a in (detail or {}).get("answers", [])],
        "can_write": can_write,
        "back_url": back_url,
    }
    return render(request, "outcomes/survey_form.html", context, status=status)


@login_required
def survey_index(request):
    """Interventions and associations whose surveys the user may see."""
    interventions = interventions_visible_to(request.user).select_related("association")
    associations = [a for a in associations_visible_to(request.user) if can_read_summaries(request.user, a.pk)]
    staff_of = {a.pk for a in associations if is_staff_of(request.user, a.pk)}
    return render(
        request,
        "outcomes/survey_index.html",
        {"interventions": interventions, "associations": associations, "staff_of": staff_of, "year": _this_year()},
    )


def _this_year() -> int:
    return timezone.localdate().year


def _tables_context(request, tables_kwargs: dict) -> dict:
    code = request.GET.get("period") or str(_this_year())
    error = None
    try:
        period = Period.parse(code)
        tables = survey_tables(period=period, **tables_kwargs)
    except PeriodError as exc:
        error, tables = exc.message, None
    year = period.year if error is None else _this_year()
    return {"period": code, "tables": tables, "period_error": error, "year": year}


@login_required
def intervention_surveys(request, pk: int):
    """An intervention's survey tables for a period, and where to enter a survey."""
    intervention = intervention_for(request.user, pk)
    groups = [(g, GROUP_LABELS[g]) for g in GROUP_LABELS if g in survey_rules.INTERVENTION_GROUPS]
    context = {
        "intervention": intervention,
        "association": intervention.association,
        "groups": groups,
        "can_write": can_write_reports(request.user, intervention),
        "is_staff": is_staff_of(request.user, intervention.association_id),
        "choose_url": reverse("survey-intervention-choose", args=[intervention.pk]),
        **_tables_context(request, {"intervention": intervention}),
    }
    return render(request, "outcomes/survey_overview.html", context)


def _choose(request, url_name: str, pk: int, allowed_groups):
    period = request.GET.get("period", "")
    group = request.GET.get("group", "")
    try:
        period = Period.parse(period).code
    except PeriodError as exc:
        messages.error(request, exc.message)
        return None
    if group not in allowed_groups:
        messages.error(request, _("Välj en respondentgrupp."))
        return None
    return redirect(url_name, pk=pk, period=period, group=group)


@login_required
def intervention_survey_choose(request, pk: int):
    """The period-and-group chooser (a plain GET form) leads to the survey's page."""
    intervention = intervention_for(request.user, pk)
    response = _choose(request, "survey-intervention-edit", intervention.pk, survey_rules.INTERVENTION_GROUPS)
    return response or redirect("survey-intervention", pk=intervention.pk)


@login_required
def intervention_survey_edit(request, pk: int, period: str, group: str):
    intervention = intervention_for(request.user, pk)
    return _survey_page(
        request,
        intervention=intervention,
        association=None,
        period=period,
        group=group,
        can_write=can_write_reports(request.user, intervention),
        back_url=reverse("survey-intervention", args=[intervention.pk]),
    )


def _readable_association(request, pk):
    association = association_for(request.user, pk)
    if not can_read_summaries(request.user, association.pk):
        raise Http404
    return association


@login_required
def association_surveys(request, pk: int):
    """The association's own board and managers' surveys, and its national averages."""
    association = _readable_association(request, pk)
    groups = [(g, GROUP_LABELS[g]) for g in GROUP_LABELS if g in survey_rules.ASSOCIATION_GROUPS]
    context = {
        "intervention": None,
        "association": association,
        "groups": groups,
        "can_write": is_staff_of(request.user, association.pk),
        "choose_url": reverse("survey-association-choose", args=[association.pk]),
        "averages_years": sorted(
            set(NationalAverage.objects.filter(association=association).values_list("year", flat=True)), reverse=True
        ),
        **_tables_context(request, {"association": association}),
    }
    return render(request, "outcomes/survey_overview.html", context)


@login_required
def association_survey_choose(request, pk: int):
    association = _readable_association(request, pk)
    response = _choose(request, "survey-association-edit", association.pk, survey_rules.ASSOCIATION_GROUPS)
    return response or redirect("survey-association", pk=association.pk)


@login_required
def association_survey_edit(request, pk: int, period: str, group: str):
    association = _readable_association(request, pk)
    return _survey_page(
        request,
        intervention=None,
        association=association,
        period=period,
        group=group,
        can_write=is_staff_of(request.user, association.pk),
        back_url=reverse("survey-association", args=[association.pk]),
    )


@login_required
def national_averages(request, pk: int, year: int):
    """One number input per question for the year's national averages; staff save, viewers read."""
    association = _readable_association(request, pk)
    can_write = is_staff_of(request.user, association.pk)
    questions = list(SurveyQuestion.objects.filter(association=association).order_by("group", "position", "code"))
    stored = {a.question_id: a.percent for a in NationalAverage.objects.filter(association=association, year=year)}
    errors: dict[str, str] = {}
    general_errors: list[str] = []
    values = {q.code: ("" if stored.get(q.pk) is None else localize_input(stored[q.pk])) for q in questions}
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        values = {
            q.code: sanitize_separators(without_percent_sign(request.POST.get(f"avg_{q.code}", ""))) for q in questions
        }
        try:
            national_averages_set(association=association, year=year, values=values, user=request.user)
        except SurveyError as error:
            status = 400
            for v in error.violations:
                message = v.message
                if v.field in values:
                    errors[v.field] = message
                else:
                    general_errors.append(message)
        else:
            messages.success(request, _("Rikssnitten för %(year)s är sparade.") % {"year": year})
            return redirect(request.path)
    rows = []
    for q in questions:
        rows.append({"question": q, "value": values.get(q.code, ""), "error": errors.get(q.code)})
    sections = []
    for group, label in GROUP_LABELS.items():
        group_rows = [r for r in rows if r["question"].group == group]
        if group_rows:
            sections.append({"label": label, "rows": group_rows})
    context = {
        "association": association,
        "year": year,
        "sections": sections,
        "errors": general_errors,
        "can_write": can_write,
    }
    return render(request, "outcomes/survey_averages.html", context, status=status)
