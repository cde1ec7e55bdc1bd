"""Charts for documents, drawn on the server as PNG with matplotlib (Agg) and the Noto CJK fonts,
in the palette the web charts use (zeren.reports.page.PALETTE / SERIES)."""

from __future__ import annotations

import io
import math
import os
import threading
from functools import cache
from typing import Any

from django.conf import settings

# matplotlib keeps its font cache in MPLCONFIGDIR (default: the home directory); a server keeps
# nothing outside its data directory.
os.environ.setdefault("MPLCONFIGDIR", str(settings.DATA_DIR / "tmp" / "matplotlib"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from zeren.reports.page import PALETTE, SERIES  # noqa: E402

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
DPI = 110


@cache
def cjk_font() -> font_manager.FontProperties:
    """The first Noto CJK font found (by path, then by family name)."""
    import os

    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return font_manager.FontProperties(fname=path)
    return font_manager.FontProperties(family=["Noto Sans CJK SC", "sans-serif"])


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    # A fixed layout (no tight bounding box: that draws the figure twice) and light PNG
    # compression keep a scorecard's two charts well under a second.
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return buf.getvalue()


def _label_axes(ax: Any) -> None:
    font = cjk_font()
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(font)


# A scorecard draws the same two charts with other numbers: the figures (axes, ticks, labels,
# legend) are built once per layout and only their data is replaced, under a lock (matplotlib
# figures are not thread-safe). This halves the time of a scorecard's charts.
_LOCK = threading.Lock()
_RADARS: dict[tuple[Any, ...], tuple[Any, list[Any], list[Any], list[float]]] = {}
_BARS: dict[tuple[Any, ...], tuple[Any, list[Any], list[list[float]]]] = {}
_CACHE_LIMIT = 8


def _save(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _radar_figure(
    names: tuple[str, ...], labels: tuple[str, ...]
) -> tuple[Any, list[Any], list[Any], list[float]]:
    font = cjk_font()
    n = len(names)
    angles = [2 * math.pi * i / n for i in range(n)] + [0.0]
    fig = Figure(figsize=(6.2, 4.6))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.18, 0.16, 0.64, 0.74), polar=True)
    lines, fills = [], []
    for i, label in enumerate(labels):
        color = SERIES[i % len(SERIES)]
        (line,) = ax.plot(angles, [0.0] * (n + 1), color=color, linewidth=2, label=label)
        (poly,) = ax.fill(angles, [0.0] * (n + 1), color=color, alpha=0.12)
        lines.append(line)
        fills.append(poly)
    ax.set_xticks(angles[:-1])
    ax.set_xticklabels(list(names), fontproperties=font, fontsize=9)
    ax.set_ylim(0, 100)
    ax.legend(
        prop=font, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(labels), fontsize=8
    )
    return fig, lines, fills, angles


def radar(names: list[str], series: list[tuple[str, list[float | None]]]) -> bytes:
    """Scores 0–100 per area, one polygon per series (this enterprise, cohort median …)."""
    key = (tuple(names), tuple(label for label, _v in series))
    with _LOCK:
        if key not in _RADARS:
            if len(_RADARS) >= _CACHE_LIMIT:
                _RADARS.clear()
            _RADARS[key] = _radar_figure(*key)
        fig, lines, fills, angles = _RADARS[key]
        for (_label, values), line, poly in zip(series, lines, fills, strict=True):
            vals = [v or 0.0 for v in values]
            vals.append(vals[0])
            line.set_data(angles, vals)
            poly.set_xy(list(zip(angles, vals, strict=True)))
        return _save(fig)


def _bars_figure(key: tuple[Any, ...]) -> tuple[Any, list[Any], list[list[float]]]:
    categories, labels, ylabel, ymax = key
    font = cjk_font()
    fig = Figure(figsize=(7.2, 3.6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.12)
    k = max(1, len(labels))
    width = 0.8 / k
    collections, positions = [], []
    for i, label in enumerate(labels):
        xs = [j + (i - (k - 1) / 2) * width for j in range(len(categories))]
        # Bars as one collection of thick lines: one artist per series instead of one patch
        # per bar (patches are what made a scorecard slow). Width in points from the axes.
        collections.append(
            ax.vlines(
                xs,
                0,
                [0.0] * len(xs),
                colors=SERIES[i % len(SERIES)],
                linewidth=width * 0.9 * 72 * 7.2 * 0.9 / max(len(categories), 1),
                label=label,
            )
        )
        positions.append(xs)
    # Tick labels are numbers (indicator 序号, scores): the default Latin font lays them out far
    # faster than the CJK one.
    ax.set_xticks(range(len(categories)))
    ax.set_xticklabels(list(categories), fontsize=8)
    ax.set_xlim(-0.6, len(categories) - 0.4)
    if ymax is not None:
        ax.set_ylim(0, ymax)
    if ylabel:
        ax.set_ylabel(ylabel, fontproperties=font)
    if len(labels) > 1:
        ax.legend(
            prop=font, fontsize=8, ncol=len(labels), loc="lower center", bbox_to_anchor=(0.5, 1.0)
        )
    ax.grid(axis="y", alpha=0.3)
    return fig, collections, positions


def bars(
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    ylabel: str = "",
    ymax: float | None = 100,
) -> bytes:
    """Grouped bars: one group per category, one bar per series."""
    key = (tuple(categories), tuple(label for label, _v in series), ylabel, ymax)
    with _LOCK:
        if key not in _BARS:
            if len(_BARS) >= _CACHE_LIMIT:
                _BARS.clear()
            _BARS[key] = _bars_figure(key)
        fig, collections, positions = _BARS[key]
        for (_label, values), coll, xs in zip(series, collections, positions, strict=True):
            coll.set_segments([[(x, 0.0), (x, v or 0.0)] for x, v in zip(xs, values, strict=True)])
        return _save(fig)


def level_stacks(
    categories: list[str], self_counts: list[list[int]], reviewed: list[list[int]]
) -> bytes:
    """Per indicator, the share of each level: self (left bar) and reviewed (right bar)."""
    font = cjk_font()
    fig, ax = plt.subplots(figsize=(7.2, 3.8))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.84, bottom=0.1)
    for offset, data, alpha in ((-0.2, self_counts, 0.55), (0.2, reviewed, 1.0)):
        bottoms = [0.0] * len(categories)
        for lv in range(5):
            heights = []
            for counts in data:
                total = sum(counts) or 1
                heights.append(100 * counts[lv] / total)
            ax.bar(
                [j + offset for j in range(len(categories))],
                heights,
                width=0.38,
                bottom=bottoms,
                color=PALETTE[lv],
                alpha=alpha,
                label=f"等级{lv + 1}" if offset < 0 else None,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    ax.set_xticks(range(len(categories)))
    ax.set_xticklabels(categories, fontsize=7)
    ax.set_ylim(0, 100)
    ax.set_ylabel("%", fontproperties=font)
    ax.legend(prop=font, fontsize=7, ncol=5, loc="upper center", bbox_to_anchor=(0.5, 1.15))
    _label_axes(ax)
    return _png(fig)


def boxes(groups: list[dict[str, Any]]) -> bytes:
    """Box plot from precomputed (min, Q1, median, Q3, max) per group."""
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.1)
    stats = [
        {
            "label": g["segment"],
            "whislo": g["box"][0],
            "q1": g["box"][1],
            "med": g["box"][2],
            "q3": g["box"][3],
            "whishi": g["box"][4],
            "fliers": [],
        }
        for g in groups
    ]
    if stats:
        parts = ax.bxp(stats, showfliers=False, patch_artist=True)
        for patch in parts["boxes"]:
            patch.set_facecolor("#e8eef6")
            patch.set_edgecolor(SERIES[0])
    ax.set_ylim(0, 100)
    ax.grid(axis="y", alpha=0.3)
    _label_axes(ax)
    return _png(fig)
