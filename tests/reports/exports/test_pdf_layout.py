"""PDF exports fit A4: no table is wider than its page, checked in WeasyPrint's layout and in the
pages rendered to PNG by pdftoppm (a page is kept in ``var/test-artifacts/`` to look at)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from outcomes.periods import Period
from outcomes.surveys.rules import AnswerInput, SurveyInput
from outcomes.surveys.services import survey_save
from reports.exports.layouts import detail_document, summary_document
from reports.exports.pdf import pdf_html
from reports.summaries.selectors import association_summary, intervention_detail
from tests.reports.summary_data import lekeberg, small

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
MM_PER_INCH = 25.4
DPI = 60


def descendants(box):
    yield box
    for child in getattr(box, "children", []) or []:
        yield from descendants(child)


def overflowing_tables(rendered) -> list[tuple[int, float, float]]:
    """(page, table right edge, content right edge) for every table that passes its page's content box."""
    found = []
    for number, page in enumerate(rendered.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in descendants(page_box):
            if isinstance(box, boxes.TableBox):
                edge = box.border_box_x() + box.border_width()
                if edge > right + 0.5:
                    found.append((number, edge, right))
    return found


def png_pages(pdf: bytes, tmp_path: Path, stem: str) -> list[Path]:
    source = tmp_path / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(source), str(tmp_path / stem)], check=True)
    return sorted(tmp_path.glob(f"{stem}-*.png"))


def ink_right_edge_mm(path: Path) -> tuple[float, float]:
    """How far from the left the rightmost non-white pixel is, and the page width, in mm."""
    image = Image.open(path).convert("L")
    ink = image.point(lambda value: 255 if value < 200 else 0).getbbox()
    rightmost = ink[2] if ink else 0
    return rightmost * MM_PER_INCH / DPI, image.size[0] * MM_PER_INCH / DPI


@pytest.fixture
def documents(association):
    coaching = lekeberg(association)
    small(association)
    survey_save(
        intervention=coaching,
        period_code="2024",
        group="participant_ongoing",
        data=SurveyInput(
            invited=33, answered={"women": 14, "men": 9, "other": 1}, answers=[AnswerInput("p1", (0, 1, 2, 6, 8, 7), 0)]
        ),
    )
    period = Period.parse("2024")
    summary = summary_document(association_summary(association=association, period=period))
    detail = detail_document(intervention_detail(intervention=coaching, period=period), with_charts=True)
    return {"summary": summary, "detail": detail}


@pytest.mark.parametrize("name", ["summary", "detail"])
def test_no_table_of_a_pdf_export_is_wider_than_its_page(documents, name, tmp_path):
    """The exit reasons and the survey questions ran off the page and lost columns; text columns
    wrap now and the twelve-column tables get a landscape page."""
    html = pdf_html(documents[name])
    assert 'class="wide"' in html
    rendered = HTML(string=html).render()  # the layout to_pdf writes
    assert overflowing_tables(rendered) == []
    pages = png_pages(rendered.write_pdf(), tmp_path, name)
    assert pages
    for page in pages:
        edge, width = ink_right_edge_mm(page)
        assert width in (pytest.approx(210, abs=1), pytest.approx(297, abs=1))  # A4, portrait or landscape
        assert edge <= width - 15 + 1, f"{page.name}: ink at {edge:.0f} mm of {width:.0f} mm"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages[min(1, len(pages) - 1)], ARTIFACTS / f"pdf-{name}-page.png")  # the first table


def test_a_text_column_is_wide_enough_that_labels_break_between_words_only(documents, tmp_path):
    """In equal-width columns "Arbetsförmedlingen" broke into "Arbetsförme / dlingen"; a text
    column is three times as wide as a number column now."""
    pdf = HTML(string=pdf_html(documents["summary"])).write_pdf()
    source = tmp_path / "summary.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True).stdout
    words = text.split()
    assert "Arbetsförmedlingen" in words  # "Aktivt arbetssökande hos Arbetsförmedlingen"
    assert not [word for word in words if word.startswith("Arbetsförme") and word != "Arbetsförmedlingen"]
