"""Year over year: an enterprise's results across campaigns and the cohort's indicators against
the previous campaign, always through the indicator mapping between framework versions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Avg

from zeren.campaigns.models import Campaign
from zeren.frameworks.mapping import mapping_table
from zeren.frameworks.models import Framework
from zeren.reports.analytics import Filters
from zeren.reports.models import AssessmentResult, IndicatorResult


def sources_of(old: Framework, new: Framework) -> dict[int, list[int]] | None:
    """new number -> the old numbers it comes from; None when the versions are not mapped."""
    if old.pk == new.pk:
        return None  # the identity; callers treat None as “same number”
    table = mapping_table(old, new)
    if table is None:
        return {}
    out: dict[int, list[int]] = defaultdict(list)
    for s, targets in table.items():
        for _kind, t in targets:
            out[t].append(s)
    return dict(out)


def carry_values(values: dict[int, float], old: Framework, new: Framework) -> dict[int, float]:
    """Per-indicator figures of `old` as figures of `new`'s indicators (a merged indicator takes
    the mean of its sources; a new one has none)."""
    src = sources_of(old, new)
    if src is None:
        return dict(values)
    out = {}
    for target, olds in src.items():
        got = [values[o] for o in olds if o in values]
        if got:
            out[target] = round(sum(got) / len(got), 2)
    return out


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The latest earlier campaign of the same framework key that has results."""
    return (
        Campaign.objects.filter(
            framework__key=campaign.framework.key,
            year__lt=campaign.year,
            results__computed_at__isnull=False,
        )
        .select_related("framework")
        .order_by("-year", "-pk")
        .first()
    )


def cohort_year_over_year(campaign: Campaign, f: Filters) -> dict[str, Any] | None:
    """Mean reviewed points per indicator, this campaign against the previous one (mapped)."""
    prev = previous_campaign(campaign)
    if prev is None:
        return None
    before = {
        r["indicator"]: float(r["a"])
        for r in f.indicators(prev)
        .values("indicator")
        .annotate(a=Avg("reviewed_points"))
        .order_by()
        if r["a"] is not None
    }
    return {
        "campaign": prev,
        "values": carry_values(before, prev.framework, campaign.framework),
    }


def enterprise_trajectory(result: AssessmentResult, *, released_only: bool) -> dict[str, Any]:
    """The enterprise's totals in every campaign with results (released ones only, for the
    enterprise's own people), and last time's reviewed points per indicator of this campaign's
    framework (mapped)."""
    qs = AssessmentResult.objects.filter(enterprise_id=result.enterprise_id)
    if released_only:
        qs = qs.filter(campaign__results__released_at__isnull=False)
    earlier = list(
        qs.select_related("campaign__framework").order_by("campaign__year", "campaign_id")
    )
    years = [
        {
            "campaign": r.campaign.title,
            "year": r.campaign.year,
            "self": float(r.self_total) if r.self_total is not None else None,
            "reviewed": float(r.reviewed_total) if r.reviewed_total is not None else None,
            "current": r.pk == result.pk,
        }
        for r in earlier
    ]
    if not any(y["current"] for y in years):
        years.append(
            {
                "campaign": result.campaign.title,
                "year": result.campaign.year,
                "self": float(result.self_total) if result.self_total is not None else None,
                "reviewed": float(result.reviewed_total)
                if result.reviewed_total is not None
                else None,
                "current": True,
            }
        )
    before = [
        r
        for r in earlier
        if r.campaign.year < result.campaign.year
        and r.campaign.framework.key == result.campaign.framework.key
    ]
    previous: dict[int, float] = {}
    if before:
        last = before[-1]
        values = {
            n: float(p or 0)
            for n, p in IndicatorResult.objects.filter(
                result=last, reviewed_points__isnull=False
            ).values_list("indicator", "reviewed_points")
        }
        previous = carry_values(values, last.campaign.framework, result.campaign.framework)
    return {"years": years, "previous": previous}
