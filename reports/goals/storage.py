"""How the recomputation stores goal results: few SQL statements for any number of rows.

:func:`store_many` compares computed evaluations with the stored rows and writes only those that
differ, in one INSERT ... ON CONFLICT and one UPDATE ... FROM per batch; :func:`store` is the
same for one row. Both clear ``stale`` only where ``generation`` is still the one the
recomputation read before its figures (see :func:`reports.goals.services.goal_results_recompute`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction

from outcomes.periods import Period
from reports.goals.evaluation import Evaluation
from reports.goals.models import Goal, GoalResult

#: The fields of an evaluation that a stored result holds.
RESULT_FIELDS = ("numerator", "denominator", "value", "percent", "target", "status")


class Stored:
    """What the recomputation needs of a stored result (lighter than a model instance)."""

    __slots__ = ("pk", "goal_id", "period", "generation", "stale", *RESULT_FIELDS)

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def store_many(computed, existing: dict[tuple[int, str], Stored | GoalResult], now) -> int:
    """Store the evaluations that differ from their rows in a few statements; answers how many.

    New results are inserted together; a row another recomputation inserted meanwhile is
    overwritten (both read committed reports), as :func:`store` does. Changed or stale rows are
    updated together, their ``stale`` flag cleared only where the generation is still the one
    read before the figures (see :func:`_results_update`).
    """
    new: list[tuple] = []
    changed: list[tuple] = []
    for goal, period, evaluation in computed:
        values = tuple(getattr(evaluation, name) for name in RESULT_FIELDS)
        row = existing.get((goal.pk, period.code))
        if row is None:
            new.append((goal.pk, period.code, 0, period.start, period.end, *values, now, False))
            continue
        if not row.stale and all(
            _same(getattr(row, name), value) for name, value in zip(RESULT_FIELDS, values, strict=True)
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
    *RESULT_FIELDS,
    "computed_at",
    "stale",
)
_UPDATE_COLUMNS = ("id", "generation", *RESULT_FIELDS)
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
    these figures and ``stale`` false, as :func:`store` does after its IntegrityError: both read
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

    As :func:`store` does per row: the figures and ``computed_at`` always, and ``stale`` is
    cleared only where ``generation`` is still the one this run read before its figures, so a
    result marked stale meanwhile stays stale for the later run. Django's ``bulk_update`` would
    build a CASE per row and field, which costs more than the recomputation itself, and cannot
    guard on the generation. Works on PostgreSQL and SQLite (3.33 or later).
    """
    quote = connection.ops.quote_name
    source, params = _rows_source(_UPDATE_COLUMNS, rows)
    computed_at = GoalResult._meta.get_field("computed_at").get_db_prep_save(now, connection)
    table = quote(GoalResult._meta.db_table)
    assignments = ", ".join(f"{quote(name)} = v.{quote(name)}" for name in RESULT_FIELDS)
    sql = (
        f"WITH v ({', '.join(quote(n) for n in _UPDATE_COLUMNS)}) AS ({source}) "
        f"UPDATE {table} SET {assignments}, {quote('computed_at')} = %s, "
        f"{quote('stale')} = CASE WHEN {table}.{quote('generation')} = v.{quote('generation')} "
        f"THEN %s ELSE {table}.{quote('stale')} END "
        f"FROM v WHERE {table}.{quote('id')} = v.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, computed_at, False])


def store(goal: Goal, period: Period, evaluation: Evaluation, row: GoalResult | None, now) -> int:
    values = {name: getattr(evaluation, name) for name in RESULT_FIELDS}
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


def stored_results(goal_ids) -> dict[tuple[int, str], Stored]:
    """The stored results of ``goal_ids`` by (goal id, period code), read in one query."""
    rows = GoalResult.objects.filter(goal__in=goal_ids).order_by().values_list(*Stored.__slots__)
    return {(row.goal_id, row.period): row for row in (Stored(*values) for values in rows)}
