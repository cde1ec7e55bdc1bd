from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.campaigns.conftest import client_for, code
from zeren.accounts.models import Enterprise, Invitation
from zeren.assessments.models import SelfAssessment
from zeren.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def _data(**over):  # type: ignore[no-untyped-def]
    data = {
        "name": "丁网络科技有限公司",
        "credit_code": code(41).lower(),
        "contact_name": "赵六",
        "email": "zhao@example.com",
        "phone": "010-66668888",
        "business_scope": "平台业务",
    }
    data.update(over)
    return data


def test_it_shows_the_form_with_the_default_business_scope(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    text = (
        client_for(olga)
        .get(reverse("campaigns:enterprise_add", args=[draft_campaign.pk]))
        .content.decode()
    )
    assert 'value="平台业务"' in text
    for label in ("企业名称", "统一社会信用代码", "联系人", "邮箱", "电话", "自评业务版块或产品"):
        assert f">{label}" in text


def test_it_adds_an_enterprise_and_invites_its_contact(
    olga, draft_campaign, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(olga).post(
            reverse("campaigns:enterprise_add", args=[draft_campaign.pk]), _data(), follow=True
        )
    assert (
        "已将“丁网络科技有限公司”加入本次评估工作，邀请邮件已发送至 zhao@example.com"
        in response.content.decode()
    )
    e = Enterprise.objects.get(credit_code=code(41))
    assert (
        SelfAssessment.objects.get(enterprise=e, campaign=draft_campaign).business_scope
        == "平台业务"
    )
    assert Invitation.objects.get(enterprise=e).email == "zhao@example.com"
    assert [m.to for m in mail.outbox] == [["zhao@example.com"]]


def test_it_flags_a_bad_credit_code_on_the_form(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    response = client_for(olga).post(
        reverse("campaigns:enterprise_add", args=[draft_campaign.pk]),
        _data(credit_code="91110108MA0000001X"),
    )
    assert response.status_code == 200
    assert (
        "统一社会信用代码" in response.content.decode()
        and "校验位错误" in response.content.decode()
    )
    assert not Enterprise.objects.filter(name="丁网络科技有限公司").exists()


def test_it_refuses_a_business_scope_the_campaign_already_has(olga, alice, assessment) -> None:  # type: ignore[no-untyped-def]
    e = assessment.enterprise
    response = client_for(olga).post(
        reverse("campaigns:enterprise_add", args=[assessment.campaign_id]),
        _data(name=e.name, credit_code=e.credit_code, business_scope=assessment.business_scope),
    )
    assert "该企业在本次评估工作中已有“电商平台”的自评材料" in response.content.decode()
    assert SelfAssessment.objects.filter(enterprise=e).count() == 1


def test_it_does_not_invite_twice_while_a_link_is_pending(olga, draft_campaign, campaign) -> None:  # type: ignore[no-untyped-def]
    c = client_for(olga)
    c.post(reverse("campaigns:enterprise_add", args=[draft_campaign.pk]), _data())
    c.post(reverse("campaigns:enterprise_add", args=[campaign.pk]), _data())
    assert SelfAssessment.objects.filter(enterprise__credit_code=code(41)).count() == 2
    assert Invitation.objects.count() == 1


def test_it_refuses_an_archived_campaign(olga, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=draft_campaign.pk).update(status=Campaign.Status.ARCHIVED)
    response = client_for(olga).post(
        reverse("campaigns:enterprise_add", args=[draft_campaign.pk]), _data()
    )
    assert "已归档的评估工作不能再添加企业" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=code(41)).exists()
