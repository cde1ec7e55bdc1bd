"""Every field that saves by itself is saved when it alone is changed: edit it, leave it, reload,
and the value is there. Also what a save changes elsewhere on the page shows without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.assessments.helpers import fill_completely
from tests.browser.conftest import login
from zeren.assessments import services, submissions
from zeren.assessments.models import Answer, EvidenceItem
from zeren.reviews import services as review_services
from zeren.reviews.models import ReviewRating

pytestmark = pytest.mark.browser


def _saves(page: Page, url: str, edit) -> None:  # type: ignore[no-untyped-def]
    """Makes one edit and waits for the save it sends to succeed."""
    with page.expect_response(lambda r: r.url.endswith(url) and r.request.method == "POST") as r:
        edit()
    assert r.value.status == 200, r.value.text()


def test_every_answer_field_saves_alone(browser: Browser, live_server, assessment, alice) -> None:  # type: ignore[no-untyped-def]
    page = login(browser, live_server.url, "alice")
    url = f"{live_server.url}/assessments/{assessment.pk}/indicators/3/"
    page.goto(url)
    warning = page.locator("[data-live='evidence-needed']")
    expect(warning).to_be_hidden()

    save = f"/assessments/{assessment.pk}/indicators/3/save/"
    _saves(page, save, lambda: page.locator("#level input[value='2']").check())
    # Level 2 needs evidence: the warning appears at once, not after a reload.
    expect(warning).to_be_visible()
    page.reload()
    expect(page.locator("#level input[value='2']")).to_be_checked()

    page.get_by_label("备注", exact=True).fill("只改了备注")
    _saves(page, save, lambda: page.get_by_label("备注", exact=True).press("Tab"))
    page.reload()
    expect(page.get_by_label("备注", exact=True)).to_have_value("只改了备注")

    page.get_by_label("相关工作情况介绍").fill("只改了情况介绍")
    _saves(page, save, lambda: page.get_by_label("相关工作情况介绍").press("Tab"))
    page.reload()
    expect(page.get_by_label("相关工作情况介绍")).to_have_value("只改了情况介绍")

    a = Answer.objects.get(self_assessment=assessment, indicator__number=3)
    assert (a.level, a.remarks, a.work_summary) == (2, "只改了备注", "只改了情况介绍")

    # Adding evidence takes the warning away; choosing level 4 would too.
    page.locator("summary", has_text="添加材料条目").click()
    page.get_by_label("新材料名称").fill("制度文件")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator("#ev-h")).to_be_visible()
    expect(page.locator("[data-live='evidence-needed']")).to_be_hidden()


def test_every_evidence_field_saves_alone(browser: Browser, live_server, assessment, alice) -> None:  # type: ignore[no-untyped-def]
    answer = Answer.objects.get(self_assessment=assessment, indicator__number=4)
    item = services.save_evidence_item(answer=answer, by=alice, title="原名称", note="原备注")
    page = login(browser, live_server.url, "alice")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/indicators/4/")

    note = page.get_by_label("第 1 项材料备注")
    note.fill("只改了材料备注")
    with page.expect_response(f"**/evidence/{item.pk}/"):
        note.press("Tab")  # the note sits outside its row's form (form=…): it must save too
    page.reload()
    expect(page.get_by_label("第 1 项材料备注")).to_have_value("只改了材料备注")
    expect(page.get_by_label("第 1 项材料名称")).to_have_value("原名称")

    title = page.get_by_label("第 1 项材料名称")
    title.fill("只改了材料名称")
    with page.expect_response(f"**/evidence/{item.pk}/"):
        title.press("Tab")
    page.reload()
    expect(page.get_by_label("第 1 项材料名称")).to_have_value("只改了材料名称")
    expect(page.get_by_label("第 1 项材料备注")).to_have_value("只改了材料备注")
    item = EvidenceItem.objects.get(pk=item.pk)
    assert (item.title, item.note) == ("只改了材料名称", "只改了材料备注")


COVER = [
    ("企业名称（公章）", "只改了企业名称有限公司"),
    ("自评业务版块或产品", "只改了业务版块"),
    ("联系人", "只改了联系人"),
    ("联系方式", "13912345678"),
    ("评估工作负责人", "只改了负责人"),
]


def test_every_cover_and_pledge_field_saves_alone(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    page = login(browser, live_server.url, "alice")
    url = f"{live_server.url}/assessments/{assessment.pk}/"
    page.goto(url)
    save = f"/assessments/{assessment.pk}/cover/"
    for label, value in COVER:
        field = page.get_by_label(label, exact=True)
        field.fill(value)
        _saves(page, save, lambda f=field: f.press("Tab"))
        page.reload()
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    _saves(page, save, lambda: page.get_by_label("日期", exact=True).fill("2026-11-20"))
    page.reload()
    expect(page.get_by_label("日期", exact=True)).to_have_value("2026-11-20")
    assessment.refresh_from_db()
    assert assessment.enterprise_name == "只改了企业名称有限公司"
    assert assessment.contact_info == "13912345678"
    assert assessment.pledge_lead == "只改了负责人"
    assert str(assessment.pledge_date) == "2026-11-20"


def test_every_review_field_saves_alone(
    browser: Browser, live_server, assessment, alice, rita, olga
) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=2)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    assignment = review_services.assign_reviewer(assessment=assessment, reviewer=rita, by=olga)
    page = login(browser, live_server.url, "rita")
    url = f"{live_server.url}/review/{submission.pk}/indicators/5/"
    save = f"/review/{submission.pk}/indicators/5/save/"
    page.goto(url)
    progress = page.locator("span[data-live='review-progress']")
    expect(progress).to_have_text("0")

    _saves(page, save, lambda: page.locator("#rating-form input[name=level][value='3']").check())
    expect(progress).to_have_text("1")  # the progress follows the save, no reload
    page.reload()
    expect(page.locator("#rating-form input[name=level][value='3']")).to_be_checked()

    _saves(page, save, lambda: page.get_by_label("部分充分", exact=True).check())
    page.reload()
    expect(page.get_by_label("部分充分", exact=True)).to_be_checked()

    page.get_by_label("评审意见").fill("只改了评审意见")
    _saves(page, save, lambda: page.get_by_label("评审意见").press("Tab"))
    page.reload()
    expect(page.get_by_label("评审意见")).to_have_value("只改了评审意见")
    r = ReviewRating.objects.get(assignment=assignment, indicator=5)
    assert (r.level, r.sufficiency, r.comment) == (3, "partial", "只改了评审意见")
