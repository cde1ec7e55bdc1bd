"""身份鉴别 in a real browser: lockout after 5 failures; an organizer enrols TOTP on first login
and gives a code on the next; an idle session ends and the typed text survives the new login."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from zeren.assessments.models import Answer

pytestmark = pytest.mark.browser


def _login_page(browser: Browser, base: str) -> Page:
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    return page


def _submit(page: Page, username: str, password: str) -> None:
    page.get_by_label("用户名或邮箱").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _code(secret: str, *, later: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + later
    return str(totp.token()).zfill(6)


def test_five_failures_lock_the_account(browser: Browser, live_server, alice) -> None:  # type: ignore[no-untyped-def]
    page = _login_page(browser, live_server.url)
    for _ in range(5):
        _submit(page, "alice", "wrong-password")
        expect(page.get_by_role("alert")).to_contain_text("用户名（或邮箱）或密码不正确")
    _submit(page, "alice", PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("用户名（或邮箱）或密码不正确")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")


@pytest.mark.otp
def test_an_organizer_enrols_totp_then_gives_a_code(browser: Browser, live_server, olga) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page = _login_page(browser, base)
    _submit(page, "olga", PASSWORD)
    page.wait_for_url(f"{base}/accounts/otp/**")
    expect(page.locator(".otp-qr-box svg")).to_be_visible()
    secret = page.locator(".otp-secret").inner_text().strip()
    page.get_by_label("验证码").fill(_code(secret))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="两步验证已启用")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(f"{base}/")

    again = _login_page(browser, base)
    _submit(again, "olga", PASSWORD)
    again.wait_for_url(f"{base}/accounts/otp/**")
    assert again.locator(".otp-qr-box").count() == 0
    again.get_by_label("验证码").fill(_code(secret, later=30))  # the next code: no replay
    again.get_by_role("button", name="验证").click()
    again.wait_for_url(f"{base}/")
    expect(again.get_by_role("link", name="评估工作").first).to_be_visible()


def test_an_idle_session_ends_and_the_typed_text_survives(
    browser: Browser, live_server, assessment, alice, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_SESSION_IDLE_MINUTES = 0.1  # six seconds
    base = live_server.url
    page = _login_page(browser, base)
    _submit(page, "alice", PASSWORD)
    page.wait_for_url(f"{base}/")
    url = f"{base}/assessments/{assessment.pk}/indicators/3/"
    page.goto(url)
    # The network to the save endpoint is down while the text is typed: only the page has it.
    page.route("**/indicators/3/save/", lambda route: route.abort())
    page.get_by_label("相关工作情况介绍").fill("超时前输入的文字")
    expect(page.locator(".idle-warning")).to_be_visible(timeout=10000)
    expect(page.locator(".idle-warning")).to_contain_text("自动退出登录")
    page.wait_for_url(f"{base}/accounts/login/**", timeout=15000)
    page.unroute("**/indicators/3/save/")
    settings.ZEREN_SESSION_IDLE_MINUTES = 15
    _submit(page, "alice", PASSWORD)
    page.wait_for_url(url)
    expect(page.get_by_label("相关工作情况介绍")).to_have_value("超时前输入的文字")
    expect(page.locator("#answer-form .save-status")).to_contain_text("已自动保存")
    assert (
        Answer.objects.get(self_assessment=assessment, indicator__number=3).work_summary
        == "超时前输入的文字"
    )
