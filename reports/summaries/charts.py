"""Bar charts like the annual reports': SVG for the page, PNG for files.

Drawn with matplotlib's object API on the Agg backend (no display, no global pyplot state, so
charts can be drawn in web and worker threads alike). Every bar carries its number, labels are
Swedish, and the genders differ by fill and hatch as well as by grey level so that the chart reads
the same printed in black and white. A masked value (publication) is drawn as an empty bar
labelled with the mask.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import matplotlib
from django.utils.text import capfirst
from matplotlib.figure import Figure

from outcomes.counts import GENDER_LABELS, GENDERS
from reports.exports.suppression import MASK

matplotlib.use("Agg")  # never a display backend, also when pyplot is imported elsewhere

GENDER_NAMES = {g: capfirst(GENDER_LABELS[g]) for g in GENDERS}
# Greyscale-readable: distinct grey levels and hatches, black outlines.
GENDER_STYLE = {
    "women": {"color": "#3a3a3a", "hatch": ""},
    "men": {"color": "#a6a6a6", "hatch": "//"},
    "other": {"color": "#ffffff", "hatch": ".."},
}
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: dict[str, Sequence[int | None]],
    value_label: str = "Antal",
) -> Figure:
    """Horizontal grouped bars: one group per category, one bar per gender.

    ``values`` maps a gender to one number per category; ``None`` is a masked number. A gender
    with only zeros (typically "annan/ej angivet") is left out to keep the chart readable; with
    no categories at all the chart says that there is nothing to show.
    """
    genders = [g for g in GENDERS if any(v is None or v for v in values.get(g, []))] or ["women", "men"]
    height = max(2.2, 0.32 * len(categories) * max(len(genders), 1) + 1.4)
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold")
    if not categories:
        axes.text(0.5, 0.5, "Inga uppgifter för perioden", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    bar = 0.8 / len(genders)
    largest = max([v or 0 for g in genders for v in values.get(g, [])] + [1])
    for index, gender in enumerate(genders):
        numbers = list(values.get(gender, [0] * len(categories)))
        positions = [c + (index - (len(genders) - 1) / 2) * bar for c in range(len(categories))]
        bars = axes.barh(
            positions,
            [v or 0 for v in numbers],
            height=bar,
            label=str(GENDER_NAMES[gender]),
            edgecolor="black",
            linewidth=0.6,
            **GENDER_STYLE[gender],
        )
        axes.bar_label(bars, labels=[MASK if v is None else f"{v}" for v in numbers], padding=3, fontsize=8)
    axes.set_yticks(range(len(categories)), [textwrap.fill(c, 38) for c in categories], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, largest * 1.15 + 0.5)
    axes.set_xlabel(value_label)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    # under the chart, apart from the title (beside it a long title ran into it) and the bars
    figure.legend(loc="outside lower center", ncols=len(genders), fontsize=8, frameon=False)
    return figure


def in_sentence(label: str) -> str:
    """A catalog label inside a sentence: its first letter in lower case, acronyms kept
    ("Unga som varken arbetar eller studerar (UVAS)" → "unga som … (UVAS)", never "(uvas)")."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def render(figure: Figure, fmt: str) -> bytes:
    """The figure as SVG (text kept as text) or PNG bytes; metadata without dates so equal
    figures give equal files."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "finsam"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else 100)
    return buffer.getvalue()


def breakdown_chart(table, *, title: str | None = None, masked: set | None = None) -> Figure:
    """A chart of a :class:`reports.summaries.selectors.BreakdownTable` (categories with any count only).

    ``masked`` holds (category code, gender) pairs to draw as masked.
    """
    masked = masked or set()
    rows = [row for row in table.rows if row.counts.total]
    return bar_chart(
        title=title or table.title,
        categories=[row.label for row in rows],
        values={g: [None if (row.code, g) in masked else getattr(row.counts, g) for row in rows] for g in GENDERS},
    )
