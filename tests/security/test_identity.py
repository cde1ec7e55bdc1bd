"""身份鉴别: password policy and history, expiry, lockout per account and per address with one
message, unlock by the 安全管理员, idle timeout, single session, password change and reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from zeren.accounts.models import Role, User
from zeren.audit.models import AuditEvent
from zeren.security import lockout

pytestmark = pytest.mark.django_db

GOOD = "Str0ng-Passw0rd"


@pytest.mark.parametrize(
    "password",
    ["weakpw22", "Ab1!", "alllowercase", "ALLUPPER123", "alice-Passw0rd"],
)
def test_weak_passwords_are_refused(password: str, alice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        validate_password(password, alice)


def test_a_strong_password_is_accepted(alice) -> None:  # type: ignore[no-untyped-def]
    validate_password(GOOD, alice)


def test_none_of_the_last_five_passwords_again(alice) -> None:  # type: ignore[no-untyped-def]
    used = [f"Passw0rd-{i}!" for i in range(6)]
    for p in used:
        alice.set_password(p)
        alice.save()
    for p in used[1:]:
        with pytest.raises(ValidationError):
            validate_password(p, alice)
    validate_password(used[0], alice)  # the sixth-last may come back


def test_an_expired_password_must_be_changed_first(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=alice.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    c = Client()
    c.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    r = c.get("/")
    assert r.status_code == 302 and r["Location"] == "/accounts/password/change/"
    r = c.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert r.status_code == 302
    assert c.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=alice).exists()


def test_demo_accounts_never_expire(alice, settings) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=alice.pk).update(
        password_changed_at=timezone.now() - timedelta(days=400), password_never_expires=True
    )
    c = Client()
    c.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert c.get("/").status_code == 200


def test_the_locked_message_is_the_wrong_password_message(alice) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    wrong = c.post("/accounts/login/", {"username": "alice", "password": "x"}).content.decode()
    for _ in range(5):
        c.post("/accounts/login/", {"username": "alice", "password": "x"})
    locked = c.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}
    ).content.decode()
    assert "用户名（或邮箱）或密码不正确" in wrong and "用户名（或邮箱）或密码不正确" in locked
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 1


def test_an_address_trying_many_accounts_is_locked(alice, bob) -> None:  # type: ignore[no-untyped-def]
    c = Client(REMOTE_ADDR="10.0.0.9")
    for name in ("u1", "u2", "u3", "u4", "u5"):
        c.post("/accounts/login/", {"username": name, "password": "x"})
    c.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert "_auth_user_id" not in c.session
    other = Client(REMOTE_ADDR="10.0.0.10")
    other.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert "_auth_user_id" in other.session


def test_the_lock_ends_after_fifteen_minutes(alice) -> None:  # type: ignore[no-untyped-def]
    from zeren.security.models import LoginFailure

    for _ in range(5):
        lockout.add_failure("alice", "10.0.0.1")
    assert lockout.is_locked("alice", None)
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert not lockout.is_locked("alice", None)


def test_the_security_admin_unlocks(alice) -> None:  # type: ignore[no-untyped-def]
    from zeren.security.models import LoginFailure

    sec = make_user("sec", Role.SECURITY_ADMIN)
    sec.is_staff = True
    sec.save()
    for _ in range(5):
        lockout.add_failure("alice", "10.0.0.1")
    c = Client()
    c.force_login(sec)
    r = c.post(
        "/admin/security/loginfailure/",
        {
            "action": "unlock",
            "_selected_action": list(LoginFailure.objects.values_list("pk", flat=True)),
        },
    )
    assert r.status_code == 302
    assert not lockout.is_locked("alice", "10.0.0.1")
    assert AuditEvent.objects.filter(action="auth.unlocked", actor=sec).exists()


def test_an_idle_fetch_gets_401_and_keeps_nothing_open(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_SESSION_IDLE_MINUTES = 15
    c = Client()
    c.force_login(alice)
    c.get("/")
    s = c.session
    s["zeren_last_seen"] = (timezone.now() - timedelta(minutes=20)).timestamp()
    s.save()
    assert c.get("/", HTTP_X_ZEREN_FETCH="1").status_code == 401
    assert c.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.session_expired").exists()


def test_pages_carry_the_idle_timeout_for_the_warning(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_SESSION_IDLE_MINUTES = 15
    c = Client()
    c.force_login(alice)
    assert 'data-idle-seconds="900"' in c.get("/").content.decode()


def test_single_session_ends_the_older_one(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_SINGLE_SESSION = True
    first, second = Client(), Client()
    first.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert first.get("/").status_code == 200
    second.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert second.get("/").status_code == 200
    assert first.get("/").status_code == 302


def test_password_reset_by_email(alice) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    import re

    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    r = c.get(link.group(1), follow=True)
    form_url = r.redirect_chain[-1][0]
    r = c.post(form_url, {"new_password1": "weakpw22", "new_password2": "weakpw22"})
    assert r.status_code == 200  # refused by the policy
    r = c.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(GOOD)
    assert AuditEvent.objects.filter(action="auth.password_reset").exists()


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    from zeren import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
