"""How many SQL queries a report PUT and a bulk import make, pinned so that they cannot silently
grow (issue 8: at least 100 PUTs per second, 500 imported reports in under 5 seconds)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from outcomes.limits import MAX_REPORT_COUNT, MAX_REPORT_SEK
from outcomes.models import BreakdownCount, ExitCount, PeriodReport, ReportHistory
from outcomes.organisations.services import api_token_create
from outcomes.tallies.api import ReportInputSerializer, plain_report_data
from tests.factories import InterventionFactory
from tests.outcomes.tallies.test_api import BODY

pytestmark = pytest.mark.django_db

# Savepoints: the request's transaction (a savepoint inside the test's) and the save's own.
SAVEPOINTS = 4
# A staff member's PUT reads the token, the intervention, the write right (one membership query
# for staff), locks the intervention, reads the report and the one before it in one query, the
# catalog in one, and the largest values of the earlier reports (the unusual-value warning) in one.
READS = 7
# A first save then writes the report, its rows by reason and by category and its history.
FIRST_SAVE = SAVEPOINTS + READS + 4
# A change also reads the stored rows to compare (one query: by reason, by category and the
# counted measures), updates the report, replaces its rows (two deletes, two inserts) and writes
# its history.
CHANGED_SAVE = SAVEPOINTS + READS + 1 + 1 + 2 + 2 + 1
# Saving the same content again only reads the stored rows to compare.
UNCHANGED_SAVE = SAVEPOINTS + READS + 1


def client_for(user):
    client = APIClient()
    _token, secret = api_token_create(user=user, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    client.get("/api/v1/interventions/")  # the token's first use is recorded once, not per request
    return client


def url(intervention, period="2024Q1"):
    return f"/api/v1/interventions/{intervention.pk}/reports/{period}/"


def counted_put(client, intervention, body, period="2024Q1"):
    with CaptureQueriesContext(connection) as queries:
        response = client.put(url(intervention, period), body, format="json")
    assert response.status_code in (200, 201), response.json()
    return response, len(queries)


@pytest.fixture
def client(staff):
    return client_for(staff)


def test_a_first_put_of_a_report_makes_a_fixed_number_of_queries(client, intervention):
    response, queries = counted_put(client, intervention, BODY)
    assert response.status_code == 201
    assert queries == FIRST_SAVE
    assert response.json()["exits_total"] == {"women": 5, "men": 3, "other": 0, "total": 8}


def test_a_put_that_changes_a_report_makes_a_fixed_number_of_queries_and_answers_the_new_figures(client, intervention):
    client.put(url(intervention), BODY, format="json")
    changed = {**BODY, "exits": [{"reason": "employment", "women": 5, "men": 3, "other": 0}]}
    response, queries = counted_put(client, intervention, changed)
    assert queries == CHANGED_SAVE
    assert response["ETag"] == '"2"'
    assert response.json()["exits"] == [{"reason": "employment", "women": 5, "men": 3, "other": 0}]
    assert response.json() == client.get(url(intervention)).json()


def test_a_put_that_changes_nothing_makes_fewer_queries_and_writes_no_history(client, intervention):
    client.put(url(intervention), BODY, format="json")
    history = ReportHistory.objects.count()
    response, queries = counted_put(client, intervention, BODY)
    assert queries == UNCHANGED_SAVE
    assert response["ETag"] == '"1"'
    assert ReportHistory.objects.count() == history


def test_the_queries_of_a_put_do_not_grow_with_the_reports_already_stored(client, intervention):
    for quarter in (1, 2, 3):
        client.put(url(intervention, f"2023Q{quarter}"), BODY, format="json")
    _response, queries = counted_put(client, intervention, BODY, period="2023Q4")
    assert queries == FIRST_SAVE


def import_body(interventions, periods, body=BODY, **changes):
    return {"reports": [{"intervention": i.pk, "period": p, **body, **changes} for p in periods for i in interventions]}


def counted_import(client, body):
    """The import's answer, its queries other than inserts, and its inserts."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/imports/", body, format="json")
    assert response.status_code == 200, response.json()
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    return response.json(), len(queries) - len(inserts), len(inserts)


