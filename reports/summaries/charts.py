"""Bar charts like the annual reports': SVG for the page, PNG for files.

Drawn with matplotlib's object API on the Agg backend (no display, no global pyplot state, so
charts can be drawn in web and worker threads alike). Every bar carries its number, labels are
Swedish, and the genders differ by fill and hatch as well as by grey level so that the chart reads
the same printed in black and white. A masked value (publication) is drawn as an empty bar
labelled with the mask.
"""

from __future__ import annotations

import functools
import hashlib
import io
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.cache import cache

from outcomes.counts import GENDER_HEADINGS, GENDERS
from reports.exports.suppression import MASK
from reports.shares import Share

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Greyscale-readable: distinct grey levels and hatches, black outlines.
GENDER_STYLE = {
    "women": {"color": "#3a3a3a", "hatch": ""},
    "men": {"color": "#a6a6a6", "hatch": "//"},
    "other": {"color": "#ffffff", "hatch": ".."},
}
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
#: Part of every cached chart's key: raise it when a change to the drawing changes the images.
CHART_VERSION = 1
CHART_CACHE_SECONDS = 7 * 24 * 3600


@functools.cache
def _matplotlib():
    """matplotlib on the Agg backend (never a display backend, also when pyplot is imported
    elsewhere), imported the first time a chart is drawn rather than with this module: a process
    that never draws one (a web worker serving only the API, a Celery worker recomputing goal
    results) does not carry it, about 40 MiB."""
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


def _new_figure(**kwargs) -> Figure:
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(**kwargs)


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: dict[str, Sequence[int | None]],
    value_label: str = "Antal",
    percents: dict[str, Sequence[int | None]] | None = None,
    fast: bool = False,
) -> Figure:
    """Horizontal grouped bars: one group per category, one bar per gender.

    ``values`` maps a gender to one number per category; ``None`` is a masked number. With
    ``percents`` (the same shape: each count's whole percent of its gender's column) a bar reads
    "5 (45 %)", as the annual reports print them. A gender with only zeros (typically "annan/ej
    angivet") is left out to keep the chart readable; with no categories at all the chart says
    that there is nothing to show. ``fast`` uses fixed margins instead of matplotlib's
    constrained layout (which draws the figure several times): for documents with many charts.
    """
    genders = [g for g in GENDERS if any(v is None or v for v in values.get(g, []))] or ["women", "men"]
    height = max(2.2, 0.32 * len(categories) * max(len(genders), 1) + 1.4)
    figure = _new_figure(figsize=(8, height), dpi=100, layout=None if fast else "constrained")
    if fast:
        figure.subplots_adjust(left=0.36, right=0.97, top=1 - 0.75 / height, bottom=0.9 / height)  # legend below
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
            label=str(GENDER_HEADINGS[gender]),
            edgecolor="black",
            linewidth=0.6,
            **GENDER_STYLE[gender],
        )
        shares = list((percents or {}).get(gender, [None] * len(categories)))
        axes.bar_label(
            bars, labels=[_bar_text(v, p) for v, p in zip(numbers, shares, strict=False)], padding=3, fontsize=8
        )
    axes.set_yticks(range(len(categories)), [textwrap.fill(c, 38) for c in categories], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, largest * (1.35 if percents else 1.15) + 0.5)
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


def _bar_text(value: int | None, percent: int | None) -> str:
    if value is None:
        return MASK
    return f"{value}" if percent is None else f"{value} ({percent}\u00a0%)"


