"""/healthz, /readyz and /metrics."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.jobs.jobtasks import mark
from tests.servers import free_port, s3_env, s3_storages
from zeren.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: float = 0) -> None:
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, seen_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_healthz_answers_without_touching_anything(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        r = Client().get("/healthz")
    assert r.status_code == 200 and r.content == b"ok\n"


def test_readyz_is_ready_with_database_storage_and_a_beating_worker() -> None:
    _beat()
    r = Client().get("/readyz")
    assert r.status_code == 200
    assert r.json() == {
        "ready": True,
        "checks": {"database": "ok", "storage": "ok", "worker": "ok (1)"},
    }


def test_readyz_is_not_ready_when_the_worker_stopped_beating() -> None:
    _beat(seconds_ago=3600)
    r = Client().get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["worker"].startswith("fail")


def test_readyz_is_not_ready_when_the_store_is_down(settings, s3_bucket) -> None:  # type: ignore[no-untyped-def]
    _beat()
    assert Client().get("/readyz").status_code == 200
    settings.STORAGES = s3_storages(
        s3_env(f"http://127.0.0.1:{free_port()}", s3_bucket), settings.STORAGES
    )
    r = Client().get("/readyz")
    assert r.status_code == 503
    assert (
        r.json()["checks"]["storage"].startswith("fail") and r.json()["checks"]["database"] == "ok"
    )


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_latencies_and_the_job_queue(alice, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_METRICS_DIR = str(tmp_path)
    # Counts are kept for the life of the process: compare with what earlier tests left.
    before = Client().get("/metrics").content.decode()
    c = Client()
    c.force_login(alice)
    for _ in range(3):
        c.get("/")
    c.get("/no-such-page/")
    mark.enqueue(path=str(tmp_path / "log"))
    text = Client().get("/metrics").content.decode()

    def grew(name: str, **labels: str) -> float:
        return _sample(text, name, **labels) - _sample(before, name, **labels)

    assert grew("zeren_http_requests_total", method="GET", view="home", status="200") == 3
    assert grew("zeren_http_requests_total", view="unmatched", status="404") == 1
    assert grew("zeren_http_request_duration_seconds_count", view="home") == 3
    assert grew("zeren_http_request_duration_seconds_bucket", view="home", le="+Inf") == 3
    assert _sample(text, "zeren_job_queue_length") == 1
    assert _sample(text, "zeren_jobs", state="failed") == 0
    assert "# TYPE zeren_http_request_duration_seconds histogram" in text


def test_metrics_are_for_loopback_or_the_token_holder(settings) -> None:  # type: ignore[no-untyped-def]
    assert Client(REMOTE_ADDR="10.0.0.8").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    # Through a proxy on the same machine the address is the proxy's: not enough.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get("/metrics").status_code == 403
    settings.ZEREN_METRICS_TOKEN = "s3cret"
    assert Client().get("/metrics").status_code == 403
    assert (
        Client(REMOTE_ADDR="10.0.0.8")
        .get("/metrics", headers={"Authorization": "Bearer s3cret"})
        .status_code
        == 200
    )
    assert Client().get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
