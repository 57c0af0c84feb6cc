"""Every write of the reports app. Keyword-only functions named noun-then-verb.

Tasks call these; these never import tasks. A change that needs a recomputation marks the
affected results stale in its own transaction and announces itself after the commit
(:mod:`reports.signals`), and :mod:`reports.receivers` queues the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.catalog.models import RespondentGroup
from outcomes.models import ExitReason, Intervention, SurveyQuestion, User
from outcomes.periods import Period
from outcomes.surveys import rules as survey_rules
from outcomes.tallies.errors import ReportError
from outcomes.validators import personal_data_message
from outcomes.violations import RuleViolation
from reports import goals as goal_math
from reports import selectors
from reports.models import (
    Comparator,
    Goal,
    GoalKind,
    GoalResult,
    Measure,
    StepDefinition,
    SurveyFigure,
)
from reports.signals import announce_goals_change

# ---------------------------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------------------------


class GoalError(ReportError):
    """A goal or step-definition write that was refused; ``violations`` names field and rule.

    A subclass of :class:`outcomes.services.ReportError`, so the API answers it with the
    contract's 400 body.
    """


SHARE_KINDS = (GoalKind.STEP_PROGRESSION, GoalKind.SHARE_OF_EXITS, GoalKind.INDICATOR)


@dataclass
class GoalInput:
    """A goal as entered: reason and question codes rather than rows."""

    year: int
    label: str
    kind: str
    target: Decimal
    comparator: str = Comparator.AT_LEAST
    yellow_ratio: Decimal = Decimal("0.8")
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


def _decimal(value, name: str, violations: list[RuleViolation]) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        violations.append(RuleViolation("invalid_number", name, _("Ange ett tal.")))
        return None
    if not number.is_finite():
        violations.append(RuleViolation("invalid_number", name, _("Ange ett tal.")))
        return None
    return number


def _reasons(intervention: Intervention, codes, name: str, violations, kept=()) -> list[ExitReason]:
    """The exit reasons of ``codes``; unknown codes (``unknown_reason``) and retired reasons not
    among those the goal or step definition already has in this set (``kept``, codes;
    ``retired_reason``) become violations."""
    codes = list(dict.fromkeys(codes or []))
    found = {r.code: r for r in ExitReason.objects.filter(association_id=intervention.association_id, code__in=codes)}
    for index, code in enumerate(codes):
        if code not in found:
            violations.append(
                RuleViolation(
                    "unknown_reason",
                    f"{name}[{index}]",
                    _("Avslutsorsaken ”%(code)s” finns inte i förbundets katalog.") % {"code": code},
                )
            )
        elif not found[code].active and code not in kept:
            violations.append(
                RuleViolation(
                    "retired_reason",
                    f"{name}[{index}]",
                    _("Avslutsorsaken ”%(label)s” har utgått och kan inte väljas.") % {"label": found[code].label_sv},
                )
            )
    return [found[c] for c in codes if c in found]


@dataclass
class _CheckedGoal:
    values: dict
    reasons: list[ExitReason]
    excluded_reasons: list[ExitReason]


def _goal_check(intervention: Intervention, data: GoalInput, stored: GoalInput | None = None) -> _CheckedGoal:
    """Every rule a goal breaks, raised together as :class:`GoalError`; else the values to store.

    ``stored`` is the goal as it is before a change: the retired reasons it already has may stay.
    """
    violations: list[RuleViolation] = []
    label = (data.label or "").strip()
    if not label:
        violations.append(RuleViolation("required", "label", _("Ange en benämning för målet.")))
    elif refusal := personal_data_message(label):
        violations.append(RuleViolation("personal_data", "label", refusal))
    try:
        year = int(data.year)
    except (TypeError, ValueError):
        year = None
    if year is None or not 1900 <= year <= 2999:
        violations.append(RuleViolation("invalid_year", "year", _("Ange ett år, till exempel 2024.")))
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
    target = _decimal(data.target, "target", violations)
    if target is not None:
        if target < 0:
            violations.append(RuleViolation("target_range", "target", _("Målvärdet kan inte vara negativt.")))
        elif data.kind in SHARE_KINDS and target > 100:
            violations.append(
                RuleViolation("target_range", "target", _("Målet är en andel i procent och kan vara högst 100."))
            )
        elif target >= Decimal("1e10"):
            violations.append(RuleViolation("target_range", "target", _("Målvärdet är för stort.")))
    ratio = _decimal(data.yellow_ratio, "yellow_ratio", violations)
    if ratio is not None and not 0 <= ratio <= 1:
        violations.append(
            RuleViolation(
                "yellow_ratio_range", "yellow_ratio", _("Gränsen för gult ska ligga mellan 0 och 1, t.ex. 0,8.")
            )
        )

    reasons: list[ExitReason] = []
    excluded: list[ExitReason] = []
    values = {"measure": "", "question": None, "indicator_number": None, "group": "", "figure": ""}
    if data.kind == GoalKind.SHARE_OF_EXITS:
        reasons = _reasons(intervention, data.reasons, "reasons", violations, stored.reasons if stored else ())
        excluded = _reasons(
            intervention,
            data.excluded_reasons,
            "excluded_reasons",
            violations,
            stored.excluded_reasons if stored else (),
        )
        if not data.reasons:
            violations.append(
                RuleViolation("required", "reasons", _("Ange vilka avslutsorsaker som räknas i täljaren."))
            )
        overlap = {r.code for r in reasons} & {r.code for r in excluded}
        if overlap:
            violations.append(
                RuleViolation(
                    "reason_in_both",
                    "excluded_reasons",
                    _("En avslutsorsak kan inte både räknas och lämnas utanför nämnaren: %(codes)s.")
                    % {"codes": ", ".join(sorted(overlap))},
                )
            )
    elif data.kind == GoalKind.COUNT:
        if data.measure not in Measure.values:
            violations.append(
                RuleViolation(
                    "invalid_choice",
                    "measure",
                    _("Ange vad som räknas: %(choices)s.") % {"choices": ", ".join(Measure.values)},
                )
            )
        values["measure"] = data.measure
    elif data.kind == GoalKind.INDICATOR:
        values.update(_indicator_values(intervention, data, violations))
    if violations:
        raise GoalError(violations)
    values.update(
        year=year,
        label=label,
        kind=data.kind,
        comparator=data.comparator,
        target=target,
        yellow_ratio=ratio,
        position=int(data.position or 0),
    )
    return _CheckedGoal(values=values, reasons=reasons, excluded_reasons=excluded)


def _indicator_values(intervention: Intervention, data: GoalInput, violations: list[RuleViolation]) -> dict:
    values = {"group": data.group or "", "figure": data.figure, "question": None, "indicator_number": None}
    if data.figure not in SurveyFigure.values:
        violations.append(
            RuleViolation(
                "invalid_choice",
                "figure",
                _("Ange nyckeltal: %(choices)s.") % {"choices": ", ".join(SurveyFigure.values)},
            )
        )
    if bool(data.question) == (data.indicator_number is not None):
        violations.append(
            RuleViolation(
                "question_or_indicator", "question", _("Ange antingen en enkätfråga eller ett indikatornummer.")
            )
        )
        return values
    if data.group and data.group not in RespondentGroup.values:
        violations.append(RuleViolation("invalid_choice", "group", _("Okänd respondentgrupp.")))
    if data.question:
        question = SurveyQuestion.objects.filter(association_id=intervention.association_id, code=data.question).first()
        if question is None:
            violations.append(
                RuleViolation(
                    "unknown_question",
                    "question",
                    _("Enkätfrågan ”%(code)s” finns inte i förbundets katalog.") % {"code": data.question},
                )
            )
            return values
        if data.group and data.group != question.group:
            violations.append(RuleViolation("group_mismatch", "group", _("Frågan hör till en annan respondentgrupp.")))
        if data.figure in SurveyFigure.values and not survey_rules.figure_applies(data.figure, question.scale):
            violations.append(_figure_not_applicable(data.figure, _("fråga %(code)s") % {"code": question.code}))
        values.update(question=question, group=question.group)
    else:
        if not data.group:
            violations.append(RuleViolation("required", "group", _("Ange respondentgrupp för indikatorn.")))
        values["indicator_number"] = int(data.indicator_number)
        if data.group and data.figure in SurveyFigure.values:
            # Pooled over the indicator's questions, the figure needs one question it applies to.
            scales = set(
                SurveyQuestion.objects.filter(
                    association_id=intervention.association_id, group=data.group, indicator=values["indicator_number"]
                ).values_list("scale", flat=True)
            )
            if scales and not any(survey_rules.figure_applies(data.figure, scale) for scale in scales):
                violations.append(
                    _figure_not_applicable(data.figure, _("indikator %(number)s") % {"number": data.indicator_number})
                )
    return values


def _figure_not_applicable(figure: str, what: str) -> RuleViolation:
    """``figure_not_applicable``: share yes is for yes/no questions, the other figures for six-step ones."""
    return RuleViolation(
        "figure_not_applicable",
        "figure",
        _(
            "Nyckeltalet ”%(figure)s” kan inte beräknas för %(what)s: andel ja gäller ja/nej-frågor, de "
            "andra nyckeltalen frågor med sexgradig skala."
        )
        % {"figure": survey_rules.FIGURE_LABELS[figure], "what": what},
    )


def _placeholder_results(goal: Goal) -> None:
    """Stale, empty results for every evaluated period, so a new goal shows as being computed."""
    spec = selectors.goal_spec(goal)
    GoalResult.objects.bulk_create(
        GoalResult(
            goal=goal,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            target=goal_math.period_target(spec, period),
            stale=True,
        )
        for period in goal_math.evaluated_periods(goal.year, goal.intervention.frequency)
    )


def goal_create(*, intervention: Intervention, data: GoalInput, user: User | None = None) -> Goal:
    """Create a goal for one intervention and year, with stale empty results until computed.

    Refused with :class:`GoalError` listing every broken rule (nothing stored). The results are
    computed after the commit.
    """
    checked = _goal_check(intervention, data)
    with transaction.atomic():
        goal = Goal.objects.create(intervention=intervention, **checked.values)
        goal.reasons.set(checked.reasons)
        goal.excluded_reasons.set(checked.excluded_reasons)
        _placeholder_results(goal)
        announce_goals_change(intervention_id=intervention.pk, goal_ids=[goal.pk])
    return goal


def goal_update(*, goal: Goal, data: GoalInput, user: User | None = None) -> Goal:
    """Replace a goal's definition; its results become stale and are recomputed after the commit.

    A changed year replaces the results (the old year's no longer apply). Refused with
    :class:`GoalError` (nothing changes) like :func:`goal_create`.
    """
    intervention = goal.intervention
    checked = _goal_check(intervention, data, stored=GoalInput.from_goal(goal))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
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
        announce_goals_change(intervention_id=intervention.pk, goal_ids=[goal.pk])
    return goal


def goal_delete(*, goal: Goal, user: User | None = None) -> None:
    """Delete a goal and its results."""
    with transaction.atomic():
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
    steps = _reasons(intervention, reasons, "reasons", violations, stored["reasons"])
    excluded = _reasons(intervention, excluded_reasons, "excluded_reasons", violations, stored["excluded_reasons"])
    overlap = {r.code for r in steps} & {r.code for r in excluded}
    if overlap:
        violations.append(
            RuleViolation(
                "reason_in_both",
                "excluded_reasons",
                _("En avslutsorsak kan inte både räknas som steg och lämnas utanför nämnaren: %(codes)s.")
                % {"codes": ", ".join(sorted(overlap))},
            )
        )
    if violations:
        raise GoalError(violations)
    with transaction.atomic():
        definition, _created = StepDefinition.objects.get_or_create(intervention=intervention)
        definition.reasons.set(steps)
        definition.excluded_reasons.set(excluded)
        definition.save(update_fields=["updated_at"])
        step_goals = list(
            Goal.objects.filter(intervention=intervention, kind=GoalKind.STEP_PROGRESSION).values_list("pk", flat=True)
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


_RESULT_FIELDS = ("numerator", "denominator", "value", "percent", "target", "status")


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
    and the surveys, each once: :func:`reports.selectors.goal_data`) and writes in bulk.
    """
    goals = Goal.objects.filter(intervention=intervention).select_related("question")
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids)
    if base_period is not None:
        goals = goals.filter(year=base_period.year)
    goals = list(goals)
    if not goals:
        return 0
    # Read the generations before any figures: a change committed after this line bumps them.
    existing = {
        (row.goal_id, row.period): row
        for row in (
            _Stored(*values)
            for values in GoalResult.objects.filter(goal__in=[g.pk for g in goals])
            .order_by()
            .values_list(*_Stored.__slots__)
        )
    }
    step_rule = None
    if any(g.kind == GoalKind.STEP_PROGRESSION for g in goals):
        step_rule = selectors.step_rules_for([intervention])[intervention.pk]
    specs = selectors.goal_specs(goals, step_rule=step_rule)

    by_year: dict[int, list[Goal]] = {}
    for goal in goals:
        goal.intervention = intervention
        by_year.setdefault(goal.year, []).append(goal)
    data = selectors.goal_data(
        intervention=intervention,
        years=by_year,
        surveys=any(g.kind == GoalKind.INDICATOR for g in goals),
        span=base_period and Period(base_period.year, "Y", 1),
    )
    now = timezone.now()
    computed: list[tuple[Goal, Period, goal_math.Evaluation]] = []
    for year, year_goals in by_year.items():
        periods = goal_math.evaluated_periods(year, intervention.frequency)
        if base_period is not None:
            periods = [p for p in periods if p.contains(base_period)]
        for period in periods:
            inputs = selectors.period_inputs(intervention=intervention, period=period, data=data)
            for goal in year_goals:
                evaluation = selectors.goal_evaluate(
                    goal=goal, period=period, inputs=inputs, surveys=data.surveys, spec=specs[goal.pk]
                )
                computed.append((goal, period, evaluation))
    changed = _store_many(computed, existing, now)
    if goal_ids is None and base_period is None:
        seen = {(goal.pk, period.code) for goal, period, _evaluation in computed}
        orphans = [r.pk for key, r in existing.items() if key not in seen]
        if orphans:
            changed += GoalResult.objects.filter(pk__in=orphans).delete()[0]
    return changed


