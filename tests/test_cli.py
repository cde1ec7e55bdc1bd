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
from zeren.assessments.models import SelfAssessment, Submission
from zeren.campaigns.models import Campaign

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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> int:  # type: ignore[type-arg]
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server ended with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return int(r.status)
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def test_two_servers_on_one_machine_keep_to_themselves(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    procs = []
    try:
        for n in (1, 2):
            data = tmp_path / f"data{n}"
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
                "ZEREN_DATA_DIR": str(data),
                "HOME": str(home),
            }
            port = _free_port()
            p = subprocess.Popen(
                [str(ZEREN), "serve", "--no-worker", "--workers", "1", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            procs.append(p)
            assert _wait_for(f"http://127.0.0.1:{port}/accounts/login/", p) == 200
        # Nothing of either server is kept in the home directory they share.
        assert list(home.iterdir()) == []
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def test_demo_on_a_fresh_data_directory_migrates_first(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "ZEREN_DATA_DIR": str(tmp_path)
    }
    r = subprocess.run(
        [str(ZEREN), "demo", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert {login["username"] for login in json.loads(r.stdout)} >= {"organizer", "ride-admin"}


@pytest.mark.django_db
def test_demo_evidence_is_real_documents(tmp_path: Path) -> None:
    import shutil

    from zeren.assessments.models import StoredFile
    from zeren.assessments.uploads import open_stored

    call_command("demo", stdout=io.StringIO())
    files = {f.content_type: f for f in StoredFile.objects.all()}
    assert set(files) >= {"application/pdf", "image/png"}
    for f in StoredFile.objects.filter(content_type="application/pdf"):
        with open_stored(f) as fh:
            data = fh.read()
        assert data.startswith(b"%PDF") and b"/Type /Page" in data.replace(
            b"/Type/Page", b"/Type /Page"
        )
        if shutil.which("pdftotext"):
            (tmp_path / "f.pdf").write_bytes(data)
            text = subprocess.run(
                ["pdftotext", str(tmp_path / "f.pdf"), "-"], capture_output=True, text=True
            ).stdout
            assert "社会责任" in text or "诚信承诺书" in text
    with open_stored(files["image/png"]) as fh:
        png = fh.read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width > 100
