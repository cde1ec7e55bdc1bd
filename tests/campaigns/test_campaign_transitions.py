"""The open, close, archive and extend buttons of the dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import client_for
from zeren.audit.models import AuditEvent
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
Status = Campaign.Status


def _post(user, name, c, data=None):  # type: ignore[no-untyped-def]
    return client_for(user).post(reverse(f"campaigns:{name}", args=[c.pk]), data or {}, follow=True)


def test_it_opens_closes_and_archives(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    for name, status, message in (
        ("open", Status.OPEN, "评估工作已开启"),
        ("close", Status.CLOSED, "评估工作已截止"),
        ("archive", Status.ARCHIVED, "评估工作已归档"),
    ):
        response = _post(olga, name, draft_campaign, {"confirm": "1"})
        assert response.redirect_chain[-1][0] == reverse(
            "campaigns:detail", args=[draft_campaign.pk]
        )
        assert message in response.content.decode()
        assert Campaign.objects.get(pk=draft_campaign.pk).status == status
    assert AuditEvent.objects.filter(action__startswith="campaign.", actor=olga).count() == 3


def test_it_explains_why_an_open_campaign_cannot_be_archived(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    response = _post(olga, "archive", campaign, {"confirm": "1"})
    assert "只有已截止的评估工作可以归档，请先截止（当前：进行中）" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == Status.OPEN


def test_it_extends_the_deadline(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    later = timezone.localtime(campaign.closes_at + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = _post(olga, "extend", campaign, {"closes_at": later})
    assert "截止时间已延长" in response.content.decode()
    campaign.refresh_from_db()
    assert timezone.localtime(campaign.closes_at).strftime("%Y-%m-%dT%H:%M") == later


def test_it_refuses_an_earlier_deadline(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    before = campaign.closes_at
    earlier = timezone.localtime(before - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _post(olga, "extend", campaign, {"closes_at": earlier})
    assert "新的截止时间必须晚于当前截止时间" in response.content.decode()
    response = _post(olga, "extend", campaign, {"closes_at": "不是日期"})
    assert "请填写新的截止时间" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.closes_at == before


def test_it_forbids_the_enterprise_to_change_the_campaign(alice, bob, assessment) -> None:  # type: ignore[no-untyped-def]
    c = assessment.campaign
    for user in (alice, bob):
        for name in ("open", "close", "archive", "extend"):
            response = client_for(user).post(reverse(f"campaigns:{name}", args=[c.pk]))
            assert response.status_code == 403
    assert Campaign.objects.get(pk=c.pk).status == Status.OPEN


def test_it_answers_405_to_get(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    for name in ("open", "close", "archive", "extend"):
        assert (
            client_for(olga).get(reverse(f"campaigns:{name}", args=[campaign.pk])).status_code
            == 405
        )
