"""截止评估工作, 归档 and 审核通过 cannot be undone: each needs its confirmation box, and stands
apart from the everyday actions beside it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import fill_completely
from tests.campaigns.conftest import client_for
from zeren.assessments import submissions
from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def test_it_does_not_close_a_campaign_without_confirmation(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    r = client_for(olga).post(reverse("campaigns:close", args=[campaign.pk]), follow=True)
    assert "请先勾选确认" in r.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.OPEN
    client_for(olga).post(reverse("campaigns:close", args=[campaign.pk]), {"confirm": "1"})
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED


def test_it_does_not_archive_without_confirmation(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    client_for(olga).post(reverse("campaigns:archive", args=[campaign.pk]))
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED


def test_it_does_not_accept_a_submission_without_confirmation(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    url = reverse("reviews:accept", args=[submission.pk])
    r = client_for(olga).post(url, follow=True)
    assert "请先勾选确认" in r.content.decode()
    assert SelfAssessment.objects.get(pk=assessment.pk).status == SelfAssessment.Status.SUBMITTED
    client_for(olga).post(url, {"confirm": "1"})
    assert SelfAssessment.objects.get(pk=assessment.pk).status == SelfAssessment.Status.ACCEPTED


def _between(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i : page.index(end, i)]


def test_the_close_button_is_not_beside_the_deadline_field(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    page = client_for(olga).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    extend = _between(page, reverse("campaigns:extend", args=[campaign.pk]), "</form>")
    assert "截止评估工作" not in extend
    danger = _between(page, 'class="danger-zone"', "</div>")
    assert "截止评估工作" in danger and 'name="confirm"' in danger and "required" in danger


def test_accept_stands_apart_from_the_return_box(assessment, alice, olga) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    submission = submissions.submit_self_assessment(assessment=assessment, by=alice)
    page = (
        client_for(olga).get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    )
    returning = _between(page, "<legend>退回修改</legend>", "</fieldset>")
    assert "审核通过" not in returning
    danger = _between(page, 'class="danger-zone"', "</section>")
    assert "审核通过" in danger and 'name="confirm"' in danger
