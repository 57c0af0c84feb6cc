"""Web pages for indicator surveys (mounted at ``/enkater/``).

Coordinators and staff enter an intervention's survey in one grid per question (answer options ×
count, with the running total against the number who answered, computed by the server so the page
works without JavaScript); viewers read. The association's board and managers' surveys and the
national averages are entered by staff. Every write goes through :mod:`outcomes.services`, so the
form refuses exactly what the API refuses, with the rule named, and stores nothing then.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes import surveys as survey_rules
from outcomes.access import association_for, can_read_summaries, can_write_reports, intervention_for, is_staff_of
from outcomes.forms import too_large_message
from outcomes.limits import MAX_COUNT
from outcomes.models import SurveyQuestion
from outcomes.models.catalog import RespondentGroup
from outcomes.models.surveys import NationalAverage
from outcomes.periods import Period, PeriodError
from outcomes.rules import GENDERS, RuleViolation
from outcomes.selectors import (
    associations_visible_to,
    interventions_visible_to,
    survey_detail,
    survey_tables,
    surveys_of,
)
from outcomes.services import SurveyError, national_averages_set, survey_save

GENDER_FIELD_LABELS = {
    "women": gettext_lazy("Svarande kvinnor"),
    "men": gettext_lazy("Svarande män"),
    "other": gettext_lazy("Svarande annan/ej angivet"),
}
GROUP_LABELS = dict(RespondentGroup.choices)


def _count_field(label, *, name=None, required=False) -> forms.IntegerField:
    """A count input; text and numbers too large for the column are refused with ``name`` (the
    label unless given) in the message. Negative numbers pass to the service's ``negative_count``."""
    name = name or label
    return forms.IntegerField(
        label=label,
        required=required,
        max_value=MAX_COUNT,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
        error_messages={
            "required": _("%(name)s: ange ett antal.") % {"name": name},
            "invalid": _("%(name)s: ange ett heltal, 0 eller större.") % {"name": name},
            "max_value": too_large_message(name, MAX_COUNT),
        },
    )


class SurveyForm(forms.Form):
    """Invited, answered per gender, and per question one count per option plus blank.

    A question whose inputs are all left empty is not part of the survey; an empty input of a
    question that has some numbers is zero. The rules themselves are checked by the service.
    """

    def __init__(self, *args, questions, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["invited"] = _count_field(_("Antal tillfrågade"), required=True)
        self.fields["invited"].widget.attrs.pop("size")
        for gender in GENDERS:
            self.fields[f"answered_{gender}"] = _count_field(GENDER_FIELD_LABELS[gender])
        for q in self.questions:
            for index, label in enumerate(survey_rules.SCALE_OPTIONS[q.scale], start=1):
                self.fields[f"q_{q.code}_{index}"] = _count_field(
                    label, name=_("Fråga %(code)s, %(option)s") % {"code": q.code, "option": label}
                )
            blank = _("Blankt / ej svarat")
            self.fields[f"q_{q.code}_blank"] = _count_field(
                blank, name=_("Fråga %(code)s, %(option)s") % {"code": q.code, "option": blank}
            )
        self.question_errors: dict[str, list[str]] = {}

    @staticmethod
    def initial_from(detail: dict | None) -> dict:
        if not detail:
            return {}
        initial = {"invited": detail["invited"]}
        for gender in GENDERS:
            initial[f"answered_{gender}"] = detail["answered"][gender]
        for answer in detail["answers"]:
            for index, count in enumerate(answer["counts"], start=1):
                initial[f"q_{answer['question']}_{index}"] = count
            initial[f"q_{answer['question']}_blank"] = answer["blank"]
        return initial

    def _value(self, name) -> int | None:
        if self.is_bound:
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        else:
            value = self.initial.get(name)
        return value

    def answered_total(self) -> int:
        return sum(self._value(f"answered_{g}") or 0 for g in GENDERS)

    def to_input(self) -> survey_rules.SurveyInput:
        """The service's input; call after ``is_valid()``."""
        data = self.cleaned_data
        answers = []
        for q in self.questions:
            n = survey_rules.option_count(q.scale)
            values = [data.get(f"q_{q.code}_{i}") for i in range(1, n + 1)]
            blank = data.get(f"q_{q.code}_blank")
            if all(v is None for v in values) and blank is None:
                continue
            answers.append(survey_rules.AnswerInput(q.code, tuple(v or 0 for v in values), blank or 0))
        return survey_rules.SurveyInput(
            invited=data.get("invited") or 0,
            answered={g: data.get(f"answered_{g}") or 0 for g in GENDERS},
            answers=answers,
        )

    def add_violations(self, violations, data: survey_rules.SurveyInput) -> None:
        """Show each broken rule at its input (or its question's grid) with the rule named."""
        for v in violations:
            message = f"{v.message} ({_('regel')}: {v.code})"
            match = re.match(r"answers\[(\d+)\]\.(counts|blank|question)(?:\[(\d+)\])?", v.field or "")
            if match:
                code = data.answers[int(match[1])].question
                if match[2] == "counts" and match[3] is not None:
                    self.add_error(f"q_{code}_{int(match[3]) + 1}", message)
                elif match[2] == "blank":
                    self.add_error(f"q_{code}_blank", message)
                else:
                    self.question_errors.setdefault(code, []).append(message)
                    self.add_error(None, message)
            elif v.field == "invited":
                self.add_error("invited", message)
            elif v.field and v.field.startswith("answered."):
                self.add_error(f"answered_{v.field.split('.')[1]}", message)
            else:
                self.add_error(None, message)

    def grids(self) -> list[dict]:
        """One grid per question for the template: option inputs, blank, running total."""
        answered = self.answered_total()
        result = []
        for q in self.questions:
            n = survey_rules.option_count(q.scale)
            names = [f"q_{q.code}_{i}" for i in range(1, n + 1)] + [f"q_{q.code}_blank"]
            values = [self._value(name) for name in names]
            total = sum(v or 0 for v in values if isinstance(v, int))
            entered = any(v is not None for v in values)
            result.append(
                {
                    "question": q,
                    "options": [self[name] for name in names[:-1]],
                    "blank": self[names[-1]],
                    "total": total,
                    "answered": answered,
                    "entered": entered,
                    "matches": total == answered,
                    "errors": self.question_errors.get(q.code, []),
                }
            )
        return result


def _questions_for(association_id: int, group: str, survey=None):
    answered = set(survey.answers.values_list("question_id", flat=True)) if survey else set()
    return [
        q
        for q in SurveyQuestion.objects.filter(association_id=association_id, group=group).order_by("position", "code")
        if q.active or q.pk in answered
    ]


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
    detail = survey_detail(survey=survey) if survey else None
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
    values = {q.code: ("" if stored.get(q.pk) is None else str(stored[q.pk])) for q in questions}
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        values = {q.code: request.POST.get(f"avg_{q.code}", "").strip().replace(",", ".") for q in questions}
        try:
            national_averages_set(association=association, year=year, values=values, user=request.user)
        except SurveyError as error:
            status = 400
            for v in error.violations:
                message = f"{v.message} ({_('regel')}: {v.code})"
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
