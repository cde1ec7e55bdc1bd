"""enqueue(kind, ...): the one way work reaches the background, after the caller's commit."""

from __future__ import annotations

from django.db import transaction

from zeren.jobs.registry import kind as registered_kind

JobArgument = int | str | float | bool | None


def enqueue(kind: str, **kwargs: JobArgument) -> None:
    """Queues a job of a registered kind once the current transaction commits (at once outside
    one), so the worker never looks for rows that are not there yet, and a rolled-back change
    leaves no job behind. The arguments are ids and flags: the job reads the rest itself."""
    from zeren.jobs.tasks import run

    registered = registered_kind(kind)  # an unknown kind fails here, in the caller's request
    task = run.using(queue_name=registered.queue)
    transaction.on_commit(lambda: task.enqueue(kind=kind, **kwargs))
