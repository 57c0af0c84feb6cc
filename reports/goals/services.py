"""Every write of goals, step definitions and goal results. Keyword-only, noun-then-verb.

Tasks call these; these never import tasks. A change that needs a recomputation marks the
affected results stale in its own transaction and announces itself after the commit
(:mod:`reports.signals`), and :mod:`reports.receivers` queues the work. What differs between
kinds of goal is read from the registry, :mod:`reports.goals.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.changelog.services import change_record, display_value
from outcomes.models import ChangeKind, ExitReason, Intervention, User
from outcomes.periods import Period
from outcomes.tallies.errors import ReportError
from outcomes.validators import personal_data_message
from outcomes.violations import RuleViolation
from reports.goals import checks, evaluation, kinds, selectors, storage
from reports.goals.models import Comparator, Goal, GoalKind, GoalResult, StepDefinition
from reports.signals import announce_goals_change


class GoalError(ReportError):
    """A goal or step-definition write that was refused; ``violations`` names field and rule.

    A subclass of :class:`outcomes.tallies.errors.ReportError`, so the API answers it with the
    contract's 400 body.
    """


@dataclass
class GoalInput:
    """A goal as entered: reason and question codes rather than rows."""

    year: int
    label: str
    kind: str
    target: Decimal
    comparator: str = Comparator.AT_LEAST
    #: None: the association's ``default_yellow_ratio`` for a new goal (:func:`goal_create`), the
    #: goal's own for a change (:func:`goal_update`).
    yellow_ratio: Decimal | None = None
    reasons: list[str] = field(default_factory=list)
    excluded_reasons: list[str] = field(default_factory=list)
    measure: str = ""
    question: str | None = None
    indicator_number: int | None = None
    group: str = ""
    figure: str = ""
    position: int = 0

    @classmethod
    def from_goal(cls, goal: Goal) -> GoalInput:
        return cls(
            year=goal.year,
            label=goal.label,
            kind=goal.kind,
            target=goal.target,
            comparator=goal.comparator,
            yellow_ratio=goal.yellow_ratio,
            reasons=sorted(r.code for r in goal.reasons.all()),
            excluded_reasons=sorted(r.code for r in goal.excluded_reasons.all()),
            measure=goal.measure,
            question=goal.question.code if goal.question_id else None,
            indicator_number=goal.indicator_number,
            group=goal.group,
            figure=goal.figure,
            position=goal.position,
        )


@dataclass
class CheckedGoal:
    values: dict
    reasons: list[ExitReason]
    excluded_reasons: list[ExitReason]


def goal_check(intervention: Intervention, data: GoalInput, stored: GoalInput | None = None) -> CheckedGoal:
    """Every rule a goal breaks, raised together as :class:`GoalError`; else the values to store.

    The rules every goal shares (label, year, kind, comparator, target, yellow ratio), then the
    kind's own check from the registry. ``stored`` is the goal as it is before a change: the
    retired reasons it already has may stay.
    """
    violations: list[RuleViolation] = []
    label = _label_check(data.label, violations)
    year = _year_check(data.year, violations)
    _choices_check(data, violations)
    target = _target_check(data, violations)
    ratio = checks.decimal_check(data.yellow_ratio, "yellow_ratio", violations)
    if ratio is not None and not 0 <= ratio <= 1:
        violations.append(
            RuleViolation(
                "yellow_ratio_range", "yellow_ratio", _("Gränsen för gult ska ligga mellan 0 och 1, t.ex. 0,8.")
            )
        )
    rule = kinds.KINDS.get(data.kind)
    kind_values = (rule.check if rule else checks.no_kind_check)(intervention, data, stored, violations)
    if violations:
        raise GoalError(violations)
    values = {
        **kind_values.values,
        "year": year,
        "label": label,
        "kind": data.kind,
        "comparator": data.comparator,
        "target": target,
        "yellow_ratio": ratio,
        "position": int(data.position or 0),
    }
    return CheckedGoal(values=values, reasons=kind_values.reasons, excluded_reasons=kind_values.excluded_reasons)


def _label_check(label, violations: list[RuleViolation]) -> str:
    label = (label or "").strip()
    if not label:
        violations.append(RuleViolation("required", "label", _("Ange en benämning för målet.")))
    elif refusal := personal_data_message(label):
        violations.append(RuleViolation("personal_data", "label", refusal))
    return label


def _year_check(value, violations: list[RuleViolation]) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = None
    if year is None or not 1900 <= year <= 2999:
        violations.append(RuleViolation("invalid_year", "year", _("Ange ett år, till exempel 2024.")))
    return year


def _choices_check(data: GoalInput, violations: list[RuleViolation]) -> None:
    if data.kind not in GoalKind.values:
        violations.append(
            RuleViolation(
                "invalid_choice",
                "kind",
                _("Okänd typ av mål. Välj %(choices)s.") % {"choices": ", ".join(GoalKind.values)},
            )
        )
    if data.comparator not in Comparator.values:
        violations.append(
            RuleViolation(
                "invalid_choice", "comparator", _("Jämförelsen ska vara at_least (minst) eller at_most (högst).")
            )
        )


def _target_check(data: GoalInput, violations: list[RuleViolation]) -> Decimal | None:
    """Not negative; a share's target at most 100 (percent) unless its kind allows more; below 1e10."""
    target = checks.decimal_check(data.target, "target", violations)
    if target is None:
        return None
    rule = kinds.KINDS.get(data.kind)
    if target < 0:
        violations.append(RuleViolation("target_range", "target", _("Målvärdet kan inte vara negativt.")))
    elif rule and rule.is_share and not rule.target_above_100 and target > 100:
        violations.append(
            RuleViolation("target_range", "target", _("Målet är en andel i procent och kan vara högst 100."))
        )
    elif target >= Decimal("1e10"):
        violations.append(RuleViolation("target_range", "target", _("Målvärdet är för stort.")))
    return target