def test_an_import_makes_as_many_queries_for_forty_reports_as_for_two(staff, association):
    client = client_for(staff)
    few = InterventionFactory.create_batch(2, association=association)
    many = InterventionFactory.create_batch(10, association=association)
    quarters = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    small, small_reads, small_inserts = counted_import(client, import_body(few, ["2024Q1"]))
    large, large_reads, large_inserts = counted_import(client, import_body(many, quarters))
    assert (small["created"], large["created"]) == (2, 40)
    # Token, interventions, rights; two savepoints (request, import) of two queries; the lock of
    # the interventions, their reports; the catalog.
    assert small_reads == large_reads == 3 + 4 + 2 + 1
    # Inserts come many rows per statement (a statement is kept to about 4 kB of SQL).
    assert small_inserts == 4
    rows = ReportHistory.objects.count() + ExitCount.objects.count() + BreakdownCount.objects.count()
    assert large_inserts <= 4 + rows // 50
    changed, changed_reads, _inserts = counted_import(client, import_body(many, quarters, spent_sek=1))
    unchanged, unchanged_reads, unchanged_inserts = counted_import(client, import_body(many, quarters, spent_sek=1))
    assert (changed["updated"], unchanged["unchanged"]) == (40, 40)
    # A change also reads the stored rows (three queries: by reason, by category, measures),
    # updates the reports and deletes their rows.
    assert changed_reads == large_reads + 3 + 1 + 2
    assert (unchanged_reads, unchanged_inserts) == (large_reads + 3, 0)


def history_of(intervention):
    return sorted(
        (r.report.period, r.kind, r.field, r.old, r.new, r.version)
        for r in ReportHistory.objects.filter(report__intervention=intervention).select_related("report")
    )


def test_an_import_stores_the_same_reports_versions_and_history_as_puts_one_by_one(staff, association):
    client = client_for(staff)
    by_put, by_import = InterventionFactory.create_batch(2, association=association)
    periods = ["2024Q1", "2024Q2", "2024Q3"]
    # The second round leaves out the start, so each period continues from the one before.
    later = {key: value for key, value in BODY.items() if key != "ongoing_at_start"}
    later |= {"exits": [{"reason": "returned", "women": 1, "men": 0, "other": 0}], "comment": "Andra omgången"}
    for body in (BODY, later):
        for period in periods:
            client.put(url(by_put, period), body, format="json")
        client.post("/api/v1/imports/", import_body([by_import], periods, body), format="json")
    assert history_of(by_import) == history_of(by_put)
    assert len(history_of(by_import)) > 3 * len(BODY)

    def stored(intervention):
        return [
            (r.period, r.version, r.figures(), r.comment)
            for r in PeriodReport.objects.filter(intervention=intervention).order_by("period")
        ]

    assert stored(by_put) == stored(by_import)
    assert [version for _p, version, _f, _c in stored(by_import)] == [2, 2, 2]


def test_a_coordinator_put_checks_the_grant_with_one_more_query(coordinator, intervention):
    client = client_for(coordinator)
    _response, queries = counted_put(client, intervention, BODY)
    assert queries == FIRST_SAVE + 1


# --- the fast path for well-formed bodies answers what the serializers answer ------------------

_counts_values = st.one_of(
    st.integers(min_value=-5, max_value=MAX_REPORT_COUNT + 1),
    st.just(10**30),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["3", " 3", "", "x"]),
)
_texts = st.one_of(
    st.sampled_from(["employment", "returned", "age_band", "unknown", "", " unknown", "a\x00b", "x" * 51]),
    st.text(max_size=60),
    st.integers(),
    st.none(),
)


def _row(*texts):
    keys = {**dict.fromkeys(texts, _texts), **dict.fromkeys(("women", "men", "other"), _counts_values)}
    return st.fixed_dictionaries({}, optional=keys)


_bodies = st.fixed_dictionaries(
    {},
    optional={
        "ongoing_at_start": st.one_of(_row(), st.none(), st.lists(st.integers(), max_size=1)),
        "new": _row(),
        "exits": st.one_of(st.lists(_row("reason"), max_size=3), _row("reason"), st.none()),
        "breakdowns": st.lists(_row("dimension", "category"), max_size=3),
        "spent_sek": st.one_of(
            st.integers(min_value=-1, max_value=MAX_REPORT_SEK + 1), st.sampled_from(["5", None, 1.0])
        ),
        "comment": st.one_of(_texts, st.text(max_size=5000)),
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_bodies)
def test_a_body_taken_by_the_fast_path_is_one_the_serializer_accepts_with_the_same_input(body):
    plain = plain_report_data(body)
    serializer = ReportInputSerializer(data=body)
    if plain is not None:
        assert serializer.is_valid(), serializer.errors
        assert serializer.to_input() == ReportInputSerializer().to_input(plain)


def test_the_bodies_clients_send_take_the_fast_path():
    assert plain_report_data(BODY) is not None
    assert plain_report_data({"new": {"women": 1}}) is not None


def test_a_put_to_a_draft_queues_nothing_and_asks_nothing_more_after_the_commit(
    client, intervention, django_capture_on_commit_callbacks
):
    """The receivers learn the report's status from the signal: a draft's save, the most common
    PUT, costs no query after its commit."""
    with django_capture_on_commit_callbacks() as callbacks:
        client.put(url(intervention), BODY, format="json")
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    assert len(queries) == 0
