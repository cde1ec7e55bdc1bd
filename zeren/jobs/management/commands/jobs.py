"""zeren jobs: the background jobs that wait, run and failed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zeren.jobs.models import WorkerHeartbeat
from zeren.jobs.worker import FAILED, READY, RUN_TASK, RUNNING, Policy, queue_summary

LABELS = {READY: "排队 queued", RUNNING: "运行 running", FAILED: "失败 failed"}


def _error(r: DBTaskResult[Any, Any]) -> str:
    lines = [ln for ln in r.traceback.strip().splitlines() if ln.strip()]
    return lines[-1].strip()[:200] if lines else ""


def job_rows(days: int) -> list[dict[str, Any]]:
    since = timezone.now() - timedelta(days=days)
    rows = []
    beats = {
        h.worker_id: h
        for h in WorkerHeartbeat.objects.filter(
            worker_id__in=[
                w
                for ids in DBTaskResult.objects.running().values_list("worker_ids", flat=True)
                for w in ids[-1:]
            ]
        )
    }
    qs = DBTaskResult.objects.filter(status__in=[READY, RUNNING]) | DBTaskResult.objects.filter(
        status=FAILED, finished_at__gte=since
    )
    for r in qs.order_by("status", "enqueued_at"):
        kwargs = dict(r.args_kwargs.get("kwargs", {}))
        # A job of a registered kind shows its kind; a plain task of the Tasks API its name.
        kind = kwargs.pop("kind", None) if r.task_path == RUN_TASK else None
        beat = beats.get(r.worker_ids[-1]) if r.worker_ids and r.status == RUNNING else None
        rows.append(
            {
                "id": str(r.id),
                "status": r.status,
                "task": kind or r.task_path.rsplit(".", 1)[-1],
                "kwargs": kwargs,
                "attempts": len(r.worker_ids),
                "enqueued_at": r.enqueued_at.isoformat(),
                "run_after": None if r.run_after.year == 9999 else r.run_after.isoformat(),
                "started_at": r.started_at.isoformat() if r.started_at else None,
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "worker": f"{beat.hostname}:{beat.pid}" if beat else None,
                "heartbeat_age_s": (
                    round((timezone.now() - beat.seen_at).total_seconds(), 1) if beat else None
                ),
                "error": _error(r),
            }
        )
    return rows


class Command(BaseCommand):
    help = "列出排队、运行中和失败的后台任务 / List queued, running and failed background jobs"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="显示最近几天失败的任务 / failed jobs of the last N days (7)",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出 / print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        rows = job_rows(opts["days"])
        if opts["json"]:
            self.stdout.write(
                json.dumps({"summary": queue_summary(), "jobs": rows}, ensure_ascii=False, indent=2)
            )
            return
        s = queue_summary()
        self.stdout.write(
            f"排队 queued {s[READY]}  运行 running {s[RUNNING]}  失败 failed {s[FAILED]}  "
            f"租约 lease {Policy.from_settings().lease:g}s"
        )
        for r in rows:
            when = r["started_at"] or r["run_after"] or r["enqueued_at"]
            parts = [
                f"{LABELS[r['status']]:<12}",
                r["id"][:8],
                f"{r['task']}({', '.join(f'{k}={v}' for k, v in r['kwargs'].items())})",
                f"attempts={r['attempts']}",
                when[:19],
            ]
            if r["worker"]:
                parts.append(f"worker={r['worker']} beat={r['heartbeat_age_s']}s ago")
            if r["error"] and r["status"] != RUNNING:
                parts.append(f"error: {r['error']}")
            self.stdout.write("  ".join(parts))
