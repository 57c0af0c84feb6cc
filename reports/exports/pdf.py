"""The PDF writer: an A4 appendix rendered by WeasyPrint from ``reports/summary_pdf.html``."""

from __future__ import annotations

import base64
import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.exports.document import Document

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step


def to_pdf(doc: Document, *, progress=None) -> bytes:
    """An A4 appendix: the title, every section's table and its chart, rendered by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF exports need

    sections = []
    for section in doc.sections:
        chart = base64.b64encode(section.chart_png).decode("ascii") if section.chart_png else None
        sections.append({"section": section, "rows": [[c.text() for c in row] for row in section.rows], "chart": chart})
    html = render_to_string("reports/summary_pdf.html", {"doc": doc, "sections": sections, "total_label": _("Totalt")})
    if progress:
        progress(60)
    return HTML(string=html).write_pdf()
