from hypothesis import given
from hypothesis import strategies as st

from outcomes.counts import Counts, ReportFigures, combine
from outcomes.tallies.rules import (
    CONTINUITY,
    DIMENSION_SUM,
    EXITS_SUM,
    NEGATIVE_ONGOING_AT_END,
    UNUSUAL_FLOOR_COUNT,
    UNUSUAL_FLOOR_SEK,
    UNUSUAL_VALUE,
    check_report,
    check_unusual,
    checked_values,
)
from outcomes.violations import ERROR, NEGATIVE_COUNT, WARNING, blocking


def quarter(start, new, exits, reasons=None, spent=0):
    return ReportFigures(
        ongoing_at_start=Counts(*start),
        new=Counts(*new),
        exits=Counts(*exits),
        exits_by_reason={k: Counts(*v) for k, v in (reasons or {}).items()},
        spent_sek=spent,
    )


def test_a_year_of_four_quarters_has_the_first_start_the_summed_flows_and_the_last_end():
    quarters = [
        quarter((10, 8, 1), (4, 3, 0), (2, 1, 0), {"employment": (2, 1, 0)}, spent=100),
        quarter((12, 10, 1), (5, 2, 1), (3, 4, 0), {"returned": (3, 4, 0)}, spent=200),
        quarter((14, 8, 2), (1, 1, 0), (5, 2, 1), {"employment": (1, 0, 0), "studies": (4, 2, 1)}, spent=300),
        quarter((10, 7, 1), (6, 4, 0), (2, 2, 0), {"returned": (2, 2, 0)}, spent=400),
    ]
    year = combine(quarters)
    assert year.ongoing_at_start == Counts(10, 8, 1)
    assert year.new == Counts(16, 10, 1)
    assert year.exits == Counts(12, 9, 1)
    assert year.ongoing_at_end == quarters[-1].ongoing_at_end == Counts(14, 9, 1)
    assert year.exits_by_reason == {
        "employment": Counts(3, 1, 0),
        "returned": Counts(5, 6, 0),
        "studies": Counts(4, 2, 1),
    }
    assert year.spent_sek == 1000


def test_participants_during_the_year_is_start_plus_new_never_the_sum_of_quarters():
    quarters = [
        quarter((20, 0, 0), (5, 0, 0), (0, 0, 0)),
        quarter((25, 0, 0), (0, 0, 0), (0, 0, 0)),
        quarter((25, 0, 0), (0, 0, 0), (5, 0, 0), {"employment": (5, 0, 0)}),
        quarter((20, 0, 0), (2, 0, 0), (0, 0, 0)),
    ]
    year = combine(quarters)
    assert year.participants.total == 27
    assert sum(q.participants.total for q in quarters) == 97


def test_combining_nothing_gives_zeros():
    assert combine([]).participants == Counts()


continuous_quarters = st.lists(st.tuples(*(st.integers(0, 30) for _ in range(6))), min_size=1, max_size=12).map(
    lambda rows: _chain(rows)
)


def _chain(rows):
    """Quarters where each start equals the previous end and no end goes negative."""
    result, start = [], Counts(3, 2, 1)
    for nw, nm, no, ew, em, eo in rows:
        new = Counts(nw, nm, no)
        available = start + new
        exits = Counts(min(ew, available.women), min(em, available.men), min(eo, available.other))
        result.append(ReportFigures(ongoing_at_start=start, new=new, exits=exits))
        start = available - exits
    return result


@given(continuous_quarters)
def test_any_run_of_continuous_periods_ends_where_its_last_period_ends(quarters):
    combined = combine(quarters)
    assert combined.ongoing_at_end == quarters[-1].ongoing_at_end
    assert combined.participants.total <= sum(q.participants.total for q in quarters)


@given(continuous_quarters, st.integers(1, 11))
def test_splitting_a_run_anywhere_and_combining_the_halves_changes_nothing(quarters, cut):
    cut = min(cut, len(quarters))
    whole = combine(quarters)
    halves = combine([combine(quarters[:cut]), combine(quarters[cut:])]) if cut < len(quarters) else whole
    assert (halves.ongoing_at_start, halves.new, halves.exits) == (whole.ongoing_at_start, whole.new, whole.exits)


def codes(violations):
    return sorted((v.code, v.field) for v in violations)


def test_exits_by_reason_must_add_up_to_exits_per_gender():
    figures = quarter((5, 5, 0), (1, 1, 0), (2, 1, 0), {"employment": (1, 1, 0)})
    violations = check_report(figures)
    assert codes(violations) == [(EXITS_SUM, "exits.women")]
    assert "summerar till 1 men antalet avslutade är 2" in violations[0].message
    assert violations[0].severity == ERROR


