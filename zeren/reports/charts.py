"""Charts for documents, drawn on the server as PNG with matplotlib (Agg) and the Noto CJK fonts,
in the palette the web charts use (zeren.reports.page.PALETTE / SERIES)."""

from __future__ import annotations

import io
import math
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

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


def radar(names: list[str], series: list[tuple[str, list[float | None]]]) -> bytes:
    """Scores 0–100 per area, one polygon per series (this enterprise, cohort median …)."""
    font = cjk_font()
    n = len(names)
    angles = [2 * math.pi * i / n for i in range(n)] + [0.0]
    fig = plt.figure(figsize=(6.2, 4.6))
    ax = fig.add_axes((0.18, 0.16, 0.64, 0.74), polar=True)
    for i, (label, values) in enumerate(series):
        vals = [v or 0.0 for v in values]
        vals.append(vals[0])
        color = SERIES[i % len(SERIES)]
        ax.plot(angles, vals, color=color, linewidth=2, label=label)
        ax.fill(angles, vals, color=color, alpha=0.12)
    ax.set_xticks(angles[:-1])
    ax.set_xticklabels(names, fontproperties=font, fontsize=9)
    ax.set_ylim(0, 100)
    ax.legend(
        prop=font, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(series), fontsize=8
    )
    return _png(fig)


def bars(
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    ylabel: str = "",
    ymax: float | None = 100,
) -> bytes:
    """Grouped bars: one group per category, one bar per series."""
    font = cjk_font()
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.12)
    k = max(1, len(series))
    width = 0.8 / k
    for i, (label, values) in enumerate(series):
        xs = [j + (i - (k - 1) / 2) * width for j in range(len(categories))]
        # Bars as one collection of thick lines: one artist per series instead of one patch
        # per bar (patches are what made a scorecard slow). Width in points from the axes.
        ax.vlines(
            xs,
            0,
            [v or 0 for v in values],
            colors=SERIES[i % len(SERIES)],
            linewidth=width * 0.9 * 72 * 7.2 * 0.9 / max(len(categories), 1),
            label=label,
        )
    ax.set_xticks(range(len(categories)))
    ax.set_xticklabels(categories, fontsize=8)
    ax.set_xlim(-0.6, len(categories) - 0.4)
    if ymax is not None:
        ax.set_ylim(0, ymax)
    if ylabel:
        ax.set_ylabel(ylabel, fontproperties=font)
    if len(series) > 1:
        ax.legend(
            prop=font, fontsize=8, ncol=len(series), loc="lower center", bbox_to_anchor=(0.5, 1.0)
        )
    ax.grid(axis="y", alpha=0.3)
    # Tick labels are numbers (indicator 序号, scores): the default Latin font lays them out far
    # faster than the CJK one.
    return _png(fig)


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
