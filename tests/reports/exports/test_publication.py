"""An attacker's try at the masked cells of published exports.

The attacker reads the published XLSX, knows every relation a reader knows (genders add up to the
total, interventions to the association's total, participants = ongoing at start + new, ongoing at
end = participants − exits, exits by reason add up to exits, step progression counts the step
reasons of the default definition, categories of a single-valued dimension add up to the new
participants) and that no count is negative. For every masked cell it solves for the smallest and
the largest value consistent with all that. A cell is protected when more than one value fits.
"""

import io
import random

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy.optimize import linprog

from outcomes.models import Dimension, ExitReason
from outcomes.periods import Period
from reports.exports.layouts import detail_document, summary_document
from reports.exports.services import render_document
from reports.exports.suppression import MASK, suppress
from reports.shares import DEFAULT_STEP_CLASSES
from reports.summaries.selectors import association_summary, intervention_detail
from tests.factories import InterventionFactory
from tests.reports.summary_data import enter, lekeberg, small

pytestmark = pytest.mark.django_db

GENDER_COLUMNS = ("women", "men", "other", "total")
MEASURE_SHEETS = {
    "participants": "Deltagare under perioden",
    "ongoing_at_start": "Pågående vid periodens början",
    "new": "Nya deltagare",
    "exits": "Avslutade",
    "ongoing_at_end": "Pågående vid periodens slut",
}


