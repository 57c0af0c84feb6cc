"""The Word document beyond the participants: counted measures, a structural intervention's
activity log, and why a range over several years has no goal table. Read back with python-docx
against the summary API."""

import pytest
from django.core.cache import cache
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from outcomes.tallies.services import report_save, report_submit
from tests.conftest import report_input
from tests.factories import InterventionFactory
from tests.reports.exports.test_annual_report import paragraphs, rows_of, word
from tests.reports.exports.test_beyond import structural_year
from tests.reports.summaries.test_selectors import api_client
from tests.reports.summary_data import lekeberg

pytestmark = pytest.mark.django_db


def parts_of(document) -> dict[str, dict]:
    """Under each Heading 1: its paragraphs, and its tables by the Heading 2 before them."""
    parts, current, heading = {}, None, None
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            if paragraph.style.name == "Heading 1":
                current = parts.setdefault(paragraph.text, {"text": [], "tables": {}})
            elif current is not None and paragraph.style.name == "Heading 2":
                heading = paragraph.text
            elif current is not None and paragraph.text:
                current["text"].append(paragraph.text)
        elif child.tag == qn("w:tbl") and current is not None:
            table = next(t for t in document.tables if t._tbl is child)
            current["tables"][heading] = rows_of(table)
    return parts


@pytest.fixture
def beyond_year(association):
    measured = InterventionFactory(association=association, name="Med mått")
    data = report_input(start=(3, 2, 0))
    data.measures = {"advisory_calls": {"total": 22}}
    report_submit(report=report_save(intervention=measured, period_code="2024Q1", data=data).report)
    split = InterventionFactory(association=association, name="Andra mått")
    data = report_input()
    data.measures = {"referrals": {"women": 5, "men": 3}}
    report_submit(report=report_save(intervention=split, period_code="2024Q1", data=data).report)
    structural_year(association)


def test_a_structural_intervention_has_its_activity_log_and_no_participant_sentences(association, staff, beyond_year):
    client = api_client(staff)
    summary = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2024").json()
    row = next(r for r in summary["interventions"] if r["name"] == "Strukturinsatsen")
    assert row["activity_log"] == "Nätverksträff (10), Finsammässan (220)"
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"))
    part = parts_of(document)["Strukturinsatsen"]
    cost = row["cost_per_attendee_sek"]
    assert cost == 110  # 25 310 kr over 230 attendees
    assert (
        f"Under året har {row['activities']['count']} aktiviteter genomförts med {row['activities']['attendees']} "
        f"deltagare: {row['activity_log']}; kostnad per deltagare {cost}\u00a0kr (25\u00a0310\u00a0kr / 230 deltagare)."
    ) in part["text"]
    text = " ".join(part["text"])
    assert "har deltagit i insatsen" not in text and "stegförflyttning" not in text and "avslutats" not in text
    assert "Avslutade per orsak" not in " ".join(str(h) for h in part["tables"])
    activities = part["tables"]["Aktiviteter"]
    assert activities[0][:4] == ["Insats", "Aktiviteter", "Tillfällen", "Deltagare"]
    assert activities[1][:4] == ["Strukturinsatsen", "2", str(row["activities"]["occasions"]), "230"]
    assert activities[1][-2:] == [str(cost), "Nätverksträff (10), Finsammässan (220)"]
    # the individual interventions keep their participant sentences and have no activity table
    measured = parts_of(document)["Med mått"]
    assert any("individer har deltagit i insatsen under året" in t for t in measured["text"])
    assert "Aktiviteter" not in measured["tables"]


def test_counted_measures_are_labelled_with_uppgift_saknas_where_blank(association, staff, beyond_year):
    client = api_client(staff)
    summary = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2024").json()
    measures = {r["name"]: {m["measure"]: m for m in r["measures"]} for r in summary["interventions"]}
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"))
    parts = parts_of(document)
    measured = parts["Med mått"]["tables"]["Övriga mått"]
    assert measured[0] == ["Insats", "Mått", "Kvinnor", "Män", "Annan/ej angivet", "Totalt"]
    calls = measures["Med mått"]["advisory_calls"]
    assert ["Med mått", "Rådgivande samtal utan inskrivning", "", "", "", str(calls["total"])] in measured
    assert ["Med mått", "Inkomna anmälningar", "", "", "", "uppgift saknas"] in measured
    split = parts["Andra mått"]["tables"]["Övriga mått"]
    referrals = measures["Andra mått"]["referrals"]
    assert ["Andra mått", "Inkomna anmälningar", "5", "3", "0", "8"] in split
    assert (referrals["women"], referrals["men"], referrals["total"]) == (5, 3, 8)
    assert ["Andra mått", "Rådgivande samtal utan inskrivning", "", "", "", "uppgift saknas"] in split
    assert "Övriga mått" not in parts["Strukturinsatsen"]["tables"]  # it counts no measure at all


def test_a_range_over_several_years_says_why_it_has_no_goal_table(association, staff):
    lekeberg(association)
    client = api_client(staff)
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2023Q1..2024Q4"))
    part = parts_of(document)["Coachingteamet Lekeberg"]
    assert "Mål" not in part["tables"]
    assert (
        "Målen sätts per år och utvärderas för året och dess delår; för 2023-01-01 – 2024-12-31, som spänner "
        "över flera år, redovisas därför ingen måluppfyllelse. Se respektive års rapport."
    ) in part["text"]
    yearly = parts_of(word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024")))
    assert "Inga mål utvärderas för perioden." in yearly["Coachingteamet Lekeberg"]["text"]
    assert not any("spänner över flera år" in t for t in paragraphs_of(yearly))


def paragraphs_of(parts) -> list[str]:
    return [t for part in parts.values() for t in part["text"]]


def test_the_document_is_the_same_with_its_charts_drawn_or_taken_from_the_cache(association, staff):
    """Chart images are kept by a hash of their data: a second document has the same images."""
    lekeberg(association)
    client = api_client(staff)
    url = f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"
    first = word(client.get(url))
    second = word(client.get(url))
    cache.clear()
    redrawn = word(client.get(url))

    def images(document):
        return [part.blob for part in document.part.package.image_parts]

    assert len(images(first)) == 3  # the association's trend, the intervention's trend and its exits
    assert images(first) == images(second) == images(redrawn)

    def text(document):  # without the note of when it was made
        return [t for t in paragraphs(document) if not t.startswith("Skapad ")]

    assert text(first) == text(second)
