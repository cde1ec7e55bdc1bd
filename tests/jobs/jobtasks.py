"""Tasks for the worker tests: each writes what it does to a file, so a test can count runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def mark(*, path: str, seconds: float = 0.0, fail_times: int = 0) -> int:
    """Notes its start, fails the first `fail_times` runs, sleeps, notes that it finished."""
    log = Path(path)
    with log.open("a") as fh:
        fh.write(f"start {os.getpid()} {time.time():.3f}\n")
    starts = sum(1 for line in log.read_text().splitlines() if line.startswith("start"))
    if starts <= fail_times:
        raise RuntimeError(f"planned failure {starts}")
    time.sleep(seconds)
    with log.open("a") as fh:
        fh.write(f"done {os.getpid()} {time.time():.3f}\n")
    return starts


def note(*, path: str, text: str = "ran") -> None:
    """A job kind's function for the registry tests: appends a line to a file."""
    with Path(path).open("a") as fh:
        fh.write(text + "\n")


def noted_give_up(*, path: str, reason: str, text: str = "") -> None:
    with Path(path).open("a") as fh:
        fh.write(f"gave up: {reason}\n")


def fail(*, path: str) -> None:
    raise RuntimeError("this job always fails")
