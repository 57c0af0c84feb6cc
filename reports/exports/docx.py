"""The Word writer: a :class:`~reports.exports.document.Document` as an editable .docx (python-docx).

Section titles become real headings (``Heading 1`` for an intervention, ``Heading 2`` for its
parts), so Word's table of contents picks them up; sentences are ordinary paragraphs; tables are
Word tables (style "Table Grid", a header row repeated on every page, text left and numbers
right); shares are written with their numerator and denominator ("45 % (5/11)"); goal lights are
shaded cells with their word; charts are PNG images. A4 portrait with 2 cm margins.
"""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.exports.document import NUMERIC_KINDS, Cell, Document

LIGHT_FILLS = {"green": "9BD39B", "yellow": "F5DC6E", "red": "EE8F8F", "no_data": "DDDDDD"}
PAGE_WIDTH_CM, MARGIN_CM = 21.0, 2.0
CHART_WIDTH = Cm(PAGE_WIDTH_CM - 2 * MARGIN_CM)


def cell_text(cell: Cell) -> str:
    """What a table cell says: a share with its numerator and denominator, otherwise as in
    every other export (:meth:`Cell.text`)."""
    if cell.kind == "share" and not cell.masked and cell.value is not None:
        return str(cell.value)
    return cell.text()


def _shade(word_cell, colour: str) -> None:
    properties = word_cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _write_cell(word_cell, text: str, *, numeric: bool, bold: bool = False) -> None:
    paragraph = word_cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.bold = bold


def _column_weight(section, index: int, numeric: bool) -> float:
    """Text columns (names, labels, questions) get room to stay on one line; numbers are narrow,
    shares ("45 % (5/11)") a little wider."""
    if not numeric:
        return 4.0
    shares = any(row[index].kind == "share" for row in section.rows if index < len(row))
    return 1.8 if shares else 1.3


def _table(word, section) -> None:
    table = word.add_table(rows=1, cols=len(section.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    numeric_columns = [
        bool(section.rows) and all(row[i].kind in NUMERIC_KINDS for row in section.rows if i < len(row))
        for i in range(len(section.header))
    ]
    table.autofit = False
    weights = [_column_weight(section, i, numeric_columns[i]) for i in range(len(section.header))]
    widths = [int(CHART_WIDTH * w / sum(weights)) for w in weights]
    head = table.rows[0]
    _repeat_header(head)
    for index, title in enumerate(section.header):
        head.cells[index].width = widths[index]
        _write_cell(head.cells[index], str(title), numeric=numeric_columns[index], bold=True)
    for row in section.rows:
        cells = table.add_row().cells
        for index, cell in enumerate(row):
            cells[index].width = widths[index]
            _write_cell(cells[index], cell_text(cell), numeric=cell.kind in NUMERIC_KINDS)
            if cell.kind == "light" and cell.value in LIGHT_FILLS:
                _shade(cells[index], LIGHT_FILLS[cell.value])


def to_docx(doc: Document) -> bytes:
    """The document as .docx bytes: title, subtitle, each section's heading, sentences, table,
    charts and note, then the document's notes."""
    word = WordDocument()
    page = word.sections[0]
    page.page_width, page.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(MARGIN_CM))
    word.styles["Normal"].font.size = Pt(10)
    word.core_properties.title = doc.title
    word.core_properties.language = "sv-SE"
    word.add_heading(doc.title, level=0)
    word.add_paragraph(doc.subtitle)
    for section in doc.sections:
        word.add_heading(section.title, level=min(max(section.level, 1), 3))
        for text in section.paragraphs:
            word.add_paragraph(text)
        if section.header:
            _table(word, section)
        for png in [*([section.chart_png] if section.chart_png else []), *section.charts]:
            word.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        if section.note:
            word.add_paragraph(section.note).runs[0].italic = True
    for note in doc.notes:
        word.add_paragraph(note).runs[0].italic = True
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
