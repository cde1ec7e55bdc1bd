"""Background jobs (Tasks API): thin wrappers that take ids."""

from __future__ import annotations

from django_tasks import task


@task()
def run_document_job(*, job_id: int) -> None:
    """Makes the document of one DocumentJob."""
    from zeren.documents.jobs import run_job

    run_job(job_id)


@task()
def run_import_batch(*, batch_id: int) -> None:
    """Reads the Word files of one ImportBatch."""
    from zeren.documents.imports import run_batch

    run_batch(batch_id)


@task()
def run_scan_check(*, check_id: int) -> None:
    """Reads one sealed scan and compares it with the electronic form."""
    from zeren.documents.scan_checks import run_check

    run_check(check_id)
