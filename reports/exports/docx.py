"""The Word writer: a :class:`~reports.exports.document.Document` as an editable .docx (python-docx).

Section titles become real headings (``Heading 1`` for an intervention, ``Heading 2`` for its
parts), so Word's table of contents picks them up; sentences are ordinary paragraphs; tables are
Word tables (style "Table Grid", a header row repeated on every page, text left and numbers
right); shares are written with their numerator and denominator ("45 % (5/11)"); goal lights are
shaded cells with their word; charts are PNG images. A4 portrait with 2 cm margins.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from reports.exports.document import NUMERIC_KINDS, Cell, Document

LIGHT_FILLS = {"green": "9BD39B", "yellow": "F5DC6E", "red": "EE8F8F", "no_data": "DDDDDD"}
PAGE_WIDTH_CM, MARGIN_CM = 21.0, 2.0
CHART_WIDTH = Cm(PAGE_WIDTH_CM - 2 * MARGIN_CM)
TEXT_WIDTH_DXA = int((PAGE_WIDTH_CM - 2 * MARGIN_CM) / 2.54 * 1440)  # twentieths of a point
TABLE_FONT_HALF_POINTS = 16  # 8 pt


def cell_text(cell: Cell) -> str:
    """What a table cell says: a share with its numerator and denominator, otherwise as in
    every other export (:meth:`Cell.text`)."""
    if cell.kind == "share" and not cell.masked and cell.value is not None:
        return str(cell.value)
    return cell.text()


def _column_weight(section, index: int, numeric: bool) -> float:
    """Text columns (names, labels, questions) get room to stay on one line; numbers are narrow,
    shares ("45 % (5/11)") a little wider."""
    if not numeric:
        return 4.0
    shares = any(row[index].kind == "share" for row in section.rows if index < len(row))
    return 1.8 if shares else 1.3


def _cell_xml(text: str, width: int, *, numeric: bool, bold: bool = False, fill: str | None = None) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    align = "right" if numeric else "left"
    weight = "<w:b/>" if bold else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:rPr>{weight}<w:sz w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def _table_xml(section) -> str:
    """A Word table (style "Table Grid", fixed column widths by content, the header row repeated
    on every page), written as XML at once: python-docx's cell objects take seconds for the
    thousands of cells of an association's report."""
    columns = range(len(section.header))
    numeric = [
        bool(section.rows) and all(row[i].kind in NUMERIC_KINDS for row in section.rows if i < len(row))
        for i in columns
    ]
    weights = [_column_weight(section, i, numeric[i]) for i in columns]
    widths = [int(TEXT_WIDTH_DXA * w / sum(weights)) for w in weights]
    head = "".join(_cell_xml(str(t), widths[i], numeric=numeric[i], bold=True) for i, t in enumerate(section.header))
    rows = [f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{head}</w:tr>']
    for row in section.rows:
        cells = "".join(
            _cell_xml(
                cell_text(cell),
                widths[i],
                numeric=cell.kind in NUMERIC_KINDS,
                fill=LIGHT_FILLS.get(cell.value) if cell.kind == "light" else None,
            )
            for i, cell in enumerate(row)
        )
        rows.append(f"<w:tr>{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


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
    # style ids looked up once: python-docx searches the whole styles part on every styled paragraph
    headings = {level: word.styles[f"Heading {level}"].style_id for level in (1, 2, 3)}
    word.add_heading(doc.title, level=0)
    word.add_paragraph(doc.subtitle)
    for section in doc.sections:
        word.add_paragraph(section.title)._p.style = headings[min(max(section.level, 1), 3)]
        for text in section.paragraphs:
            word.add_paragraph(text)
        if section.header:
            word.element.body._insert_tbl(parse_xml(_table_xml(section)))
        for png in [*([section.chart_png] if section.chart_png else []), *section.charts]:
            word.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        if section.note:
            word.add_paragraph(section.note).runs[0].italic = True
    for note in doc.notes:
        word.add_paragraph(note).runs[0].italic = True
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
