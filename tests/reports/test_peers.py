"""评估结果 of one enterprise: percentile, cohort median, and peer figures under the k rule
(at least k other enterprises of the same platform type; the viewer never counts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import client_for
from tests.reports.helpers import result_row
from zeren.reports.models import CampaignResults
from zeren.reports.peers import enterprise_result, median_from_histogram, peer_min_group, percentile

pytestmark = pytest.mark.django_db


def test_it_takes_medians_from_histograms() -> None:
    assert median_from_histogram({}) is None
    assert median_from_histogram({100.0: 1}) == 100.0
    assert median_from_histogram({100.0: 1, 50.0: 2}) == 50.0
    assert median_from_histogram({100.0: 2, 50.0: 2}) == 75.0
    assert percentile(3, 4) == 75 and percentile(0, 0) is None


def test_k_is_never_below_three(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_PEER_MIN_GROUP = 1
    assert peer_min_group() == 3
    settings.ZEREN_PEER_MIN_GROUP = 7
    assert peer_min_group() == 7


def _cohort(campaign, enterprise_a, peers: int):  # type: ignore[no-untyped-def]
    enterprise_a.segment = "电商"
    enterprise_a.save()
    mine = result_row(campaign, "甲", enterprise=enterprise_a, level=3)
    for i in range(peers):
        result_row(campaign, f"同类{i}", level=2 if i % 2 else 4, segment="电商")
    for i in range(3):
        result_row(campaign, f"社交{i}", level=1, segment="社交")
    return mine


def test_it_hides_peer_figures_below_k_and_shows_them_at_k(
    campaign, enterprise_a, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_PEER_MIN_GROUP = 5
    mine = _cohort(campaign, enterprise_a, peers=4)
    er = enterprise_result(mine)
    assert er.peers == 4 and not er.peer_shown
    assert all(r.peer_median is None and r.peer_best is None for r in er.rows)
    assert er.rows[0].cohort_median is not None  # the cohort figure is still shown
    result_row(campaign, "同类4", level=1, segment="电商")
    er = enterprise_result(mine)
    assert er.peers == 5 and er.peer_shown
    # peers: levels 4, 2, 4, 2, 1 -> points 25, 75, 25, 75, 100: median 75, best 100
    assert er.rows[0].peer_median == 75.0 and er.rows[0].peer_best == 100.0


def test_the_viewers_own_figures_are_not_in_the_peer_statistics(
    campaign, enterprise_a, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_PEER_MIN_GROUP = 3
    enterprise_a.segment = "电商"
    enterprise_a.save()
    mine = result_row(campaign, "甲", enterprise=enterprise_a, level=1)  # the best of all
    for i in range(3):
        result_row(campaign, f"同类{i}", level=3, segment="电商")
    er = enterprise_result(mine)
    assert er.peer_shown
    assert er.rows[0].peer_best == 50.0 and er.rows[0].peer_median == 50.0
    assert er.rows[0].cohort_median == 50.0
    assert er.percentile == 100 and er.cohort_size == 4


def test_it_names_strengths_and_improvement_areas(campaign, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    mine = result_row(
        campaign, "甲", enterprise=enterprise_a, level={n: 1 if n <= 3 else 4 for n in range(1, 29)}
    )
    for i in range(3):
        result_row(campaign, f"他{i}", level=2)
    er = enterprise_result(mine)
    assert [r.number for r in er.strengths] == [1, 2, 3]
    assert len(er.improvements) == 5 and all(r.reviewed_level == 4 for r in er.improvements)


def test_the_page_says_why_peer_figures_are_hidden(
    campaign, enterprise_a, alice, olga, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_PEER_MIN_GROUP = 5
    mine = _cohort(campaign, enterprise_a, peers=2)
    CampaignResults.objects.create(campaign=campaign)
    url = reverse("results:enterprise", args=[mine.self_assessment_id])
    c = client_for(alice)
    assert c.get(url).status_code == 404  # not released yet
    CampaignResults.objects.filter(campaign=campaign).update(released_at="2026-01-01T00:00Z")
    r = c.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "同类企业少于 5 家，不显示对比" in html
    assert "同类企业中位数" not in html.split('id="indicator-table"')[1].split("</table>")[0]
