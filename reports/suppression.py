"""Protection of small numbers in exports marked for publication.

A published table shows counts, their totals and figures derived from them (stock-and-flow,
exits by reason adding up to exits). Counts from 1 up to the association's threshold are masked
(primary suppression). Masking them alone is not enough: a masked cell in a row whose other cells
and total are shown is simply the difference. So further cells are masked (complementary
suppression) until no masked cell can be worked out from what is shown.

The tables are described generically: ``values`` maps a cell key to its count, and every published
relation is an equation ``sum(coefficient * cell) == 0`` (for example women + men + other − total).
:func:`suppress` first masks every equation's lonely masked cell's cheapest partner, then audits
the result the way an attacker would: for every masked cell it solves two linear programmes
(smallest and largest value that fits every equation with every masked cell at least zero) and
masks more cells as long as any masked cell is pinned to a single value.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog

Key = Hashable
Equation = Sequence[tuple[Key, int]]

MASK = ".."


def primary_cells(values: Mapping[Key, int], threshold: int) -> set[Key]:
    """Cells whose count is from 1 up to and including ``threshold`` (zero is not sensitive)."""
    return {key for key, value in values.items() if 1 <= value <= threshold}


def _candidate_order(values: Mapping[Key, int], key: Key) -> tuple:
    # Prefer masking a small non-zero count: zeros cannot move down, so they protect nothing,
    # and a small count hides less information than a large total.
    value = values[key]
    return (value == 0, value, str(key))


def feasible_ranges(
    values: Mapping[Key, int], equations: Iterable[Equation], masked: set[Key]
) -> dict[Key, tuple[float, float]]:
    """The smallest and largest value each masked cell can take given every shown cell.

    This is the attack the protection must withstand: every equation, the shown values as
    constants and every masked cell at least zero. An unbounded maximum is ``inf``.
    """
    order = sorted(masked, key=str)
    if not order:
        return {}
    index = {key: i for i, key in enumerate(order)}
    rows, rhs = [], []
    for equation in equations:
        row = np.zeros(len(order))
        constant = 0.0
        touched = False
        for key, coefficient in equation:
            if key in index:
                row[index[key]] += coefficient
                touched = True
            else:
                constant += coefficient * values[key]
        if touched:
            rows.append(row)
            rhs.append(-constant)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    ranges = {}
    for key, i in index.items():
        objective = np.zeros(len(order))
        objective[i] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        minimum = low.fun if low.status == 0 else 0.0
        maximum = -high.fun if high.status == 0 else float("inf")
        ranges[key] = (minimum, maximum)
    return ranges


def exposed_cells(
    values: Mapping[Key, int], equations: Iterable[Equation], masked: set[Key], hidden: set[Key] = frozenset()
) -> set[Key]:
    """Masked cells an attacker can pin to one value (range narrower than one unit).

    ``hidden`` cells are never shown at all (unknown to the reader) and are not reported.
    """
    ranges = feasible_ranges(values, list(equations), set(masked) | set(hidden))
    return {key for key in masked if key not in hidden and ranges[key][1] - ranges[key][0] < 1 - 1e-6}


def suppress(
    values: Mapping[Key, int], equations: Sequence[Equation], threshold: int, *, hidden: set[Key] = frozenset()
) -> set[Key]:
    """The cells to mask: the small counts and enough others that none of them can be worked out.

    ``hidden`` cells take part in the equations but are never published (for example how many
    exits fall outside the step definition last year); they are unknowns to the reader and are
    never masked or reported. Answers an empty set when nothing is small. Every key in an
    equation must be in ``values``.
    """
    equations = [list(eq) for eq in equations]
    hidden = set(hidden)
    masked = primary_cells({k: v for k, v in values.items() if k not in hidden}, threshold)
    if not masked:
        return masked
    while True:
        _pair_lonely_cells(values, equations, masked | hidden, masked)
        exposed = exposed_cells(values, equations, masked, hidden)
        if not exposed:
            return masked
        for key in sorted(exposed, key=str):
            candidates = [
                k for eq in equations if any(k2 == key for k2, _c in eq) for k, _c in eq if k not in masked | hidden
            ]
            if candidates:
                masked.add(min(candidates, key=lambda k: _candidate_order(values, k)))
            else:  # every partner already masked: widen through any shown cell of the table
                rest = [k for k in values if k not in masked | hidden]
                if not rest:
                    return masked
                masked.add(min(rest, key=lambda k: _candidate_order(values, k)))


def _pair_lonely_cells(values, equations, unknown: set[Key], masked: set[Key]) -> None:
    """Until no equation has exactly one unknown cell, mask the cheapest shown partner in it.

    ``unknown`` is the masked and hidden cells; newly masked cells are added to both sets.
    """
    changed = True
    while changed:
        changed = False
        for equation in equations:
            inside = [k for k, _c in equation if k in unknown]
            if len(inside) != 1 or inside[0] not in masked:
                continue
            candidates = [k for k, _c in equation if k not in unknown]
            if candidates:
                pick = min(candidates, key=lambda k: _candidate_order(values, k))
                masked.add(pick)
                unknown.add(pick)
                changed = True
