"""The enterprise's journey in a real browser: assign, fill with evidence, check, pledge, submit,
get the receipt; the organizer returns one indicator; the admin revises and resubmits; another
enterprise reaches none of it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from tests.assessments.helpers import PDF_BYTES, PNG_BYTES, pdf_upload
from tests.browser.conftest import axe_violations, login
from zeren.assessments import services
from zeren.assessments.models import Answer, EvidenceItem, SelfAssessment, StoredFile, Submission
from zeren.assessments.uploads import store_upload

pytestmark = pytest.mark.browser


def _fill_others(sa: SelfAssessment, by, skip: set[int]) -> None:  # type: ignore[no-untyped-def]
    """Indicators the journey does not type by hand are filled through the same services."""
    f, _ = store_upload(assessment=sa, upload=pdf_upload("总体情况.pdf"), by=by)
    for answer in Answer.objects.filter(self_assessment=sa).select_related("indicator"):
        if answer.indicator.number in skip:
            continue
        services.save_answer(
            answer=answer,
            by=by,
            expected_version=answer.version,
            changes={"level": 3, "work_summary": "已开展相关工作。"},
        )
        services.save_evidence_item(answer=answer, by=by, title="工作材料", files=[f])


def test_the_whole_enterprise_journey(
    browser: Browser, live_server, assessment, alice, bob, charlie, olga, assessment_b, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url

    # 1. alice, the enterprise admin, shares out indicators 1-3 to bob.
    admin = login(browser, base, "alice")
    expect(admin.get_by_role("heading", name="工作台")).to_be_visible()
    admin.get_by_role("link", name=assessment.campaign.title).click()
    for n in (1, 2, 3):
        admin.locator(f"#pick-{n}").check()
    admin.get_by_label("将勾选的指标分派给").select_option(label="Bob（bob）")
    admin.get_by_role("button", name="分派指标").click()
    expect(admin.get_by_text("已将 3 个指标分派给 Bob")).to_be_visible()
    assert set(Answer.objects.filter(assignee=bob).values_list("indicator__number", flat=True)) == {
        1,
        2,
        3,
    }

    # 2. bob sees "my indicators" first, fills them in with autosave and uploads evidence.
    member = login(browser, base, "bob")
    member.get_by_role("link", name="我的指标：3 个").click()
    expect(member.get_by_role("heading", name="我的指标")).to_be_visible()
    member.get_by_role("link", name="1. 责任意识建立").first.click()
    expect(member.get_by_role("heading", name="三级指标1：责任意识建立")).to_be_visible()
    member.get_by_label("1.非常重视").check()
    member.get_by_label("相关工作情况介绍").fill(
        "董事会设立社会责任委员会。\n每季度审议社会责任工作。"
    )
    expect(member.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    evidence = tmp_path / "社会责任委员会章程.pdf"
    evidence.write_bytes(PDF_BYTES)
    member.locator("#ev-files-new").set_input_files(str(evidence))
    expect(member.locator("#evidence table")).to_contain_text("社会责任委员会章程")
    a1 = Answer.objects.get(self_assessment=assessment, indicator__number=1)
    assert (
        a1.level == 1 and a1.work_summary == "董事会设立社会责任委员会。\n每季度审议社会责任工作。"
    )
    assert EvidenceItem.objects.get(answer=a1).files.get().original_name == "社会责任委员会章程.pdf"
    assert axe_violations(member) == []
    for n, label in ((2, "2.比较方便"), (3, "2.比较完善")):
        member.get_by_role("link", name="下一项指标 →").click()
        expect(member.get_by_role("heading", name=re.compile(f"三级指标{n}："))).to_be_visible()
        member.get_by_label(label).check()
        member.get_by_label("相关工作情况介绍").fill(f"指标{n}的工作情况。")
        expect(member.locator("#answer-form .save-status")).to_contain_text("已自动保存")
        member.locator("#ev-files-new").set_input_files(str(evidence))
        expect(member.locator("#evidence table")).to_contain_text("社会责任委员会章程")
    # bob may not edit what is not his.
    member.goto(f"{base}/assessments/{assessment.pk}/indicators/4/")
    expect(member.get_by_text("此指标未分派给您，您只能查看。")).to_be_visible()
    assert member.get_by_label("1.非常完善").is_disabled()

    # 3. the rest is filled; alice sees the warnings of the completeness check.
    _fill_others(assessment, alice, {1, 2, 3})
    admin.reload()
    admin.get_by_role("link", name="完整性检查").click()
    check = admin.locator("#check")
    expect(check).to_contain_text("尚未上传盖章的诚信承诺书扫描件")
    expect(check).to_contain_text("诚信承诺书未填写评估工作负责人")
    assert axe_violations(admin) == []

    # 4. the pledge: lead and date autosave, the sealed scan is uploaded.
    admin.get_by_label("评估工作负责人").fill("王五")
    admin.get_by_label("日期", exact=True).fill("2026-11-20")
    expect(admin.locator("#pledge .save-status")).to_contain_text("已自动保存")
    admin.get_by_label("联系方式").fill("not a phone")
    expect(admin.locator("#cover .save-status")).to_contain_text("不是有效的电话号码或电子邮箱")
    admin.get_by_label("联系方式").fill("010-88886666")
    expect(admin.locator("#cover .save-status")).to_contain_text("已自动保存")
    scan = tmp_path / "承诺书盖章.png"
    scan.write_bytes(PNG_BYTES)
    admin.get_by_label("上传盖章承诺书（PDF 或图片）").set_input_files(str(scan))
    admin.get_by_role("button", name="上传", exact=True).click()
    expect(admin.locator(".msg-success")).to_have_text("已上传盖章承诺书")
    expect(admin.locator("#pledge")).to_contain_text("承诺书盖章.png")
    with admin.expect_download() as dl:
        admin.get_by_role("link", name="下载承诺书（Word）").click()
    assert dl.value.suggested_filename.endswith(".docx")

    # 5. submit and get the receipt.
    admin.get_by_label("本企业已审核提交材料的真实性和完整性").check()
    admin.get_by_role("button", name="提交", exact=True).click()
    expect(admin.get_by_role("heading", name="提交回执")).to_be_visible()
    first = Submission.objects.get(self_assessment=assessment)
    expect(admin.locator("code.hash")).to_have_text(first.sha256)
    assert axe_violations(admin) == []
    assert SelfAssessment.objects.get(pk=assessment.pk).status == "submitted"

    # 6. the organizer returns indicator 2 with a comment.
    organizer = login(browser, base, "olga")
    organizer.goto(f"{base}/organizer/submissions/{first.pk}/")
    organizer.locator("#ret-2").check()
    organizer.get_by_label("指标 2 修改意见").fill("请补充社会责任报告的发布链接")
    organizer.get_by_label("补充材料截止时间").fill(
        (dt.date.today() + dt.timedelta(days=7)).isoformat()
    )
    organizer.get_by_role("button", name="退回修改").click()
    expect(organizer.get_by_text("已退回修改")).to_be_visible()

    # 7. alice sees exactly what to fix, revises and resubmits as version 2.
    admin.goto(f"{base}/assessments/{assessment.pk}/")
    expect(admin.get_by_role("heading", name="主办方已退回修改")).to_be_visible()
    admin.get_by_role("link", name="指标 2").click()
    expect(admin.get_by_text("请补充社会责任报告的发布链接")).to_be_visible()
    admin.get_by_label("相关工作情况介绍").fill("社会责任报告已在官网发布：https://example.com/csr")
    expect(admin.locator("#answer-form .save-status")).to_contain_text("已自动保存", timeout=15_000)
    admin.goto(f"{base}/assessments/{assessment.pk}/")
    admin.get_by_label("本企业已审核提交材料的真实性和完整性").check()
    admin.get_by_role("button", name="重新提交").click()
    expect(admin.get_by_role("heading", name="提交回执")).to_be_visible()
    expect(admin.get_by_text("第 2 版")).to_be_visible()
    admin.goto(f"{base}/assessments/{assessment.pk}/diff/?a=1&b=2")
    expect(admin.locator("section.diff")).to_have_count(1)
    expect(admin.locator("section.diff")).to_contain_text("社会责任报告已在官网发布")

    # 8. another enterprise reaches none of it.
    stranger = login(browser, base, "charlie")
    f = StoredFile.objects.filter(self_assessment=assessment).first()
    assert f is not None
    for url in (
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/indicators/1/",
        f"/assessments/{assessment.pk}/files/{f.pk}/",
        f"/assessments/{assessment_b.pk}/files/{f.pk}/",
        f"/assessments/submissions/{first.pk}/receipt/",
        f"/organizer/submissions/{first.pk}/",
    ):
        response = stranger.goto(base + url)
        assert response is not None and response.status == 404, url
        expect(stranger.get_by_role("heading", name="页面不存在")).to_be_visible()
