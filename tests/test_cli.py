"""The zeren command and its demo data."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from zeren.accounts.models import Enterprise, Membership, User
from zeren.assessments.models import Campaign, SelfAssessment, Submission

ZEREN = Path(sys.executable).parent / "zeren"


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_logins_as_json() -> None:
    out = io.StringIO()
    call_command("demo", json=True, stdout=out)
    logins = json.loads(out.getvalue())
    counts = (
        User.objects.count(),
        Enterprise.objects.count(),
        Membership.objects.count(),
        Campaign.objects.count(),
        SelfAssessment.objects.count(),
        Submission.objects.count(),
    )
    call_command("demo", stdout=io.StringIO())
    assert counts == (
        User.objects.count(),
        Enterprise.objects.count(),
        Membership.objects.count(),
        Campaign.objects.count(),
        SelfAssessment.objects.count(),
        Submission.objects.count(),
    )
    assert counts[1:] == (3, 11, 1, 3, 1)
    roles = sorted(login["role"] for login in logins)
    site_roles = ["organizer", "reviewer", "system_admin", "security_admin", "audit_admin"]
    assert roles == sorted(site_roles + ["enterprise_admin", "enterprise_member"] * 3)
    for login in logins:
        # A second factor for everyone but the enterprises' people: its secret in base32.
        needs_otp = login["role"] in site_roles
        keys = {"role", "enterprise", "username", "password"} | (
            {"totp_secret"} if needs_otp else set()
        )
        assert set(login) == keys
        user = User.objects.get(username=login["username"])
        assert user.check_password(login["password"]) and not user.is_superuser
        assert (login["enterprise"] is None) == (login["role"] in site_roles)
        if needs_otp:
            import base64

            assert (
                len(base64.b32decode(login["totp_secret"] + "=" * (-len(login["totp_secret"]) % 8)))
                == 20
            )
    assert Campaign.objects.get().is_accepting_submissions()


def test_the_command_lists_its_commands_in_chinese_and_english(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "ZEREN_DATA_DIR": str(tmp_path)
    }
    r = subprocess.run(
        [str(ZEREN), "--help"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert r.returncode == 0
    for name in (
        "serve",
        "worker",
        "demo",
        "load-framework",
        "export-framework",
        "render-form",
        "parse-form",
        "createadmin",
        "audit",
    ):
        assert name in r.stdout
    assert "启动服务" in r.stdout and "Start the server" in r.stdout
    r = subprocess.run(
        [str(ZEREN), "nonsense"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert r.returncode == 2 and "未知命令" in r.stderr
    r = subprocess.run(
        [str(ZEREN), "serve", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0 and "监听地址" in r.stdout


def test_a_bad_setting_is_explained_in_chinese_and_english(tmp_path: Path) -> None:
    env = os.environ | {"ZEREN_DATA_DIR": str(tmp_path), "ZEREN_DEBUG": "maybe"}
    r = subprocess.run(
        [str(ZEREN), "migrate", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert r.returncode == 2
    assert "ZEREN_DEBUG 应为 true 或 false" in r.stderr and "must be true or false" in r.stderr
    assert "Traceback" not in r.stderr
