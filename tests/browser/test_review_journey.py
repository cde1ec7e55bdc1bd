"""Two reviewers disagree; the organizer settles, returns one indicator, the enterprise
resubmits, the organizer accepts; the scores equal those computed by hand."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.assessments.helpers import fill_completely
from tests.browser.conftest import axe_violations, login
from tests.conftest import make_user
from zeren.accounts.models import Role
from zeren.assessments import submissions
from zeren.assessments.models import SelfAssessment
from zeren.reviews import services as review_services
from zeren.reviews.models import ReviewAssignment, ReviewRating

pytestmark = pytest.mark.browser


def _rate_all(assignment: ReviewAssignment, submission, by, level: int, skip: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(1, 29):
        if n != skip:
            review_services.save_rating(
                assignment=assignment,
                submission=submission,
                indicator=n,
                by=by,
                expected_version=None,
                changes={"level": level, "sufficiency": "sufficient"},
            )


def test_review_settle_return_resubmit_accept(
    browser: Browser, live_server, assessment, alice, rita, olga
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    rex = make_user("rex", Role.REVIEWER)
    fill_completely(assessment, alice, level=2)
    first = submissions.submit_self_assessment(assessment=assessment, by=alice)

    # The organizer assigns two reviewers, balanced, from the campaign page.
    organizer = login(browser, base, "olga")
    organizer.goto(f"{base}/organizer/campaigns/{assessment.campaign_id}/reviewers/")
    organizer.get_by_label("每份材料的专家人数").fill("2")
    organizer.get_by_role("button", name="自动均衡分配").click()
    expect(organizer.get_by_text("已新增 2 项评审分配")).to_be_visible()
    a_rita = ReviewAssignment.objects.get(reviewer=rita)
    a_rex = ReviewAssignment.objects.get(reviewer=rex)

    # rita reviews indicator 1 in the browser: the claim beside her judgement, autosaved.
    reviewer = login(browser, base, "rita")
    reviewer.get_by_role("link", name="评审").first.click()
    reviewer.get_by_role("link", name=assessment.enterprise.name).click()
    expect(reviewer.get_by_role("heading", name="三级指标1：责任意识建立")).to_be_visible()
    expect(reviewer.locator(".claimed-level")).to_have_text("2.比较重视")
    reviewer.get_by_label("1.非常重视").check()
    reviewer.get_by_label("充分", exact=True).check()
    reviewer.get_by_label("评审意见").fill("董事会决议齐全")
    expect(reviewer.locator("#rating-form .save-status")).to_contain_text("已自动保存")
    assert axe_violations(reviewer) == []
    # Keyboard: ] goes to the next indicator when the cursor is not in a field.
    reviewer.locator("h1").click()
    reviewer.keyboard.press("]")
    expect(reviewer.get_by_role("heading", name="三级指标2：履责文件发布")).to_be_visible()
    rating = ReviewRating.objects.get(assignment=a_rita, indicator=1)
    assert (rating.level, rating.sufficiency, rating.comment) == (1, "sufficient", "董事会决议齐全")

    # The rest through the services: rita rates everything 2, rex everything 2 but indicator 1 at 4.
    _rate_all(a_rita, first, rita, 2, skip=1)
    _rate_all(a_rex, first, rex, 2, skip=1)
    review_services.save_rating(
        assignment=a_rex,
        submission=first,
        indicator=1,
        by=rex,
        expected_version=None,
        changes={"level": 4, "sufficiency": "insufficient", "comment": "缺少执行记录"},
    )

    # The organizer sees the disagreement (1 vs 4) and settles it at 2.
    organizer.goto(f"{base}/organizer/submissions/{first.pk}/")
    row = organizer.locator("#row-1")
    expect(row).to_contain_text("分歧")
    row.get_by_label("认定等级").select_option("2")
    row.get_by_role("button", name="认定").click()
    expect(organizer.get_by_text("已认定指标 1 的等级")).to_be_visible()
    # All consolidated at level 2 (75 points): reviewed score 75.00; self score also 75.00.
    expect(organizer.locator("#reviewed-score")).to_have_text("75.00")
    expect(organizer.locator("#self-score")).to_have_text("75.00")
    assert axe_violations(organizer) == []

    # The organizer returns indicator 3; the enterprise revises and resubmits.
    organizer.locator("#ret-3").check()
    organizer.get_by_label("指标 3 修改意见").fill("请补充规则公示页面截图")
    organizer.get_by_role("button", name="退回修改").click()
    expect(organizer.get_by_text("已退回修改")).to_be_visible()
    enterprise = login(browser, base, "alice")
    enterprise.goto(f"{base}/assessments/{assessment.pk}/indicators/3/")
    expect(enterprise.get_by_text("请补充规则公示页面截图")).to_be_visible()
    enterprise.get_by_label("1.非常完善").check()
    expect(enterprise.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    enterprise.goto(f"{base}/assessments/{assessment.pk}/")
    enterprise.get_by_label("本企业已审核提交材料的真实性和完整性").check()
    enterprise.get_by_role("button", name="重新提交").click()
    expect(enterprise.get_by_role("heading", name="提交回执")).to_be_visible()
    second = assessment.submissions.get(number=2)

    # Back to the same reviewers, with the change highlighted.
    reviewer.goto(f"{base}/review/{second.pk}/indicators/3/")
    expect(reviewer.get_by_text("本版已修改")).to_be_visible()
    expect(reviewer.locator(".claimed-level")).to_have_text("1.非常完善")
    for a, who in ((a_rita, rita), (a_rex, rex)):
        _rate_all(a, second, who, 2, skip=0)

    # The organizer accepts; scores by hand: self 27×75 + 100 = 2125/28 = 75.89; reviewed 75.00.
    organizer.goto(f"{base}/organizer/submissions/{second.pk}/")
    expect(organizer.locator("#self-score")).to_have_text("75.89")
    expect(organizer.locator("#reviewed-score")).to_have_text("75.00")
    organizer.on("dialog", lambda d: d.accept())
    organizer.get_by_label("我已确认：审核通过后不能再退回修改").check()
    organizer.get_by_role("button", name="审核通过").click()
    expect(organizer.get_by_text("已审核通过")).to_be_visible()
    assert SelfAssessment.objects.get(pk=assessment.pk).status == "accepted"
    expect(organizer.locator(".timeline")).to_contain_text("Olga 通过了第 2 版")
