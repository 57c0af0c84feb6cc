"""The export sections beyond the participants: counted measures, the activity log and occupancy.

Each takes rows ``(row_id, name, figures, activity_log_text)`` (the total last, with ``row_id``
``"total"``) and appends one section to the document; counts of people go through
:meth:`Document.count` so that publication masks them like the participant counts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from outcomes.counts import GENDERS
from reports.exports.document import COUNT_COLUMNS, GENDER_HEADERS, Cell, Document, Section

NOT_KNOWN = "uppgift saknas"


def measure_section(doc: Document, rows, measures) -> None:
    """One row per intervention and counted measure of the catalog (``measures``, in order): the
    value per gender and in total, or "uppgift saknas" for a measure left blank."""
    header = [_("Insats"), _("Mått"), *[str(GENDER_HEADERS[g]) for g in COUNT_COLUMNS]]
    table = []
    for row_id, name, figures, _log in rows:
        if not figures.measures:
            continue
        for measure in measures:
            value = figures.measures.get(measure.code)
            cells = [Cell(name), Cell(measure.label_sv)]
            if value is None:
                cells += [Cell(""), Cell(""), Cell(""), Cell(_(NOT_KNOWN))]
            elif value.by_gender:
                prefix = ("cur", "measure", row_id, measure.code)
                cells += [doc.count((*prefix, g), getattr(value.counts, g)) for g in GENDERS]
                cells.append(doc.count((*prefix, "total"), value.total))
                doc.relate((*prefix, "total"), [(*prefix, g) for g in GENDERS])
            else:
                cells += [
                    Cell(""),
                    Cell(""),
                    Cell(""),
                    doc.count(("cur", "measure", row_id, measure.code), value.total),
                ]
            table.append(cells)
    if table:
        note = _("Ett tomt mått har inte rapporterats för perioden (uppgift saknas), vilket inte är detsamma som 0.")
        doc.sections.append(Section(_("Övriga mått"), header, table, note=note))


def activity_section(doc: Document, rows) -> None:
    """The activity log per intervention: activities, occasions, attendees (and per gender when
    split), exhibitors, the evaluation's positive share, spending and cost per attendee, and the
    activities as the reports list them ("Finsammässan (220)")."""
    header = [
        _("Insats"),
        _("Aktiviteter"),
        _("Tillfällen"),
        _("Deltagare"),
        *[f"{_('Deltagare')} {str(GENDER_HEADERS[g]).lower()}" for g in GENDERS],
        _("Utställare"),
        _("Positiva i utvärdering %"),
        _("Förbrukat (kr)"),
        _("Kostnad per deltagare (kr)"),
        _("Aktiviteter (deltagare)"),
    ]
    table = []
    for row_id, name, figures, log in rows:
        a = figures.activities
        if not a.count:
            continue
        attendees = ("cur", "attendees", row_id, "all")
        split = ("cur", "attendees", row_id)
        cells = [Cell(name), Cell(a.count, "count"), Cell(a.occasions, "count"), doc.count(attendees, a.attendees)]
        cells += [doc.count((*split, g), getattr(a.attendees_by_gender, g)) for g in GENDERS]
        if a.attendees_by_gender.total == a.attendees:  # every activity split: the reader can add them up
            doc.relate(attendees, [(*split, g) for g in GENDERS])
        cells += [
            Cell(a.exhibitors, "count"),
            Cell(figures.evaluation, "share"),
            Cell(figures.spent_sek, "sek"),
            Cell(figures.cost_per_attendee_sek, "sek", depends=(attendees,)),
            # Per-activity attendees are counts of people too, small ones included: internal only.
            Cell(log, private=True),
        ]
        table.append(cells)
    if table:
        doc.sections.append(Section(_("Aktiviteter"), header, table))


def occupancy_section(doc: Document, rows) -> None:
    """Places and occupancy: ongoing at the end of the period over the places."""
    header = [_("Insats"), _("Platser"), _("Pågående vid periodens slut"), _("Beläggning %")]
    table = []
    for row_id, name, figures, _log in rows:
        occupancy = figures.occupancy
        if occupancy is None:
            continue
        ongoing = ("cur", "ongoing_at_end", row_id, "total")
        table.append(
            [
                Cell(name),
                Cell(figures.places, "count"),
                Cell(occupancy.numerator, "count", depends=(ongoing,)),
                Cell(occupancy, "share", depends=(ongoing,)),
            ]
        )
    if table:
        doc.sections.append(Section(_("Beläggning"), header, table))


def beyond_sections(rows, measures) -> list[Section]:
    """The three sections for a web page (internal: nothing masked), laid out as the exports do."""
    doc = Document(title="", subtitle="", publish=False, threshold=0)
    measure_section(doc, rows, measures)
    activity_section(doc, rows)
    occupancy_section(doc, rows)
    doc.protect()
    return doc.sections
