"""Prometheus metrics in the text exposition format, without a client library.

Each app-server process counts its requests in memory and writes the counts to a small file of
its own in ZEREN_METRICS_DIR at most once a second; /metrics adds up the files of every process
on the machine (so whichever gunicorn process answers the scrape, the sums are the machine's),
then adds the job queue, read from the database at scrape time.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)
FLUSH_SECONDS = 1.0


def metrics_dir() -> Path:
    given = settings.ZEREN_METRICS_DIR
    path = Path(given) if given else Path(settings.FILE_UPLOAD_TEMP_DIR) / "metrics"
    path.mkdir(parents=True, exist_ok=True)
    return path


class _Counts:
    """This process's counts: requests by (method, view, status) and latency histograms by view."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[str, float] = {}
        self.buckets: dict[str, list[float]] = {}  # view -> per-bucket counts, then +Inf
        self.sums: dict[str, float] = {}
        self.flushed = 0.0

    def observe(self, method: str, view: str, status: int, seconds: float) -> None:
        key = json.dumps([method, view, str(status)])
        with self.lock:
            self.requests[key] = self.requests.get(key, 0) + 1
            b = self.buckets.setdefault(view, [0.0] * (len(BUCKETS) + 1))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    b[i] += 1
            b[-1] += 1
            self.sums[view] = self.sums.get(view, 0.0) + seconds
            due = time.monotonic() - self.flushed >= FLUSH_SECONDS
        if due:
            self.flush()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": dict(self.requests),
                "buckets": {k: list(v) for k, v in self.buckets.items()},
                "sums": dict(self.sums),
            }

    def flush(self) -> None:
        self.flushed = time.monotonic()
        path = metrics_dir() / f"{os.getpid()}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.snapshot()))
        os.replace(tmp, path)


COUNTS = _Counts()


class MetricsMiddleware:
    """Times every request and counts it by method, view name and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The view's name, never the path: ids in paths would make a series per object.
        view = (match.view_name if match else "") or "unmatched"
        COUNTS.observe(
            request.method or "", view, response.status_code, time.perf_counter() - began
        )
        return response


def _merged() -> dict[str, Any]:
    COUNTS.flush()
    total: dict[str, Any] = {"requests": {}, "buckets": {}, "sums": {}}
    for path in metrics_dir().glob("*.json"):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        for k, v in data["requests"].items():
            total["requests"][k] = total["requests"].get(k, 0) + v
        for k, v in data["buckets"].items():
            mine = total["buckets"].setdefault(k, [0.0] * len(v))
            for i, n in enumerate(v):
                mine[i] += n
        for k, v in data["sums"].items():
            total["sums"][k] = total["sums"].get(k, 0.0) + v
    return total


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def exposition() -> str:
    from zeren.jobs.worker import FAILED, READY, RUNNING, live_workers, queue_summary

    m = _merged()
    out = [
        "# HELP zeren_http_requests_total HTTP requests answered, by method, view and status.",
        "# TYPE zeren_http_requests_total counter",
    ]
    for key, n in sorted(m["requests"].items()):
        method, view, status = json.loads(key)
        out.append(
            f'zeren_http_requests_total{{method="{_label(method)}",view="{_label(view)}",'
            f'status="{status}"}} {_num(n)}'
        )
    out += [
        "# HELP zeren_http_request_duration_seconds Time to answer a request, by view.",
        "# TYPE zeren_http_request_duration_seconds histogram",
    ]
    for view, counts in sorted(m["buckets"].items()):
        v = _label(view)
        for bound, n in zip(BUCKETS, counts, strict=False):
            out.append(
                f'zeren_http_request_duration_seconds_bucket{{view="{v}",le="{bound}"}} {_num(n)}'
            )
        out.append(
            f'zeren_http_request_duration_seconds_bucket{{view="{v}",le="+Inf"}} {_num(counts[-1])}'
        )
        out.append(
            f'zeren_http_request_duration_seconds_sum{{view="{v}"}} {m["sums"].get(view, 0.0)!r}'
        )
        out.append(f'zeren_http_request_duration_seconds_count{{view="{v}"}} {_num(counts[-1])}')
    q = queue_summary()
    out += [
        "# HELP zeren_jobs Background jobs by state (queued, running, failed).",
        "# TYPE zeren_jobs gauge",
        f'zeren_jobs{{state="queued"}} {q[READY]}',
        f'zeren_jobs{{state="running"}} {q[RUNNING]}',
        f'zeren_jobs{{state="failed"}} {q[FAILED]}',
        "# HELP zeren_job_queue_length Jobs waiting for a worker.",
        "# TYPE zeren_job_queue_length gauge",
        f"zeren_job_queue_length {q[READY]}",
        "# HELP zeren_job_failures_total Jobs that failed for good.",
        "# TYPE zeren_job_failures_total counter",
        f"zeren_job_failures_total {q[FAILED]}",
        "# HELP zeren_workers_alive Job workers whose heartbeat is within the lease.",
        "# TYPE zeren_workers_alive gauge",
        f"zeren_workers_alive {len(live_workers())}",
    ]
    return "\n".join(out) + "\n"
