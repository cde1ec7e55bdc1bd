"""个人信息保护: masking for those who do not need contact details; a person's data exported
or erased by the 系统管理员. Erasure anonymises the account and keeps its id, so the audit
chain (which names actors by id and must be kept 180 days by law) stays whole."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone


def mask_email(value: str) -> str:
    """a***@example.com"""
    if not value or "@" not in value:
        return value
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str) -> str:
    """138****0000; short or odd numbers keep their last two characters only."""
    digits = [c for c in value if c.isdigit()]
    if len(digits) >= 7:
        return value[:3] + "****" + value[-4:]
    return "***" + value[-2:] if value else value


def export_person(user: Any) -> dict[str, Any]:
    """Everything Zeren holds about a person, as JSON-ready data."""
    from zeren.accounts.models import Invitation
    from zeren.audit.models import AuditEvent

    return {
        "user": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "password_changed_at": user.password_changed_at.isoformat(),
        },
        "memberships": [
            {"role": m.role, "enterprise": str(m.enterprise) if m.enterprise else None}
            for m in user.memberships.select_related("enterprise")
        ],
        "invitations": list(
            Invitation.objects.filter(email__iexact=user.email).values("email", "name", "role")
        )
        if user.email
        else [],
        "audit_events": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "address": e.address,
                "user_agent": e.user_agent,
                "result": e.result,
            }
            for e in AuditEvent.objects.filter(actor=user).order_by("at")[:10000]
        ],
    }


def erase_person(user: Any, *, by: Any) -> None:
    """Anonymises the account in place (same id: audit events keep their actor and their hash)."""
    from zeren.accounts.models import Invitation
    from zeren.audit.log import record
    from zeren.security.models import ActiveSession, LoginFailure, PasswordHistory

    User = get_user_model()
    with transaction.atomic():
        old_username, old_email = user.username, user.email
        user.username = f"erased-{user.pk}"
        user.display_name = ""
        user.first_name = user.last_name = ""
        user.email = ""
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        User.objects.filter(pk=user.pk).update(
            username=user.username,
            display_name="",
            first_name="",
            last_name="",
            email="",
            is_active=False,
            is_staff=False,
            is_superuser=False,
            password=user.password,
        )
        user._password = None  # no history entry for an unusable password
        PasswordHistory.objects.filter(user=user).delete()
        ActiveSession.objects.filter(user=user).delete()
        LoginFailure.objects.filter(username=old_username.lower()).delete()
        if old_email:
            Invitation.objects.filter(email__iexact=old_email).update(
                email="erased@invalid", name=""
            )
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(by, "account.erased", user, after={"at": timezone.now().isoformat()})