def _placeholder_results(goal: Goal) -> None:
    """Stale, empty results for every evaluated period, so a new goal shows as being computed."""
    spec = selectors.goal_spec(goal)
    GoalResult.objects.bulk_create(
        GoalResult(
            goal=goal,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            target=kinds.period_target(spec, period),
            stale=True,
        )
        for period in evaluation.evaluated_periods(goal.year, goal.intervention.frequency)
    )


GOAL_LOGGED = {
    "year": _("år"),
    "label": _("benämning"),
    "kind": _("typ av mål"),
    "comparator": _("jämförelse"),
    "target": _("målvärde"),
    "yellow_ratio": _("gräns för gult"),
    "reasons": _("avslutsorsaker"),
    "excluded_reasons": _("utanför nämnaren"),
    "measure": _("mått"),
    "question": _("fråga"),
    "indicator_number": _("indikator"),
    "group": _("respondentgrupp"),
    "figure": _("mått i enkäten"),
}


def _goal_snapshot(goal: Goal) -> dict[str, str]:
    """The goal's definition as the change log shows it (codes of its reason sets)."""
    data = GoalInput.from_goal(goal)
    return {str(label): display_value(getattr(data, name)) for name, label in GOAL_LOGGED.items()}


def _goal_log(goal: Goal, user, before, after) -> None:
    change_record(
        association=goal.intervention.association,
        user=user,
        kind=ChangeKind.GOAL,
        subject=f"{goal.intervention.name}: {goal.label}",
        before=before,
        after=after,
    )


def goal_create(*, intervention: Intervention, data: GoalInput, user: User | None = None) -> Goal:
    """Create a goal for one intervention and year, with stale empty results until computed.

    Refused with :class:`GoalError` listing every broken rule (nothing stored). The results are
    computed after the commit. Without a yellow ratio the goal takes the association's default
    (``Association.default_yellow_ratio``, 0.8 unless staff changed it).
    """
    if data.yellow_ratio is None:
        data = replace(data, yellow_ratio=intervention.association.default_yellow_ratio)
    checked = goal_check(intervention, data)
    with transaction.atomic():
        goal = Goal.objects.create(intervention=intervention, **checked.values)
        goal.reasons.set(checked.reasons)
        goal.excluded_reasons.set(checked.excluded_reasons)
        _placeholder_results(goal)
        _goal_log(goal, user, None, _goal_snapshot(goal))
        announce_goals_change(intervention_id=intervention.pk, goal_ids=[goal.pk])
    return goal


