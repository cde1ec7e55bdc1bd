"""Zeren's job worker: django-tasks-db's queue, with leases, retries and time limits.

django-tasks-db claims a job by locking its row and marking it RUNNING; a worker killed in the
middle leaves it RUNNING for ever. Here every worker beats a heartbeat row from a thread, and
any worker takes back a RUNNING job whose worker has not beaten for a lease: it is queued again
(or, past its last attempt, failed). A job that raises is retried after a back-off that doubles;
a job that runs past its time limit is stopped (SIGALRM) and counts as a failure. When a job
gives up, the give-up function its kind registered (zeren.jobs.registry) marks the user's record
failed with the reason.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from traceback import format_exception
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from zeren.jobs.attempts import JobTimeLimit, WorkerLost, current_attempt, user_error
from zeren.jobs.models import WorkerHeartbeat
from zeren.jobs.registry import UnknownJobKind
from zeren.jobs.registry import kind as registered_kind

logger = logging.getLogger("zeren.worker")

RUN_TASK = "zeren.jobs.tasks.run"

READY, RUNNING, SUCCESSFUL, FAILED = "READY", "RUNNING", "SUCCESSFUL", "FAILED"


@dataclass(frozen=True)
class Policy:
    lease: float  # seconds without a heartbeat before a running job is taken back
    time_limit: float  # seconds one attempt may run
    max_attempts: int
    retry_delay: float  # the first back-off; it doubles with every attempt

    @property
    def heartbeat(self) -> float:
        return max(0.2, self.lease / 4)

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            lease=settings.ZEREN_JOB_LEASE_SECONDS,
            time_limit=settings.ZEREN_JOB_TIME_LIMIT,
            max_attempts=max(1, settings.ZEREN_JOB_MAX_ATTEMPTS),
            retry_delay=settings.ZEREN_JOB_RETRY_SECONDS,
        )


def backoff(attempt_no: int, base: float) -> float:
    return float(base * 2 ** max(0, attempt_no - 1))


def _give_up_on(result: DBTaskResult[Any, Any], reason: str) -> None:
    """Tells the kind's app that its job failed for good, so the person's page stops waiting."""
    if result.task_path != RUN_TASK:
        return  # a plain task of the Tasks API: nobody waits on a record of it
    kwargs = dict(result.args_kwargs.get("kwargs", {}))
    try:
        handler = registered_kind(kwargs.pop("kind")).giver_up()
    except (KeyError, UnknownJobKind, ImportError):  # a kind that no longer exists
        logger.warning("job %s of an unknown kind gave up", result.id)
        return
    if handler is None:
        return
    try:
        handler(reason=reason, **kwargs)
    except Exception:
        logger.exception("give-up handler of job %s failed", result.id)


def _record_error(result: DBTaskResult[Any, Any], exc: BaseException) -> None:
    result.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
    result.traceback = "".join(format_exception(exc))


def reap_expired(policy: Policy) -> int:
    """Takes back running jobs whose worker stopped beating; returns how many."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=policy.lease)
    given_up: list[tuple[DBTaskResult[Any, Any], str]] = []
    taken = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        running = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        if not running:
            return 0
        owners = {r.worker_ids[-1] for r in running if r.worker_ids}
        alive = set(
            WorkerHeartbeat.objects.filter(
                worker_id__in=owners, seen_at__gte=cutoff, stopped_at=None
            ).values_list("worker_id", flat=True)
        )
        for r in running:
            if r.worker_ids and r.worker_ids[-1] in alive:
                continue
            taken += 1
            _record_error(r, WorkerLost(f"worker {r.worker_ids[-1:]} stopped beating"))
            if len(r.worker_ids) >= policy.max_attempts:
                r.status, r.finished_at = FAILED, now
                r.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                given_up.append((r, user_error(WorkerLost())))
                logger.warning("job %s lost its worker and gave up", r.id)
            else:
                r.status, r.run_after = READY, now
                r.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
                logger.warning("job %s lost its worker; queued again", r.id)
    for r, reason in given_up:
        _give_up_on(r, reason)
    return taken


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, every: float):
        super().__init__(name="zeren-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.halt = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "seen_at": timezone.now(),
                "stopped_at": None,
            },
        )

    def run(self) -> None:
        try:
            while not self.halt.wait(self.every):
                try:
                    self.beat()
                except Exception:  # a missed beat is retried; the lease allows several
                    logger.exception("heartbeat failed")
                    close_old_connections()
        finally:
            connection.close()


