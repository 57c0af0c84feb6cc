"""The goal page of an intervention: goals, targets, results with their lights, last year.

Everybody who may read the intervention sees the page (staff, viewers, granted coordinators);
only the association's staff create and change goals and the step definition. Other users get
404, as everywhere.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outcomes.models import ExitReason
from outcomes.organisations.access import can_write_reports, intervention_for, is_staff_of
from outcomes.periods import Period, PeriodError
from reports import shares
from reports.goals import evaluation as goal_math
from reports.goals import kinds, selectors, services
from reports.goals.forms import GoalForm, StepDefinitionForm
from reports.goals.models import GoalResult
from reports.goals.services import GoalError

LIGHT_COLOURS = {
    shares.GREEN: "#1b7a3a",
    shares.YELLOW: "#f2c200",
    shares.RED: "#c0262d",
    shares.NO_DATA: "#9e9e9e",
}


def _staff_intervention(request, intervention_id):
    intervention = intervention_for(request.user, intervention_id)
    if not is_staff_of(request.user, intervention.association_id):
        raise PermissionDenied
    return intervention


def _shown(goal, numerator, denominator, value, target) -> str:
    """ "45 % (5/11)" for shares (more decimals where the whole percent would contradict the
    light), the head count for counts (whole, grouped: "2 402 195", never "45,0"), "–" without
    data."""
    if value is None:
        return "–"
    if not kinds.is_share(goal.kind):
        return number_format(int(numerator), force_grouping=True)
    share = shares.Share(int(numerator), int(denominator))
    return shares.share_text_for_goal(share, target=target, comparator=goal.comparator)


def _selected_period(request, intervention, goals) -> Period:
    """The period asked for (``?period=``), else the latest year with goals, else this year."""
    code = request.GET.get("period")
    if code:
        try:
            period = Period.parse(code)
            period.base_periods(intervention.frequency)
            return period
        except PeriodError as exc:
            messages.error(request, exc.message)
    years = sorted({g.year for g in goals})
    return Period(years[-1] if years else dt.date.today().year, "Y")


@login_required
def goal_page(request, intervention_id: int):
    intervention = intervention_for(request.user, intervention_id)
    all_goals = list(selectors.goals_of(intervention))
    period = _selected_period(request, intervention, all_goals)
    goals = [g for g in all_goals if g.year == period.year]
    preview = request.GET.get("utkast") == "1" and can_write_reports(request.user, intervention)
    stored = {
        r.goal_id: r
        for r in GoalResult.objects.filter(
            goal__in=goals, period_start=period.start, period_end=period.end
        ).select_related("goal")
    }
    step_rule = selectors.step_rules_for([intervention])[intervention.pk]
    last_year = period.same_period_last_year()
    last_inputs = selectors.period_inputs(intervention=intervention, period=last_year) if goals else None
    preview_inputs = (
        selectors.period_inputs(intervention=intervention, period=period, include_drafts=True)
        if preview and goals
        else None
    )
    rows = []
    for goal in goals:
        goal.intervention = intervention
        result = stored.get(goal.pk)
        if preview_inputs is not None:
            evaluation = selectors.goal_evaluate(goal=goal, period=period, inputs=preview_inputs, step_rule=step_rule)
            e = evaluation
            current = {
                "status": evaluation.status,
                "shown": _shown(goal, e.numerator, e.denominator, e.value, e.target),
                "target": evaluation.target,
                "stale": False,
                "computed_at": None,
            }
        elif result is not None:
            current = {
                "status": result.status,
                "shown": _shown(goal, result.numerator, result.denominator, result.value, result.target),
                "target": result.target,
                "stale": result.stale,
                "computed_at": result.computed_at,
            }
        else:  # a period that is not evaluated for goals (a lone quarter after the first)
            current = {
                "status": shares.NO_DATA,
                "shown": "–",
                "target": kinds.period_target(selectors.goal_spec(goal), period),
                "stale": False,
                "computed_at": None,
            }
        before = selectors.goal_evaluate(goal=goal, period=last_year, inputs=last_inputs, step_rule=step_rule)
        rows.append(
            {
                "goal": goal,
                "target_text": kinds.target_text(goal.kind, goal.comparator, current["target"], decimal_comma=True),
                "light": shares.STATUS_LABELS[current["status"]],
                "colour": LIGHT_COLOURS[current["status"]],
                "last_year": _shown(goal, before.numerator, before.denominator, before.value, before.target),
                **current,
            }
        )
    definition = selectors.step_definition_of(intervention)
    labels = dict(ExitReason.objects.filter(association_id=intervention.association_id).values_list("code", "label_sv"))
    periods = goal_math.evaluated_periods(period.year, intervention.frequency)
    return render(
        request,
        "reports/goals.html",
        {
            "intervention": intervention,
            "period": period,
            "periods": periods,
            "years": sorted({g.year for g in all_goals} | {period.year}, reverse=True),
            "last_year": last_year,
            "rows": rows,
            "preview": preview,
            "can_preview": can_write_reports(request.user, intervention),
            "is_staff": is_staff_of(request.user, intervention.association_id),
            "step_reasons": [labels.get(c, c) for c in definition["reasons"]],
            "excluded_reasons": [labels.get(c, c) for c in definition["excluded_reasons"]],
        },
    )


def _page_url(intervention, year=None) -> str:
    url = reverse("goal-page", args=[intervention.pk])
    return f"{url}?period={year}" if year else url


def _goal_form_page(request, intervention, form, goal, save, done):
    """The goal form: on a valid POST save it with `save(data)`, say `done` and go back to the goals page."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.goal_input())
        except GoalError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect(_page_url(intervention, saved.year))
    return render(request, "reports/goals_form.html", {"intervention": intervention, "form": form, "goal": goal})


