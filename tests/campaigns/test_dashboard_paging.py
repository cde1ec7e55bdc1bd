"""The progress dashboard pages in the database: a page of rows, the number matched, links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import client_for
from tests.campaigns.helpers import populate
from zeren.campaigns import views as campaign_views
from zeren.reports.queries import campaign_progress

pytestmark = pytest.mark.django_db


def test_it_returns_one_page_and_the_number_matched(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    populate(campaign, 7, olga)
    p = campaign_progress(campaign, offset=5, limit=5)
    assert [r.enterprise_name for r in p.rows] == ["企业0105", "企业0106"]
    assert (p.matched, p.total, p.page, p.pages) == (7, 7, 2, 2)
    p = campaign_progress(campaign, stage="drafting", limit=1)
    assert p.matched == 2 and len(p.rows) == 1  # 0102 and 0105 have answers
    p = campaign_progress(campaign, search="0106", limit=5)
    assert p.matched == 1 and p.rows[0].enterprise_name == "企业0106"


def test_the_page_links_to_the_next_page(campaign, olga, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(campaign_views, "DASHBOARD_PAGE", 3)
    populate(campaign, 7, olga)
    url = reverse("campaigns:detail", args=[campaign.pk])
    html = client_for(olga).get(url, {"sort": "name"}).content.decode()
    assert "企业0102" in html and "企业0103" not in html
    assert "第 1 / 3 页，共 7 份" in html and "sort=name&amp;page=2" in html
    html = client_for(olga).get(url, {"sort": "name", "page": "3"}).content.decode()
    assert "企业0106" in html and "企业0105" not in html
