import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.periods import Period
from reports.summaries.api import FiguresSerializer
from reports.summaries.selectors import association_summary, national_summary
from tests.factories import AssociationFactory
from tests.reports.summary_data import lekeberg, small

pytestmark = pytest.mark.django_db


def test_each_association_in_the_national_summary_has_the_totals_of_its_own_summary(association):
    lekeberg(association)
    small(association)
    other = AssociationFactory(name="Annat förbund")
    lekeberg(other)
    empty = AssociationFactory(name="Tomt förbund")
    for code in ("2024", "2024H1", "2024Q3"):
        period = Period.parse(code)
        rows = {row.association: row for row in national_summary(period=period)}
        for owner in (association, other):
            own = association_summary(association=owner, period=period).totals
            assert FiguresSerializer(rows[owner].figures).data == FiguresSerializer(own).data, code
        assert rows[association].interventions == 2
        assert (rows[empty].interventions, rows[empty].figures.participants.total) == (0, 0)
    assert str(rows[other].figures.step_progression) == str(
        association_summary(association=other, period=Period.parse("2024Q3")).totals.step_progression
    )


def test_the_national_summary_makes_the_same_number_of_queries_for_one_or_five_associations(association):
    lekeberg(association)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            national_summary(period=Period.parse("2024"))
        return len(captured)

    one = queries()
    for index in range(4):
        lekeberg(AssociationFactory(name=f"Förbund {index}"))
    # Computed: step rules four, measures two at most, activities one; then stored (a statement
    # in a savepoint). The first association's rows are stored by then; the others are computed.
    assert queries() == one <= 15
    assert queries() < one - 6  # all stored now: read, not computed
