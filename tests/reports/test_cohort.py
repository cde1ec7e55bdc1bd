"""zeren demo --cohort N: idempotent, two yearly campaigns with results; campaigns/enterprises
--json; an improvement item of last year shown beside the indicator this year."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.campaigns.conftest import client_for
from zeren.accounts.models import Enterprise, User
from zeren.assessments.models import SelfAssessment, Submission
from zeren.campaigns.models import Campaign
from zeren.reports.models import AssessmentResult, CampaignResults, ImprovementAction
from zeren.reports.services import create_action
from zeren.reviews.models import ReviewRating, Settlement

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def cohort(db):  # type: ignore[no-untyped-def]
    logins = json.loads(_run("demo", "--cohort", "40", "--json"))
    return logins


def test_it_builds_two_yearly_campaigns_with_results(cohort) -> None:  # type: ignore[no-untyped-def]
    assert {"organizer", "reviewer", "reviewer2", "shop-admin"} <= {x["username"] for x in cohort}
    campaigns = json.loads(_run("campaigns", "--json"))
    assert [set(c) for c in campaigns] == [
        {"id", "title", "year", "framework", "status", "enterprises", "submitted"}
    ] * 3  # the demo's own campaign and the cohort's two years
    this = next(c for c in campaigns if c["framework"] == "platform-csr:2")
    last = next(c for c in campaigns if c["status"] == "closed")
    assert this["year"] == last["year"] + 1 and last["framework"] == "platform-csr:1"
    assert (last["status"], this["status"]) == ("closed", "open")
    assert last["enterprises"] == 43 and this["enterprises"] == 43  # 40 + the 3 demo enterprises
    assert 0 < this["submitted"] < this["enterprises"]  # some still drafting
    last_c = Campaign.objects.get(pk=last["id"])
    assert CampaignResults.objects.get(campaign=last_c).is_released
    assert not CampaignResults.objects.get(campaign_id=this["id"]).is_released
    assert AssessmentResult.objects.filter(campaign=last_c).count() == last["submitted"]
    assert SelfAssessment.objects.filter(
        campaign_id=this["id"], status=SelfAssessment.Status.DRAFT, answers__level__isnull=False
    ).exists()
    assert Settlement.objects.exists()
    assert ReviewRating.objects.filter(assignment__reviewer__username="reviewer2").exists()
    enterprises = json.loads(_run("enterprises", "--json"))
    assert set(enterprises[0]) == {"name", "credit_code", "segment"}
    assert len({e["segment"] for e in enterprises}) >= 6


def test_it_is_idempotent(cohort) -> None:  # type: ignore[no-untyped-def]
    counts = (
        Enterprise.objects.count(),
        SelfAssessment.objects.count(),
        Submission.objects.count(),
    )
    _run("demo", "--cohort", "40")
    assert (
        Enterprise.objects.count(),
        SelfAssessment.objects.count(),
        Submission.objects.count(),
    ) == counts
    _run("demo", "--cohort", "42")  # two more
    assert Enterprise.objects.count() == counts[0] + 2


def test_levels_differ_by_segment(cohort) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Avg

    by = dict(
        AssessmentResult.objects.filter(
            campaign__year=Campaign.objects.order_by("year").first().year
        )  # type: ignore[union-attr]
        .values_list("segment")
        .annotate(a=Avg("reviewed_total"))
        .values_list("segment", "a")
    )
    assert len(by) >= 5 and max(by.values()) - min(by.values()) > 3


def test_a_negative_cohort_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        _run("demo", "--cohort", "-1")


def test_last_years_improvement_item_is_shown_beside_the_indicator(cohort) -> None:  # type: ignore[no-untyped-def]
    shop = User.objects.get(username="shop-admin")
    last = Campaign.objects.get(status="closed")
    this = Campaign.objects.get(framework__version=2)
    old = SelfAssessment.objects.get(campaign=last, enterprise__name="示例电商平台有限公司")
    new = SelfAssessment.objects.get(campaign=this, enterprise__name="示例电商平台有限公司")
    r = client_for(shop).get(reverse("results:enterprise", args=[old.pk]))
    assert r.status_code == 200
    create_action(
        assessment=old,
        indicator=4,
        indicator_name="网络正能量生产",
        by=shop,
        changes={
            "action": "设立正能量专栏",
            "owner": "内容运营部",
            "due_date": None,
            "status": "in_progress",
        },
    )
    # Version 2 renumbered it: old 4 (网络正能量生产) is new 5, through the mapping.
    page = client_for(shop).get(reverse("assessments:indicator", args=[new.pk, 5])).content.decode()
    assert 'id="earlier-actions"' in page and "设立正能量专栏" in page and "整改中" in page
    other = (
        client_for(shop).get(reverse("assessments:indicator", args=[new.pk, 4])).content.decode()
    )
    assert 'id="earlier-actions"' not in other
    assert ImprovementAction.objects.count() == 1
