"""Health, readiness and metrics for load balancers and Prometheus (no login, no user data)."""

from __future__ import annotations

import hmac
import ipaddress
import os
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zeren.lib.storage import is_s3


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers. Touches nothing else."""
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_storage() -> str:
    from django.core.files.storage import default_storage

    if is_s3():
        default_storage.connection.meta.client.head_bucket(  # type: ignore[attr-defined]
            Bucket=default_storage.bucket_name  # type: ignore[attr-defined]
        )
    else:
        location = Path(default_storage.location)  # type: ignore[attr-defined]
        location.mkdir(parents=True, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise PermissionError(f"{location} is not writable")
    return "ok"


def _check_worker() -> str:
    from zeren.jobs.worker import live_workers

    n = len(live_workers())
    if not n:
        raise RuntimeError("no worker heartbeat within the lease")
    return f"ok ({n})"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready: the database answers, the store answers, and a job worker beats."""
    checks = {}
    ready = True
    for name, check in (
        ("database", _check_database),
        ("storage", _check_storage),
        ("worker", _check_worker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure is "not ready", with why
            ready = False
            # The reason (it may name hosts) only for those who may read the metrics.
            detail = f": {str(exc)[:200]}" if _allowed(request) else ""
            checks[name] = f"fail: {type(exc).__name__}{detail}"
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


def _allowed(request: HttpRequest) -> bool:
    token = settings.ZEREN_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if "HTTP_X_FORWARDED_FOR" in request.META:
        # Passed on by a proxy on this machine: loopback is the proxy, not the one asking.
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format; with ZEREN_METRICS_TOKEN a bearer token, else loopback only."""
    if not _allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    from zeren.ops.metrics import exposition

    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
