"""The 结果分析 page's content: the analytics of one campaign gathered for the template and the
charts (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeren.campaigns.models import Campaign
from zeren.frameworks.loader import spec_from_db
from zeren.reports import analytics as a
from zeren.reports.analytics import Filters

PAGE_SIZE = 50

# One palette for the web charts and the charts in documents (levels 1 best … 5 worst).
PALETTE = ["#1a7f5a", "#6fb36b", "#e0c341", "#e58a3a", "#c0392b"]
SERIES = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#2c7a7b", "#9b2c2c", "#4a5568"]


@dataclass
class AnalysisPage:
    campaign: Campaign
    filters: Filters
    summary: dict[str, Any]
    indicators: list[dict[str, Any]]  # one row per indicator: names, distributions, stats
    areas: list[tuple[int, str]]
    ranking: list[a.RankRow]
    ranked: int
    page: int
    pages: int
    area: int | None
    heatmap: dict[str, Any]
    boxes: list[dict[str, Any]]
    overclaim: list[dict[str, Any]]
    per_day: list[dict[str, Any]]

    def chart_data(self) -> dict[str, Any]:
        return {
            "palette": PALETTE,
            "series": SERIES,
            "indicators": [
                {
                    "number": r["number"],
                    "name": r["name"],
                    "self": r["self"],
                    "reviewed": r["reviewed"],
                    "over": r["over"],
                    "disagreement": r["disagreement_rate"],
                }
                for r in self.indicators
            ],
            "heatmap": self.heatmap,
            "boxes": self.boxes,
            "overclaim": self.overclaim,
            "per_day": self.per_day,
            "ranking": [
                {"name": r.enterprise, "score": r.score, "rank": r.rank} for r in self.ranking
            ],
        }


def analysis_page(
    campaign: Campaign, f: Filters, *, page: int = 1, area: int | None = None
) -> AnalysisPage:
    spec = spec_from_db(campaign.framework)
    dist = a.level_distribution(campaign, f)
    stats = a.indicator_stats(campaign, f)
    indicators = []
    for ind in spec.indicators:
        d = dist.get(ind.number, {"self": [0] * 5, "reviewed": [0] * 5})
        s = stats.get(ind.number, {})
        indicators.append(
            {
                "number": ind.number,
                "name": ind.name,
                "self": d["self"],
                "reviewed": d["reviewed"],
                "over": s.get("over"),
                "disagreement_rate": s.get("disagreement_rate"),
                "self_avg": s.get("self_avg"),
                "reviewed_avg": s.get("reviewed_avg"),
            }
        )
    areas = [(i, ar.name) for i, ar in enumerate(spec.areas, start=1)]
    if area is not None and area not in dict(areas):
        area = None
    offset = (page - 1) * PAGE_SIZE
    rows, ranked = a.ranking(campaign, f, area=area, offset=offset, limit=PAGE_SIZE)
    pages = max(1, -(-ranked // PAGE_SIZE))
    return AnalysisPage(
        campaign=campaign,
        filters=f,
        summary=a.summary(campaign, f),
        indicators=indicators,
        areas=areas,
        ranking=rows,
        ranked=ranked,
        page=page,
        pages=pages,
        area=area,
        heatmap=a.heatmap(campaign, f, limit=30),
        boxes=a.totals_by_segment(campaign, f),
        overclaim=a.overclaim_by_enterprise(campaign, f),
        per_day=a.submissions_per_day(campaign, f),
    )
