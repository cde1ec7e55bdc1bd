"""The job room: kinds registered by name, enqueue after commit, give-up through the registry."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from zeren.jobs.queue import enqueue
from zeren.jobs.registry import UnknownJobKind, kind, kinds, register
from zeren.jobs.worker import Policy, Worker

register("test.note", run="tests.jobs.jobtasks.note", give_up="tests.jobs.jobtasks.noted_give_up")
register("test.fail", run="tests.jobs.jobtasks.fail", give_up="tests.jobs.jobtasks.noted_give_up")


def test_it_knows_the_kinds_every_app_registers_at_start_up() -> None:
    names = {k.name for k in kinds()}
    assert {"document", "report", "import_batch", "scan_check"} <= names
    for k in kinds():
        assert callable(k.runner())  # every dotted path resolves
        assert k.give_up == "" or callable(k.giver_up())


def test_it_refuses_a_kind_nobody_registered_in_the_callers_request() -> None:
    with pytest.raises(UnknownJobKind):
        enqueue("no.such.kind", x=1)


def test_it_refuses_the_same_name_registered_for_other_work() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("test.note", run="tests.jobs.jobtasks.fail")


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_job_only_once_the_transaction_commits(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    log = tmp_path / "log"
    with transaction.atomic():
        enqueue("test.note", path=str(log), text="kept")
        assert not DBTaskResult.objects.exists()  # not before the commit
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("test.note", path=str(log), text="rolled back")
        raise RuntimeError
    row = DBTaskResult.objects.get()
    assert row.task_path == "zeren.jobs.tasks.run"
    assert row.args_kwargs["kwargs"] == {"kind": "test.note", "path": str(log), "text": "kept"}
    Worker(worker_id="w", policy=Policy(2, 30, 1, 0), interval=0.05).drain()
    assert log.read_text() == "kept\n"


@pytest.mark.django_db(transaction=True)
def test_a_kind_that_fails_for_good_is_given_up_through_its_registered_function(
    tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    log = tmp_path / "log"
    enqueue("test.fail", path=str(log))
    Worker(worker_id="w", policy=Policy(2, 30, 2, 0), interval=0.05).drain()
    assert DBTaskResult.objects.get().status == "FAILED"
    assert log.read_text() == "gave up: RuntimeError: this job always fails\n"


@pytest.mark.django_db
def test_a_paper_check_the_worker_gave_up_on_stops_waiting_and_says_why(assessment) -> None:  # type: ignore[no-untyped-def]
    from zeren.assessments.models import StoredFile
    from zeren.audit.models import AuditEvent
    from zeren.intake.models import ScanCheck

    f = StoredFile.objects.create(
        self_assessment=assessment,
        enterprise=assessment.enterprise,
        original_name="盖章件.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        storage_key="x",
    )
    check = ScanCheck.objects.create(self_assessment=assessment, stored_file=f)
    give_up = kind("scan_check").giver_up()
    assert give_up is not None
    give_up(check_id=check.pk, reason="后台进程中断")
    check.refresh_from_db()
    assert check.status == ScanCheck.Status.FAILED and check.is_finished
    assert "后台进程中断" in check.error_message
    event = AuditEvent.objects.get(action="scan_check.done")
    assert event.after == {"error": "job_failed"} and event.self_assessment_id == assessment.pk


@pytest.mark.django_db
def test_jobs_queued_before_the_upgrade_are_rewritten_to_their_kinds(alice, campaign) -> None:  # type: ignore[no-untyped-def]
    from django.apps import apps

    from zeren.documents.models import DocumentJob

    pdf = DocumentJob.objects.create(kind=DocumentJob.Kind.PDF, requested_by=alice)
    report = DocumentJob.objects.create(
        kind=DocumentJob.Kind.INDUSTRY_REPORT, requested_by=alice, campaign=campaign
    )

    def old(task: str, **kwargs: int) -> DBTaskResult:
        return DBTaskResult.objects.create(
            task_path=f"zeren.documents.tasks.{task}",
            args_kwargs={"args": [], "kwargs": kwargs},
            status="READY",
            backend_name="default",
        )

    rows = [
        old("run_document_job", job_id=pdf.pk),
        old("run_document_job", job_id=report.pk),
        old("run_import_batch", batch_id=7),
        old("run_scan_check", check_id=8),
    ]
    migration = importlib.import_module("zeren.jobs.migrations.0002_queued_tasks_by_kind")
    migration.rewrite(apps, None)
    got = [DBTaskResult.objects.get(pk=r.pk) for r in rows]
    assert {r.task_path for r in got} == {"zeren.jobs.tasks.run"}
    assert [r.args_kwargs["kwargs"] for r in got] == [
        {"kind": "document", "job_id": pdf.pk},
        {"kind": "report", "job_id": report.pk},
        {"kind": "import_batch", "batch_id": 7},
        {"kind": "scan_check", "check_id": 8},
    ]
    for r in got:
        r.task  # noqa: B018 — each resolves to the one task that runs a kind
