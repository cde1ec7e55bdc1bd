"""评估结果 of one enterprise against the cohort and its peers (same platform type).

The k rule: peer figures are shown only when the group holds at least k other enterprises
(settings.ZEREN_PEER_MIN_GROUP, never below 3); the viewer's own figures never count in the
cohort or peer statistics. Medians and bests come from level histograms counted in the database.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count

from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.spec import FrameworkSpec
from zeren.reports.models import AreaResult, AssessmentResult, IndicatorResult

STRENGTHS = 3
IMPROVEMENTS = 5


def peer_min_group() -> int:
    return max(3, int(getattr(settings, "ZEREN_PEER_MIN_GROUP", 5)))


def median_from_histogram(counts: dict[float, int]) -> float | None:
    """The median of values given as {value: how many}."""
    n = sum(counts.values())
    if not n:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> float:
        seen = 0
        for value, c in ordered:
            seen += c
            if k < seen:
                return value
        return ordered[-1][0]

    if n % 2:
        return nth(n // 2)
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def percentile(below: int, others: int) -> int | None:
    """The share of the other enterprises scoring lower, 0–100; None without others."""
    if others <= 0:
        return None
    return round(100 * below / others)


@dataclass
class IndicatorRow:
    number: int
    name: str
    area: str
    self_level: int | None
    reviewed_level: int | None
    self_label: str
    reviewed_label: str
    self_points: float | None
    reviewed_points: float | None
    cohort_median: float | None
    peer_median: float | None
    peer_best: float | None


@dataclass
class EnterpriseResult:
    result: AssessmentResult
    spec: FrameworkSpec
    cohort_size: int
    percentile: int | None
    peers: int
    k: int
    peer_shown: bool
    areas: list[dict[str, Any]]
    rows: list[IndicatorRow]
    strengths: list[IndicatorRow] = field(default_factory=list)
    improvements: list[IndicatorRow] = field(default_factory=list)

    @property
    def topics(self) -> list[dict[str, Any]]:
        return list(self.result.topics)


def _histograms(qs: Any) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = {}
    for number, level, n in (
        qs.filter(reviewed_level__isnull=False)
        .values_list("indicator", "reviewed_level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        out.setdefault(number, {})[level] = n
    return out


def _f(v: Decimal | float | None) -> float | None:
    return None if v is None else round(float(v), 2)


@dataclass
class CohortStats:
    """A campaign's cohort figures, read once (6 queries) and reused for every enterprise: the
    viewer's own figures are taken out per enterprise, without another query."""

    totals: list[float]  # sorted reviewed totals
    segments: dict[str, int]  # reviewed results per platform type
    hist: dict[int, dict[int, int]]  # indicator -> reviewed level -> count
    peer_hist: dict[str, dict[int, dict[int, int]]]  # segment -> the same
    areas: dict[int, list[float]]  # area position -> sorted reviewed scores


