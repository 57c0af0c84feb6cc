"""The annual report for the word processor: the Word document read back with python-docx."""

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import national_averages_set, survey_save
from reports.exports.models import ExportJob
from reports.exports.services import export_job_run
from reports.goals.services import GoalInput, goal_create, step_definition_set
from tests.factories import PASSWORD
from tests.reports.summaries.test_selectors import api_client
from tests.reports.summary_data import lekeberg, small

pytestmark = pytest.mark.django_db

LEKEBERG_STEPS = ["employment", "studies", "job_seeking", "af_programme", "other_self_support", "municipal_labour"]
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def seeded_year(association, django_capture_on_commit_callbacks):
    """Lekeberg's published 2024 with its 50 % step goal (yellow), a second intervention with a
    count goal it meets (green), and one indicator survey against a national average."""
    coaching = lekeberg(association)
    young = small(association)
    with django_capture_on_commit_callbacks(execute=True):
        step_definition_set(intervention=coaching, reasons=LEKEBERG_STEPS, excluded_reasons=[])
        goal_create(
            intervention=coaching,
            data=GoalInput(year=2024, label="Stegförflyttning", kind="step_progression", target=Decimal(50)),
        )
        goal_create(
            intervention=young,
            data=GoalInput(year=2024, label="Deltagare", kind="count", measure="participants", target=Decimal(20)),
        )
    survey_save(
        intervention=coaching,
        period_code="2024",
        group="participant_ongoing",
        data=SurveyInput(
            invited=33,
            answered={"women": 14, "men": 9, "other": 1},
            answers=[AnswerInput("p1", (0, 1, 2, 6, 8, 7), 0)],
        ),
    )
    national_averages_set(association=association, year=2024, values={"p1": Decimal("60.0")})
    return coaching, young


