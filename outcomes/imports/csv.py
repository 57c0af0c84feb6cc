"""The reader of the long CSV of API.md ("Files").

UTF-8 (a BOM is allowed), ``;``-separated, decimal comma, the header line
``intervention;period;part;code;women;men;other;total``. The lines of one intervention and period
make one report body; blank counts are 0, except that a ``measure`` line with every count blank
leaves the measure blank. Parts are matched by their code; exit reasons, categories and measures
by code or by label (case and spacing ignored), retired entries included.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from outcomes.counts import GENDERS
from outcomes.imports.files import MAX_LINES, FileRefused
from outcomes.imports.sections import (
    COUNTS,
    EXITS,
    MEASURES,
    PARTS,
    BodyBuilder,
    FileReport,
    Where,
    counts_from,
    located,
    norm,
    not_visible,
    whole_number,
)
from outcomes.validators import personal_data_message

HEADER = ("intervention", "period", "part", "code", "women", "men", "other", "total")


def csv_read(content: bytes, *, index_for) -> list[FileReport]:
    """The reports of a long CSV, in the order their first lines come. ``index_for`` as for
    :func:`outcomes.imports.xlsx.workbook_read`."""
    text = content.decode("utf-8-sig")
    if text.count("\n") > MAX_LINES:
        raise FileRefused("too_many_lines", _("Filen har fler än 10 000 rader. Dela upp den."))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if not rows or [norm(c) for c in rows[0]][: len(HEADER)] != list(HEADER):
        raise FileRefused(
            "bad_header",
            _("Första raden ska vara rubrikraden %(header)s.") % {"header": ";".join(HEADER)},
        )
    reports: dict[tuple, FileReport] = {}
    loose: list[dict] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = Where(line=number)
        cells = dict(zip(HEADER, [c.strip() for c in row] + [""] * len(HEADER), strict=False))
        intervention, error = whole_number(cells["intervention"])
        if error or intervention is None or not cells["period"]:
            loose.append(located(where, "invalid", _("ange insatsens id och perioden."), field_name="intervention"))
            continue
        key = (intervention, cells["period"].upper())
        if key not in reports:
            builder = BodyBuilder(intervention, key[1], where)
            reports[key] = FileReport(builder=builder, name=_("Rad %(line)s") % {"line": number})
        _line_put(reports[key].builder, cells, where, index_for(intervention))
    found = list(reports.values())
    if loose:
        if not found:
            found.append(FileReport(builder=BodyBuilder(None, "", Where(line=2)), name=_("Rad 2")))
        found[0].builder.errors.extend(loose)
    return found


def _line_put(builder: BodyBuilder, cells: dict, where: Where, index) -> None:
    part = norm(cells["part"])
    if part == "comment":
        if index is not None:
            builder.add(index.by_key["comment"], cells["code"], where)
        return
    for column in ("code", "period"):
        refusal = personal_data_message(cells[column])
        if refusal:
            builder.errors.append(located(where, "personal_data", refusal, field_name=column))
            return
    if index is None:
        not_visible(builder)
        return
    line = _line_of(part, cells["code"], index)
    if line is None:
        builder.errors.append(_unknown(where, part, cells["code"]))
        return
    if part == "spent_sek":
        value, error = whole_number(cells["total"])
        if error:
            builder.errors.append(located(where, "not_integer", error, field_name="total"))
        elif value is not None:
            builder.add(line, value, where)
        return
    measure = part == "measure"
    values, ok = {}, True
    for key in (*GENDERS, "total") if measure else GENDERS:
        value, error = whole_number(cells[key])
        if error:
            builder.errors.append(located(where, "not_integer", error, field_name=key))
            ok = False
        elif value is not None:
            values[key] = value
    if ok and measure:
        _measure_put(builder, line, values, where)
    elif ok:
        builder.add(line, counts_from(values), where)


def _measure_put(builder: BodyBuilder, line, values: dict, where: Where) -> None:
    """A measure's line: every count blank leaves the measure blank (not zero); the blank
    genders of a measure counted per gender are 0. A split that does not fit the measure (genders
    on a total-only one) goes to the report service, which refuses it at the line."""
    if not values:
        return
    if line.kind == COUNTS:
        values = {**counts_from(values), **({"total": values["total"]} if "total" in values else {})}
    builder.add(line, values, where)


def _line_of(part: str, code: str, index):
    if part in ("ongoing_at_start", "new", "spent_sek"):
        return index.by_key.get(part)
    if part == "exit":
        return index.find(EXITS, code)
    if part == "measure":
        return index.find(MEASURES, code)
    if part == "breakdown":
        dimension, _dot, category = code.partition(".")
        section = index.titles.get(norm(dimension))
        return index.find(section, category) if section else None
    return None


def _unknown(where: Where, part: str, code: str) -> dict:
    if part not in ("exit", "breakdown", "measure"):
        message = _("okänd del ”%(part)s”: ange %(parts)s eller %(last)s.") % {
            "part": part[:40],
            "parts": ", ".join(PARTS[:-1]),
            "last": PARTS[-1],
        }
        return located(where, "unknown_part", message, field_name="part")
    message = _("okänd kod ”%(code)s”.") % {"code": code[:60]}
    return located(where, "unknown_code", message, field_name="code")
