"""The one document model of every export, and the pieces both layouts build it from.

A :class:`Document` is a list of sections (one XLSX sheet each) whose cells know what they are: a
count with a key, a share taken of two counts, kronor, or text. Every relation a reader could use
to work out a number (gender columns adding up to the total, interventions to the association's
total, ongoing at end = participants − exits, reasons to exits, categories to new participants)
is recorded as an equation. For an export marked for publication :meth:`Document.protect` masks
the small counts and enough others (:func:`reports.exports.suppression.suppress`), and every share
or cost derived from a masked count is masked too. Internal exports keep exact numbers. The
layouts are in :mod:`reports.exports.layouts`, the file writers in ``xlsx``, ``csv`` and ``pdf``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.counts import GENDER_HEADINGS, GENDERS
from reports.exports.suppression import MASK, suppress
from reports.goals import kinds
from reports.shares import STATUS_LABELS, Share, swedish_number

if TYPE_CHECKING:
    from reports.goals.selectors import PeriodResult

MEASURE_TITLES = {
    "participants": gettext_lazy("Deltagare under perioden"),
    "ongoing_at_start": gettext_lazy("Pågående vid periodens början"),
    "new": gettext_lazy("Nya deltagare"),
    "exits": gettext_lazy("Avslutade"),
    "ongoing_at_end": gettext_lazy("Pågående vid periodens slut"),
}
GENDER_HEADERS = {
    **GENDER_HEADINGS,
    "total": gettext_lazy("Totalt"),
}
COUNT_COLUMNS = (*GENDERS, "total")
#: Cell kinds that are numbers (written as numbers, never as text that could run as a formula).
NUMERIC_KINDS = frozenset({"count", "sek", "share", "percent"})


def whole(value):
    """A head count or an amount as a whole number: 45, never "45,0" (stored results may be floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def measure_title(name: str) -> str:
    return str(MEASURE_TITLES[name])


@dataclass
class Cell:
    """One value of a table. ``key`` names a count in :attr:`Document.values`; ``depends`` lists
    the counts a derived value is computed from (masked with any of them)."""

    value: object = None
    #: text | count | share | sek | percent (a number in percent) | light (a goal status: green, yellow, red, no_data)
    kind: str = "text"
    key: object = None
    depends: tuple = ()
    masked: bool = False
    #: Shown in internal exports only (masked in every export for publication).
    private: bool = False

    def text(self, *, csv_style: bool = False) -> str:
        """The value as people read it in Swedish: "2 403 500", "46 %", or the mask."""
        if self.masked:
            return MASK
        if self.value is None:
            return "–"
        if self.kind == "share":
            share: Share = self.value
            if share.value is None:
                return "–"
            return swedish_number(share.value) if csv_style else f"{share.percent} %"
        if self.kind in ("count", "sek"):
            return swedish_number(whole(self.value), grouped=not csv_style)
        if self.kind == "percent":
            value = swedish_number(whole(self.value))
            return value if csv_style else f"{value} %"
        if self.kind == "light":
            return str(STATUS_LABELS.get(self.value, self.value))
        return str(self.value)


@dataclass
class Section:
    """A table with its title and note. A document for the word processor also has headings
    (``level`` 1 for an intervention, 2 for its parts), sentences above the table
    (``paragraphs``) and more than one chart (``charts``: PNG bytes); a section without a header
    has no table."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart_png: bytes | None = None
    level: int = 2
    paragraphs: list[str] = field(default_factory=list)
    charts: list[bytes] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    publish: bool
    threshold: int
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    hidden: set = field(default_factory=set)
    equations: list = field(default_factory=list)
    masked: set = field(default_factory=set)

    def count(self, key, value: int) -> Cell:
        self.values[key] = value
        return Cell(value, "count", key=key)

    def relate(self, total_key, part_keys: Sequence) -> None:
        """Record that ``total == sum(parts)`` is visible to a reader."""
        self.equations.append([(total_key, -1), *[(k, 1) for k in part_keys]])

    def protect(self) -> None:
        """Mask small counts and their complements, then every value derived from a masked count."""
        if self.publish:
            self.masked = suppress(self.values, self.equations, self.threshold, hidden=self.hidden)
        for section in self.sections:
            for row in section.rows:
                for cell in row:
                    cell.masked = (
                        cell.key in self.masked
                        or any(k in self.masked for k in cell.depends)
                        or (self.publish and cell.private)
                    )


def gender_cells(doc: Document, prefix: tuple, counts) -> list[Cell]:
    cells = [doc.count((*prefix, g), getattr(counts, g)) for g in GENDERS]
    cells.append(doc.count((*prefix, "total"), counts.total))
    doc.relate((*prefix, "total"), [(*prefix, g) for g in GENDERS])
    return cells


def stock_and_flow(doc: Document, tag: str, row_id) -> None:
    """participants = ongoing at start + new; ongoing at end = participants − exits, per gender."""
    for g in COUNT_COLUMNS:
        doc.equations.append(
            [
                ((tag, "participants", row_id, g), -1),
                ((tag, "ongoing_at_start", row_id, g), 1),
                ((tag, "new", row_id, g), 1),
            ]
        )
        doc.equations.append(
            [
                ((tag, "ongoing_at_end", row_id, g), -1),
                ((tag, "participants", row_id, g), 1),
                ((tag, "exits", row_id, g), -1),
            ]
        )


def step_denominator_key(tag: str, row_id, rule) -> tuple:
    """The count a step denominator is. Step definitions are public, so without excluded reasons
    the denominator *is* the exits total: one cell, masked together wherever it is shown."""
    if rule is not None and not rule.excluded:
        return (tag, "exits", row_id, "total")
    return (tag, "step_den", row_id)


def step_relations(doc: Document, tag: str, row_id, figures, rule, reasons_published: bool) -> None:
    """Tie the step numerator and denominator to the exits a reader can see.

    With the exits by reason shown, both are sums of shown reason counts. Without them (last
    year), the reader still knows numerator ≤ denominator ≤ exits: unknown slack cells say so.
    """
    num, den = (tag, "step_num", row_id), step_denominator_key(tag, row_id, rule)
    if reasons_published:
        reasons = figures.exits_by_reason
        doc.equations.append(
            [
                (num, -1),
                *[
                    ((tag, "reason", row_id, r, "total"), 1)
                    for r in reasons
                    if r in rule.steps and r not in rule.excluded
                ],
            ]
        )
        doc.equations.append(
            [(den, -1), *[((tag, "reason", row_id, r, "total"), 1) for r in reasons if r not in rule.excluded]]
        )
        return
    step = figures.step_progression
    slack_steps = (tag, "non_steps", row_id)
    doc.values[slack_steps] = step.denominator - step.numerator
    doc.hidden.add(slack_steps)
    doc.equations.append([(den, -1), (num, 1), (slack_steps, 1)])
    if not rule.excluded:  # the denominator is the exits total itself
        return
    slack_excluded = (tag, "excluded", row_id)
    doc.values[slack_excluded] = figures.exits.total - step.denominator
    doc.hidden.add(slack_excluded)
    doc.equations.append([((tag, "exits", row_id, "total"), -1), (den, 1), (slack_excluded, 1)])


def money_cells(figures, participants_key) -> list[Cell]:
    share = figures.share_spent
    return [
        Cell(figures.budget_sek, "sek"),
        Cell(figures.spent_sek, "sek"),
        Cell(share, "share") if share else Cell(None, "share"),
        Cell(figures.cost_per_participant_sek, "sek", depends=(participants_key,)),
    ]


def document_notes(doc: Document, missing: int, include_drafts: bool) -> None:
    if missing:
        doc.notes.append(_("%(n)s rapporter saknas för perioden och ingår inte.") % {"n": missing})
    if include_drafts:
        doc.notes.append(_("Utkast ingår i siffrorna."))
    if doc.publish:
        doc.notes.append(
            _("Antal från 1 till %(t)s och värden som skulle röja dem visas som ”%(mask)s”.")
            % {"t": doc.threshold, "mask": MASK}
        )
    doc.notes.append(_("Skapad %(when)s.") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")})


def goal_section(goals_by_name: list[tuple[str, list[PeriodResult]]]) -> Section:
    """Every goal with target, result and light. For publication only the target and the light
    are shown: a result's numerator and denominator are counts that the suppression of the
    other sections does not cover."""
    header = [_("Insats"), _("Mål"), _("Målvärde"), _("Resultat"), _("Täljare"), _("Nämnare"), _("Måluppfyllelse")]
    rows = []
    for name, goals in goals_by_name:
        for goal in goals:
            if kinds.is_share(goal.kind):
                result = Cell(Share(goal.numerator or 0, goal.denominator or 0), "share", private=True)
            else:
                numerator = goal.numerator
                result = Cell(numerator if numerator is not None else goal.value, "count", private=True)
            rows.append(
                [
                    Cell(name),
                    Cell(goal.label),
                    Cell(kinds.target_text(goal.kind, goal.comparator, goal.target)),
                    result,
                    Cell(goal.numerator, "count", private=True),
                    Cell(goal.denominator, "count", private=True),
                    Cell(goal.status, "light"),
                ]
            )
    return Section(_("Mål"), header, rows, note="" if rows else _("Inga mål utvärderas för perioden."))