def test_single_valued_dimensions_must_add_up_to_new_per_gender_but_multi_valued_need_not():
    figures = ReportFigures(
        new=Counts(3, 2, 0),
        breakdowns={
            "education": {"compulsory": Counts(2, 2, 0), "unknown": Counts(0, 0, 0)},
            "agency_contacts": {"af": Counts(9, 9, 0)},
        },
    )
    violations = check_report(figures, single_valued_dimensions=["education", "age_band"])
    assert codes(violations) == [
        (DIMENSION_SUM, "breakdowns.age_band.men"),
        (DIMENSION_SUM, "breakdowns.age_band.women"),
        (DIMENSION_SUM, "breakdowns.education.women"),
    ]
    assert "Uppgift saknas" in violations[0].message


def test_ongoing_at_end_can_never_be_negative():
    figures = quarter((1, 0, 0), (0, 0, 0), (2, 0, 0), {"employment": (2, 0, 0)})
    assert codes(check_report(figures)) == [(NEGATIVE_ONGOING_AT_END, "exits.women")]


def test_a_start_that_differs_from_the_previous_end_is_only_a_warning():
    figures = quarter((4, 2, 0), (0, 0, 0), (0, 0, 0))
    violations = check_report(figures, previous_ongoing_at_end=Counts(5, 2, 0))
    assert codes(violations) == [(CONTINUITY, "ongoing_at_start.women")]
    assert violations[0].severity == WARNING
    assert blocking(violations) == []
    assert check_report(figures, previous_ongoing_at_end=Counts(4, 2, 0)) == []


def test_negative_numbers_are_refused_and_named():
    figures = quarter((0, -1, 0), (0, 0, 0), (0, 0, 0))
    assert (NEGATIVE_COUNT, "ongoing_at_start.men") in codes(check_report(figures))


# --- unusual values (issue 18): a warning, never a refusal ------------------------------------


def test_a_value_more_than_three_times_the_largest_earlier_one_is_only_a_warning_naming_label_and_both_numbers():
    labels = {"new.women": "Nya deltagare, kvinnor", "spent_sek": "Förbrukat (kr)"}
    found = check_unusual({"new.women": 37, "spent_sek": 1_500_000}, {"new.women": 12, "spent_sek": 400_000}, labels)
    assert [(v.code, v.field, v.severity) for v in found] == [
        (UNUSUAL_VALUE, "new.women", WARNING),
        (UNUSUAL_VALUE, "spent_sek", WARNING),
    ]
    assert found[0].message == (
        "Nya deltagare, kvinnor: 37 är mer än tre gånger det största värdet i insatsens tidigare rapporter (12). "
        "Är detta rätt?"
    )
    assert "1\xa0500\xa0000" in found[1].message and "(400\xa0000)" in found[1].message
    assert blocking(found) == []


def test_three_times_the_largest_earlier_value_exactly_is_not_unusual():
    assert check_unusual({"new.women": 36, "spent_sek": 1_200_000}, {"new.women": 12, "spent_sek": 400_000}, {}) == []


def test_without_earlier_reports_nothing_is_unusual():
    assert check_unusual({"new.women": 500, "spent_sek": 9_000_000}, None, {}) == []


def test_after_a_largest_value_of_zero_only_a_value_from_the_floor_up_is_unusual():
    earlier = {"new.women": 0}  # "new.men" was never reported: also 0
    below = {"new.women": UNUSUAL_FLOOR_COUNT - 1, "new.men": 3, "spent_sek": UNUSUAL_FLOOR_SEK - 1}
    assert check_unusual(below, earlier, {}) == []
    at_floor = {"new.women": UNUSUAL_FLOOR_COUNT, "new.men": 0, "spent_sek": UNUSUAL_FLOOR_SEK}
    assert [v.field for v in check_unusual(at_floor, earlier, {})] == ["new.women", "spent_sek"]


def test_the_checked_values_are_new_and_exits_by_gender_and_the_spending_not_the_start_or_the_splits():
    figures = ReportFigures(
        ongoing_at_start=Counts(50, 0, 0),
        new=Counts(2, 1, 0),
        exits=Counts(1, 0, 0),
        exits_by_reason={"employment": Counts(1, 0, 0)},
        breakdowns={"education": {"unknown": Counts(2, 1, 0)}},
        spent_sek=1000,
    )
    assert checked_values(figures) == {
        "new.women": 2,
        "new.men": 1,
        "new.other": 0,
        "exits.women": 1,
        "exits.men": 0,
        "exits.other": 0,
        "spent_sek": 1000,
    }


def test_negative_counts_by_reason_and_category_are_named_by_their_labels():
    figures = ReportFigures(
        exits_by_reason={"employment": Counts(-1, 0, 0)},
        breakdowns={"education": {"unknown": Counts(0, -2, 0)}},
    )
    found = check_report(
        figures,
        reason_labels={"employment": "Arbete/anställning"},
        category_labels={("education", "unknown"): ("Utbildningsnivå", "Uppgift saknas")},
    )
    messages = {v.field: v.message for v in found if v.code == NEGATIVE_COUNT}
    assert messages["exits_by_reason.employment.women"] == (
        "Avslutade av orsak ”Arbete/anställning” (kvinnor) får inte vara negativt."
    )
    assert messages["breakdowns.education.unknown.men"] == (
        "Antal i ”Utbildningsnivå: Uppgift saknas” (män) får inte vara negativt."
    )