class Worker:
    """Runs jobs one at a time until stopped (or, with batch, until the queue is empty)."""

    def __init__(
        self,
        *,
        worker_id: str,
        policy: Policy,
        interval: float = 1.0,
        batch: bool = False,
        queue_names: tuple[str, ...] = ("default",),
    ):
        self.worker_id = worker_id
        self.policy = policy
        self.interval = interval
        self.batch = batch
        self.queue_names = queue_names
        self.running = True
        self.running_task = False
        self.heartbeat = Heartbeat(worker_id, policy.heartbeat)
        self._last_reap = 0.0

    def _shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running or not self.running_task:
            sys.exit(0 if not self.running_task else 1)
        logger.warning("%s: finishing the current job, then stopping", signal.strsignal(signum))
        self.running = False

    def _time_limit(self, signum: int, frame: FrameType | None) -> None:
        raise JobTimeLimit(self.policy.time_limit)

    def run(self) -> None:
        logger.info("worker %s starts (pid %d)", self.worker_id, os.getpid())
        self.heartbeat.beat()
        self.heartbeat.start()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._shutdown)
        signal.signal(signal.SIGALRM, self._time_limit)
        try:
            self._loop()
        finally:
            self.heartbeat.halt.set()
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                stopped_at=timezone.now()
            )

    def drain(self) -> None:
        """Runs what is ready in this process and thread, then returns (tests, one-off runs)."""
        previous = signal.signal(signal.SIGALRM, self._time_limit)
        self.batch = True
        try:
            self._loop()
        finally:
            signal.signal(signal.SIGALRM, previous)

    def _loop(self) -> None:
        while self.running:
            close_old_connections()
            if time.monotonic() - self._last_reap >= self.policy.heartbeat:
                self._last_reap = time.monotonic()
                reap_expired(self.policy)
            result = self._claim()
            if result is not None:
                self.run_task(result)
                continue
            if self.batch:
                if not DBTaskResult.objects.running().exists():
                    return
            time.sleep(self.interval)

    def _claim(self) -> DBTaskResult[Any, Any] | None:
        tasks = DBTaskResult.objects.ready().filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                result = tasks.get_locked()
                if result is not None:
                    result.claim(self.worker_id)
                return result
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise

    def _still_mine(self, result: DBTaskResult[Any, Any]) -> Any:
        # started_at is set by every claim: if another worker took the job back meanwhile,
        # this worker's outcome is not written over theirs.
        return DBTaskResult.objects.filter(
            pk=result.pk, status=RUNNING, started_at=result.started_at
        )

    def run_task(self, result: DBTaskResult[Any, Any]) -> None:
        attempt_no = len(result.worker_ids)
        token = current_attempt.set((attempt_no, self.policy.max_attempts))
        self.running_task = True
        try:
            signal.setitimer(signal.ITIMER_REAL, self.policy.time_limit)
            try:
                task = result.task
                value = task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except Exception as exc:
            self._failed(result, exc, attempt_no)
        else:
            self._still_mine(result).update(
                status=SUCCESSFUL,
                finished_at=timezone.now(),
                return_value=value,
                exception_class_path="",
                traceback="",
            )
            logger.info("job %s done (attempt %d)", result.id, attempt_no)
        finally:
            self.running_task = False
            current_attempt.reset(token)

    def _failed(self, result: DBTaskResult[Any, Any], exc: BaseException, attempt_no: int) -> None:
        _record_error(result, exc)
        fields = {
            "exception_class_path": result.exception_class_path,
            "traceback": result.traceback,
        }
        if attempt_no < self.policy.max_attempts:
            delay = backoff(attempt_no, self.policy.retry_delay)
            self._still_mine(result).update(
                status=READY, run_after=timezone.now() + timedelta(seconds=delay), **fields
            )
            logger.warning(
                "job %s failed (attempt %d), again in %.0f s: %s", result.id, attempt_no, delay, exc
            )
            return
        updated = self._still_mine(result).update(
            status=FAILED, finished_at=timezone.now(), **fields
        )
        logger.error("job %s failed for good after %d attempts: %s", result.id, attempt_no, exc)
        if updated:
            _give_up_on(result, user_error(exc))


def queue_summary() -> dict[str, int]:
    """How many jobs wait, run and failed: for `zeren jobs`, /readyz and /metrics."""
    counts = {READY: 0, RUNNING: 0, FAILED: 0, SUCCESSFUL: 0}
    from django.db.models import Count

    for row in DBTaskResult.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def live_workers(policy: Policy | None = None) -> list[WorkerHeartbeat]:
    policy = policy or Policy.from_settings()
    cutoff = timezone.now() - timedelta(seconds=policy.lease)
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff, stopped_at=None))


__all__ = [
    "Policy",
    "Worker",
    "backoff",
    "live_workers",
    "queue_summary",
    "reap_expired",
]
