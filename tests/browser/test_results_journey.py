"""Results in a real browser, on the demo cohort: the organizer opens 结果分析, filters by
platform type, downloads a chart, the workbook, the industry report and the scorecards; an
enterprise sees its released result with peer figures, a small platform type sees none, and an
improvement area becomes a 整改 item seen again beside the indicator the next year."""

from __future__ import annotations

import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from tests.browser.conftest import axe_violations, login
from tests.conftest import PASSWORD, make_user
from zeren.accounts.models import Role, User
from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign
from zeren.frameworks.mapping import map_numbers
from zeren.reports.models import AssessmentResult, ImprovementAction

pytestmark = pytest.mark.browser


@pytest.fixture
def cohort(settings, immediate_tasks):  # type: ignore[no-untyped-def]
    settings.ZEREN_PEER_MIN_GROUP = 5
    call_command("demo", "--cohort", "40", "--json", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in ("organizer", "shop-admin"):
        u = User.objects.get(username=username)
        u.set_password(PASSWORD)
        u.save()
    return Campaign.objects.get(status="closed")


def test_the_organizer_analyses_and_downloads(
    browser: Browser, live_server, cohort, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page = login(browser, base, "organizer")
    page.goto(f"{base}/organizer/campaigns/{cohort.pk}/")
    page.get_by_role("link", name="结果分析").click()
    expect(page.get_by_role("heading", name=f"结果分析 · {cohort.title}")).to_be_visible()
    expect(page.locator("#chart-levels[data-ready='1'] canvas")).to_have_count(1)
    assert axe_violations(page) == []

    page.get_by_label("平台类型", exact=True).select_option("电商")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_label("平台类型", exact=True)).to_have_value("电商")
    segments = page.locator("#ranking-table tbody tr td:nth-child(3)").all_inner_texts()
    assert segments and set(segments) == {"电商"}

    with page.expect_download() as dl:
        page.locator("button[data-png='chart-levels']").click()
    assert dl.value.suggested_filename == "chart-levels.png"
    with page.expect_download() as dl:
        page.get_by_role("link", name="导出结果").click()
    path = tmp_path / "r.xlsx"
    dl.value.save_as(path)
    rows = list(load_workbook(path)["评估结果"].iter_rows(min_row=2, values_only=True))
    assert rows and {r[2] for r in rows} == {"电商"}

    page.get_by_role("link", name="行业报告与评估报告").click()
    page.get_by_label("思考与建议").fill("建议各平台完善佐证材料。")
    page.get_by_role("button", name="保存并生成行业报告").click()
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载").click()
    assert dl.value.suggested_filename.endswith("行业报告.docx")
    page.goto(f"{base}/organizer/campaigns/{cohort.pk}/results/report/")
    page.set_default_timeout(180000)  # ~45 scorecards, made in the request by the test's backend
    page.get_by_role("button", name="生成全部评估报告（ZIP）").click()
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载").click()
    zpath = tmp_path / "s.zip"
    dl.value.save_as(zpath)
    assert (
        len(zipfile.ZipFile(zpath).namelist())
        == AssessmentResult.objects.filter(campaign=cohort).count()
    )


def test_the_enterprise_sees_its_result_and_acts_on_it(
    browser: Browser, live_server, cohort
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    shop_last = SelfAssessment.objects.get(campaign=cohort, enterprise__name="示例电商平台有限公司")
    page = login(browser, base, "shop-admin")
    page.goto(f"{base}/assessments/{shop_last.pk}/")
    page.get_by_role("link", name="查看评估结果").click()
    expect(page.get_by_role("heading", name="评估结果 · 示例电商平台有限公司")).to_be_visible()
    expect(page.locator("#indicator-table thead")).to_contain_text("同类企业中位数")
    expect(page.locator("#peer-note")).to_have_count(0)
    expect(page.locator("#chart-radar[data-ready='1'] canvas")).to_have_count(1)
    assert axe_violations(page) == []

    shop_now = SelfAssessment.objects.get(
        campaign__framework__version=2, enterprise__name="示例电商平台有限公司"
    )
    # an improvement area that goes on next year (the demo's areas vary; v2 drops indicators)
    areas = page.locator(".improvement")
    numbers = [
        int(areas.nth(i).get_attribute("id").split("-")[1])  # type: ignore[union-attr]
        for i in range(areas.count())
    ]
    going_on = [n for n in numbers if map_numbers(cohort.framework, shop_now.campaign.framework, n)]
    assert going_on, numbers
    number = going_on[0]
    first = page.locator(f"#improve-{number}")
    first.get_by_label("整改措施").fill("建立专项整改机制")
    first.get_by_label("责任人").fill("合规部")
    first.get_by_label("完成期限").fill("2027-06-30")
    first.get_by_role("button", name="加入整改事项").click()
    expect(page.get_by_text("已加入整改事项。")).to_be_visible()
    assert ImprovementAction.objects.get().indicator == number

    target = map_numbers(cohort.framework, shop_now.campaign.framework, number)[0]
    page.goto(f"{base}/assessments/{shop_now.pk}/indicators/{target}/")
    expect(page.locator("#earlier-actions")).to_contain_text("建立专项整改机制")


def test_a_small_platform_type_shows_no_peer_figures(browser: Browser, live_server, cohort) -> None:  # type: ignore[no-untyped-def]
    small = (
        AssessmentResult.objects.filter(
            campaign=cohort, segment="游戏", reviewed_total__isnull=False
        )
        .select_related("enterprise")
        .first()
    )
    assert small is not None
    assert AssessmentResult.objects.filter(campaign=cohort, segment="游戏").count() < 6
    make_user("gamer", Role.ENTERPRISE_ADMIN, small.enterprise)
    page = login(browser, live_server.url, "gamer")
    page.goto(f"{live_server.url}/assessments/{small.self_assessment_id}/result/")
    expect(page.locator("#peer-note")).to_have_text("同类企业少于 5 家，不显示对比")
    expect(page.locator("#indicator-table thead")).not_to_contain_text("同类企业中位数")
