"""The one task the Tasks API queues: run a job of a registered kind."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from zeren.jobs.registry import kind as registered_kind


@task()
def run(*, kind: str, **kwargs: Any) -> Any:
    """Runs one job with the function its kind's app registered."""
    return registered_kind(kind).runner()(**kwargs)
