"""The organizer's journey in a real browser: create a campaign, open it, import enterprises
from Excel with a preview, and the invited contact sets a password and finds the form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import Browser, expect

from tests.browser.conftest import axe_violations, login
from tests.campaigns.conftest import HEADERS, code
from zeren.accounts.models import Membership, Role
from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.browser


def test_the_organizer_brings_an_enterprise_into_a_new_campaign(
    browser: Browser, live_server, olga, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page = login(browser, base, "olga")

    # 1. A new campaign, then open it.
    page.goto(f"{base}/organizer/campaigns/")
    page.get_by_role("link", name="新建评估工作").click()
    expect(page.get_by_role("heading", name="新建评估工作")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("名称").fill("2027年度互联网平台企业履行社会责任自评")
    page.get_by_label("年度").fill("2027")
    now = timezone.localtime()
    page.get_by_label("开始时间").fill((now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("截止时间").fill(
        (now + timedelta(days=20, hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("填报说明").fill("请于截止时间前完成填报并提交。")
    page.get_by_role("button", name="创建").click()
    expect(
        page.get_by_role("heading", name="2027年度互联网平台企业履行社会责任自评")
    ).to_be_visible()
    page.get_by_role("button", name="开启评估工作").click()
    expect(page.get_by_text("评估工作已开启")).to_be_visible()
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.OPEN

    # 2. Import one enterprise from a workbook: preview first, then confirm.
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    ws.append(
        ["己网络科技有限公司", code(61), "孙八", "sun@example.com", "0571-88886666", "电商平台"]
    )
    path = tmp_path / "企业名单.xlsx"
    wb.save(path)
    page.get_by_role("link", name="从 Excel 导入企业").first.click()
    page.get_by_label("企业名单（Excel 工作簿 .xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name="导入预览")).to_be_visible()
    expect(page.get_by_text("全部 1 行检查通过")).to_be_visible()
    expect(page.get_by_role("cell", name="己网络科技有限公司")).to_be_visible()
    assert not SelfAssessment.objects.exists()
    assert axe_violations(page) == []
    page.get_by_role("button", name="确认导入 1 行").click()
    expect(page.get_by_text("已导入 1 行：新建企业 1 家")).to_be_visible()
    expect(page.get_by_text("待接受")).to_be_visible()

    # 3. The contact opens the e-mailed link in a browser of their own and sets a password.
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", str(message.body))
    assert link is not None
    path_only = re.sub(r"^https?://[^/]+", "", link.group(0))
    contact = browser.new_context(locale="zh-CN").new_page()
    contact.set_default_timeout(15000)
    contact.goto(base + path_only)
    expect(contact.get_by_role("heading", name="接受邀请")).to_be_visible()
    expect(contact.get_by_label("姓名")).to_have_value("孙八")
    contact.get_by_label("用户名").fill("sunba")
    contact.get_by_label("设置密码").fill("Zr-2027-strong-pass")
    contact.get_by_label("确认密码").fill("Zr-2027-strong-pass")
    contact.get_by_role("button", name="完成设置并登录").click()
    contact.wait_for_url(f"{base}/")
    expect(contact.get_by_role("heading", name="工作台")).to_be_visible()
    expect(
        contact.get_by_role("link", name="2027年度互联网平台企业履行社会责任自评")
    ).to_be_visible()
    expect(contact.get_by_text("己网络科技有限公司 · 电商平台")).to_be_visible()
    assert Membership.objects.get(user__username="sunba").role == Role.ENTERPRISE_ADMIN
    contact.context.close()

    # 4. The organizer's dashboard shows the enterprise, and passes axe.
    page.goto(f"{base}/organizer/campaigns/{campaign.pk}/")
    expect(page.get_by_role("rowheader", name="己网络科技有限公司")).to_be_visible()
    left = Campaign.objects.get(title="2027年度互联网平台企业履行社会责任自评").days_left()
    expect(page.locator(".days-left")).to_have_text(f"剩余 {left} 天")
    assert axe_violations(page) == []
    page.goto(f"{base}/organizer/campaigns/{campaign.pk}/enterprises/")
    expect(page.get_by_text("已接受")).to_be_visible()
    assert axe_violations(page) == []