def word(response) -> WordDocument:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX
    return WordDocument(io.BytesIO(response.content))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_after(document, heading: str, occurrence: int = 0):
    """The first table after the ``occurrence``-th heading with this text."""
    body = document.element.body
    seen = -1
    found = False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and Paragraph(child, document).text == heading:
            seen += 1
            found = seen == occurrence
        elif found and child.tag == qn("w:tbl"):
            return next(t for t in document.tables if t._tbl is child)
    raise AssertionError(f"no table after {heading!r}")


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def shading(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def test_the_word_document_says_what_the_summary_api_says_for_each_intervention(association, staff, seeded_year):
    client = api_client(staff)
    summary = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2024").json()
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"))
    text = paragraphs(document)
    assert text[0] == f"Årsredovisning 2024 – {association.name}"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Insatserna i sammandrag", *[row["name"] for row in summary["interventions"]]]

    for row in summary["interventions"]:
        p, step = row["participants"], row["step_progression"]
        split = f"{p['women']} kvinnor och {p['men']} män"
        if p["other"]:
            split = f"{p['women']} kvinnor, {p['men']} män och {p['other']} annan/ej angivet"
        assert f"{p['total']} individer har deltagit i insatsen under året, varav {split}." in text
        assert f"{step['percent']} % av de avslutade har gjort en stegförflyttning ({step['numerator']}/" in " ".join(
            text
        )
        goals = rows_of(table_after(document, "Mål", occurrence=headings.index(row["name"]) - 1))
        assert goals[0] == ["Mål", "Målvärde", "Resultat", "Måluppfyllelse"]
        light = {"green": "Uppnått", "yellow": "Delvis uppnått", "red": "Ej uppnått"}
        assert [[r[0], r[3]] for r in goals[1:]] == [[g["label"], light[g["status"]]] for g in row["goals"]]

    # the published Lekeberg example of DOMAIN.md, as a sentence
    assert (
        "45 % av de avslutade har gjort en stegförflyttning (5/11): 1 arbete/anställning, 1 studier, "
        "2 aktivt arbetssökande hos Arbetsförmedlingen, 1 annan egen försörjning, "
        "6 åter till remittent/anvisande part."
    ) in text
    assert "27 individer har deltagit i insatsen under året, varav 14 kvinnor och 13 män." in text
    assert "Jämfört med (jmf) helåret 2023: 14 deltagare (+13), stegförflyttning 0 % (0/3)." in text
    # the goal table's light is a shaded cell with its word
    lekeberg_goals = table_after(document, "Mål", occurrence=0)
    assert rows_of(lekeberg_goals)[1] == ["Stegförflyttning", "minst 50 %", "45 % (5/11)", "Delvis uppnått"]
    assert shading(lekeberg_goals.rows[1].cells[3]) == "F5DC6E"
    young_goals = table_after(document, "Mål", occurrence=1)
    assert rows_of(young_goals)[1] == ["Deltagare", "minst 20", "50", "Uppnått"]
    assert shading(young_goals.rows[1].cells[3]) == "9BD39B"
    # charts are images: the association's trend, and per intervention its trend and its bars
    images = document.inline_shapes
    assert len(images) >= 1 + 2 * len(summary["interventions"])
    assert all(shape.width > 0 for shape in images)


def test_the_compact_table_and_the_indicator_table_have_the_summarys_numbers(association, staff, seeded_year):
    client = api_client(staff)
    summary = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2024").json()
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"))
    compact = rows_of(table_after(document, "Insatserna i sammandrag"))
    for row in summary["interventions"]:
        line = next(r for r in compact if r[0] == row["name"])
        assert line[2:7] == [
            str(row["participants"]["total"]),
            str(row["participants"]["women"]),
            str(row["participants"]["men"]),
            str(row["new"]["total"]),
            str(row["exits"]["total"]),
        ]
    total = compact[-1]
    assert total[0] == "Totalt" and total[2] == str(summary["totals"]["participants"]["total"])
    indicators = rows_of(table_after(document, "Indikatorer – pågående deltagare"))
    assert indicators[0][:2] == ["Fråga", "2024"] and indicators[0][-1] == "Rikssnitt 2024"
    assert indicators[1][1] == "63 % (15/24)" and indicators[1][-1] == "60 %"


def test_the_socio_economic_estimate_states_its_model(association, staff, seeded_year):
    client = api_client(staff)
    summary = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2024").json()
    lekeberg_row = next(r for r in summary["interventions"] if r["name"] == "Coachingteamet Lekeberg")
    # employment, studies, job seeking and other self-support: 5 exits of the self-support class
    assert lekeberg_row["socio_economic"] == {
        "exits_to_self_support": 5,
        "value_per_person_year_sek": 340000,
        "gross_sek": 1700000,
        "cost_sek": 4 * 589154,
        "net_sek": 1700000 - 4 * 589154,
    }
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024"))
    text = " ".join(paragraphs(document))
    assert "340\u00a0000\u00a0kr per person och år" in text
    assert "5 avslut till egen försörjning × 340\u00a0000\u00a0kr = 1\u00a0700\u00a0000\u00a0kr" in text


def test_an_interim_report_says_so_in_its_wording(association, staff, seeded_year):
    document = word(api_client(staff).get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024H1"))
    text = paragraphs(document)
    assert text[0] == f"Delårsrapport första halvåret 2024 – {association.name}"
    assert any("har deltagit i insatsen under första halvåret 2024, varav" in t for t in text)
    assert not any("under året" in t for t in text)


def test_a_bad_period_is_refused_naming_the_field_and_outsiders_get_404(association, staff, outsider, seeded_year):
    response = api_client(staff).get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024Q5")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "period"
    response = api_client(outsider).get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024")
    assert response.status_code == 404


def test_the_summary_page_offers_the_word_export_beside_the_others(association, staff, client, seeded_year):
    assert client.login(email=staff.email, password=PASSWORD)
    html = client.get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    link = f"/resultat/forbund/{association.pk}/export.docx?period=2024"
    assert f'<a href="{link}">Word</a>' in html
    document = word(client.get(link))
    assert paragraphs(document)[0] == f"Årsredovisning 2024 – {association.name}"
    refused = client.get(link + "&publicera=1")
    assert refused.status_code == 400 and "bara internt" in refused.content.decode()


def test_the_word_documents_first_pages_render_in_libreoffice(association, staff, seeded_year, tmp_path):
    """LibreOffice (headless, installed by .ci/run) opens the document; its first pages are kept
    as PNG in var/test-artifacts/ and show the title and the compact table."""
    response = api_client(staff).get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2024")
    source = tmp_path / "arsredovisning.docx"
    word(response)
    source.write_bytes(response.content)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "arsredovisning.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    first = " ".join(reader.pages[0].extract_text().split())  # lines wrapped by the layout
    assert f"Årsredovisning 2024 – {association.name}" in first and "Insatserna i sammandrag" in first
    # The compact table's headings break only at a hyphen the writer placed, never inside a word:
    # the first page's words, re-joined where a line ends in "-", are the headings' words.
    header = rows_of(table_after(WordDocument(io.BytesIO(response.content)), "Insatserna i sammandrag"))[0]
    expected = " ".join(header).split()
    rendered = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = rendered[rendered.index(f"{header[0]} {header[1]}") :].split()
    joined = []
    for token in words:
        if joined and joined[-1].endswith("-") and len(joined[-1]) > 1:
            joined[-1] = joined[-1][:-1] + token
        else:
            joined.append(token)
    assert joined[: len(expected)] == expected
    assert any(w.endswith("-") for w in words[: len(expected) * 2])  # it did need to hyphenate some
    subprocess.run(["pdftoppm", "-r", "90", "-l", "1", "-png", str(pdf), str(tmp_path / "headings")], check=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(next(tmp_path.glob("headings-*.png")), ARTIFACTS / "annual-report-docx-table-headings.png")
    subprocess.run(["pdftoppm", "-r", "60", "-l", "3", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in pages:
        shutil.copy(page, ARTIFACTS / f"annual-report-docx-{page.name}")


def test_the_summary_page_shows_the_estimate_the_followup_table_and_the_trend(association, staff, client, seeded_year):
    assert client.login(email=staff.email, password=PASSWORD)
    html = client.get(f"/resultat/forbund/{association.pk}/?period=2024").content.decode()
    assert "Period: helåret 2024, jämfört med samma period helåret 2023 (jmf)." in html
    assert "340\u00a0000\u00a0kr per person och år" in html
    assert '<th scope="row">Coachingteamet Lekeberg</th><td class="num">5</td>' in html
    assert "Underlag till Uppföljning Finsam" in html
    trend = client.get(f"/resultat/forbund/{association.pk}/diagram/trend.svg?period=2024")
    assert trend.status_code == 200 and trend["Content-Type"] == "image/svg+xml"
    assert b"39 % (13/33)" in trend.content  # the association's step progression point, with its fraction
    response = client.get(f"/resultat/forbund/{association.pk}/underlag.csv?period=2024")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = next(line.split(";") for line in lines if line.startswith("Insats;"))
    assert header[:2] == ["Insats", "Typ av insats"] and header[-3:] == [
        "Deltagare under perioden",
        "Beviljade medel (kr)",
        "Utfall, förbrukat (kr)",
    ]
    lekeberg_line = next(line.split(";") for line in lines if line.startswith("Coachingteamet Lekeberg"))
    # new 8 + 8 = 16, exits 5 + 6 = 11, 27 participants, the budget and what was spent
    assert lekeberg_line[2:] == ["8", "8", "0", "16", "5", "6", "0", "11", "27", "2403500", "2356616"]


def test_a_range_of_base_periods_counts_everyone_since_its_start(association, staff, seeded_year):
    """ "Since the start" figures: ongoing at the range's start plus every new participant in it."""
    client = api_client(staff)
    summary = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2023Q1..2024Q4").json()
    lekeberg_row = next(r for r in summary["interventions"] if r["name"] == "Coachingteamet Lekeberg")
    assert summary["period"] == "2023Q1..2024Q4"
    assert lekeberg_row["participants"]["total"] == 6 + 8 + 16  # start of 2023, new in 2023 and in 2024
    assert lekeberg_row["exits"]["total"] == 3 + 11
    document = word(client.get(f"/api/v1/associations/{association.pk}/annual-report.docx?period=2023Q1..2024Q4"))
    text = paragraphs(document)
    assert text[0] == f"Rapport 2023-01-01 – 2024-12-31 – {association.name}"
    assert any(
        t.startswith("30 individer har deltagit i insatsen under perioden 2023-01-01 – 2024-12-31") for t in text
    )
    refused = client.get(f"/api/v1/associations/{association.pk}/summary/?period=2024Q4..2023Q1")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "period"


def test_the_summary_page_and_a_pdf_job_take_a_range(association, staff, client, seeded_year):
    assert client.login(email=staff.email, password=PASSWORD)
    response = client.get(f"/resultat/forbund/{association.pk}/?period=2014Q3..2024Q2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Period: 2014-07-01 – 2024-06-30, jämfört med samma period 2013-07-01 – 2023-06-30 (jmf)." in html
    assert "jmf None" not in html and "jmf 2013Q3..2023Q2" in html
    assert client.post(f"/resultat/forbund/{association.pk}/export.pdf?period=2014Q3..2024Q2").status_code == 302
    job = export_job_run(job=ExportJob.objects.get(period="2014Q3..2024Q2"))  # as the worker does
    assert job.status == "done" and bytes(job.content).startswith(b"%PDF")
