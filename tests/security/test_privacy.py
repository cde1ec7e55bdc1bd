"""个人信息保护: masked contacts for those who do not need them, a privacy notice, a person's data
exported and erased by the 系统管理员 with the audit chain whole."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_user
from zeren.accounts.models import Role, User
from zeren.audit.log import record, verify
from zeren.audit.models import AuditEvent
from zeren.security.privacy import mask_email, mask_phone

pytestmark = pytest.mark.django_db


def test_masks() -> None:
    assert mask_email("zhangsan@example.com") == "z***@example.com"
    assert mask_phone("13800001234") == "138****1234"


def test_members_see_colleagues_emails_masked_admins_in_full(alice, bob, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    url = f"/accounts/enterprise/{enterprise_a.pk}/members/"
    as_bob = Client()
    as_bob.force_login(bob)
    page = as_bob.get(url).content.decode()
    assert "alice@example.com" not in page and "a***@example.com" in page
    as_alice = Client()
    as_alice.force_login(alice)
    assert "bob@example.com" in as_alice.get(url).content.decode()


def test_the_login_page_has_a_privacy_notice() -> None:
    assert "个人信息保护说明" in Client().get("/accounts/login/").content.decode()


def _sysadmin() -> Client:
    sysadmin = make_user("sys", Role.SYSTEM_ADMIN)
    sysadmin.is_staff = True
    sysadmin.save()
    c = Client()
    c.force_login(sysadmin)
    return c


def test_a_persons_data_is_exported(alice) -> None:  # type: ignore[no-untyped-def]
    record(alice, "auth.login", alice)
    r = _sysadmin().post(
        "/admin/accounts/user/", {"action": "export_personal_data", "_selected_action": [alice.pk]}
    )
    data = json.loads(r.content)
    assert data[0]["user"]["email"] == "alice@example.com"
    assert any(e["action"] == "auth.login" for e in data[0]["audit_events"])


def test_erasing_a_person_keeps_the_audit_chain(alice) -> None:  # type: ignore[no-untyped-def]
    record(alice, "auth.login", alice)
    _sysadmin().post(
        "/admin/accounts/user/", {"action": "erase_personal_data", "_selected_action": [alice.pk]}
    )
    alice = User.objects.get(pk=alice.pk)
    assert alice.username == f"erased-{alice.pk}" and not alice.email and not alice.is_active
    assert AuditEvent.objects.filter(actor=alice, action="auth.login").exists()
    assert verify() is None
    c = Client()
    c.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert "_auth_user_id" not in c.session
