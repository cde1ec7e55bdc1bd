"""Scanned paper in the browser: the enterprise uploads a sealed scan that differs from its
electronic form on one indicator and sees which; the organizer imports a batch of scans and
settles an unsure row by looking at the picture of that cell."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import login
from tests.intake import scangen
from zeren.assessments.models import Answer
from zeren.assessments.snapshot import form_from_assessment
from zeren.audit.models import AuditEvent
from zeren.intake.models import ImportItem
from zeren.intake.scan import ocr

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("immediate_tasks"),
    pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed"),
]

SLOW = 600_000  # ms: reading a scan on a loaded machine


def test_enterprise_uploads_a_sealed_scan_and_sees_the_indicator_that_differs(
    browser: Browser, live_server, assessment, alice, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    for a in Answer.objects.filter(self_assessment=assessment).select_related("indicator"):
        a.level = (a.indicator.number % 5) + 1
        a.save(update_fields=["level"])
    form = form_from_assessment(assessment)
    paper_level = 1 if form.answer(7).level != 1 else 2  # type: ignore[union-attr]
    form.answer(7).level = paper_level  # type: ignore[union-attr]
    scan = scangen.printed(0, 200, form=form)
    lay = scangen.layout(scangen.form_pdf(form))
    for _key, (n, x, y) in lay.seal_spots.items():
        scangen.draw_seal(
            scan.pages[n], scangen._pt(x, 200), scangen._pt(y, 200), 200, random.Random(2)
        )
    path = tmp_path / "盖章扫描件.pdf"
    path.write_bytes(scangen.images_to_pdf(scan.key_only().pages[:4], 200))

    page = login(browser, live_server.url, "alice")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/#pledge")
    page.get_by_label("上传盖章承诺书（PDF 或图片）").set_input_files(str(path))
    page.set_default_timeout(SLOW)
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator("p.msg-success")).to_have_text("已上传盖章承诺书")
    page.reload()
    expect(page.get_by_test_id("scan-differs")).to_have_text(
        "纸质版与电子版不一致：三级指标 7", timeout=SLOW
    )
    expect(page.locator("#scan-check")).to_contain_text("封面盖章：有")
    assert AuditEvent.objects.filter(action="scan_check.done").count() == 1


def test_organizer_imports_scans_and_settles_an_unsure_row_by_its_picture(
    browser: Browser, live_server, campaign, enterprise_a, olga, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    scan = scangen.pen_marked(21, 200, cases={3: "uncertain_choice"}).key_only()
    path = tmp_path / f"{enterprise_a.credit_code}-扫描件.pdf"
    path.write_bytes(scangen.images_to_pdf(scan.pages[:3], 200))  # indicators 1–4

    page = login(browser, live_server.url, "olga")
    page.goto(f"{live_server.url}/documents/campaigns/{campaign.pk}/import/")
    page.get_by_label("选择文件（可多选）").set_input_files([str(path)])
    page.set_default_timeout(SLOW)
    page.get_by_role("button", name="上传并读取").click()
    expect(page.locator("#import-progress")).to_have_count(0, timeout=SLOW)
    page.reload()
    section = page.locator("section.import-item", has_text=path.name)
    problem = section.locator(".problem", has_text="指标 3")
    expect(problem).to_contain_text("uncertain_choice")
    picture = problem.locator("figure.scan-crop img")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") > 50
    problem.get_by_label("确认等级").select_option("2")
    section.get_by_role("button", name="保存修改").click()
    item = ImportItem.objects.get()
    assert item.form["answers"][2]["level"] == 2
    assert not [p for p in item.problems if p["indicator"] == 3]
    event = AuditEvent.objects.filter(action="import.corrected").get()
    assert event.after["levels"] == {"3": 2}