class Attack:
    def __init__(self):
        self.cells = {}  # name -> value, None when masked
        self.equations = []  # lists of (name, coefficient) summing to zero

    def cell(self, name, value):
        assert value == MASK or isinstance(value, int), (name, value)
        self.cells[name] = None if value == MASK else value
        return name

    def unknown(self, name):
        self.cells[name] = None
        return name

    def equal(self, total, parts):
        self.equations.append([(total, -1), *[(p, 1) for p in parts]])

    def masked(self):
        return sorted((name for name, value in self.cells.items() if value is None and name[0] != "slack"), key=str)

    def ranges(self):
        unknowns = sorted((name for name, value in self.cells.items() if value is None), key=str)
        index = {name: i for i, name in enumerate(unknowns)}
        rows, rhs = [], []
        for equation in self.equations:
            row, constant = np.zeros(len(unknowns)), 0
            for name, coefficient in equation:
                if name in index:
                    row[index[name]] += coefficient
                else:
                    constant += coefficient * self.cells[name]
            if row.any():
                rows.append(row)
                rhs.append(-constant)
            else:
                assert constant == 0, f"the shown numbers themselves break {equation}"
        result = {}
        for name in self.masked():
            objective = np.zeros(len(unknowns))
            objective[index[name]] = 1
            low = linprog(objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
            high = linprog(-objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
            assert low.status == 0, low.message
            result[name] = (low.fun, -high.fun if high.status == 0 else float("inf"))
        return result


def table(sheet):
    """The rows of a sheet's table, without a breakdown's total row (the attack knows that sum)."""
    rows = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        if row[0] != "Totalt" or sheet.title == "Deltagare under perioden" or not _is_breakdown(sheet):
            rows.append(list(row))
    return rows


def _is_breakdown(sheet) -> bool:
    return sheet.title.startswith("Nya – ") or (sheet.title == "Avslutsorsaker" and sheet["B3"].value == "Kvinnor")


def attack_summary(workbook, association):
    attack = Attack()
    names = [row[0] for row in table(workbook[MEASURE_SHEETS["participants"]])]
    interventions = names[:-1]
    assert names[-1] == "Totalt"
    for measure, title in MEASURE_SHEETS.items():
        for row in table(workbook[title]):
            for tag, offset in (("cur", 1), ("prev", 8)):
                cells = [attack.cell((tag, measure, row[0], g), row[offset + i]) for i, g in enumerate(GENDER_COLUMNS)]
                attack.equal(cells[3], cells[:3])
            for i in range(3):
                # a shown share would tell the count from a shown total
                if row[1 + i] == MASK or row[4] == MASK:
                    assert row[5 + i] == MASK, (title, row)
        for tag in ("cur", "prev"):
            for g in GENDER_COLUMNS:
                attack.equal((tag, measure, "Totalt", g), [(tag, measure, n, g) for n in interventions])
    for tag in ("cur", "prev"):
        for name in names:
            for g in GENDER_COLUMNS:
                attack.equal(
                    (tag, "participants", name, g), [(tag, "ongoing_at_start", name, g), (tag, "new", name, g)]
                )
                attack.equal(
                    (tag, "participants", name, g), [(tag, "ongoing_at_end", name, g), (tag, "exits", name, g)]
                )

    step_labels = set(
        ExitReason.objects.filter(association=association, outcome_class__in=DEFAULT_STEP_CLASSES).values_list(
            "label_sv", flat=True
        )
    )
    reasons = {}
    for row in table(workbook["Avslutsorsaker"]):
        cells = [attack.cell(("reason", row[0], row[1], g), row[2 + i]) for i, g in enumerate(GENDER_COLUMNS)]
        attack.equal(cells[3], cells[:3])
        reasons.setdefault(row[0], []).append(row[1])
        if row[2 + 3] == MASK or attack.cells[("cur", "exits", row[0], "total")] is None:
            assert row[6] == MASK
    for name in names:
        for g in GENDER_COLUMNS:
            attack.equal(("cur", "exits", name, g), [("reason", name, r, g) for r in reasons.get(name, [])])
    for label in reasons.get("Totalt", []):
        for g in GENDER_COLUMNS:
            attack.equal(
                ("reason", "Totalt", label, g),
                [("reason", n, label, g) for n in interventions if label in reasons.get(n, [])],
            )

    for row in table(workbook["Stegförflyttning"]):
        name = row[0]
        num, den = attack.cell(("cur", "step", name), row[1]), attack.cell(("cur", "steps_of", name), row[2])
        attack.equal(num, [("reason", name, r, "total") for r in reasons.get(name, []) if r in step_labels])
        attack.equal(den, [("reason", name, r, "total") for r in reasons.get(name, [])])
        old_num, old_den = attack.cell(("prev", "step", name), row[4]), attack.cell(("prev", "steps_of", name), row[5])
        attack.equal(old_den, [("prev", "exits", name, "total")])  # the default rule excludes nothing
        attack.equal(old_den, [old_num, attack.unknown(("slack", name))])  # steps are some of the exits
        for i in (3, 6):
            if row[i - 2] == MASK or row[i - 1] == MASK:
                assert row[i] == MASK
    for tag in ("cur", "prev"):
        for part in ("step", "steps_of"):
            attack.equal((tag, part, "Totalt"), [(tag, part, n) for n in interventions])
    for row in table(workbook["Ekonomi"]):
        if attack.cells[("cur", "participants", row[0], "total")] is None:
            assert row[4] == MASK  # cost per participant would give participants = spent / cost
        if attack.cells[("prev", "participants", row[0], "total")] is None:
            assert row[6] == MASK
    return attack


def published_summary(association):
    summary = association_summary(association=association, period=Period.parse("2024"))
    return load_workbook(io.BytesIO(render_document(summary_document(summary, publish=True), "xlsx")))


def assert_protected(attack):
    masked = attack.masked()
    assert masked, "nothing was masked"
    ranges = attack.ranges()
    recovered = {name: r for name, r in ranges.items() if r[1] - r[0] < 1 - 1e-6}
    assert not recovered, f"the attacker works out {recovered}"
    visible = [v for name, v in attack.cells.items() if v is not None and name[0] != "slack"]
    return masked, visible


def test_no_masked_cell_of_a_published_summary_can_be_worked_out_from_the_shown_numbers(association):
    lekeberg(association)
    small(association)
    tiny = InterventionFactory(association=association, name="Liten insats")
    enter(tiny, {"2024Q2": {"start": (0, 0, 0), "new": (1, 2, 1), "exits": {"care": (1, 0, 0)}}})
    workbook = published_summary(association)
    attack = attack_summary(workbook, association)
    masked, visible = assert_protected(attack)
    threshold = association.small_count_threshold
    assert all(v == 0 or v > threshold for v in visible), "a small count is shown"
    assert len(masked) >= 20


def test_a_published_export_with_a_lower_threshold_masks_less(association):
    lekeberg(association)
    small(association)
    masked_at_4, _visible = assert_protected(attack_summary(published_summary(association), association))
    association.small_count_threshold = 1
    association.save()
    masked_at_1, visible = assert_protected(attack_summary(published_summary(association), association))
    assert len(masked_at_1) < len(masked_at_4)
    assert 1 not in visible


def test_no_masked_cell_of_a_published_intervention_detail_can_be_worked_out(association):
    intervention = small(association)
    detail = intervention_detail(intervention=intervention, period=Period.parse("2024H1"))
    workbook = load_workbook(io.BytesIO(render_document(detail_document(detail, publish=True), "xlsx")))
    attack = Attack()
    for row in table(workbook["Översikt"]):
        for tag, offset in (("cur", 1), ("prev", 8)):
            cells = [attack.cell((tag, row[0], g), row[offset + i]) for i, g in enumerate(GENDER_COLUMNS)]
            attack.equal(cells[3], cells[:3])
    titles = dict(zip(MEASURE_SHEETS.values(), MEASURE_SHEETS, strict=True))
    for tag in ("cur", "prev"):
        for g in GENDER_COLUMNS:
            cell = {m: (tag, t, g) for t, m in titles.items()}
            attack.equal(cell["participants"], [cell["ongoing_at_start"], cell["new"]])
            attack.equal(cell["participants"], [cell["ongoing_at_end"], cell["exits"]])
    single_valued = Dimension.objects.filter(association=association, multi_valued=False)
    for dimension in Dimension.objects.filter(association=association):
        title = f"Nya – {dimension.label_sv}"
        rows = table(workbook[next(name for name in workbook.sheetnames if title.startswith(name))])
        for row in rows:
            cells = [attack.cell((dimension.code, row[0], g), row[1 + i]) for i, g in enumerate(GENDER_COLUMNS)]
            attack.equal(cells[3], cells[:3])
        if dimension in single_valued:
            for g in GENDER_COLUMNS:
                attack.equal(("cur", "Nya deltagare", g), [(dimension.code, row[0], g) for row in rows])
    for row in table(workbook["Avslutsorsaker"]):
        cells = [attack.cell(("reason", row[0], g), row[1 + i]) for i, g in enumerate(GENDER_COLUMNS)]
        attack.equal(cells[3], cells[:3])
    exit_rows = [row[0] for row in table(workbook["Avslutsorsaker"])]
    for g in GENDER_COLUMNS:
        attack.equal(("cur", "Avslutade", g), [("reason", r, g) for r in exit_rows])
    masked, visible = assert_protected(attack)
    assert all(v == 0 or v > association.small_count_threshold for v in visible)


@pytest.mark.parametrize("seed", range(12))
def test_suppression_protects_random_tables_with_margins(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(2, 6), rng.randint(2, 4)
    values = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 5, 7, 12, 30]) for r in range(rows) for c in range(columns)}
    equations = []
    for r in range(rows):
        values[(r, "T")] = sum(values[(r, c)] for c in range(columns))
        equations.append([((r, "T"), -1), *[((r, c), 1) for c in range(columns)]])
    for c in [*range(columns), "T"]:
        values[("T", c)] = sum(values[(r, c)] for r in range(rows))
        equations.append([(("T", c), -1), *[((r, c), 1) for r in range(rows)]])
    masked = suppress(values, equations, threshold=4)
    attack = Attack()
    for key, value in values.items():
        attack.cell(key, MASK if key in masked else value)
    attack.equations = [list(eq) for eq in equations]
    if masked:
        assert_protected(attack)
    assert all(key in masked for key, value in values.items() if 1 <= value <= 4)


