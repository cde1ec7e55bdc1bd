"""The second factor: TOTP (django-otp) with static recovery codes, for organizers, reviewers and
administrators (enterprise admins when ZEREN_OTP_FOR_ENTERPRISE_ADMINS). The QR code is drawn
here (segno, inline SVG): nothing leaves the intranet."""

from __future__ import annotations

import base64
import io
from binascii import unhexlify
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zeren.accounts.models import ADMIN_ROLES, Role

RECOVERY_CODES = 10
SECOND_FACTOR_ROLES = {Role.ORGANIZER, Role.REVIEWER, *ADMIN_ROLES}


def needs_second_factor(user: Any) -> bool:
    from zeren.accounts.roles import roles

    if user.is_staff or user.is_superuser:
        return True
    mine = roles(user)
    if mine & SECOND_FACTOR_ROLES:
        return True
    return settings.ZEREN_OTP_FOR_ENTERPRISE_ADMINS and Role.ENTERPRISE_ADMIN in mine


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(unhexlify(device.key)).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=4, xmldecl=False, svgns=True, title="TOTP", svgclass="otp-qr"
    )
    return out.getvalue().decode("utf-8")


def confirm_enrolment(device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the device when the token is right; returns fresh recovery codes."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(device.user)


def new_recovery_codes(user: Any) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for code in codes:
        static.token_set.create(token=code)
    return codes


def check_code(user: Any, token: str) -> Any:
    """The confirmed device (TOTP or a one-time recovery code) that accepts the token, or None."""
    token = token.strip().replace(" ", "")
    if not token:
        return None
    return match_token(user, token)


def enrol_for_demo(user: Any, secret_hex: str) -> str:
    """Demo data: a confirmed device with a known secret; returns it in base32."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="TOTP", defaults={"key": secret_hex, "confirmed": True}
    )
    return base32_secret(device)


def otp_required(user: Any) -> bool:
    return bool(settings.ZEREN_REQUIRE_OTP) and needs_second_factor(user)
