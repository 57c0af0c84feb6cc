"""Properties of the Word document: for any counts, its numbers are the summary's, and every share
is printed with its numerator and denominator."""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from docx import Document as WordDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.models import Budget
from outcomes.periods import Period
from outcomes.tallies.services import report_save, report_submit
from reports.exports.annual import annual_report_document
from reports.exports.docx import to_docx
from reports.summaries.api import SummaryOutputSerializer
from reports.summaries.selectors import association_summary
from tests.conftest import report_input
from tests.factories import AssociationFactory, InterventionFactory

pytestmark = pytest.mark.django_db

REASONS = ("employment", "studies", "returned", "care", "moved")
_gender = st.tuples(*[st.integers(0, 5)] * 3)
_quarter = st.fixed_dictionaries(
    {
        "extra_new": _gender,
        "exits": st.dictionaries(st.sampled_from(REASONS), _gender, max_size=3),
        "spent_sek": st.integers(0, 900_000),
    }
)
_intervention = st.fixed_dictionaries(
    {
        "start": _gender,
        "quarters": st.lists(_quarter, min_size=1, max_size=3),
        "budget_sek": st.one_of(st.none(), st.integers(1, 3_000_000)),
    }
)

SHARE = re.compile(r"(–|\d+) % \((\d+)/(\d+)\)")
#: A percent with no "(numerator/denominator)" after it in the same sentence.
BARE_PERCENT = re.compile(r"\d+ %(?![^.]*\(\d+/\d+\))")
PARTICIPANTS = re.compile(
    r"^(\d+) individ(?:er)? har deltagit i insatsen under året, varav (\d+) kvinnor"
    r"(?: och (\d+) män|, (\d+) män och (\d+) annan/ej angivet)\.$"
)
FLOWS = re.compile(r"^Under året har (\d+) börjat \(.*\) och (\d+) avslutats \(.*\); (\d+) pågår vid periodens slut\.$")
STEP = re.compile(
    r"^(–|\d+) % av de avslutade har gjort en stegförflyttning \((\d+)/(\d+)\)"
    r"(?:; (\d+) avslut räknas inte enligt stegdefinitionen)?: (.*)\.$"
)
SOCIO = re.compile(
    r"(\d+) avslut till egen försörjning × ([\d ]+) kr = (-?[\d ]+) kr; kostnad ([\d ]+) kr; netto (-?[\d ]+) kr\."
)
COST = re.compile(r"kostnad per deltagare ([\d ]+) kr \(([\d ]+) kr / (\d+) deltagare\)")


def integer(text: str) -> int:
    return int(text.replace("\u00a0", "").replace(" ", ""))


def enter(association, index: int, spec: dict):
    intervention = InterventionFactory(association=association, name=f"Insats {index:02d}")
    for number, quarter in enumerate(spec["quarters"], start=1):
        exits = {code: counts for code, counts in quarter["exits"].items() if sum(counts)}
        new = tuple(quarter["extra_new"][g] + sum(c[g] for c in exits.values()) for g in range(3))
        body = {"new": new, "exits": exits, "spent_sek": quarter["spent_sek"]}
        data = report_input(start=spec["start"], **body)
        if number > 1:
            data.ongoing_at_start = None  # carried over from the quarter before
        report_submit(report=report_save(intervention=intervention, period_code=f"2024Q{number}", data=data).report)
    if spec["budget_sek"] is not None:
        Budget.objects.create(intervention=intervention, year=2024, budget_sek=spec["budget_sek"])


def sections_by_heading(document) -> dict[str, list[str]]:
    """The paragraphs under each Heading 1, by heading."""
    sections, current = {}, None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            current = sections.setdefault(paragraph.text, [])
        elif current is not None and paragraph.text:
            current.append(paragraph.text)
    return sections


def every_text(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return texts


def check_row(row: dict, texts: list[str], labels: dict[str, str]) -> None:
    texts = [t.replace("\u00a0", " ") for t in texts]  # numbers are grouped with no-break spaces
    p = row["participants"]
    if p["total"]:
        match = next(PARTICIPANTS.match(t) for t in texts if PARTICIPANTS.match(t))
        total, women, men_only, men, other = match.groups()
        assert (int(total), int(women)) == (p["total"], p["women"])
        assert (int(men_only or men), int(other or 0)) == (p["men"], p["other"])
    flows = next(FLOWS.match(t) for t in texts if FLOWS.match(t))
    assert [int(n) for n in flows.groups()] == [
        row["new"]["total"],
        row["exits"]["total"],
        row["ongoing_at_end"]["total"],
    ]
    step = row["step_progression"]
    if row["exits"]["total"]:
        match = next(STEP.match(t) for t in texts if STEP.match(t))
        percent, numerator, denominator, left_out, reasons = match.groups()
        assert (int(numerator), int(denominator)) == (step["numerator"], step["denominator"])
        assert percent == (str(step["percent"]) if step["percent"] is not None else "–")
        assert int(left_out or 0) == row["exits"]["total"] - step["denominator"]
        expected = [f"{r['total']} {labels[r['reason']]}" for r in row["exits_by_reason"]]
        assert reasons.split(", ") == expected
    socio = next(SOCIO.search(t) for t in texts if SOCIO.search(t))
    estimate = row["socio_economic"]
    assert [integer(n) for n in socio.groups()] == [
        estimate["exits_to_self_support"],
        estimate["value_per_person_year_sek"],
        estimate["gross_sek"],
        estimate["cost_sek"],
        estimate["net_sek"],
    ]
    cost = next((COST.search(t) for t in texts if COST.search(t)), None)
    if row["cost_per_participant_sek"] is None:
        assert cost is None
    else:
        assert [integer(n) for n in cost.groups()] == [row["cost_per_participant_sek"], row["spent_sek"], p["total"]]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(_intervention, min_size=1, max_size=3))
def test_every_number_of_the_document_is_the_summarys_and_every_share_has_its_fraction(db, specs):
    with transaction.atomic():
        association = AssociationFactory()
        for index, spec in enumerate(specs):
            enter(association, index, spec)
        period = Period.parse("2024")
        api = SummaryOutputSerializer.of(association_summary(association=association, period=period)).data
        content = to_docx(annual_report_document(association=association, period=period, with_charts=False))
        transaction.set_rollback(True)
    labels = {
        "employment": "arbete/anställning",
        "studies": "studier",
        "returned": "åter till remittent/anvisande part",
        "care": "vård eller behandling",
        "moved": "flytt",
    }
    document = WordDocument(io.BytesIO(content))
    sections = sections_by_heading(document)
    for row in api["interventions"]:
        check_row(row, sections[row["name"]], labels)
    compact = [[c.text for c in r.cells] for r in document.tables[0].rows]
    for row, line in zip([*api["interventions"], api["totals"]], compact[1:], strict=True):
        assert [integer(n) for n in line[2:7]] == [
            row["participants"]["total"],
            row["participants"]["women"],
            row["participants"]["men"],
            row["new"]["total"],
            row["exits"]["total"],
        ]
        assert integer(line[8]) == row["spent_sek"]
    for text in every_text(document):
        for percent, numerator, denominator in SHARE.findall(text):
            numerator, denominator = int(numerator), int(denominator)
            if denominator:
                exact = (Decimal(numerator) * 100 / denominator).quantize(Decimal(1), ROUND_HALF_UP)
                assert percent == str(exact), text
        if not text.startswith("Samhällsekonomisk uppskattning enligt"):  # the model's own parameters
            assert not BARE_PERCENT.search(text), text
