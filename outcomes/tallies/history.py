"""Report history: the values a save records, the entries it writes, and their reads."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as gettext

from outcomes.counts import GENDER_LABELS, Counts, ReportFigures
from outcomes.models import (
    DimensionCategory,
    ExitReason,
    HistoryKind,
    Measure,
    PeriodReport,
    ReportHistory,
    ReportStatus,
)
from outcomes.tallies.rules import normalised


def history_values(figures: ReportFigures, comment: str) -> dict[str, str]:
    """The report flattened to field keys and their stored values, as text.

    Keys: ``ongoing_at_start.women``, ``new.men``, ``exits.other``,
    ``exits_by_reason.<reason>.<gender>``, ``breakdowns.<dimension>.<category>.<gender>``,
    ``spent_sek`` and ``comment``. Zero counts and an empty comment are left out, so a key that is
    missing on one side of a comparison was zero (or empty) there.
    """
    values: dict[str, str] = {}

    def put(prefix: str, counts: Counts) -> None:
        for gender, value in counts.as_dict().items():
            if value:
                values[f"{prefix}.{gender}"] = str(value)

    for key, counts in figures.count_rows():
        put(".".join(key), counts)
    for code, value in figures.measures.items():
        # Zero is a value of a measure (blank is not), so zeros are kept here.
        for key, number in value.values().items():
            values[f"measures.{code}.{key}"] = str(number)
    if figures.spent_sek:
        values["spent_sek"] = str(figures.spent_sek)
    if comment:
        values["comment"] = comment
    return values


def history_entries(
    *, status: str, before: dict[str, str] | None, after: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """``(kind, field, old, new)`` of one history entry per changed value; a new report also gets
    its first status.

    ``before`` ``None`` means the report was created by this save: every entered value is recorded
    with an empty old value.
    """
    entries = []
    created = before is None
    if created:
        entries.append((HistoryKind.STATUS.value, "status", "", status))
        before = {}
    for key in sorted(before.keys() | after.keys()):
        zero = "" if key == "comment" or key.startswith("measures.") else "0"
        old, new = before.get(key, zero), after.get(key, zero)
        if old != new:
            entries.append((HistoryKind.VALUE.value, key, "" if created else old, new))
    return entries


def report_values(*, report: PeriodReport) -> dict[str, str]:
    """The stored values of ``report`` by history field key (zeros and an empty comment left
    out), as the history records them; used to compare with what an editor typed."""
    return history_values(normalised(report.figures()), report.comment)


def _participant_groups() -> dict[str, str]:
    return {
        "ongoing_at_start": gettext("Pågående vid periodens början"),
        "new": gettext("Nya deltagare"),
        "exits": gettext("Avslutade"),
    }


def _by_gender(groups: dict[str, str]) -> dict[str, str]:
    return {
        f"{prefix}.{gender}": f"{label}, {gender_label}"
        for prefix, label in groups.items()
        for gender, gender_label in GENDER_LABELS.items()
    }


def _money_and_comment() -> dict[str, str]:
    return {"spent_sek": gettext("Förbrukat (kr)"), "comment": gettext("Kommentar")}


def field_labels(association_id: int) -> dict[str, str]:
    """Swedish labels for the history's field keys (``new.women`` → "Nya deltagare, kvinnor"), in
    the order of the report form (status, participants, exit reasons and categories in catalog
    order, spent, comment), which is the order the history lists one version's changes in."""
    labels = {"status": gettext("Status")}
    groups = _participant_groups()
    for reason in ExitReason.objects.filter(association_id=association_id).order_by("position", "code"):
        groups[f"exits_by_reason.{reason.code}"] = gettext("Avslutade, %(reason)s") % {"reason": reason.label_sv}
    categories = DimensionCategory.objects.filter(dimension__association_id=association_id).select_related("dimension")
    for category in categories.order_by("dimension__position", "dimension__code", "position", "code"):
        groups[f"breakdowns.{category.dimension.code}.{category.code}"] = (
            f"{category.dimension.label_sv}: {category.label_sv}"
        )
    for measure in Measure.objects.filter(association_id=association_id):
        labels[f"measures.{measure.code}.total"] = f"{measure.label_sv}, {gettext('totalt')}"
        groups[f"measures.{measure.code}"] = measure.label_sv
    return labels | _by_gender(groups) | _money_and_comment()


def participant_labels() -> dict[str, str]:
    """The labels of :func:`field_labels` for the participant counts and the spending (no
    query): for the messages of a report save's rules."""
    return _by_gender(_participant_groups()) | _money_and_comment()


def fields_with_history(report: PeriodReport) -> set[str]:
    """The field keys of the values that have history entries (one query)."""
    return set(report.history.filter(kind=HistoryKind.VALUE).values_list("field", flat=True).distinct())


def report_history(
    report: PeriodReport, *, labels: dict[str, str] | None = None, field: str = ""
) -> list[ReportHistory]:
    """The report's history, newest first, each entry with ``label`` (the field in Swedish) and
    for status entries ``old_label``/``new_label``; numbers with thousands separators. The changes
    of one save (one version, one second) are listed in the form's order. Empty for a report
    never changed. ``field`` (a history field key) keeps only that value's entries; ``labels``
    (:func:`field_labels`) may be passed by a caller that has them."""
    if labels is None:
        labels = field_labels(report.intervention.association_id)
    place = {key: index for index, key in enumerate(labels)}
    statuses = dict(ReportStatus.choices)
    entries = report.history.select_related("user").order_by("-at", "-id")
    entries = list(entries.filter(field=field) if field else entries)
    entries.sort(key=lambda e: (-e.version, -int(e.at.timestamp()), place.get(e.field, len(place))))
    for entry in entries:
        entry.label = labels.get(entry.field, entry.field)
        if entry.kind == "status":
            entry.old_label = str(statuses.get(entry.old, "")) if entry.old else gettext("(ny rapport)")
            entry.new_label = str(statuses.get(entry.new, entry.new))
        else:
            entry.old_label, entry.new_label = _grouped(entry.field, entry.old), _grouped(entry.field, entry.new)
    return entries


def _grouped(field: str, value: str) -> str:
    """A count or an amount as people read it (2 402 195); a comment as it was written."""
    if field != "comment" and value.isdigit():
        return number_format(int(value), force_grouping=True)
    return value
