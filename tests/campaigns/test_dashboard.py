"""The progress dashboard: counts by stage, completion by area, last activity, filters, links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import fill_completely
from tests.campaigns.conftest import client_for
from zeren.assessments import services, submissions
from zeren.assessments.models import Answer
from zeren.audit.models import AuditEvent
from zeren.reports.queries import Sort, Stage, campaign_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(campaign, assessment, assessment_b, alice, charlie, olga, enterprise_c):  # type: ignore[no-untyped-def]
    """A submitted (甲), a drafting (乙) and a not-started (丙) self-assessment."""
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    answer = Answer.objects.get(self_assessment=assessment_b, indicator__number=1)
    services.save_answer(
        answer=answer, by=charlie, expected_version=answer.version, changes={"level": 2}
    )
    untouched = services.create_self_assessment(
        campaign=campaign, enterprise=enterprise_c, business_scope="平台业务", by=olga
    )
    return {"submission": submission, "untouched": untouched}


def test_it_counts_self_assessments_by_stage(world, campaign) -> None:  # type: ignore[no-untyped-def]
    p = campaign_progress(campaign)
    assert p.total == 3
    assert p.counts == {"submitted": 1, "drafting": 1, "not_started": 1}
    assert [(v, n) for v, _label, n in p.count_list()] == [
        ("not_started", 1),
        ("drafting", 1),
        ("submitted", 1),
        ("returned", 0),
        ("accepted", 0),
    ]


def test_it_reports_completion_by_area(world, campaign, assessment_b, assessment) -> None:  # type: ignore[no-untyped-def]
    rows = {r.self_assessment_id: r for r in campaign_progress(campaign).rows}
    b = rows[assessment_b.pk]
    assert b.areas[0].name == "企业内部治理"
    assert [(a.rated, a.total) for a in b.areas][0] == (1, 3)
    assert (b.rated, b.total) == (1, 28) and b.percent == 3
    a = rows[assessment.pk]
    assert (a.rated, a.total, a.percent) == (28, 28, 100)
    assert sum(x.total for x in a.areas) == 28
    assert a.latest_submission_number == 1
    assert rows[world["untouched"].pk].stage == Stage.NOT_STARTED


def test_it_shows_the_latest_audit_event_as_last_activity(world, campaign, assessment_b) -> None:  # type: ignore[no-untyped-def]
    latest = AuditEvent.objects.filter(self_assessment=assessment_b).order_by("-at").first()
    assert latest is not None
    rows = {r.self_assessment_id: r for r in campaign_progress(campaign).rows}
    assert rows[assessment_b.pk].last_activity_at == latest.at


def test_it_filters_searches_and_sorts(world, campaign, assessment, assessment_b) -> None:  # type: ignore[no-untyped-def]
    assert [r.enterprise_name for r in campaign_progress(campaign, stage="submitted").rows] == [
        "甲平台有限公司"
    ]
    assert [r.enterprise_name for r in campaign_progress(campaign, search="乙平台").rows] == [
        "乙平台有限公司"
    ]
    assert [r.enterprise_name for r in campaign_progress(campaign, search="短视频").rows] == [
        "乙平台有限公司"
    ]
    by_completion = [
        r.self_assessment_id for r in campaign_progress(campaign, sort=Sort.COMPLETION).rows
    ]
    assert by_completion[:2] == [assessment.pk, assessment_b.pk]
    by_activity = campaign_progress(campaign, sort=Sort.ACTIVITY).rows
    assert by_activity[0].self_assessment_id == world["untouched"].pk  # created last
    names = [r.enterprise_name for r in campaign_progress(campaign, sort=Sort.NAME).rows]
    assert names == sorted(names)


def test_it_renders_the_dashboard(world, olga, campaign, assessment) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for word in (
        "填报进度",
        "截止时间",
        "剩余 30 天",
        "未开始",
        "填报中",
        "已提交",
        "退回修改",
        "审核通过",
    ):
        assert word in text
    assert reverse("reviews:submission", args=[world["submission"].pk]) in text
    assert reverse("campaigns:export", args=[campaign.pk]) in text
    assert "企业内部治理" in text and "28/28" in text


def test_it_filters_with_get_parameters(world, olga, campaign) -> None:  # type: ignore[no-untyped-def]
    url = reverse("campaigns:detail", args=[campaign.pk])
    text = client_for(olga).get(url, {"status": "drafting"}).content.decode()
    assert "乙平台有限公司" in text and "甲平台有限公司</a></th>" not in text
    text = client_for(olga).get(url, {"q": "丙"}).content.decode()
    assert "丙平台有限公司" in text and "乙平台有限公司</a></th>" not in text
    text = client_for(olga).get(url, {"q": "没有这个企业"}).content.decode()
    assert "没有符合条件的企业" in text
    # Unknown values fall back to everything, by name.
    assert client_for(olga).get(url, {"status": "nope", "sort": "nope"}).status_code == 200


def test_it_links_to_auto_assignment_when_that_page_exists(olga, campaign) -> None:  # type: ignore[no-untyped-def]
    from django.urls import NoReverseMatch

    text = client_for(olga).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    try:
        url = reverse("reviews:auto_assign", args=[campaign.pk])
    except NoReverseMatch:
        assert "自动分配评审专家" not in text
    else:
        assert url in text


def test_it_shows_the_empty_campaign(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    text = (
        client_for(olga).get(reverse("campaigns:detail", args=[draft_campaign.pk])).content.decode()
    )
    assert "尚未加入企业" in text and "开启评估工作" in text
