"""Computing and releasing a campaign's results.

The results of a campaign are the reviewed levels of each self-assessment's latest submission
(the reviewers' levels consolidated, the organizer's settlements first) and the self levels, with
their scores; they are kept as rows (AssessmentResult, AreaResult, IndicatorResult) so that the
cohort figures are aggregates in the database. Computing reads the review in a fixed number of
queries whatever the number of enterprises.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from zeren.assessments.models import Answer, SelfAssessment, Submission
from zeren.audit.log import record
from zeren.campaigns.models import Campaign
from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.spec import FrameworkSpec
from zeren.reports.models import AreaResult, AssessmentResult, CampaignResults, IndicatorResult
from zeren.reviews.models import ReviewRating, Settlement
from zeren.reviews.scoring import consolidate, score_levels

BATCH = 2000
SUBMITTED = (
    SelfAssessment.Status.SUBMITTED,
    SelfAssessment.Status.RETURNED,
    SelfAssessment.Status.ACCEPTED,
)


def _chunks(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def compute_results(campaign: Campaign) -> CampaignResults:
    """(Re)computes the results of every self-assessment with a submission; returns the state."""
    spec = spec_from_db(campaign.framework)
    with transaction.atomic():
        state, _ = CampaignResults.objects.select_for_update().get_or_create(campaign=campaign)
        AssessmentResult.objects.filter(campaign=campaign).delete()
        _compute(campaign, spec)
        state.computed_at = timezone.now()
        state.save(update_fields=["computed_at"])
    return state


def _compute(campaign: Campaign, spec: FrameworkSpec) -> None:
    latest_numbers = (
        Submission.objects.filter(self_assessment__campaign=campaign)
        .values("self_assessment_id")
        .annotate(n=Max("number"), first=Min("submitted_at"))
        .order_by()
    )
    firsts: dict[int, tuple[int, datetime]] = {
        r["self_assessment_id"]: (r["n"], r["first"]) for r in latest_numbers
    }
    latest: dict[int, int] = {}  # self-assessment -> latest submission id
    for sub_id, sa_id, number in Submission.objects.filter(
        self_assessment__campaign=campaign
    ).values_list("pk", "self_assessment_id", "number"):
        if firsts[sa_id][0] == number:
            latest[sa_id] = sub_id
    sas = dict(
        SelfAssessment.objects.filter(campaign=campaign, pk__in=latest, status__in=SUBMITTED)
        .values_list("pk", "enterprise_id")
        .order_by()
    )
    segments = dict(
        SelfAssessment.objects.filter(campaign=campaign, pk__in=sas).values_list(
            "pk", "enterprise__segment"
        )
    )
    self_levels: dict[int, dict[int, int | None]] = defaultdict(dict)
    for sa_id, number, level in Answer.objects.filter(
        self_assessment__campaign=campaign, self_assessment_id__in=sas
    ).values_list("self_assessment_id", "indicator__number", "level"):
        self_levels[sa_id][number] = level
    sub_ids = {latest[sa] for sa in sas}
    sub_to_sa = {latest[sa]: sa for sa in sas}
    ratings: dict[tuple[int, int], list[int | None]] = defaultdict(list)
    for sub_id, number, level in (
        ReviewRating.objects.filter(
            submission__self_assessment__campaign=campaign,
            assignment__conflict_declared_at__isnull=True,
        )
        .values_list("submission_id", "indicator", "level")
        .order_by()
    ):
        if sub_id in sub_ids:
            ratings[(sub_to_sa[sub_id], number)].append(level)
    settled: dict[tuple[int, int], int] = {}
    for sub_id, number, level in Settlement.objects.filter(
        submission__self_assessment__campaign=campaign
    ).values_list("submission_id", "indicator", "level"):
        if sub_id in sub_ids:
            settled[(sub_to_sa[sub_id], number)] = level

    rule = campaign.consolidation_rule
    results: list[AssessmentResult] = []
    details: list[tuple[list[AreaResult], list[IndicatorResult]]] = []
    for sa_id, enterprise_id in sas.items():
        own = self_levels.get(sa_id, {})
        cons = {
            ind.number: consolidate(
                ratings.get((sa_id, ind.number), []),
                rule=rule,
                settled=settled.get((sa_id, ind.number)),
            )
            for ind in spec.indicators
        }
        self_scores = score_levels(spec, own)
        reviewed_scores = score_levels(spec, {n: c.level for n, c in cons.items()})
        result = AssessmentResult(
            campaign=campaign,
            self_assessment_id=sa_id,
            submission_id=latest[sa_id],
            enterprise_id=enterprise_id,
            segment=segments.get(sa_id) or "",
            self_total=self_scores.total.value,
            reviewed_total=reviewed_scores.total.value,
            submitted_at=firsts[sa_id][1],
            topics=[
                {
                    "area": a,
                    "topic": t,
                    "self": _num(self_scores.topics[(a, t)].value),
                    "reviewed": _num(reviewed_scores.topics[(a, t)].value),
                }
                for (a, t) in self_scores.topics
            ],
        )
        results.append(result)
        areas = [
            AreaResult(
                campaign=campaign,
                position=i,
                name=a.name,
                self_score=self_scores.areas[a.name].value,
                reviewed_score=reviewed_scores.areas[a.name].value,
            )
            for i, a in enumerate(spec.areas, start=1)
        ]
        indicators = [
            IndicatorResult(
                campaign=campaign,
                indicator=ind.number,
                self_level=own.get(ind.number),
                reviewed_level=cons[ind.number].level,
                self_points=self_scores.indicators[ind.number],
                reviewed_points=reviewed_scores.indicators[ind.number],
                disagreement=cons[ind.number].disagreement,
                settled=cons[ind.number].settled,
            )
            for ind in spec.indicators
        ]
        details.append((areas, indicators))
    for chunk in _chunks(list(range(len(results)))):
        created = AssessmentResult.objects.bulk_create([results[i] for i in chunk])
        area_rows: list[AreaResult] = []
        ind_rows: list[IndicatorResult] = []
        for i, res in zip(chunk, created, strict=True):
            if res.pk is None:  # backends that do not return ids
                res = AssessmentResult.objects.get(self_assessment_id=res.self_assessment_id)
            for a in details[i][0]:
                a.result = res
                area_rows.append(a)
            for r in details[i][1]:
                r.result = res
                ind_rows.append(r)
        AreaResult.objects.bulk_create(area_rows, batch_size=BATCH)
        IndicatorResult.objects.bulk_create(ind_rows, batch_size=BATCH)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def results_state(campaign: Campaign) -> CampaignResults | None:
    return CampaignResults.objects.filter(campaign=campaign).first()


def is_released(campaign: Campaign) -> bool:
    return CampaignResults.objects.filter(campaign=campaign, released_at__isnull=False).exists()


def release_results(campaign: Campaign, *, by: Any) -> CampaignResults:
    """公布结果: computes the results afresh and shows them to the enterprises."""
    state = compute_results(campaign)
    with transaction.atomic():
        state.released_at = timezone.now()
        state.released_by = by
        state.save(update_fields=["released_at", "released_by"])
        record(by, "results.released", campaign, after={"released_at": str(state.released_at)})
    return state


def withdraw_results(campaign: Campaign, *, by: Any) -> None:
    with transaction.atomic():
        CampaignResults.objects.filter(campaign=campaign).update(released_at=None)
        record(by, "results.withdrawn", campaign)
