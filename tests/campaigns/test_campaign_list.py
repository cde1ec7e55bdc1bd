from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import client_for

pytestmark = pytest.mark.django_db


def test_it_lists_every_campaign_for_the_organizer(
    olga, campaign, draft_campaign, assessment
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).get(reverse("campaigns:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026年度自评" in text and "2027年度自评" in text
    assert reverse("campaigns:detail", args=[campaign.pk]) in text
    assert reverse("campaigns:create") in text


def test_it_links_the_home_page_to_the_dashboard(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    text = client_for(olga).get("/").content.decode()
    assert reverse("campaigns:detail", args=[campaign.pk]) in text
    assert reverse("campaigns:create") in text


def test_it_hides_the_list_from_everyone_else(alice, rita) -> None:  # type: ignore[no-untyped-def]
    for user in (alice, rita):
        assert client_for(user).get(reverse("campaigns:list")).status_code == 404
