"""What a job's own code may ask while it runs, and how its failure reads to a person.

Handlers import this light module, never the worker loop: is this the last attempt (then mark
the user's record failed, else say a retry is coming), and the reason in words, no traceback.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.utils.translation import gettext as _


class JobTimeLimit(Exception):
    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"time limit of {seconds:g} s exceeded")


class WorkerLost(Exception):
    """The worker running the job stopped beating (killed, or its machine lost)."""


# (this attempt, most attempts): outside a worker (tests, the immediate backend) every attempt
# is the last.
current_attempt: ContextVar[tuple[int, int]] = ContextVar("zeren_job_attempt", default=(1, 1))


def is_last_attempt() -> bool:
    n, most = current_attempt.get()
    return n >= most


def attempt() -> tuple[int, int]:
    return current_attempt.get()


def user_error(exc: BaseException) -> str:
    """Why a job failed, for the person who asked for it (no traceback)."""
    if isinstance(exc, JobTimeLimit):
        return _("超过时间限制（%(s)d 秒）") % {"s": int(exc.seconds)}
    if isinstance(exc, WorkerLost):
        return _("后台进程中断")
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