def goal_update(*, goal: Goal, data: GoalInput, user: User | None = None) -> Goal:
    """Replace a goal's definition; its results become stale and are recomputed after the commit.

    A changed year replaces the results (the old year's no longer apply). Refused with
    :class:`GoalError` (nothing changes) like :func:`goal_create`.
    """
    intervention = goal.intervention
    if data.yellow_ratio is None:  # not given: the goal keeps its own
        data = replace(data, yellow_ratio=goal.yellow_ratio)
    checked = goal_check(intervention, data, stored=GoalInput.from_goal(goal))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        goal.intervention = intervention
        before = _goal_snapshot(goal)
        year_changed = goal.year != checked.values["year"]
        for name, value in checked.values.items():
            setattr(goal, name, value)
        goal.save()
        goal.reasons.set(checked.reasons)
        goal.excluded_reasons.set(checked.excluded_reasons)
        if year_changed:
            goal.results.all().delete()
            _placeholder_results(goal)
        else:
            goal_results_mark_stale(results=goal.results.all())
        _goal_log(goal, user, before, _goal_snapshot(goal))
        announce_goals_change(intervention_id=intervention.pk, goal_ids=[goal.pk])
    return goal


def goal_delete(*, goal: Goal, user: User | None = None) -> None:
    """Delete a goal and its results."""
    with transaction.atomic():
        _goal_log(goal, user, _goal_snapshot(goal), None)
        goal.delete()


def step_definition_set(
    *, intervention: Intervention, reasons: list[str], excluded_reasons: list[str], user: User | None = None
) -> StepDefinition:
    """Store which exit reasons count as a step and which leave the denominator.

    Codes must be exit reasons of the intervention's association, not retired unless already in
    that set of the definition in effect (``retired_reason``); a reason cannot be in both sets.
    Refused with :class:`GoalError` (nothing changes). Every step-progression result of the
    intervention becomes stale and is recomputed after the commit.
    """
    violations: list[RuleViolation] = []
    # The reasons in effect (stored, or the default) may stay even when retired since.
    stored = selectors.step_definition_of(intervention)
    steps = checks.reasons_check(intervention, reasons, "reasons", violations, stored["reasons"])
    excluded = checks.reasons_check(
        intervention, excluded_reasons, "excluded_reasons", violations, stored["excluded_reasons"]
    )
    checks.overlap_check(
        steps,
        excluded,
        violations,
        _("En avslutsorsak kan inte både räknas som steg och lämnas utanför nämnaren: %(codes)s."),
    )
    if violations:
        raise GoalError(violations)
    with transaction.atomic():
        definition, _created = StepDefinition.objects.get_or_create(intervention=intervention)
        definition.reasons.set(steps)
        definition.excluded_reasons.set(excluded)
        definition.save(update_fields=["updated_at"])
        steps_label, excluded_label = str(GOAL_LOGGED["reasons"]), str(GOAL_LOGGED["excluded_reasons"])
        change_record(
            association=intervention.association,
            user=user,
            kind=ChangeKind.STEP_DEFINITION,
            subject=intervention.name,
            before={
                steps_label: display_value(stored["reasons"]),
                excluded_label: display_value(stored["excluded_reasons"]),
            },
            after={
                steps_label: display_value([r.code for r in steps]),
                excluded_label: display_value([r.code for r in excluded]),
            },
        )
        step_goals = list(
            Goal.objects.filter(
                intervention=intervention, kind__in=kinds.kinds_where(lambda k: k.uses_step_rule)
            ).values_list("pk", flat=True)
        )
        goal_results_mark_stale(results=GoalResult.objects.filter(goal_id__in=step_goals))
        announce_goals_change(intervention_id=intervention.pk, goal_ids=step_goals)
    return definition


def goal_results_mark_stale(*, results) -> int:
    """Mark results as waiting for a recomputation; answers how many.

    Each mark also bumps ``generation``, so a recomputation that read its data before this
    change does not clear the flag (see :func:`goal_results_recompute`).
    """
    return results.update(stale=True, generation=F("generation") + 1, marked_stale_at=timezone.now())


def goal_results_mark_stale_for_report(*, intervention_id: int, period_code: str) -> int:
    """Mark the results a change of one base-period report affects (see ``affected_results``)."""
    return goal_results_mark_stale(
        results=selectors.affected_results(intervention_id=intervention_id, period=Period.parse(period_code))
    )