class _Stored:
    """What the recomputation needs of a stored result (lighter than a model instance)."""

    __slots__ = ("pk", "goal_id", "period", "generation", "stale", *_RESULT_FIELDS)

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def _store_many(computed, existing: dict[tuple[int, str], _Stored | GoalResult], now) -> int:
    """Store the evaluations that differ from their rows in a few statements; answers how many.

    New results are inserted together; a row another recomputation inserted meanwhile is
    overwritten (both read committed reports), as :func:`_store` does. Changed or stale rows are
    updated together, their ``stale`` flag cleared only where the generation is still the one
    read before the figures (see :func:`_results_update`).
    """
    new: list[tuple] = []
    changed: list[tuple] = []
    for goal, period, evaluation in computed:
        values = tuple(getattr(evaluation, name) for name in _RESULT_FIELDS)
        row = existing.get((goal.pk, period.code))
        if row is None:
            new.append((goal.pk, period.code, 0, period.start, period.end, *values, now, False))
            continue
        if not row.stale and all(
            _same(getattr(row, name), value) for name, value in zip(_RESULT_FIELDS, values, strict=True)
        ):
            continue
        changed.append((row.pk, row.generation, *values))
    if not new and not changed:
        return 0
    with transaction.atomic():
        for index in range(0, len(new), _BATCH):
            _results_insert(new[index : index + _BATCH])
        for index in range(0, len(changed), _BATCH):
            _results_update(changed[index : index + _BATCH], now)
    return len(new) + len(changed)


