"""Background jobs (Tasks API): thin wrappers that take ids."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from zeren.ops.worker import on_give_up


@task()
def run_document_job(*, job_id: int) -> None:
    """Makes the document of one DocumentJob."""
    from zeren.documents.jobs import run_job

    run_job(job_id)


@on_give_up(run_document_job)
def _document_job_gave_up(kwargs: dict[str, Any], reason: str) -> None:
    from zeren.documents.jobs import fail_job

    fail_job(kwargs["job_id"], reason)


@task()
def run_import_batch(*, batch_id: int) -> None:
    """Reads the Word files of one ImportBatch."""
    from zeren.documents.imports import run_batch

    run_batch(batch_id)


@on_give_up(run_import_batch)
def _import_batch_gave_up(kwargs: dict[str, Any], reason: str) -> None:
    from zeren.documents.imports import fail_batch

    fail_batch(kwargs["batch_id"], reason)


@task()
def run_scan_check(*, check_id: int) -> None:
    """Reads one sealed scan and compares it with the electronic form."""
    from zeren.documents.scan_checks import run_check

    run_check(check_id)