def goal_results_recompute(
    *,
    intervention: Intervention,
    goal_ids: list[int] | None = None,
    base_period: Period | None = None,
) -> int:
    """Recompute and store results of the intervention's goals; answers how many rows changed.

    All goals, or those in ``goal_ids``; every evaluated period, or with ``base_period`` (a
    changed report) only the goals of its year and the periods that contain it. Counts only
    submitted and approved reports. Idempotent: a result whose figures did not change and that
    is not stale is left untouched, so running it twice stores the same rows. A result marked
    stale after this run read its generation keeps ``stale`` so the later run finishes it.
    Results of periods no longer evaluated (the frequency changed) are deleted.

    Reads in a fixed number of queries however many years, periods and goals there are (the
    goals, the existing results, the step rule, the base reports with their exits, the budgets
    and the surveys, each once: :func:`reports.goals.selectors.goal_data`) and writes in bulk
    (:func:`reports.goals.storage.store_many`).
    """
    goals = _goals_to_recompute(intervention, goal_ids, base_period)
    if not goals:
        return 0
    # Read the generations before any figures: a change committed after this line bumps them.
    existing = storage.stored_results([g.pk for g in goals])
    computed = _evaluations(intervention, goals, base_period)
    changed = storage.store_many(computed, existing, timezone.now())
    if goal_ids is None and base_period is None:
        seen = {(goal.pk, period.code) for goal, period, _evaluation in computed}
        orphans = [r.pk for key, r in existing.items() if key not in seen]
        if orphans:
            changed += GoalResult.objects.filter(pk__in=orphans).delete()[0]
    return changed


def _goals_to_recompute(intervention: Intervention, goal_ids, base_period: Period | None) -> list[Goal]:
    goals = Goal.objects.filter(intervention=intervention).select_related("question")
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids)
    if base_period is not None:
        goals = goals.filter(year=base_period.year)
    return list(goals)


def _evaluations(
    intervention: Intervention, goals: list[Goal], base_period: Period | None
) -> list[tuple[Goal, Period, evaluation.Evaluation]]:
    """Each goal's evaluation for each of its evaluated periods (those containing ``base_period``)."""
    rules = [kinds.kind_rule(g.kind) for g in goals]
    step_rule = None
    if any(rule.uses_step_rule for rule in rules):
        step_rule = selectors.step_rules_for([intervention])[intervention.pk]
    specs = selectors.goal_specs(goals, step_rule=step_rule)
    by_year: dict[int, list[Goal]] = {}
    for goal in goals:
        goal.intervention = intervention
        by_year.setdefault(goal.year, []).append(goal)
    data = selectors.goal_data(
        intervention=intervention,
        years=by_year,
        surveys=any(rule.uses_surveys for rule in rules),
        span=base_period and Period(base_period.year, "Y", 1),
    )
    computed = []
    for year, year_goals in by_year.items():
        periods = evaluation.evaluated_periods(year, intervention.frequency)
        if base_period is not None:
            periods = [p for p in periods if p.contains(base_period)]
        for period in periods:
            inputs = selectors.period_inputs(intervention=intervention, period=period, data=data)
            for goal in year_goals:
                result = selectors.goal_evaluate(
                    goal=goal, period=period, inputs=inputs, surveys=data.surveys, spec=specs[goal.pk]
                )
                computed.append((goal, period, result))
    return computed


def goal_results_recompute_all() -> dict[str, int]:
    """The nightly repair: recompute every goal of every intervention.

    Answers ``{"interventions": n, "changed": m}``. Catches up with anything a lost message or
    an unreachable broker missed; a no-op for results that are already right.
    """
    intervention_ids = sorted({pk for pk, _year in selectors.intervention_years_with_goals()})
    changed = 0
    for intervention in Intervention.objects.filter(pk__in=intervention_ids):
        changed += goal_results_recompute(intervention=intervention)
    return {"interventions": len(intervention_ids), "changed": changed}


def goal_results_stale_sweep(*, older_than: timedelta) -> dict[int, list[int]]:
    """Results left stale for longer than ``older_than``: answers the goal ids to recompute, by
    intervention id, and marks those results as swept now.

    A change queues its own recomputation, so a result stays stale for long only when that was
    lost: a worker killed mid-task leaves its message unacknowledged in Redis for the visibility
    timeout, an unreachable broker drops it. Re-marking the swept results (time only, not
    ``generation``) keeps the next sweep from queueing them again while this recomputation is on
    its way. Nothing stale: ``{}``. One indexed query on the stale results and one update.
    """
    now = timezone.now()
    left = GoalResult.objects.filter(stale=True).filter(
        Q(marked_stale_at__isnull=True) | Q(marked_stale_at__lt=now - older_than)
    )
    pairs = list(left.values_list("goal__intervention_id", "goal_id").distinct().order_by())
    if not pairs:
        return {}
    GoalResult.objects.filter(goal_id__in={goal_id for _i, goal_id in pairs}, pk__in=left.values("pk")).update(
        marked_stale_at=now
    )
    by_intervention: dict[int, list[int]] = {}
    for intervention_id, goal_id in sorted(pairs):
        by_intervention.setdefault(intervention_id, []).append(goal_id)
    return by_intervention
