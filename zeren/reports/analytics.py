"""结果分析: cohort figures of a campaign's results, each an aggregate in the database.

Every function runs a fixed number of queries whatever the size of the cohort, and returns plain
data (lists and dicts of numbers and strings) that the page shows as a chart and a table and that
the workbook and the reports reuse. Lists that grow with the cohort are paged or cut to the top N.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Window
from django.db.models.functions import Rank, TruncDate

from zeren.assessments.models import SelfAssessment, Submission
from zeren.campaigns.models import Campaign
from zeren.reports.models import AreaResult, AssessmentResult, IndicatorResult

LEVELS = (1, 2, 3, 4, 5)
RESULT_STATUSES = (
    SelfAssessment.Status.SUBMITTED,
    SelfAssessment.Status.RETURNED,
    SelfAssessment.Status.ACCEPTED,
)


@dataclass(frozen=True)
class Filters:
    segment: str = ""
    status: str = ""

    def results(self, campaign: Campaign) -> QuerySet[AssessmentResult]:
        qs = AssessmentResult.objects.filter(campaign=campaign)
        if self.segment:
            qs = qs.filter(segment=self.segment)
        if self.status:
            qs = qs.filter(self_assessment__status=self.status)
        return qs

    def q(self, prefix: str) -> Q:
        q = Q()
        if self.segment:
            q &= Q(**{f"{prefix}segment": self.segment})
        if self.status:
            q &= Q(**{f"{prefix}self_assessment__status": self.status})
        return q

    def indicators(self, campaign: Campaign) -> QuerySet[IndicatorResult]:
        return IndicatorResult.objects.filter(Q(campaign=campaign) & self.q("result__"))

    def areas(self, campaign: Campaign) -> QuerySet[AreaResult]:
        return AreaResult.objects.filter(Q(campaign=campaign) & self.q("result__"))


def _f(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def summary(campaign: Campaign, f: Filters) -> dict[str, Any]:
    agg = f.results(campaign).aggregate(
        n=Count("pk"),
        reviewed=Count("pk", filter=Q(reviewed_total__isnull=False)),
        self_avg=Avg("self_total"),
        reviewed_avg=Avg("reviewed_total"),
    )
    return {
        "count": agg["n"],
        "reviewed": agg["reviewed"],
        "self_avg": _f(agg["self_avg"]),
        "reviewed_avg": _f(agg["reviewed_avg"]),
    }


def level_distribution(campaign: Campaign, f: Filters) -> dict[int, dict[str, list[int]]]:
    """Per indicator, how many chose each level (self) and were given it (reviewed)."""
    out: dict[int, dict[str, list[int]]] = {}
    qs = f.indicators(campaign)
    for field, key in (("self_level", "self"), ("reviewed_level", "reviewed")):
        for number, level, n in (
            qs.filter(**{f"{field}__isnull": False})
            .values_list("indicator", field)
            .annotate(n=Count("pk"))
            .order_by()
        ):
            row = out.setdefault(number, {"self": [0] * 5, "reviewed": [0] * 5})
            row[key][level - 1] = n
    return out


def indicator_stats(campaign: Campaign, f: Filters) -> dict[int, dict[str, float | None]]:
    """Per indicator: mean self and reviewed points, over-claiming and disagreement rate."""
    out: dict[int, dict[str, float | None]] = {}
    for r in (
        f.indicators(campaign)
        .values("indicator")
        .annotate(
            self_avg=Avg("self_points"),
            reviewed_avg=Avg("reviewed_points"),
            over=Avg(
                F("self_points") - F("reviewed_points"),
                filter=Q(self_points__isnull=False, reviewed_points__isnull=False),
            ),
            rated=Count("pk", filter=Q(reviewed_level__isnull=False)),
            disagreements=Count("pk", filter=Q(disagreement=True)),
        )
        .order_by("indicator")
    ):
        rated = r["rated"]
        out[r["indicator"]] = {
            "self_avg": _f(r["self_avg"]),
            "reviewed_avg": _f(r["reviewed_avg"]),
            "over": _f(r["over"]),
            "disagreement_rate": round(100 * r["disagreements"] / rated, 1) if rated else None,
            "rated": rated,
        }
    return out


@dataclass(frozen=True)
class RankRow:
    rank: int
    self_assessment_id: int
    enterprise: str
    credit_code: str
    segment: str
    score: float | None
    self_score: float | None


def ranking(
    campaign: Campaign, f: Filters, *, area: int | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[RankRow], int]:
    """Ranks by reviewed total (or one area's reviewed score); ties share a rank (1, 2, 2, 4).
    One page of rows and the number ranked."""
    if area is None:
        qs: Any = f.results(campaign).filter(reviewed_total__isnull=False)
        score, self_score, sa = "reviewed_total", "self_total", "self_assessment_id"
        prefix = ""
    else:
        qs = f.areas(campaign).filter(position=area, reviewed_score__isnull=False)
        score, self_score, sa = "reviewed_score", "self_score", "result__self_assessment_id"
        prefix = "result__"
    total = qs.count()
    rows = (
        qs.annotate(rank=Window(Rank(), order_by=F(score).desc()))
        .order_by("rank", f"{prefix}enterprise__name", "pk")
        .values_list(
            "rank",
            sa,
            f"{prefix}enterprise__name",
            f"{prefix}enterprise__credit_code",
            f"{prefix}segment",
            score,
            self_score,
        )[offset : offset + limit]
    )
    return [RankRow(r[0], r[1], r[2], r[3], r[4], _f(r[5]), _f(r[6])) for r in rows], total


def heatmap(campaign: Campaign, f: Filters, *, offset: int = 0, limit: int = 30) -> dict[str, Any]:
    """Reviewed points, enterprises × indicators, for one page of enterprises by total."""
    page = list(
        f.results(campaign)
        .filter(reviewed_total__isnull=False)
        .order_by("-reviewed_total", "enterprise__name", "pk")
        .values_list("pk", "enterprise__name")[offset : offset + limit]
    )
    ids = [pk for pk, _ in page]
    cells = [
        [ids.index(rid), number, _f(points)]
        for rid, number, points in IndicatorResult.objects.filter(result_id__in=ids)
        .order_by("result_id", "indicator")
        .values_list("result_id", "indicator", "reviewed_points")
    ]
    return {"enterprises": [name for _, name in page], "cells": cells}


def _box(values: list[float]) -> list[float]:
    values = sorted(values)
    if len(values) == 1:
        return [values[0]] * 5
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return [values[0], round(q1, 2), round(q2, 2), round(q3, 2), values[-1]]


def totals_by_segment(campaign: Campaign, f: Filters) -> list[dict[str, Any]]:
    """Box-plot figures (min, Q1, median, Q3, max) of reviewed totals per platform type."""
    by: dict[str, list[float]] = {}
    for seg, total in (
        f.results(campaign)
        .filter(reviewed_total__isnull=False)
        .values_list("segment", "reviewed_total")
        .order_by()
    ):
        by.setdefault(seg or "—", []).append(float(total or 0))
    return [{"segment": s, "n": len(v), "box": _box(v)} for s, v in sorted(by.items())]


def overclaim_by_enterprise(
    campaign: Campaign, f: Filters, *, limit: int = 20
) -> list[dict[str, Any]]:
    """The self-assessments whose self score exceeds the reviewed score the most."""
    return [
        {"enterprise": name, "self": _f(s), "reviewed": _f(r), "gap": _f(gap)}
        for name, s, r, gap in f.results(campaign)
        .filter(self_total__isnull=False, reviewed_total__isnull=False)
        .annotate(gap=F("self_total") - F("reviewed_total"))
        .order_by("-gap", "enterprise__name")
        .values_list("enterprise__name", "self_total", "reviewed_total", "gap")[:limit]
    ]


def submissions_per_day(campaign: Campaign, f: Filters) -> list[dict[str, Any]]:
    """First submissions per day, towards the deadline."""
    qs = Submission.objects.filter(self_assessment__campaign=campaign, number=1)
    if f.segment:
        qs = qs.filter(self_assessment__enterprise__segment=f.segment)
    if f.status:
        qs = qs.filter(self_assessment__status=f.status)
    return [
        {"day": day.isoformat(), "n": n}
        for day, n in qs.annotate(day=TruncDate("submitted_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
        .order_by("day")
    ]


def segments_of(campaign: Campaign) -> list[str]:
    return list(
        AssessmentResult.objects.filter(campaign=campaign)
        .exclude(segment="")
        .values_list("segment", flat=True)
        .distinct()
        .order_by("segment")
    )
