"""A realistic cohort to look at: `zeren demo --cohort N`.

N enterprises of several platform types in two yearly campaigns (last year closed and its
results released; this year open and under review), with level distributions that differ by
area and platform type, two reviewers who sometimes disagree (and the organizer's settlements),
and some enterprises still drafting. Rows are written with bulk inserts; running it again adds
only the enterprises that are missing.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from zeren.accounts.credit_code import make_credit_code
from zeren.accounts.models import Enterprise, Segment, User
from zeren.assessments.formdata import canonical_json
from zeren.assessments.models import Answer, SelfAssessment, Submission
from zeren.campaigns.models import Campaign
from zeren.frameworks.models import Framework, Indicator
from zeren.reports.compute import compute_results, release_results
from zeren.reviews.models import ReviewAssignment, ReviewRating, Settlement, Sufficiency

BATCH = 5000
SA = SelfAssessment.Status

COHORT_SEGMENTS: list[tuple[str, str, float]] = [
    # (segment, name stem, share of the cohort)
    (Segment.ECOMMERCE, "电商", 0.22),
    (Segment.SHORT_VIDEO, "短视频", 0.18),
    (Segment.RIDE_HAILING, "出行", 0.12),
    (Segment.SOCIAL, "社交", 0.16),
    (Segment.LOCAL_SERVICES, "本地生活", 0.14),
    (Segment.SEARCH, "搜索", 0.06),
    (Segment.FOOD_DELIVERY, "外卖", 0.08),
    (Segment.GAMES, "游戏", 0.04),  # a small group: peers hidden by the k rule
]

# How well each platform type does in each area (0 best … 4 worst), by area position.
SEGMENT_BIAS = {
    Segment.ECOMMERCE: (0.9, 1.4, 1.0, 0.8, 1.2, 1.1),
    Segment.SHORT_VIDEO: (1.0, 1.8, 0.9, 1.6, 1.0, 1.3),
    Segment.RIDE_HAILING: (1.1, 0.8, 1.5, 1.0, 1.4, 1.2),
    Segment.SOCIAL: (1.0, 1.6, 1.2, 1.4, 1.0, 1.0),
    Segment.LOCAL_SERVICES: (1.2, 1.0, 1.4, 1.1, 1.3, 1.5),
    Segment.SEARCH: (0.8, 1.2, 0.8, 1.0, 0.9, 1.0),
    Segment.FOOD_DELIVERY: (1.2, 0.9, 1.6, 1.0, 1.5, 1.4),
    Segment.GAMES: (1.3, 1.5, 1.1, 1.7, 1.2, 1.6),
}

COHORT_PREFIX = "91110000C"  # 9 characters; with an 8-digit index, the 17 of a credit code


@dataclass(frozen=True)
class CohortSummary:
    enterprises: int
    created: int
    campaigns: list[int]


def _segment_for(index: int) -> tuple[str, str]:
    """A platform type for the index-th cohort enterprise, spread by share."""
    point = (index * 0.6180339887) % 1.0
    acc = 0.0
    for seg, stem, share in COHORT_SEGMENTS:
        acc += share
        if point < acc:
            return str(seg), stem
    return str(COHORT_SEGMENTS[-1][0]), COHORT_SEGMENTS[-1][1]


def cohort_code(index: int) -> str:
    return make_credit_code(f"{COHORT_PREFIX}{index:08d}")


def _clamp(x: float) -> int:
    return max(1, min(5, round(x)))


DATA = Path(__file__).resolve().parent / "data"


def second_version() -> Framework:
    """platform-csr version 2 and its mapping from version 1 (both idempotent)."""
    from zeren.frameworks.loader import load_framework_file
    from zeren.frameworks.mapping import load_mapping, read_mapping_file
    from zeren.frameworks.models import FrameworkMapping

    v2, _created = load_framework_file(DATA / "platform-csr-v2.yaml")
    if not FrameworkMapping.objects.filter(target=v2).exists():
        load_mapping(read_mapping_file(DATA / "platform-csr-v1-v2.yaml"))
    return v2


def _campaigns(v1: Framework, v2: Framework, year: int) -> tuple[Campaign, Campaign]:
    """Last year's campaign (version 1, closed, results released) and this year's (version 2,
    open, under review)."""
    now = timezone.now()
    last, _ = Campaign.objects.get_or_create(
        framework=v1,
        year=year - 1,
        title=f"{year - 1}年度互联网平台企业履行社会责任自评",
        defaults={
            "opens_at": now - timedelta(days=400),
            "closes_at": now - timedelta(days=340),
            "status": Campaign.Status.CLOSED,
            "instructions": "上一年度自评工作，已截止并公布结果。",
            "release_levels": True,
            "release_comments": True,
            "release_scores": True,
        },
    )
    current, _ = Campaign.objects.get_or_create(
        framework=v2,
        year=year,
        title=f"{year}年度互联网平台企业履行社会责任自评（第2版指标体系）",
        defaults={
            "opens_at": now - timedelta(days=30),
            "closes_at": now + timedelta(days=15),
            "status": Campaign.Status.OPEN,
            "instructions": "本年度使用修订后的指标体系；可从上一年度材料开始填写，系统按指标映射对应。",
        },
    )
    return last, current


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    out: list[Any] = []
    for i in range(0, len(rows), BATCH):
        out += model.objects.bulk_create(rows[i : i + BATCH])
    return out


def _fill_campaign(
    campaign: Campaign,
    enterprises: list[tuple[Enterprise, int]],
    indicators: list[tuple[int, int, int]],  # (pk, number, area position)
    reviewers: tuple[User, User],
    organizer: User,
    *,
    last_year: bool,
    empty: frozenset[int] = frozenset(),
) -> None:
    """Self-assessments, answers, submissions, two reviews and settlements, in bulk."""
    fw_key, fw_version = campaign.framework.key, campaign.framework.version
    year_shift = 0.0 if last_year else -0.25  # a little better this year
    plans: list[tuple[SelfAssessment, dict[int, int | None], str]] = []
    for enterprise, index in enterprises:
        rng = random.Random(f"{campaign.year}-{index}")
        roll = rng.random()
        if enterprise.pk in empty:
            stage = "empty"
        elif last_year:
            stage = "accepted" if roll < 0.93 else ("returned" if roll < 0.96 else "draft")
        else:
            stage = (
                "submitted"
                if roll < 0.55
                else "accepted"
                if roll < 0.70
                else "returned"
                if roll < 0.75
                else "draft"
                if roll < 0.92
                else "empty"
            )
        bias = SEGMENT_BIAS.get(enterprise.segment, (1.2,) * 6)  # type: ignore[call-overload]
        ability = rng.gauss(0, 0.6)
        levels: dict[int, int | None] = {}
        for _pk, number, area in indicators:
            if stage == "empty" or (stage == "draft" and rng.random() < 0.4):
                levels[number] = None
                continue
            base = 1 + bias[(area - 1) % len(bias)] + ability + year_shift
            levels[number] = _clamp(base + rng.gauss(-0.3, 0.6))  # self: a little generous
        status = {"empty": SA.DRAFT, "draft": SA.DRAFT}.get(stage, stage)
        sa = SelfAssessment(
            campaign=campaign,
            enterprise=enterprise,
            business_scope=f"{enterprise.segment}平台",
            enterprise_name=enterprise.name,
            contact_person=enterprise.contact_name,
            contact_info=enterprise.contact_phone,
            status=status,
        )
        plans.append((sa, levels, stage))
    created = _bulk(SelfAssessment, [p[0] for p in plans])
    answers = [
        Answer(
            self_assessment=sa,
            indicator_id=pk,
            level=levels[number],
            work_summary=(
                f"本年度围绕该指标开展了制度建设和专项工作（{sa.enterprise_name}）。"
                if levels[number] is not None
                else ""
            ),
        )
        for sa, (_s, levels, _st) in zip(created, plans, strict=True)
        for pk, number, _a in indicators
    ]
    _bulk(Answer, answers)
    submitted = [
        (sa, levels, stage)
        for sa, (_s, levels, stage) in zip(created, plans, strict=True)
        if stage not in ("draft", "empty")
    ]
    deadline = campaign.closes_at if last_year else timezone.now()
    subs: list[Submission] = []
    for sa, levels, _stage in submitted:
        rng = random.Random(f"sub-{campaign.year}-{sa.pk}")
        days = min(int(rng.expovariate(1 / 6)), 40)
        at = deadline - timedelta(days=days, hours=rng.randint(0, 20))
        snapshot = {
            "formdata_version": 1,
            "framework": {"id": fw_key, "version": fw_version},
            "cover": {"enterprise_name": sa.enterprise_name, "business_scope": sa.business_scope},
            "pledge": {"enterprise_name": sa.enterprise_name},
            "answers": [
                {"indicator": n, "level": lv, "work_summary": "本年度围绕该指标开展了相关工作。"}
                for n, lv in sorted(levels.items())
            ],
        }
        subs.append(
            Submission(
                self_assessment=sa,
                number=1,
                snapshot=snapshot,
                sha256=hashlib.sha256(canonical_json(snapshot)).hexdigest(),
                submitted_at=at,
                submitted_by=None,
            )
        )
    subs = _bulk(Submission, subs)
    assignments: list[ReviewAssignment] = []
    for sa, _levels, _stage in submitted:
        for i, reviewer in enumerate(reviewers):
            assignments.append(
                ReviewAssignment(
                    self_assessment=sa, reviewer=reviewer, is_lead=i == 0, assigned_by=organizer
                )
            )
    assignments = _bulk(ReviewAssignment, assignments)
    ratings: list[ReviewRating] = []
    settlements: list[Settlement] = []
    for k, (sub, (sa, levels, stage)) in enumerate(zip(subs, submitted, strict=True)):
        rng = random.Random(f"rev-{campaign.year}-{sa.pk}")
        reviewed_this = last_year or stage != "submitted" or rng.random() < 0.6
        if not reviewed_this:
            continue
        pair = assignments[2 * k : 2 * k + 2]
        for number, own in levels.items():
            if own is None:
                continue
            lv = [_clamp(own + abs(rng.gauss(0.4, 0.6))) for _ in pair]
            if rng.random() < 0.04:
                lv[1] = _clamp(lv[0] + 2)  # a real disagreement
            for a, level in zip(pair, lv, strict=True):
                ratings.append(
                    ReviewRating(
                        assignment=a,
                        submission=sub,
                        indicator=number,
                        level=level,
                        sufficiency=(
                            Sufficiency.SUFFICIENT
                            if level <= own
                            else Sufficiency.PARTIAL
                            if level == own + 1
                            else Sufficiency.INSUFFICIENT
                        ),
                        comment="佐证材料未能充分支撑自评等级。" if level > own + 1 else "",
                    )
                )
            if abs(lv[0] - lv[1]) >= 2 and rng.random() < 0.7:
                settlements.append(
                    Settlement(
                        submission=sub,
                        indicator=number,
                        level=max(lv) - 1,
                        note="两位专家意见分歧，经复核认定。",
                        settled_by=organizer,
                    )
                )
    _bulk(ReviewRating, ratings)
    _bulk(Settlement, settlements)


def build_cohort(
    n: int,
    *,
    current: Campaign,
    reviewers: tuple[User, User],
    organizer: User,
    demo_enterprises: list[Enterprise],
) -> CohortSummary:
    v2 = second_version()
    last, current = _campaigns(current.framework, v2, current.year)

    def indicators_of(c: Campaign) -> list[tuple[int, int, int]]:
        return list(
            Indicator.objects.filter(framework_id=c.framework_id)
            .order_by("number")
            .values_list("pk", "number", "topic__area__position")
        )

    codes = [cohort_code(i) for i in range(1, n + 1)]
    existing = set(
        Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    )
    new: list[Enterprise] = []
    index_of: dict[str, int] = {}
    for i, code in enumerate(codes, start=1):
        index_of[code] = i
        if code in existing:
            continue
        seg, stem = _segment_for(i)
        new.append(
            Enterprise(
                name=f"{stem}示例平台{i:05d}有限公司",
                credit_code=code,
                segment=seg,
                contact_name=f"联系人{i:05d}",
                contact_email=f"cohort{i:05d}@example.com",
                contact_phone=f"010-{60000000 + i}",
            )
        )
    with transaction.atomic():
        created = _bulk(Enterprise, new)
        if created and created[0].pk is None:
            created = list(Enterprise.objects.filter(credit_code__in=[e.credit_code for e in new]))
        batch = [(e, index_of[e.credit_code]) for e in created]
        # The three demo enterprises took part last year and have this year's form to fill.
        have_last = set(
            SelfAssessment.objects.filter(campaign=last).values_list("enterprise_id", flat=True)
        )
        demo_last = [(e, 900000 + e.pk) for e in demo_enterprises if e.pk not in have_last]
        have_now = set(
            SelfAssessment.objects.filter(campaign=current).values_list("enterprise_id", flat=True)
        )
        demo_now = [(e, 900000 + e.pk) for e in demo_enterprises if e.pk not in have_now]
        _fill_campaign(
            last, batch + demo_last, indicators_of(last), reviewers, organizer, last_year=True
        )
        _fill_campaign(
            current,
            batch + demo_now,
            indicators_of(current),
            reviewers,
            organizer,
            last_year=False,
            empty=frozenset(e.pk for e, _i in demo_now),
        )
    if created or demo_last or not last_results_exist(last):
        release_results(last, by=organizer)
        compute_results(current)
    return CohortSummary(n, len(created), [last.pk, current.pk])


def last_results_exist(campaign: Campaign) -> bool:
    from zeren.reports.models import CampaignResults

    return CampaignResults.objects.filter(campaign=campaign, released_at__isnull=False).exists()
