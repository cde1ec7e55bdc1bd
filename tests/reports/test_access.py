"""Every role's access to the new pages and files: the organizer's analysis, state changes and
workbook; an enterprise's result (never before release, never another's) and its 整改 items."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import client_for
from tests.reports.helpers import result_row
from zeren.reports.models import CampaignResults, ImprovementAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign, enterprise_a, enterprise_b, alice, bob, charlie, rita, olga):  # type: ignore[no-untyped-def]
    mine = result_row(campaign, "甲", enterprise=enterprise_a, level=3)
    theirs = result_row(campaign, "乙", enterprise=enterprise_b, level=2)
    CampaignResults.objects.create(campaign=campaign)
    return {"mine": mine.self_assessment_id, "theirs": theirs.self_assessment_id}


def _release(campaign) -> None:  # type: ignore[no-untyped-def]
    CampaignResults.objects.filter(campaign=campaign).update(released_at=timezone.now())


@pytest.mark.parametrize("name", ["results:analysis", "results:workbook"])
def test_only_the_organizer_opens_the_analysis_and_workbook(
    name, world, campaign, alice, bob, charlie, rita, olga
) -> None:  # type: ignore[no-untyped-def]
    url = reverse(name, args=[campaign.pk])
    assert client_for(olga).get(url).status_code == 200
    for user in (alice, bob, charlie):
        assert client_for(user).get(url).status_code in (403, 404), user
    assert client_for(rita).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_only_the_organizer_releases(world, campaign, alice, rita, olga) -> None:  # type: ignore[no-untyped-def]
    url = reverse("results:state", args=[campaign.pk])
    for user in (alice, rita):
        assert client_for(user).post(url, {"action": "release"}).status_code in (403, 404)
    assert not CampaignResults.objects.get(campaign=campaign).is_released
    assert client_for(olga).post(url, {"action": "release"}).status_code == 302
    assert CampaignResults.objects.get(campaign=campaign).is_released


def test_results_never_reach_an_enterprise_before_release(
    world, campaign, alice, bob, olga
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("results:enterprise", args=[world["mine"]])
    assert client_for(olga).get(url).status_code == 200  # the organizer sees it beforehand
    for user in (alice, bob):
        assert client_for(user).get(url).status_code == 404
    overview = client_for(alice).get(reverse("assessments:overview", args=[world["mine"]]))
    assert 'id="result-link"' not in overview.content.decode()
    _release(campaign)
    for user in (alice, bob):
        assert client_for(user).get(url).status_code == 200
    overview = client_for(alice).get(reverse("assessments:overview", args=[world["mine"]]))
    assert 'id="result-link"' in overview.content.decode()


def test_another_enterprise_and_reviewers_get_404(world, campaign, charlie, rita) -> None:  # type: ignore[no-untyped-def]
    _release(campaign)
    url = reverse("results:enterprise", args=[world["mine"]])
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(rita).get(url).status_code == 404
    post = reverse("results:action_create", args=[world["mine"]])
    assert (
        client_for(charlie).post(post, {"indicator": 1, "action": "x", "owner": "y"}).status_code
        == 404
    )
    assert not ImprovementAction.objects.exists()


def test_admins_add_and_update_improvement_items_members_only_read(
    world, campaign, alice, bob, charlie
) -> None:  # type: ignore[no-untyped-def]
    _release(campaign)
    post = reverse("results:action_create", args=[world["mine"]])
    data = {
        "indicator": 4,
        "action": "建立正能量内容专项机制",
        "owner": "内容安全部",
        "due_date": "2027-06-30",
    }
    assert client_for(bob).post(post, data).status_code == 403
    assert client_for(alice).post(post, data).status_code == 302
    a = ImprovementAction.objects.get()
    assert (a.indicator, a.indicator_name, a.owner, str(a.due_date)) == (
        4,
        "网络正能量生产",
        "内容安全部",
        "2027-06-30",
    )
    update = reverse("results:action_update", args=[world["mine"], a.pk])
    changed = {**data, "status": "in_progress"}
    assert client_for(bob).post(update, changed).status_code == 403
    assert client_for(charlie).post(update, changed).status_code == 404
    assert client_for(alice).post(update, changed).status_code == 302
    a.refresh_from_db()
    assert a.status == "in_progress"
    page = client_for(bob).get(reverse("results:enterprise", args=[world["mine"]])).content.decode()
    assert "建立正能量内容专项机制" in page and "整改中" in page


def test_bad_improvement_input_is_refused_with_a_message(world, campaign, alice) -> None:  # type: ignore[no-untyped-def]
    _release(campaign)
    post = reverse("results:action_create", args=[world["mine"]])
    c = client_for(alice)
    for data in (
        {"indicator": 99, "action": "x", "owner": "y"},
        {"indicator": 1, "action": "", "owner": "y"},
        {"indicator": 1, "action": "x", "owner": "y", "due_date": "明年"},
    ):
        r = c.post(post, data, follow=True)
        assert r.status_code == 200
        assert any(m.level_tag == "error" for m in r.context["messages"])
    assert not ImprovementAction.objects.exists()
