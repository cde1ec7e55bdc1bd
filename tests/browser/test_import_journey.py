"""The organizer imports Word forms in the browser: upload, progress, correct, confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import axe_violations, login
from tests.intake import formgen
from zeren.assessments.models import SelfAssessment

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("immediate_tasks")]


def test_upload_review_correct_confirm(
    browser: Browser, live_server, campaign, enterprise_a, enterprise_b, olga, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    clean = tmp_path / "乙平台自评材料.docx"
    clean.write_bytes(
        formgen.build(
            formgen.Fill(enterprise_name=enterprise_b.name, pledge_name=enterprise_b.name)
        )
    )
    unsure = tmp_path / "甲平台自评材料.docx"
    unsure.write_bytes(
        formgen.build(
            formgen.Fill(
                enterprise_name=enterprise_a.name,
                pledge_name=enterprise_a.name,
                styles={7: "highlight"},
            )
        )
    )

    page = login(browser, live_server.url, "olga")
    page.goto(f"{live_server.url}/documents/campaigns/{campaign.pk}/import/")
    page.get_by_label("选择文件（可多选）").set_input_files([str(clean), str(unsure)])
    page.get_by_role("button", name="上传并读取").click()
    expect(page.get_by_role("heading", name="导入核对")).to_be_visible()
    expect(page.locator("#import-progress")).to_have_count(0, timeout=30000)
    page.reload()
    expect(page.get_by_role("heading", name="甲平台自评材料.docx")).to_be_visible()
    assert axe_violations(page) == []

    # The clean form goes in with one click; the unsure one waits.
    page.get_by_role("button", name="导入全部无问题且已匹配企业的材料").click()
    expect(page.get_by_text("已导入 1 份无问题的材料")).to_be_visible()
    assert SelfAssessment.objects.get(enterprise=enterprise_b).status == "submitted"
    assert not SelfAssessment.objects.filter(enterprise=enterprise_a).exists()

    # The organizer looks at indicator 7, confirms the suggested level and imports.
    section = page.locator("section.import-item", has_text="甲平台自评材料.docx")
    expect(section).to_contain_text("uncertain_choice")
    section.get_by_text("预览该指标内容").click()
    section.get_by_label("确认等级").select_option("3")
    section.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text(f"已导入：{enterprise_a.name}")).to_be_visible()
    sa = SelfAssessment.objects.get(enterprise=enterprise_a)
    assert sa.status == "submitted" and sa.answers.get(indicator__number=7).level == 3