def trend_chart(
    *, title: str, periods: Sequence[str], participants: Sequence[int], steps: Sequence, fast: bool = False
) -> Figure:
    """A multi-year trend: participants during each period as bars (with their number) and the
    step progression as a line on a percent axis, each point labelled "45 % (5/11)".

    ``steps`` are :class:`~reports.shares.Share` objects; a period without exits has no point.
    """
    figure = _new_figure(figsize=(8, 3.2), dpi=100, layout=None if fast else "constrained")
    if fast:
        figure.subplots_adjust(left=0.08, right=0.92, top=0.86, bottom=0.1)
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold")
    positions = list(range(len(periods)))
    bars = axes.bar(positions, participants, color="#a6a6a6", edgecolor="black", linewidth=0.6, label="Deltagare")
    axes.bar_label(bars, labels=[str(n) for n in participants], padding=2, fontsize=8)
    axes.set_xticks(positions, list(periods), fontsize=8)
    axes.set_ylabel("Deltagare")
    axes.set_ylim(0, max([*participants, 1]) * 1.25)
    axes.spines[["top"]].set_visible(False)
    line = axes.twinx()
    points = [(x, share.percent) for x, share in zip(positions, steps, strict=False) if share.denominator]
    if points:
        line.plot([x for x, _p in points], [p for _x, p in points], color="black", marker="o", label="Stegförflyttning")
        for (x, p), share in zip(points, [s for s in steps if s.denominator], strict=False):
            line.annotate(str(share), (x, p), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
    line.set_ylim(0, 110)
    line.set_ylabel("Stegförflyttning %")
    line.spines[["top"]].set_visible(False)
    handles = axes.get_legend_handles_labels()[0] + line.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", ncols=2, fontsize=8, frameon=False)
    return figure


def render(figure: Figure, fmt: str, *, dpi: int | None = None) -> bytes:
    """The figure as SVG (text kept as text) or PNG bytes; metadata without dates so equal
    figures give equal files."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    with _matplotlib().rc_context({"svg.fonttype": "none", "svg.hashsalt": "finsam"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, metadata=metadata, dpi=dpi or (150 if fmt == "png" else 100))
    return buffer.getvalue()


def cached_png(chart: Callable[..., Figure], data: dict, *, dpi: int) -> bytes:
    """``chart(**data, fast=True)`` as PNG, drawn only when no image of the same chart, data and
    resolution is in the cache (Django's default cache, a week): an unchanged chart is never
    drawn twice. ``data`` is every input of the chart (its ``repr`` is the key's content)."""
    content = repr((CHART_VERSION, chart.__name__, dpi, sorted(data.items())))
    key = "chart-png:" + hashlib.sha256(content.encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = render(chart(**data, fast=True), "png", dpi=dpi)
        cache.set(key, png, CHART_CACHE_SECONDS)
    return png


def breakdown_chart_data(table, *, title: str | None = None, masked: set | None = None) -> dict:
    """:func:`bar_chart`'s inputs for a :class:`reports.summaries.selectors.BreakdownTable`
    (categories with any count only); ``masked`` holds (category code, gender) pairs to draw as
    masked."""
    masked = masked or set()
    rows = [row for row in table.rows if row.counts.total]
    return {
        "title": title or table.title,
        "categories": [row.label for row in rows],
        "values": {g: [None if (row.code, g) in masked else getattr(row.counts, g) for row in rows] for g in GENDERS},
        "percents": {g: [None if (row.code, g) in masked else row.shares[g].percent for row in rows] for g in GENDERS},
    }


def breakdown_chart(table, *, title: str | None = None, masked: set | None = None, fast: bool = False) -> Figure:
    """A chart of a :class:`reports.summaries.selectors.BreakdownTable` (:func:`breakdown_chart_data`)."""
    return bar_chart(**breakdown_chart_data(table, title=title, masked=masked), fast=fast)


def summary_trend_data(title: str, trend, figures_of) -> dict:
    """:func:`trend_chart`'s inputs for a :func:`reports.summaries.selectors.summary_trend`:
    ``figures_of`` picks the figures of one summary (its totals, or one intervention's row;
    ``None`` when the intervention did not run that year)."""
    figures = [figures_of(summary) for _period, summary in trend]
    return {
        "title": title,
        "periods": [str(p.year) if getattr(p, "kind", "") == "Y" else p.code for p, _s in trend],
        "participants": [f.participants.total if f else 0 for f in figures],
        "steps": [f.step_progression if f else Share(0, 0) for f in figures],
    }


def summary_trend_chart(title: str, trend, figures_of, *, fast: bool = False) -> Figure:
    """:func:`trend_chart` of a :func:`reports.summaries.selectors.summary_trend` (:func:`summary_trend_data`)."""
    return trend_chart(**summary_trend_data(title, trend, figures_of), fast=fast)
