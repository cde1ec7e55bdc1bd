"""Results made directly as rows (AssessmentResult, AreaResult, IndicatorResult), for tests that
need exact totals; and the real path (fill, submit, rate, compute) in test_compute."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils import timezone

from tests.campaigns.conftest import code
from zeren.accounts.models import Enterprise
from zeren.assessments.models import Answer, SelfAssessment, Submission
from zeren.campaigns.models import Campaign
from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.models import Indicator
from zeren.reports.models import AreaResult, AssessmentResult, IndicatorResult
from zeren.reviews.scoring import score_levels

_codes = itertools.count(5000)


def result_row(
    campaign: Campaign,
    name: str,
    *,
    level: int | dict[int, int] = 2,
    segment: str = "电商",
    n: int | None = None,
    enterprise: Enterprise | None = None,
    self_level: int | None = None,
) -> AssessmentResult:
    """One enterprise's submitted self-assessment with its result: every indicator reviewed at
    `level` (or a map number -> level), self-rated at `self_level` (default: the same)."""
    spec = spec_from_db(campaign.framework)
    if enterprise is None:
        enterprise = Enterprise.objects.create(
            name=name, credit_code=code(n or next(_codes)), segment=segment
        )
    sa = SelfAssessment.objects.create(
        campaign=campaign,
        enterprise=enterprise,
        business_scope="平台业务",
        status=SelfAssessment.Status.SUBMITTED,
    )
    sub = Submission.objects.create(
        self_assessment=sa, number=1, snapshot={}, sha256="0" * 64, submitted_at=timezone.now()
    )
    reviewed = {
        i.number: (level if isinstance(level, int) else level[i.number]) for i in spec.indicators
    }
    own = {k: (self_level or v) for k, v in reviewed.items()}
    Answer.objects.bulk_create(
        Answer(self_assessment=sa, indicator=ind, level=own[ind.number])
        for ind in Indicator.objects.filter(framework_id=campaign.framework_id)
    )
    rs, ss = score_levels(spec, reviewed), score_levels(spec, own)
    res = AssessmentResult.objects.create(
        campaign=campaign,
        self_assessment=sa,
        submission=sub,
        enterprise=enterprise,
        segment=enterprise.segment,
        self_total=ss.total.value,
        reviewed_total=rs.total.value,
        submitted_at=sub.submitted_at,
    )
    for pos, a in enumerate(spec.areas, start=1):
        AreaResult.objects.create(
            result=res,
            campaign=campaign,
            position=pos,
            name=a.name,
            self_score=ss.areas[a.name].value,
            reviewed_score=rs.areas[a.name].value,
        )
    IndicatorResult.objects.bulk_create(
        IndicatorResult(
            result=res,
            campaign=campaign,
            indicator=i.number,
            self_level=own[i.number],
            reviewed_level=reviewed[i.number],
            self_points=ss.indicators[i.number],
            reviewed_points=rs.indicators[i.number],
        )
        for i in spec.indicators
    )
    return res


def total(res: AssessmentResult) -> Decimal:
    assert res.reviewed_total is not None
    return res.reviewed_total
