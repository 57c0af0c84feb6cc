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


class _Attack:
    """The attacker's linear system over the unknown (masked and hidden) cells.

    Unknowns are bounded below by zero and above by a generous ceiling (ten times the sum of
    every value), which keeps each programme bounded and only ever narrows a range, so a cell
    found protected here is protected against the unbounded attack too.
    """

    def __init__(self, values: Mapping[Key, int], equations: Iterable[Equation], unknown: set[Key], ceiling: float):
        self.order = sorted(unknown, key=str)
        self.index = {key: i for i, key in enumerate(self.order)}
        rows, rhs = [], []
        for equation in equations:
            row = np.zeros(len(self.order))
            constant = 0.0
            touched = False
            for key, coefficient in equation:
                if key in self.index:
                    row[self.index[key]] += coefficient
                    touched = True
                else:
                    constant += coefficient * values[key]
            if touched:
                rows.append(row)
                rhs.append(-constant)
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.array(rhs) if rows else None
        self.truth = np.array([values[key] for key in self.order], dtype=float)
        self.ceiling = ceiling

    def solve(self, objective: np.ndarray) -> np.ndarray | None:
        """The point minimising ``objective`` (None if the solver fails)."""
        # Imported here: scipy.optimize is a second of every process's start (web, worker, each
        # manage.py command) and only a publication export solves linear programmes.
        from scipy.optimize import linprog

        result = linprog(objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, self.ceiling), method="highs")
        return result.x if result.status == 0 else None

    def range_of(self, key: Key) -> tuple[float, float]:
        objective = np.zeros(len(self.order))
        objective[self.index[key]] = 1
        low, high = self.solve(objective), self.solve(-objective)
        i = self.index[key]
        return (low[i] if low is not None else 0.0, high[i] if high is not None else float("inf"))


def exposed_cells(
    values: Mapping[Key, int], equations: Iterable[Equation], masked: set[Key], hidden: set[Key] = frozenset()
) -> set[Key]:
    """Masked cells an attacker can pin to one value (range narrower than one unit).

    A cell is protected as soon as some solution of the attacker's system differs from the true
    value by at least one. The system falls apart into independent parts (unknown cells linked by
    shared equations), and a cell's range depends only on its own part, so each part is attacked
    on its own: smaller programmes, and a part whose shown figures contradict each other no
    longer makes every other part's cells look protected too. Within a part, a few programmes
    with objectives over all undecided cells settle most cells at once; only the rest get their
    own minimum and maximum. ``hidden`` cells are never shown at all (unknown to the reader) and
    are not reported.
    """
    ceiling = 10.0 * (sum(abs(v) for v in values.values()) + 1)
    reported = set(masked) - set(hidden)
    exposed = set()
    for unknown, part in _independent_parts(list(equations), set(masked) | set(hidden)):
        if not unknown & reported:
            continue
        exposed |= _exposed_in_part(_Attack(values, part, unknown, ceiling), masked, hidden)
    return exposed


def _independent_parts(equations: list[Equation], unknown: set[Key]) -> list[tuple[set[Key], list[Equation]]]:
    """The unknown cells grouped by the equations that link them, each group with its equations
    (an unknown cell in no equation is a group of its own, without equations): the connected
    components of the graph whose nodes are the unknown cells and the equations that hold one."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    cells = sorted(unknown, key=str)
    index = {key: i for i, key in enumerate(cells)}
    linking = [eq for eq in equations if any(key in index for key, _c in eq)]
    edges = [(index[key], len(cells) + n) for n, eq in enumerate(linking) for key, _c in eq if key in index]
    size = len(cells) + len(linking)
    rows, columns = zip(*edges, strict=True) if edges else ((), ())
    graph = coo_matrix((np.ones(len(edges)), (rows, columns)), shape=(size, size))
    _count, labels = connected_components(graph, directed=False)
    groups: dict[int, tuple[set[Key], list[Equation]]] = {}
    for key, label in zip(cells, labels[: len(cells)], strict=True):
        groups.setdefault(label, (set(), []))[0].add(key)
    for n, equation in enumerate(linking):
        groups[labels[len(cells) + n]][1].append(equation)
    return list(groups.values())


def _exposed_in_part(attack: _Attack, masked: set[Key], hidden: set[Key]) -> set[Key]:
    undecided = [key for key in attack.order if key in masked and key not in hidden]
    rng = np.random.default_rng(0)
    for round_number in range(6):
        if not undecided:
            return set()
        objective = np.zeros(len(attack.order))
        signs = [1.0] * len(undecided) if round_number == 0 else [-1.0] * len(undecided)
        if round_number > 1:
            signs = rng.choice([-1.0, 1.0], size=len(undecided))
        for key, sign in zip(undecided, signs, strict=True):
            objective[attack.index[key]] = sign
        point = attack.solve(objective)
        if point is None:
            if attack.solve(np.zeros(len(attack.order))) is None:
                # No solution at all (the shown figures contradict each other, for example a total
                # over rows of which some are not shown): every range would be unknown, which
                # counts as protected; solving a programme per cell would only say so again.
                return set()
            break
        undecided = [k for k in undecided if abs(point[attack.index[k]] - attack.truth[attack.index[k]]) < 1 - 1e-6]
    exposed = set()
    for key in undecided:
        low, high = attack.range_of(key)
        if high - low < 1 - 1e-6:
            exposed.add(key)
    return exposed


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
