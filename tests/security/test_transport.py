"""Transport and storage: `check --deploy` clean with the documented production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    } | {
        "ZEREN_DATA_DIR": str(tmp_path),
        "ZEREN_SITE_URL": "https://zeren.example.cn",
        "ZEREN_ALLOWED_HOSTS": "zeren.example.cn",
        "ZEREN_SECRET_KEY": "k" * 20 + "Zx9!" * 10 + "q" * 20,
    }
    r = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env | {"DJANGO_SETTINGS_MODULE": "zeren.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_the_data_directory_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    } | {
        "ZEREN_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "zeren.settings",
    }
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    assert (data.stat().st_mode & 0o777) == 0o700
    assert ((data / "secret_key").stat().st_mode & 0o777) == 0o600


def test_the_access_log_redacts_invitation_and_reset_tokens() -> None:
    from zeren.lib.gunicorn_logger import redact

    line = 'GET /accounts/invitation/abcDEF123_-/ HTTP/1.1" 200 "/accounts/password/reset/MQ/set-password/"'
    out = redact(line)
    assert "abcDEF123" not in out and "MQ" not in out
    assert redact("/accounts/password/reset/sent/") == "/accounts/password/reset/sent/"