@login_required
def goal_create(request, intervention_id: int):
    intervention = _staff_intervention(request, intervention_id)
    initial = {
        "year": request.GET.get("year") or dt.date.today().year,
        "yellow_ratio": intervention.association.default_yellow_ratio,
    }
    form = GoalForm(request.POST or None, intervention=intervention, initial=initial)

    def save(data):
        return services.goal_create(intervention=intervention, data=data, user=request.user)

    done = _("Målet är sparat. Resultatet räknas fram inom några sekunder.")
    return _goal_form_page(request, intervention, form, None, save, done)


@login_required
def goal_edit(request, intervention_id: int, goal_id: int):
    intervention = _staff_intervention(request, intervention_id)
    goal = get_object_or_404(selectors.goals_of(intervention), pk=goal_id)
    form = GoalForm(request.POST or None, intervention=intervention, initial=GoalForm.initial_for(goal))

    def save(data):
        return services.goal_update(goal=goal, data=data, user=request.user)

    done = _("Målet är ändrat. Resultatet räknas om inom några sekunder.")
    return _goal_form_page(request, intervention, form, goal, save, done)


@login_required
@require_POST
def goal_delete(request, intervention_id: int, goal_id: int):
    intervention = _staff_intervention(request, intervention_id)
    goal = get_object_or_404(selectors.goals_of(intervention), pk=goal_id)
    year = goal.year
    if request.POST.get("confirm") != "yes":  # the first click only asks
        return render(
            request,
            "confirm.html",
            {
                "question": _("Ta bort målet ”%(label)s”?") % {"label": goal.label},
                "consequence": _("Målet och dess resultat tas bort för %(year)s. Det går inte att ångra.")
                % {"year": year},
                "confirm_label": _("Ja, ta bort målet"),
                "cancel_url": _page_url(intervention, year),
            },
        )
    services.goal_delete(goal=goal, user=request.user)
    messages.success(request, _("Målet är borttaget."))
    return redirect(_page_url(intervention, year))


@login_required
def step_definition_edit(request, intervention_id: int):
    intervention = _staff_intervention(request, intervention_id)
    form = StepDefinitionForm(
        request.POST or None, intervention=intervention, initial=selectors.step_definition_of(intervention)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_definition_set(intervention=intervention, user=request.user, **form.cleaned_data)
        except GoalError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Stegdefinitionen är sparad. Stegförflyttningen räknas om."))
            return redirect(_page_url(intervention))
    return render(request, "reports/goals_step_definition.html", {"intervention": intervention, "form": form})