#: Rows per statement of the bulk writes.
_BATCH = 1000

#: Columns of the bulk writes, with the SQL type of each (for PostgreSQL's arrays).
_COLUMN_TYPES = {
    "id": "bigint",
    "goal_id": "bigint",
    "period": "varchar(10)",
    "generation": "bigint",
    "period_start": "date",
    "period_end": "date",
    "numerator": "bigint",
    "denominator": "bigint",
    "value": "numeric",
    "percent": "integer",
    "target": "numeric",
    "status": "varchar(10)",
    "computed_at": "timestamp with time zone",
    "stale": "boolean",
}
_INSERT_COLUMNS = (
    "goal_id",
    "period",
    "generation",
    "period_start",
    "period_end",
    *_RESULT_FIELDS,
    "computed_at",
    "stale",
)
_UPDATE_COLUMNS = ("id", "generation", *_RESULT_FIELDS)
#: Columns whose values the database backend must adapt (dates, decimals); the rest pass as is.
_ADAPTED = frozenset({"period_start", "period_end", "value", "target", "computed_at"})


def _rows_source(columns: tuple[str, ...], rows: list[tuple]) -> tuple[str, list]:
    """SQL answering ``rows`` as a table of ``columns``, and its parameters.

    On PostgreSQL ``unnest`` of one array per column: one parameter per column rather than per
    value, which the driver binds far faster. Elsewhere (SQLite) a VALUES list.
    """
    db = connections[DEFAULT_DB_ALIAS]
    meta = GoalResult._meta
    columns_values = [list(column) for column in zip(*rows, strict=True)]
    for index, name in enumerate(columns):
        if name in _ADAPTED:
            field = meta.get_field(name)
            columns_values[index] = [field.get_db_prep_save(v, db) for v in columns_values[index]]
    if db.vendor == "postgresql":
        arrays = ", ".join(f"%s::{_COLUMN_TYPES[name]}[]" for name in columns)
        return f"SELECT * FROM unnest({arrays})", columns_values
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return "VALUES " + ", ".join([placeholder] * len(rows)), [
        v for row in zip(*columns_values, strict=True) for v in row
    ]


