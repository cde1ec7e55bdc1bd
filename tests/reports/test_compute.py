"""Results computed from the real review: reviewers' levels consolidated (median, the worse of
two), the organizer's settlement first, draft forms left out; release and withdrawal audited."""

from __future__ import annotations

import pytest

from tests.assessments.helpers import fill_completely
from tests.conftest import make_user
from zeren.accounts.models import Role
from zeren.assessments import submissions
from zeren.audit.models import AuditEvent
from zeren.reports.compute import compute_results, is_released, release_results, withdraw_results
from zeren.reports.models import AssessmentResult, IndicatorResult
from zeren.reviews import services as review

pytestmark = pytest.mark.django_db


def test_it_consolidates_the_review_into_result_rows(
    campaign, assessment, assessment_b, alice, rita, olga
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=1)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    rex = make_user("rex", Role.REVIEWER)
    a1 = review.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    a2 = review.assign_reviewer(assessment=assessment, reviewer=rex, by=olga)
    for number in range(1, 29):
        for a, who, level in ((a1, rita, 2), (a2, rex, 3 if number != 5 else 4)):
            review.save_rating(
                assignment=a,
                submission=submission,
                indicator=number,
                by=who,
                expected_version=None,
                changes={"level": level, "sufficiency": "partial"},
            )
    review.settle(submission=submission, indicator=5, level=2, note="复核", by=olga)
    compute_results(campaign)
    res = AssessmentResult.objects.get()  # the draft of enterprise B has no result
    assert res.self_assessment_id == assessment.pk
    rows = {r.indicator: r for r in IndicatorResult.objects.filter(result=res)}
    assert rows[1].self_level == 1 and rows[1].reviewed_level == 3  # two reviewers: the worse
    assert rows[5].reviewed_level == 2 and rows[5].settled and rows[5].disagreement
    assert float(res.self_total) == 100.0 and res.reviewed_total is not None
    assert float(res.reviewed_total) == pytest.approx((27 * 50 + 75) / 28, abs=0.01)
    assert res.areas.count() == 4 and res.topics  # type: ignore[attr-defined]
    compute_results(campaign)  # again: replaced, not doubled
    assert AssessmentResult.objects.count() == 1 and IndicatorResult.objects.count() == 28


def test_release_and_withdrawal_are_recorded(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    assert not is_released(campaign)
    release_results(campaign, by=olga)
    assert is_released(campaign)
    withdraw_results(campaign, by=olga)
    assert not is_released(campaign)
    assert list(
        AuditEvent.objects.filter(object_id=str(campaign.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )[-2:] == ["results.released", "results.withdrawn"]
