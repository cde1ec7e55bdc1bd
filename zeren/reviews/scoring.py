"""Scores from levels: pure functions over the framework's points and weights.

score(indicator) = points of the chosen level (0–100); a topic's, an area's and the total score
are weighted means of their rated indicators' scores: Σ(weight × points) / Σ(weight).
Unrated indicators are left out, and the result says how many were rated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Score:
    value: Decimal | None  # None when nothing is rated
    rated: int
    total: int

    @property
    def complete(self) -> bool:
        return self.rated == self.total


@dataclass(frozen=True)
class Scores:
    total: Score
    areas: dict[str, Score]
    topics: dict[tuple[str, str], Score]
    indicators: dict[int, Decimal | None]


def _weighted(indicators: Iterable[IndicatorSpec], levels: Mapping[int, int | None]) -> Score:
    num = Decimal(0)
    den = Decimal(0)
    rated = 0
    count = 0
    for ind in indicators:
        count += 1
        level = levels.get(ind.number)
        if level is None:
            continue
        rated += 1
        num += ind.weight * ind.points(level)
        den += ind.weight
    value = (num / den).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if den else None
    return Score(value, rated, count)


def score_levels(spec: FrameworkSpec, levels: Mapping[int, int | None]) -> Scores:
    """Indicator, topic, area and total scores (0–100, two decimals) for a map 序号 -> level."""
    return Scores(
        total=_weighted(spec.indicators, levels),
        areas={a.name: _weighted(a.indicators, levels) for a in spec.areas},
        topics={
            (a.name, t.name): _weighted(t.indicators, levels) for a in spec.areas for t in a.topics
        },
        indicators={
            i.number: (i.points(levels[i.number]) if levels.get(i.number) is not None else None)  # type: ignore[arg-type]
            for i in spec.indicators
        },
    )


@dataclass(frozen=True)
class Consolidated:
    levels: tuple[int, ...]  # each active reviewer's level, rated ones only
    level: int | None  # the consolidated level
    disagreement: bool  # reviewers two or more levels apart
    settled: bool = False  # the organizer decided this level


def consolidate(
    levels: Iterable[int | None], *, rule: str = "median", settled: int | None = None
) -> Consolidated:
    """One level from several reviewers' levels.

    median: the middle level; with an even number of reviewers, the worse of the two middle
    levels (the higher number), so a claim is never rounded up. A level the organizer settled
    replaces the computed one. Disagreement: the levels span two or more steps.
    """
    rated = tuple(sorted(lv for lv in levels if lv is not None))
    disagreement = bool(rated) and rated[-1] - rated[0] >= 2
    if settled is not None:
        return Consolidated(rated, settled, disagreement, True)
    if not rated:
        return Consolidated(rated, None, False)
    if rule != "median":
        raise ValueError(f"unknown consolidation rule {rule!r}")
    return Consolidated(rated, rated[len(rated) // 2], disagreement)