def _results_insert(rows: list[tuple]) -> None:
    """Insert ``rows`` (values of ``_INSERT_COLUMNS``) in one INSERT ... ON CONFLICT statement.

    A row that another recomputation stored meanwhile (same goal and period) is overwritten with
    these figures and ``stale`` false, as :func:`_store` does after its IntegrityError: both read
    committed reports. Django's ``bulk_create`` would split the rows into batches of the
    database's parameter limit, so the number of statements would grow with the rows.
    """
    quote = connection.ops.quote_name
    source, params = _rows_source(_INSERT_COLUMNS, rows)
    columns = ", ".join(quote(name) for name in _INSERT_COLUMNS)
    updates = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in _INSERT_COLUMNS[3:])
    sql = (
        f"WITH v ({columns}) AS ({source}) "
        f"INSERT INTO {quote(GoalResult._meta.db_table)} ({columns}) SELECT {columns} FROM v WHERE true "
        f"ON CONFLICT ({quote('goal_id')}, {quote('period')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _results_update(rows: list[tuple], now) -> None:
    """Store ``rows`` (values of ``_UPDATE_COLUMNS``) in one UPDATE ... FROM statement.

    As :func:`_store` does per row: the figures and ``computed_at`` always, and ``stale`` is
    cleared only where ``generation`` is still the one this run read before its figures, so a
    result marked stale meanwhile stays stale for the later run. Django's ``bulk_update`` would
    build a CASE per row and field, which costs more than the recomputation itself, and cannot
    guard on the generation. Works on PostgreSQL and SQLite (3.33 or later).
    """
    quote = connection.ops.quote_name
    source, params = _rows_source(_UPDATE_COLUMNS, rows)
    computed_at = GoalResult._meta.get_field("computed_at").get_db_prep_save(now, connection)
    table = quote(GoalResult._meta.db_table)
    assignments = ", ".join(f"{quote(name)} = v.{quote(name)}" for name in _RESULT_FIELDS)
    sql = (
        f"WITH v ({', '.join(quote(n) for n in _UPDATE_COLUMNS)}) AS ({source}) "
        f"UPDATE {table} SET {assignments}, {quote('computed_at')} = %s, "
        f"{quote('stale')} = CASE WHEN {table}.{quote('generation')} = v.{quote('generation')} "
        f"THEN %s ELSE {table}.{quote('stale')} END "
        f"FROM v WHERE {table}.{quote('id')} = v.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, computed_at, False])


def _store(goal: Goal, period: Period, evaluation: goal_math.Evaluation, row: GoalResult | None, now) -> int:
    values = {name: getattr(evaluation, name) for name in _RESULT_FIELDS}
    if row is None:
        try:
            with transaction.atomic():
                GoalResult.objects.create(
                    goal=goal,
                    period=period.code,
                    period_start=period.start,
                    period_end=period.end,
                    computed_at=now,
                    stale=False,
                    **values,
                )
            return 1
        except IntegrityError:
            # Another recomputation (a change's own, or the nightly one) stored it first; both
            # read committed reports, so overwrite it like any existing row.
            row = GoalResult.objects.get(goal=goal, period=period.code)
    same = all(_same(getattr(row, name), value) for name, value in values.items())
    if same and not row.stale:
        return 0
    # Clear the flag only if nobody marked the row again since this run read it.
    cleared = GoalResult.objects.filter(pk=row.pk, generation=row.generation).update(
        stale=False, computed_at=now, **values
    )
    if not cleared:
        GoalResult.objects.filter(pk=row.pk).update(computed_at=now, **values)
    return 1


def _same(stored, computed) -> bool:
    if isinstance(stored, Decimal) or isinstance(computed, Decimal):
        return stored is not None and computed is not None and Decimal(stored) == Decimal(computed)
    return stored == computed


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
