"""The Word writer: a :class:`~reports.exports.document.Document` as an editable .docx (python-docx).

Section titles become real headings (``Heading 1`` for an intervention, ``Heading 2`` for its
parts), so Word's table of contents picks them up; sentences are ordinary paragraphs; tables are
Word tables (style "Table Grid", a header row repeated on every page, text left and numbers
right); shares are written with their numerator and denominator ("45 % (5/11)"); goal lights are
shaded cells with their word; charts are PNG images. A4 portrait with 2 cm margins.
"""

from __future__ import annotations

import functools
import io
from xml.sax.saxutils import escape

import pyphen
from docx import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Pt

from reports.exports.document import NUMERIC_KINDS, Cell, Document

LIGHT_FILLS = {"green": "9BD39B", "yellow": "F5DC6E", "red": "EE8F8F", "no_data": "DDDDDD"}
PAGE_WIDTH_CM, MARGIN_CM = 21.0, 2.0
CHART_WIDTH = Cm(PAGE_WIDTH_CM - 2 * MARGIN_CM)
CHART_MAX_HEIGHT = Cm(20)
TEXT_WIDTH_DXA = int((PAGE_WIDTH_CM - 2 * MARGIN_CM) / 2.54 * 1440)  # twentieths of a point
TABLE_FONT_HALF_POINTS = 16  # 8 pt
CHAR_DXA = 100  # an 8 pt character, bold digits and letters with room to spare
CELL_MARGIN_DXA = 57  # 1 mm left and right in every cell (Word's default is 1.9 mm)
CELL_PADDING_DXA = 2 * CELL_MARGIN_DXA + 40  # the margins and the borders
TEXT_MIN_CHARS = 10  # a hyphenated text column (names, labels) is never narrower than this
SOFT_HYPHEN = "\u00ad"
HYPHENATION = pyphen.Pyphen(lang="sv_SE", left=3, right=3)


def cell_text(cell: Cell) -> str:
    """What a table cell says: a share with its numerator and denominator, otherwise as in
    every other export (:meth:`Cell.text`)."""
    if cell.kind == "share" and not cell.masked and cell.value is not None:
        return str(cell.value)
    return cell.text()


def _longest(text: str) -> int:
    """The longest piece of ``text`` a line may not break: lines break at ordinary spaces only (the
    thousands of a number are joined by no-break spaces)."""
    return max((len(piece) for piece in text.split(" ")), default=0)


@functools.lru_cache(maxsize=2048)
def _syllables(word: str) -> tuple[str, ...]:
    """A heading's word cut where a Swedish word may be hyphenated ("Steg", "för", "flytt", "ning")."""
    return tuple(HYPHENATION.inserted(word, hyphen=SOFT_HYPHEN).split(SOFT_HYPHEN))


def _chars_dxa(chars: int) -> int:
    return max(chars, 4) * CHAR_DXA + CELL_PADDING_DXA


def _column_chars(heading: str, texts: list[str], numeric: bool) -> tuple[int, int, int]:
    """A column's width in characters with every word whole, the same with its words hyphenated
    (a number column: its heading only; a number never wraps), and its longest text."""
    if numeric:
        body = max((len(t) if "(" not in t else _longest(t) for t in texts), default=0)  # "45 % (5/11)" may wrap
        whole = max(_longest(heading), body)
        hyphenated = max([len(s) + 1 for w in heading.split() for s in _syllables(w)] + [body])
    else:
        whole = max([_longest(heading)] + [_longest(t) for t in texts])
        hyphenated = TEXT_MIN_CHARS
    return whole, min(hyphenated, whole), max(map(len, texts), default=0)


