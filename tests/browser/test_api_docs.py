"""The interactive API docs: Swagger UI from the site's own static files, nothing from outside,
and a token typed into it calls the API."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.api.conftest import token_for

pytestmark = pytest.mark.browser


def test_the_api_docs_work_offline_with_a_token(
    browser: Browser, live_server, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Zeren API")
    expect(page.locator("#operations-self-assessments-get_self_assessment")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    page.locator(".auth-container input").fill(token_for(alice, "read"))
    page.locator(".modal-ux .auth-btn-wrapper button.authorize").click()
    page.locator(".modal-ux .auth-btn-wrapper button.btn-done").click()
    page.locator("#operations-self-assessments-get_self_assessment .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("#operations-self-assessments-get_self_assessment input").first.fill(
        str(assessment.pk)
    )
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text(
        "200"
    )
    assert outside == []
    context.close()