@pytest.mark.parametrize("contradiction", [False, True])
def test_small_counts_linked_by_three_totals_are_protected_also_beside_figures_that_contradict_each_other(
    contradiction,
):
    # a + b, a + c and b + c are shown: with only the three small counts masked, the three
    # equations give each of them. The contradicting table shows two totals of the same two cells
    # that differ (as a summary's total that also counts rows left out of its table would), so no
    # values satisfy every equation of the document at once. The document used to be attacked as
    # one system, and beside such a contradiction every masked cell looked protected.
    values = {"a": 2, "b": 3, "c": 4, "a+b": 5, "a+c": 6, "b+c": 7}
    equations = [
        [("a+b", -1), ("a", 1), ("b", 1)],
        [("a+c", -1), ("a", 1), ("c", 1)],
        [("b+c", -1), ("b", 1), ("c", 1)],
    ]
    extra_values = {"x total": 32, "x total elsewhere": 40, "x a": 30, "x b": 2}
    extra_equations = (
        [[("x total", -1), ("x a", 1), ("x b", 1)], [("x total elsewhere", -1), ("x a", 1), ("x b", 1)]]
        if contradiction
        else []
    )
    masked = suppress({**values, **extra_values}, [*equations, *extra_equations], threshold=4)
    attack = Attack()
    for key, value in values.items():
        attack.cell(key, MASK if key in masked else value)
    attack.equations = equations
    assert {"a", "b", "c"} < masked
    assert_protected(attack)


