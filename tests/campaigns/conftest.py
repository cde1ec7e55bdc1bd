"""Fixtures for the organizer's campaign pages: a campaign in preparation, workbooks, clients."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from zeren.accounts.credit_code import make_credit_code
from zeren.accounts.models import Enterprise, User
from zeren.campaigns.models import Campaign
from zeren.frameworks.models import Framework

HEADERS = ["企业名称", "统一社会信用代码", "联系人", "邮箱", "电话", "自评业务版块或产品"]


def code(n: int) -> str:
    """A valid 统一社会信用代码, different for every n."""
    return make_credit_code(f"91440300MA{n:07d}")


def xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def row(n: int, **over: Any) -> list[Any]:
    values = {
        "name": f"第{n}网络科技有限公司",
        "code": code(n),
        "contact": f"联系人{n}",
        "email": f"contact{n}@example.com",
        "phone": f"0755-8000{n:04d}",
        "scope": "平台业务",
    }
    values.update(over)
    return [values[k] for k in ("name", "code", "contact", "email", "phone", "scope")]


def client_for(user: User | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def draft_campaign(framework: Framework) -> Campaign:
    now = timezone.now()
    return Campaign.objects.create(
        framework=framework,
        title="2027年度自评",
        year=2027,
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=40),
    )


@pytest.fixture
def enterprise_c(db: None) -> Enterprise:
    """An enterprise in no campaign."""
    return Enterprise.objects.create(name="丙平台有限公司", credit_code=code(9999))


@pytest.fixture
def dave(enterprise_c: Enterprise) -> User:
    """Admin of an enterprise that takes part in no campaign."""
    from tests.conftest import make_user
    from zeren.accounts.models import Role

    return make_user("dave", Role.ENTERPRISE_ADMIN, enterprise_c)