def column_widths(section, texts: list[list[str]], numeric: list[bool]) -> tuple[list[int], list[bool]]:
    """Each column's width (twentieths of a point) and whether its words may be hyphenated.

    A number never wraps. When the columns fit the page with every word whole, they get that;
    a table with more columns hyphenates the number columns' headings at syllables (soft
    hyphens), and if that is not enough, the text columns' words too, rather than let the word
    processor break words anywhere. Text columns (names, labels) take the room that is left, in
    proportion to their longest text. ``texts`` are the rows' cell texts (:func:`cell_text`)."""
    measures = [
        _column_chars(str(heading), [row[i] for row in texts if i < len(row)], numeric[i])
        for i, heading in enumerate(section.header)
    ]
    for stage in ((), (True,), (True, False)):  # nothing, then number columns, then all hyphenated
        hyphenate = [numeric[i] in stage and hyphenated < whole for i, (whole, hyphenated, _n) in enumerate(measures)]
        widths = [_chars_dxa(m[1] if h else m[0]) for m, h in zip(measures, hyphenate, strict=True)]
        if sum(widths) <= TEXT_WIDTH_DXA:
            wants = [0 if numeric[i] else max(_chars_dxa(m[2]) - widths[i], 0) for i, m in enumerate(measures)]
            return _spread(widths, wants), hyphenate
    return [int(w * TEXT_WIDTH_DXA / sum(widths)) for w in widths], [True] * len(widths)  # the last resort


def _spread(widths: list[int], wants: list[int]) -> list[int]:
    """The page's spare width shared by what the text columns still want (or by every column)."""
    spare = TEXT_WIDTH_DXA - sum(widths)
    shares = wants if sum(wants) else widths
    return [w + int(spare * share / sum(shares)) for w, share in zip(widths, shares, strict=True)]


def _runs_xml(text: str, hyphenate: bool) -> str:
    """A cell's text as ``w:t``; a hyphenated heading gets a Word soft hyphen (``w:softHyphen``)
    at each syllable of its longer words, so it breaks there or not at all."""
    if not hyphenate:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    words = []
    for word in text.split(" "):
        pieces = _syllables(word) if len(word) > 4 else (word,)
        words.append("<w:softHyphen/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in pieces))
    return '<w:t xml:space="preserve"> </w:t>'.join(words)


def _cell_xml(
    text: str, width: int, *, numeric: bool, bold: bool = False, fill: str | None = None, hyphenate: bool = False
) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    align = "right" if numeric else "left"
    weight = "<w:b/>" if bold else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:rPr>{weight}<w:sz w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
        f"{_runs_xml(text, hyphenate)}</w:r></w:p></w:tc>"
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
    texts = [[cell_text(cell) for cell in row] for row in section.rows]
    widths, hyphenate = column_widths(section, texts, numeric)
    head = "".join(
        _cell_xml(str(t), widths[i], numeric=numeric[i], bold=True, hyphenate=hyphenate[i])
        for i, t in enumerate(section.header)
    )
    rows = [f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{head}</w:tr>']
    for row, row_texts in zip(section.rows, texts, strict=True):
        cells = "".join(
            _cell_xml(
                row_texts[i],
                widths[i],
                numeric=cell.kind in NUMERIC_KINDS,
                fill=LIGHT_FILLS.get(cell.value) if cell.kind == "light" else None,
                hyphenate=hyphenate[i] and not numeric[i],
            )
            for i, cell in enumerate(row)
        )
        rows.append(f"<w:tr>{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN_DXA}" w:type="dxa"/><w:right w:w="{CELL_MARGIN_DXA}" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _add_chart(word, png: bytes, shape_id: int) -> int:
    """A chart in a paragraph of its own, the text's width (as ``add_picture`` does, but with the
    shape ids counted here: python-docx searches the whole document for the next id on every
    picture). Answers the next free shape id."""
    rid, image = word.part.get_or_add_image(io.BytesIO(png))
    width, height = image.scaled_dimensions(CHART_WIDTH, None)
    if height > CHART_MAX_HEIGHT:  # a tall chart (many categories) fits the page by its height
        width, height = image.scaled_dimensions(None, CHART_MAX_HEIGHT)
    inline = CT_Inline.new_pic_inline(shape_id, rid, image.filename, width, height)
    word.add_paragraph().add_run()._r.add_drawing(inline)
    return shape_id + 1


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
    shape_id = word.part.next_id
    for section in doc.sections:
        word.add_paragraph(section.title)._p.style = headings[min(max(section.level, 1), 3)]
        for text in section.paragraphs:
            word.add_paragraph(text)
        if section.header:
            word.element.body._insert_tbl(parse_xml(_table_xml(section)))
        for png in [*([section.chart_png] if section.chart_png else []), *section.charts]:
            shape_id = _add_chart(word, png, shape_id)
        if section.note:
            word.add_paragraph(section.note).runs[0].italic = True
    for note in doc.notes:
        word.add_paragraph(note).runs[0].italic = True
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
