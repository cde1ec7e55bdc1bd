"""The second factor: organizers, reviewers and administrators enrol on first login (QR code
drawn locally) and then give a code; recovery codes work once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from zeren.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.otp]


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def _login(username: str) -> Client:
    c = Client()
    c.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return c


def test_an_organizer_enrols_on_first_login_then_gives_a_code(olga) -> None:  # type: ignore[no-untyped-def]
    c = _login("olga")
    r = c.get("/organizer/campaigns/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")
    page = c.get(r["Location"]).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org", ""
    )  # drawn here, nothing fetched
    assert 'name="otp_token"' in page
    secret = re.search(r'class="otp-secret">([A-Z2-7]+)<', page)
    assert secret is not None
    device = TOTPDevice.objects.get(user=olga)
    assert not device.confirmed
    r = c.post(
        "/accounts/otp/?next=/organizer/campaigns/",
        {"otp_token": "000000" if _token(device) != "000000" else "111111"},
    )
    assert "验证码不正确" in r.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp delays the next try after a wrong code
    r = c.post("/accounts/otp/", {"otp_token": _token(device), "next": "/organizer/campaigns/"})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", r.content.decode())
    assert len(codes) == 10
    assert c.get("/organizer/campaigns/").status_code == 200
    assert AuditEvent.objects.filter(action="otp.enrolled", actor=olga).exists()

    # The next login asks for a code; a recovery code works exactly once.
    c2 = _login("olga")
    r = c2.get("/")
    assert r["Location"].startswith("/accounts/otp/")
    assert "二维码" not in c2.get("/accounts/otp/").content.decode()
    c2.post("/accounts/otp/", {"otp_token": codes[0]})
    assert c2.get("/organizer/campaigns/").status_code == 200
    c3 = _login("olga")
    c3.post("/accounts/otp/", {"otp_token": codes[0]})
    assert c3.get("/organizer/campaigns/").status_code == 302


def test_the_admin_is_behind_the_second_factor_too(olga) -> None:  # type: ignore[no-untyped-def]
    olga.is_staff = True
    olga.save()
    c = _login("olga")
    r = c.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")


def test_a_fetch_without_the_second_factor_gets_401(rita) -> None:  # type: ignore[no-untyped-def]
    c = _login("rita")
    r = c.get("/review/", HTTP_X_ZEREN_FETCH="1")
    assert r.status_code == 401


def test_enterprise_people_need_no_second_factor_unless_configured(alice, settings) -> None:  # type: ignore[no-untyped-def]
    c = _login("alice")
    assert c.get("/").status_code == 200
    settings.ZEREN_OTP_FOR_ENTERPRISE_ADMINS = True
    assert c.get("/")["Location"].startswith("/accounts/otp/")


def test_five_wrong_codes_lock_the_account(rita) -> None:  # type: ignore[no-untyped-def]
    c = _login("rita")
    c.get("/accounts/otp/")
    for _ in range(5):
        c.post("/accounts/otp/", {"otp_token": "123456x"})
    assert "_auth_user_id" not in c.session
    assert not _login("rita").session.get("_auth_user_id")


def test_without_the_marker_nothing_is_enforced(olga) -> None:  # type: ignore[no-untyped-def]
    # This test carries the otp marker: it checks the setting itself.
    from django.conf import settings

    assert settings.ZEREN_REQUIRE_OTP is True


def test_an_enterprise_admin_who_enrolled_is_asked_for_the_code(alice) -> None:  # type: ignore[no-untyped-def]
    c = _login("alice")
    page = c.get("/accounts/otp/").content.decode()  # optional enrolment
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=alice)
    c.post("/accounts/otp/", {"otp_token": _token(device)})
    assert c.get("/").status_code == 200
    again = _login("alice")
    assert again.get("/")["Location"].startswith("/accounts/otp/")
