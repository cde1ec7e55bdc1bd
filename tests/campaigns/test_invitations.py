"""The invitation e-mail's link works; a re-sent invitation replaces the old link; the
enterprise list shows each invitation as pending, accepted or expired."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import client_for, code
from zeren.accounts.models import Invitation, Membership, Role, User
from zeren.assessments.models import SelfAssessment
from zeren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _link_path(message) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"https?://[^/\s]+(/accounts/invitation/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(olga, draft_campaign, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(olga).post(
            reverse("campaigns:enterprise_add", args=[draft_campaign.pk]),
            {
                "name": "戊平台有限公司",
                "credit_code": code(51),
                "contact_name": "钱七",
                "email": "qian@example.com",
                "phone": "021-55556666",
                "business_scope": "本地生活",
            },
        )
    (message,) = mail.outbox
    return Invitation.objects.get(email="qian@example.com"), message


def _accept(path: str, username: str = "qian") -> Client:
    c = Client()
    assert c.get(path).status_code == 200
    response = c.post(
        path,
        {
            "display_name": "钱七",
            "username": username,
            "new_password1": "Zr-2027-strong-pass",
            "new_password2": "Zr-2027-strong-pass",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return c


def test_it_mails_a_link_that_lets_the_contact_in(invited, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    invitation, message = invited
    assert "戊平台有限公司" in message.subject
    c = _accept(_link_path(message))
    user = User.objects.get(username="qian")
    assert Membership.objects.get(user=user).role == Role.ENTERPRISE_ADMIN
    home = c.get("/").content.decode()
    assert "2027年度自评" in home and "本地生活" in home
    # and the password works for a fresh login
    fresh = Client()
    assert fresh.login(username="qian", password="Zr-2027-strong-pass")
    sa = SelfAssessment.objects.get(campaign=draft_campaign)
    assert fresh.get(reverse("assessments:overview", args=[sa.pk])).status_code == 200


def test_it_shows_the_invitation_state(olga, invited, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    invitation, message = invited
    url = reverse("campaigns:enterprises", args=[draft_campaign.pk])
    assert "待接受" in client_for(olga).get(url).content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    assert "已失效" in client_for(olga).get(url).content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(1))
    _accept(_link_path(message))
    text = client_for(olga).get(url).content.decode()
    assert "已接受" in text and "钱七" in text
    assert "重新发送邀请至" not in text


def test_it_resends_with_a_new_link_and_kills_the_old_one(
    olga, invited, draft_campaign, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    invitation, first = invited
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(olga).post(
            reverse("campaigns:resend_invitation", args=[draft_campaign.pk, invitation.pk]),
            follow=True,
        )
    assert "已重新发送邀请至 qian@example.com，原链接已失效" in response.content.decode()
    second = mail.outbox[-1]
    old_path, new_path = _link_path(first), _link_path(second)
    assert old_path != new_path
    assert Client().get(old_path).status_code == 404
    invitation.refresh_from_db()
    assert not invitation.is_usable()
    assert AuditEvent.objects.filter(action="invitation.resent", actor=olga).count() == 1
    # The list shows the new link only, as pending.
    text = (
        client_for(olga)
        .get(reverse("campaigns:enterprises", args=[draft_campaign.pk]))
        .content.decode()
    )
    assert text.count("qian@example.com · ") == 1 and "待接受" in text
    _accept(new_path)
    assert User.objects.filter(username="qian").exists()


def test_it_does_not_resend_an_accepted_invitation(olga, invited, draft_campaign) -> None:  # type: ignore[no-untyped-def]
    invitation, message = invited
    _accept(_link_path(message))
    response = client_for(olga).post(
        reverse("campaigns:resend_invitation", args=[draft_campaign.pk, invitation.pk]), follow=True
    )
    assert "该邀请已被接受，无需重新发送" in response.content.decode()
    assert Invitation.objects.count() == 1
