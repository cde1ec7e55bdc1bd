from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import client_for
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def _data(c: Campaign, **over):  # type: ignore[no-untyped-def]
    data = {
        "framework": c.framework_id,
        "title": c.title,
        "year": c.year,
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-05-01T18:00",
        "instructions": "",
    }
    data.update(over)
    return data


def test_it_edits_a_campaign_in_preparation(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:edit", args=[draft_campaign.pk])
    assert client_for(olga).get(url).status_code == 200
    response = client_for(olga).post(url, _data(draft_campaign, title="2027年度（修订）"))
    assert response.status_code == 302
    draft_campaign.refresh_from_db()
    assert draft_campaign.title == "2027年度（修订）"
    assert draft_campaign.closes_at.isoformat() == "2027-05-01T10:00:00+00:00"


def test_it_keeps_the_dates_of_an_open_campaign(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:edit", args=[campaign.pk])
    before = campaign.closes_at
    text = client_for(olga).get(url).content.decode()
    assert "延长截止时间" in text
    response = client_for(olga).post(
        url, _data(campaign, title="改名", closes_at="2099-01-01T00:00")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    # The disabled date fields keep their values, whatever was posted.
    assert (campaign.title, campaign.closes_at) == ("改名", before)


def test_it_refuses_to_edit_an_archived_campaign(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=draft_campaign.pk).update(status=Campaign.Status.ARCHIVED)
    response = client_for(olga).post(
        reverse("campaigns:edit", args=[draft_campaign.pk]),
        _data(draft_campaign, title="x"),
        follow=True,
    )
    assert "已归档的评估工作不能修改" in response.content.decode()
    draft_campaign.refresh_from_db()
    assert draft_campaign.title == "2027年度自评"


def test_it_forbids_the_enterprise_and_hides_from_strangers(alice, dave, rita, assessment) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:edit", args=[assessment.campaign_id])
    assert client_for(alice).post(url, _data(assessment.campaign)).status_code == 403
    assert client_for(dave).post(url, _data(assessment.campaign)).status_code == 404
    assert client_for(rita).get(url).status_code == 404
