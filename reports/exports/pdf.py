"""The PDF writer: an A4 appendix rendered by WeasyPrint from ``reports/summary_pdf.html``."""

from __future__ import annotations

import base64
import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.exports.document import NUMERIC_KINDS, Document

#: Tables with more columns than this get a landscape page of their own; all tables wrap their
#: text columns, so none is wider than its page.
PORTRAIT_COLUMNS = 8
#: In the fixed table layout a text column is this many times as wide as a number column.
TEXT_COLUMN_WEIGHT = 3

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step


def pdf_html(doc: Document) -> str:
    """The HTML WeasyPrint lays out: every section's table and its chart.

    Text columns are left-aligned and wrap, numbers are right-aligned; a table with many columns
    is laid out on a landscape page."""
    sections = []
    for section in doc.sections:
        chart = base64.b64encode(section.chart_png).decode("ascii") if section.chart_png else None
        rows = [[(c.text(), c.kind in NUMERIC_KINDS) for c in row] for row in section.rows]
        wide = len(section.header) > PORTRAIT_COLUMNS
        widths = column_widths(len(section.header), rows[0] if rows else [])
        sections.append({"section": section, "rows": rows, "chart": chart, "wide": wide, "widths": widths})
    return render_to_string("reports/summary_pdf.html", {"doc": doc, "sections": sections, "total_label": _("Totalt")})


def column_widths(columns: int, first_row: list[tuple[str, bool]]) -> list[str]:
    """Each column's share of the table's width in percent, for the fixed table layout: a text
    column (or any column of a table without rows) :data:`TEXT_COLUMN_WEIGHT` times a number's."""
    numeric = [is_number for _text, is_number in first_row] + [False] * (columns - len(first_row))
    weights = [1 if is_number else TEXT_COLUMN_WEIGHT for is_number in numeric[:columns]]
    return [f"{100 * weight / sum(weights):.2f}" for weight in weights]


def to_pdf(doc: Document, *, progress=None) -> bytes:
    """An A4 appendix: the title, every section's table and its chart, rendered by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF exports need

    html = pdf_html(doc)
    if progress:
        progress(60)
    return HTML(string=html).write_pdf()
