from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import client_for
from zeren.audit.models import AuditEvent
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def _data(framework, **over):  # type: ignore[no-untyped-def]
    data = {
        "framework": framework.pk,
        "title": "2027年度互联网平台企业履行社会责任自评",
        "year": "2027",
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-04-30T18:00",
        "instructions": "请于截止时间前提交。",
    }
    data.update(over)
    return data


def test_it_shows_the_form_with_the_framework_choice(olga, framework) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).get(reverse("campaigns:create"))
    text = response.content.decode()
    assert response.status_code == 200
    for label in ("指标体系版本", "名称", "年度", "开始时间", "截止时间", "填报说明"):
        assert f">{label}" in text
    assert f'<option value="{framework.pk}" selected>' in text


def test_it_creates_a_campaign(olga, framework) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).post(reverse("campaigns:create"), _data(framework))
    c = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[c.pk])
    assert (c.status, c.year, c.framework) == (Campaign.Status.DRAFT, 2027, framework)
    assert c.opens_at.isoformat() == "2027-03-01T01:00:00+00:00"  # 09:00 in Asia/Shanghai
    assert AuditEvent.objects.filter(action="campaign.created", actor=olga).count() == 1


def test_it_refuses_a_deadline_before_the_start(olga, framework) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).post(
        reverse("campaigns:create"), _data(framework, closes_at="2027-02-01T09:00")
    )
    assert response.status_code == 200
    assert "截止时间必须晚于开始时间" in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_asks_for_missing_fields(olga, framework) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).post(reverse("campaigns:create"), _data(framework, title=""))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_it_hides_creation_from_everyone_else(alice, rita, framework) -> None:  # type: ignore[no-untyped-def]
    for user in (alice, rita):
        c = client_for(user)
        assert c.get(reverse("campaigns:create")).status_code == 404
        assert c.post(reverse("campaigns:create"), _data(framework)).status_code == 404
    assert not Campaign.objects.exists()