def cohort_stats(campaign: Any) -> CohortStats:
    base = AssessmentResult.objects.filter(campaign=campaign, reviewed_total__isnull=False)
    totals = sorted(float(t or 0) for t in base.values_list("reviewed_total", flat=True))
    segments = dict(
        base.exclude(segment="").values_list("segment").annotate(n=Count("pk")).order_by()
    )
    inds = IndicatorResult.objects.filter(campaign=campaign)
    hist = _histograms(inds)
    peer_hist: dict[str, dict[int, dict[int, int]]] = {}
    for seg, number, level, n in (
        inds.filter(reviewed_level__isnull=False)
        .exclude(result__segment="")
        .values_list("result__segment", "indicator", "reviewed_level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        peer_hist.setdefault(seg, {}).setdefault(number, {})[level] = n
    areas: dict[int, list[float]] = {}
    for pos, score in (
        AreaResult.objects.filter(campaign=campaign, reviewed_score__isnull=False)
        .values_list("position", "reviewed_score")
        .order_by()
    ):
        areas.setdefault(pos, []).append(float(score or 0))
    for values in areas.values():
        values.sort()
    return CohortStats(totals, segments, hist, peer_hist, areas)


def median_without(values: list[float], own: float | None) -> float | None:
    """The median of a sorted list once one occurrence of `own` is taken out (None: keep all)."""
    n = len(values)
    if own is None:
        return round(statistics.median(values), 2) if values else None
    i = bisect.bisect_left(values, own)
    if i >= n or values[i] != own:
        return round(statistics.median(values), 2) if values else None
    m = n - 1
    if m <= 0:
        return None

    def at(k: int) -> float:  # k-th element of the list without index i
        return values[k if k < i else k + 1]

    if m % 2:
        return round(at(m // 2), 2)
    return round((at(m // 2 - 1) + at(m // 2)) / 2, 2)


def _without(hist: dict[int, int], level: int | None) -> dict[int, int]:
    if level is None or not hist.get(level):
        return hist
    out = dict(hist)
    out[level] -= 1
    return out


def enterprise_result(
    result: AssessmentResult, stats: CohortStats | None = None
) -> EnterpriseResult:
    """Everything the 评估结果 page and the scorecard show; the cohort read once (or given)."""
    campaign = result.campaign
    spec = spec_from_db(campaign.framework)
    stats = stats or cohort_stats(campaign)
    k = peer_min_group()
    counted = result.reviewed_total is not None
    mine_total = float(result.reviewed_total) if result.reviewed_total is not None else None
    others = len(stats.totals) - (1 if counted else 0)
    below = bisect.bisect_left(stats.totals, mine_total) if mine_total is not None else 0
    peers = stats.segments.get(result.segment, 0) - (1 if counted and result.segment else 0)
    peer_shown = bool(result.segment) and peers >= k
    peer_hist = stats.peer_hist.get(result.segment, {}) if peer_shown else {}
    own = {r.indicator: r for r in IndicatorResult.objects.filter(result=result)}
    rows = []
    for ind in spec.indicators:
        mine = own.get(ind.number)
        level = mine.reviewed_level if mine else None
        ch = {
            float(ind.points(lv)): n
            for lv, n in _without(stats.hist.get(ind.number, {}), level).items()
            if n
        }
        ph = {
            float(ind.points(lv)): n
            for lv, n in _without(peer_hist.get(ind.number, {}), level).items()
            if n
        }
        rows.append(
            IndicatorRow(
                number=ind.number,
                name=ind.name,
                area=spec.area_of(ind.number).name,
                self_level=mine.self_level if mine else None,
                reviewed_level=level,
                self_label=ind.label(mine.self_level) if mine else "",
                reviewed_label=ind.label(level) if mine else "",
                self_points=_f(mine.self_points) if mine else None,
                reviewed_points=_f(mine.reviewed_points) if mine else None,
                cohort_median=median_from_histogram(ch),
                peer_median=median_from_histogram(ph) if peer_shown else None,
                peer_best=max(ph) if peer_shown and ph else None,
            )
        )
    areas = [
        {
            "name": a.name,
            "self": _f(a.self_score),
            "reviewed": _f(a.reviewed_score),
            "cohort_median": median_without(
                stats.areas.get(a.position, []),
                float(a.reviewed_score) if a.reviewed_score is not None else None,
            ),
        }
        for a in AreaResult.objects.filter(result=result).order_by("position")
    ]
    out = EnterpriseResult(
        result=result,
        spec=spec,
        cohort_size=others + 1,
        percentile=percentile(below, others) if counted else None,
        peers=peers,
        k=k,
        peer_shown=peer_shown,
        areas=areas,
        rows=rows,
    )
    out.strengths, out.improvements = strengths_and_improvements(rows)
    return out


def strengths_and_improvements(
    rows: list[IndicatorRow],
) -> tuple[list[IndicatorRow], list[IndicatorRow]]:
    """Strengths: rated best (level 1–2) and above the cohort median by the widest margin.
    Improvement areas: rated level 3 or worse, furthest below the cohort median first."""

    def margin(r: IndicatorRow) -> float:
        return (r.reviewed_points or 0) - (r.cohort_median or 0)

    rated = [r for r in rows if r.reviewed_level is not None]
    strengths = sorted(
        (r for r in rated if r.reviewed_level is not None and r.reviewed_level <= 2),
        key=lambda r: (-margin(r), r.number),
    )[:STRENGTHS]
    improvements = sorted(
        (r for r in rated if r.reviewed_level is not None and r.reviewed_level >= 3),
        key=lambda r: (margin(r), r.number),
    )[:IMPROVEMENTS]
    return strengths, improvements
