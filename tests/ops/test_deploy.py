"""The deploy/ samples: nginx accepts the configuration the deadline bench runs, and the systemd
units start Zeren's own commands."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.procs import ROOT

BENCH = ROOT / "bench"


def _bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_deadline", BENCH / "bench_deadline.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_deadline"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_deploy_configuration_on_loopback(tmp_path: Path) -> None:
    bench = _bench()
    conf = bench.nginx_conf(tmp_path, [18001, 18002], 18080, 18443)
    text = (tmp_path / "zeren.conf").read_text()
    assert "server 127.0.0.1:18001 max_fails=1 fail_timeout=10s;" in text
    assert "listen 127.0.0.1:18443 ssl http2;" in text and "10.0.0.11" not in text
    assert "proxy_request_buffering off;" in text
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_the_units_run_zeren_commands() -> None:
    bench = _bench()
    web = bench.exec_start(ROOT / "deploy/systemd/zeren-web.service")
    assert web[1:4] == ["-m", "zeren.cli", "serve"] and "--no-worker" in web
    worker = bench.exec_start(
        ROOT / "deploy/systemd/zeren-worker@.service", **{"%H": "h", "%i": "1"}
    )
    assert worker[3:] == ["worker", "--worker-id", "h-1"]
    env = bench.read_env_file(ROOT / "deploy/systemd/zeren.env")
    for name in ("DATABASE_URL", "ZEREN_REDIS_URL", "ZEREN_S3_BUCKET", "ZEREN_SECRET_KEY"):
        assert env[name]
