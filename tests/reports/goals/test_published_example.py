"""DOMAIN.md's published example, entered through the API: ten structural activities adding to
580 attendees against the goal "500 individer ska ta del av strukturövergripande aktiviteter"
light green, and the fair with 25 310 kr spent and 200 attendees costs 127 kr per attendee."""

import pytest

from tests.factories import InterventionFactory, MembershipFactory
from tests.outcomes.tallies.test_api import client_for
from tests.reports.goals.test_api import committed

pytestmark = pytest.mark.django_db

#: Nine activities before the fair, attendees as the report lists them in parentheses.
EARLIER = [
    ("2021-02-10", "Nätverksträff arbetsgivare", "network", 10),
    ("2021-03-03", "Utbildning i samordning", "training", 15),
    ("2021-04-14", "Informationsmöte för handläggare", "information", 20),
    ("2021-05-05", "Nätverksträff vården", "network", 25),
    ("2021-05-26", "Utbildning i motiverande samtal", "training", 30),
    ("2021-06-09", "Samverkansträff", "network", 35),
    ("2021-08-25", "Nätverksträff civilsamhället", "network", 10),
    ("2021-09-08", "Information i kommunerna", "information", 15),
    ("2021-09-22", "Finsamdagen", "conference", 220),
]


@pytest.fixture
def staff_client(association):
    return client_for(MembershipFactory(association=association, role="staff").user)


def test_the_published_structural_year_reads_green_and_the_fair_costs_127_kr_per_attendee(association, staff_client):
    structural = InterventionFactory(association=association, kind="structural", start="2021-01-01", name="Struktur")
    base = f"/api/v1/interventions/{structural.pk}"
    goal = committed(
        staff_client.post,
        f"{base}/goals/",
        {
            "year": 2021,
            "label": "500 individer ska ta del av strukturövergripande aktiviteter",
            "kind": "count",
            "measure": "attendees",
            "comparator": "at_least",
            "target": 500,
        },
        format="json",
    )
    assert goal.status_code == 201, goal.json()
    for day, title, kind, attendees in EARLIER:
        body = {"date": day, "title": title, "kind": kind, "attendees": attendees, "estimated": True}
        assert committed(staff_client.post, f"{base}/activities/", body, format="json").status_code == 201
    fair = committed(
        staff_client.post,
        f"{base}/activities/",
        {
            "date": "2021-10-05",
            "title": "Rehabiliteringsmässan",
            "kind": "conference",
            "attendees": 200,
            "exhibitors": 15,
            "spent_sek": 25310,
        },
        format="json",
    )
    assert fair.status_code == 201
    assert fair.json()["cost_per_attendee_sek"] == 127
    report = committed(staff_client.put, f"{base}/reports/2021Q4/", {"spent_sek": 25310}, format="json")
    assert report.status_code == 201, report.json()
    assert committed(staff_client.post, f"{base}/reports/2021Q4/submit/").status_code == 200

    results = staff_client.get(f"{base}/goal-results/?period=2021").json()
    year = next(r for r in results if r["period"] == "2021")
    assert (year["value"], year["status"]) == (580, "green")

    summary = staff_client.get(f"/api/v1/associations/{association.pk}/summary/?period=2021").json()
    row = next(item for item in summary["interventions"] if item["id"] == structural.pk)
    assert row["activities"]["count"] == 10
    assert row["activities"]["attendees"] == 580
    assert "(220)" in row["activity_log"] and "Rehabiliteringsmässan (200)" in row["activity_log"]
    quarter = staff_client.get(f"/api/v1/associations/{association.pk}/summary/?period=2021Q4").json()
    fair_row = next(item for item in quarter["interventions"] if item["id"] == structural.pk)
    assert (fair_row["spent_sek"], fair_row["activities"]["attendees"]) == (25310, 200)
    assert fair_row["cost_per_attendee_sek"] == 127
    assert "participants" not in fair_row


def test_the_same_goal_is_red_when_the_year_falls_short_and_yellow_near_it(association, staff_client):
    structural = InterventionFactory(association=association, kind="structural", start="2021-01-01")
    base = f"/api/v1/interventions/{structural.pk}"
    committed(
        staff_client.post,
        f"{base}/goals/",
        {"year": 2021, "label": "Deltagare", "kind": "count", "measure": "attendees", "target": 500},
        format="json",
    )
    committed(
        staff_client.post,
        f"{base}/activities/",
        {"date": "2021-03-01", "title": "Mässa", "kind": "conference", "attendees": 300},
        format="json",
    )
    results = staff_client.get(f"{base}/goal-results/?period=2021").json()
    assert next(r for r in results if r["period"] == "2021")["status"] == "red"
    committed(
        staff_client.post,
        f"{base}/activities/",
        {"date": "2021-04-01", "title": "Nätverk", "kind": "network", "attendees": 110},
        format="json",
    )
    results = staff_client.get(f"{base}/goal-results/?period=2021").json()
    assert next(r for r in results if r["period"] == "2021")["status"] == "yellow"  # 410 of 500, over 80 %