def test_the_attack_works_out_a_small_count_masked_without_complementary_cells():
    # women 3 (small), men 20, total 23: masking only the 3 leaves it as 23 − 20.
    attack = Attack()
    attack.cell("women", MASK)
    attack.cell("men", 20)
    attack.cell("total", 23)
    attack.equal("total", ["women", "men"])
    assert attack.ranges()["women"] == pytest.approx((3, 3))
    with pytest.raises(AssertionError, match="works out"):
        assert_protected(attack)


def random_quarters(rng: random.Random, year: int) -> dict:
    """A year of small, rule-abiding random counts: exits never exceed who is there."""
    reasons = ["employment", "studies", "af_programme", "care", "returned", "dropped_out", "moved"]
    quarters, present = {}, [rng.randint(0, 6) for _ in range(3)]
    for quarter in range(1, 5):
        new = [rng.choice([0, 0, 1, 2, 3, 5, 9]) for _ in range(3)]
        exits: dict[str, list[int]] = {}
        for g in range(3):
            for _ in range(rng.randint(0, present[g] + new[g])):
                exits.setdefault(rng.choice(reasons), [0, 0, 0])[g] += 1
        body = {"new": tuple(new), "exits": {r: tuple(c) for r, c in exits.items()}, "spent_sek": 10000}
        if quarter == 1:
            body["start"] = tuple(present)
        quarters[f"{year}Q{quarter}"] = body
        present = [present[g] + new[g] - sum(c[g] for c in exits.values()) for g in range(3)]
    return quarters


@pytest.mark.parametrize("seed", [1, 2])
def test_no_masked_cell_can_be_worked_out_in_a_summary_full_of_small_random_counts(association, seed):
    rng = random.Random(seed)
    for n in range(4):
        intervention = InterventionFactory(association=association, name=f"Insats {n}")
        enter(intervention, random_quarters(rng, 2023))
        enter(intervention, random_quarters(rng, 2024))
    attack = attack_summary(published_summary(association), association)
    masked, visible = assert_protected(attack)
    assert all(v == 0 or v > association.small_count_threshold for v in visible)
