"""Autosave never loses input: failed saves are retried, conflicts are shown, keyboard works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.browser.conftest import axe_violations, login
from zeren.assessments import services
from zeren.assessments.models import Answer

pytestmark = pytest.mark.browser


def test_it_retries_a_failed_save_and_keeps_the_text(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    page = login(browser, live_server.url, "alice")
    failures = {"left": 2}

    def flaky(route: Route) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            route.fulfill(status=502, body="bad gateway")
        else:
            route.continue_()

    page.route("**/indicators/5/save/", flaky)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/indicators/5/")
    page.get_by_label("相关工作情况介绍").fill("服务器出错时输入的文字")
    expect(page.locator("#answer-form .save-status")).to_contain_text("保存失败，正在重试")
    expect(page.get_by_label("相关工作情况介绍")).to_have_value("服务器出错时输入的文字")
    expect(page.locator("#answer-form .save-status")).to_contain_text("已自动保存", timeout=15000)
    assert failures["left"] == 0
    assert (
        Answer.objects.get(self_assessment=assessment, indicator__number=5).work_summary
        == "服务器出错时输入的文字"
    )


def test_it_keeps_text_across_a_lost_connection_and_a_reload(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    page = login(browser, live_server.url, "alice")
    url = f"{live_server.url}/assessments/{assessment.pk}/indicators/6/"
    page.goto(url)
    page.route("**/indicators/6/save/", lambda route: route.abort())
    page.get_by_label("备注", exact=True).fill("断网时写的备注")
    expect(page.locator("#answer-form .save-status")).to_contain_text("保存失败，正在重试")
    # The tab is reloaded while the network is down: the text comes back from local storage
    # and is saved once the server can be reached.
    page.unroute("**/indicators/6/save/")
    page.on("dialog", lambda d: d.accept())
    page.goto(url)
    expect(page.get_by_label("备注", exact=True)).to_have_value("断网时写的备注")
    expect(page.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    assert (
        Answer.objects.get(self_assessment=assessment, indicator__number=6).remarks
        == "断网时写的备注"
    )


def test_a_conflicting_save_shows_both_versions_and_lets_the_user_choose(
    browser: Browser, live_server, assessment, alice, bob
) -> None:  # type: ignore[no-untyped-def]
    services.assign_indicators(assessment=assessment, numbers=[7], assignee=bob, by=alice)
    url = f"{live_server.url}/assessments/{assessment.pk}/indicators/7/"
    page_a = login(browser, live_server.url, "alice")
    page_a.goto(url)
    page_b = login(browser, live_server.url, "bob")
    page_b.goto(url)
    page_b.get_by_label("相关工作情况介绍").fill("bob 写的情况介绍")
    expect(page_b.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    page_a.get_by_label("相关工作情况介绍").fill("alice 写的情况介绍")
    dialog = page_a.locator(".conflict")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".theirs")).to_have_text("bob 写的情况介绍")
    expect(dialog.locator(".mine")).to_have_text("alice 写的情况介绍")
    # Nothing was silently overwritten.
    assert (
        Answer.objects.get(self_assessment=assessment, indicator__number=7).work_summary
        == "bob 写的情况介绍"
    )
    dialog.get_by_role("button", name="保留我的版本").click()
    expect(page_a.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    assert (
        Answer.objects.get(self_assessment=assessment, indicator__number=7).work_summary
        == "alice 写的情况介绍"
    )
    # bob's page is now stale: his next save conflicts, and he takes alice's version.
    page_b.get_by_label("备注", exact=True).fill("bob 的备注")
    expect(page_b.locator(".conflict")).to_be_visible()
    page_b.get_by_role("button", name="使用对方的版本").click()
    expect(page_b.get_by_label("备注", exact=True)).to_have_value("")
    assert Answer.objects.get(self_assessment=assessment, indicator__number=7).remarks == ""


def test_an_expired_session_keeps_the_text_and_says_so(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    page = login(browser, live_server.url, "alice")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/indicators/8/")
    page.context.clear_cookies(name="sessionid")
    page.get_by_label("相关工作情况介绍").fill("会话过期后输入")
    expect(page.locator("#answer-form .save-status")).to_contain_text("登录已过期")
    expect(page.get_by_label("相关工作情况介绍")).to_have_value("会话过期后输入")
    assert Answer.objects.get(self_assessment=assessment, indicator__number=8).work_summary == ""


def test_an_indicator_can_be_completed_with_the_keyboard_alone(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    page = login(browser, live_server.url, "alice")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/indicators/9/")
    page.locator("body").focus()
    # Tab until the first level radio has focus, then choose level 2 with the arrow key.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "level":
            break
    assert page.evaluate("document.activeElement.name") == "level"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("键盘输入的备注")
    page.keyboard.press("Tab")
    page.keyboard.type("键盘输入的情况介绍")
    expect(page.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    a = Answer.objects.get(self_assessment=assessment, indicator__number=9)
    assert (a.level, a.remarks, a.work_summary) == (2, "键盘输入的备注", "键盘输入的情况介绍")


def test_login_and_home_have_no_serious_accessibility_violations(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    anon = context.new_page()
    anon.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(anon) == []
    page = login(browser, live_server.url, "alice")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    assert axe_violations(page) == []
