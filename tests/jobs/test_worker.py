"""Job workers that survive faults: leases, retries with back-off, time limits, giving up."""

from __future__ import annotations

import signal
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.jobs.jobtasks import mark
from tests.ops.procs import start_worker
from zeren.documents.models import DocumentJob
from zeren.jobs.queue import enqueue
from zeren.jobs.worker import Policy, Worker, backoff

FAST = Policy(lease=2, time_limit=30, max_attempts=3, retry_delay=0)


def _drain(policy: Policy = FAST) -> None:
    Worker(worker_id="test-worker", policy=policy, interval=0.05).drain()


def _starts(log: Path) -> list[str]:
    return [ln for ln in log.read_text().splitlines() if ln.startswith("start")]


def _dones(log: Path) -> list[str]:
    return [ln for ln in log.read_text().splitlines() if ln.startswith("done")]


def test_the_back_off_doubles() -> None:
    assert [backoff(n, 30) for n in (1, 2, 3)] == [30, 60, 120]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_and_then_succeeds(tmp_path: Path) -> None:
    log = tmp_path / "log"
    result = mark.enqueue(path=str(log), fail_times=2)
    _drain()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == 3
    assert len(_starts(log)) == 3 and len(_dones(log)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_for_its_back_off(tmp_path: Path) -> None:
    log = tmp_path / "log"
    result = mark.enqueue(path=str(log), fail_times=1)
    _drain(Policy(lease=2, time_limit=30, max_attempts=3, retry_delay=60))
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "READY" and "planned failure 1" in row.traceback
    assert 55 < (row.run_after - row.started_at).total_seconds() < 65


@pytest.mark.django_db(transaction=True)
def test_a_job_past_its_time_limit_is_stopped_and_fails(tmp_path: Path) -> None:
    log = tmp_path / "log"
    result = mark.enqueue(path=str(log), seconds=20)
    began = time.monotonic()
    _drain(Policy(lease=2, time_limit=1, max_attempts=1, retry_delay=0))
    assert time.monotonic() - began < 10
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and "JobTimeLimit" in row.exception_class_path
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.django_db(transaction=True)
def test_a_job_that_keeps_failing_ends_failed_with_its_error_shown_to_the_user(
    alice, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # A PDF job with nothing to render raises on every attempt.
    job = DocumentJob.objects.create(kind=DocumentJob.Kind.PDF, requested_by=alice)
    enqueue("document", job_id=job.pk)
    _drain()
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "ValueError: a PDF job needs a self-assessment or a submission" in job.message
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED" and len(row.worker_ids) == 3

    c = Client()
    c.force_login(alice)
    assert (
        "a PDF job needs a self-assessment" in c.get(f"/documents/jobs/{job.pk}/").content.decode()
    )

    out = StringIO()
    call_command("jobs", stdout=out)
    text = out.getvalue()
    assert "失败 failed 1" in text and "document(job_id=" in text
    assert "ValueError: a PDF job needs a self-assessment" in text


@pytest.mark.django_db(transaction=True)
def test_zeren_jobs_lists_queued_jobs(tmp_path: Path) -> None:
    mark.enqueue(path=str(tmp_path / "log"))
    out = StringIO()
    call_command("jobs", stdout=out)
    assert "排队 queued 1" in out.getvalue() and "mark(path=" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_runs_again_after_the_lease_and_finishes_once(
    tmp_path: Path,
) -> None:
    log = tmp_path / "job.log"
    result = mark.enqueue(path=str(log), seconds=3)
    lease = {"ZEREN_JOB_LEASE_SECONDS": "2", "ZEREN_JOB_RETRY_SECONDS": "0"}
    first = start_worker(tmp_path / "worker1.log", **lease)
    second = None
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and _starts(log)):
            assert time.monotonic() < deadline, (tmp_path / "worker1.log").read_text()
            assert first.poll() is None, (tmp_path / "worker1.log").read_text()
            time.sleep(0.05)
        listing = StringIO()
        call_command("jobs", stdout=listing)
        assert "运行 running 1" in listing.getvalue() and "worker=" in listing.getvalue()
        first.kill()  # SIGKILL: no clean-up, the job stays RUNNING
        first.wait()
        killed_at = time.time()
        assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"

        second = start_worker(tmp_path / "worker2.log", **lease)
        deadline = time.monotonic() + 60
        while DBTaskResult.objects.get(pk=result.id).status != "SUCCESSFUL":
            assert time.monotonic() < deadline, (tmp_path / "worker2.log").read_text()
            time.sleep(0.1)
    finally:
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.terminate()
                p.wait(timeout=30)
    row = DBTaskResult.objects.get(pk=result.id)
    starts, dones = _starts(log), _dones(log)
    assert len(starts) == 2 and len(dones) == 1
    assert starts[0].split()[1] == str(first.pid) and dones[0].split()[1] != str(first.pid)
    # Taken back only once the lease had passed since the killed worker's last heartbeat.
    assert float(starts[1].split()[2]) - killed_at > 0.5
    assert len(row.worker_ids) == 2 and row.traceback == ""


@pytest.mark.django_db
def test_an_import_the_worker_gave_up_on_says_why_on_each_unread_file(campaign, olga) -> None:  # type: ignore[no-untyped-def]
    from zeren.intake.models import ImportBatch, ImportItem
    from zeren.jobs.registry import kind

    batch = ImportBatch.objects.create(campaign=campaign, created_by=olga)
    item = ImportItem.objects.create(
        batch=batch, original_name="a.docx", sha256="0" * 64, size=1, storage_key="x"
    )
    give_up = kind("import_batch").giver_up()
    assert give_up is not None
    give_up(batch_id=batch.pk, reason="后台进程中断")
    item.refresh_from_db()
    batch.refresh_from_db()
    assert item.status == ImportItem.Status.FAILED and "后台进程中断" in item.error_message
    assert batch.status == ImportBatch.Status.DONE
