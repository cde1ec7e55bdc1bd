"""Real concurrency against the real database (SQLite file or PostgreSQL): two submits at once,
two saves of the same answer at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.assessments.helpers import fill_completely
from zeren.assessments import services, submissions
from zeren.assessments.models import Answer, SelfAssessment, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def _race(fn: Callable[[], Any], n: int = 2) -> list[Any]:
    """Runs fn in n threads released together; returns each result or exception."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_a_double_submit_makes_exactly_one_submission(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice)
    results = _race(
        lambda: submissions.submit_self_assessment(
            assessment=SelfAssessment.objects.get(pk=assessment.pk), by=alice
        )
    )
    assert sum(isinstance(r, Submission) for r in results) == 1
    assert sum(isinstance(r, services.ServiceError) for r in results) == 1
    assert Submission.objects.filter(self_assessment=assessment).count() == 1


def test_two_saves_of_the_same_version_never_both_win(assessment, alice, bob) -> None:  # type: ignore[no-untyped-def]
    answer = assessment.answers.get(indicator__number=2)
    version = answer.version
    texts = iter(["甲的文字", "乙的文字"])
    lock = threading.Lock()

    def save() -> Any:
        with lock:
            text = next(texts)
        return services.save_answer(
            answer=answer, by=alice, expected_version=version, changes={"work_summary": text}
        )

    results = _race(save)
    winners = [r for r in results if isinstance(r, Answer)]
    conflicts = [r for r in results if isinstance(r, services.Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1
    stored = Answer.objects.get(pk=answer.pk)
    assert stored.version == version + 1 and stored.work_summary == winners[0].work_summary


def test_a_save_racing_a_submit_is_either_in_the_snapshot_or_refused(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    from zeren.assessments.formdata import FormData

    fill_completely(assessment, alice)
    answer = assessment.answers.get(indicator__number=3)
    version = answer.version
    jobs = iter(["save", "submit"])
    lock = threading.Lock()

    def act() -> Any:
        with lock:
            job = next(jobs)
        if job == "save":
            fresh = Answer.objects.select_related("self_assessment").get(pk=answer.pk)
            return services.save_answer(
                answer=fresh,
                by=alice,
                expected_version=version,
                changes={"work_summary": "提交瞬间的修改"},
            )
        return submissions.submit_self_assessment(
            assessment=SelfAssessment.objects.get(pk=assessment.pk), by=alice
        )

    results = _race(act)
    submission = Submission.objects.get(self_assessment=assessment)
    snapshot = FormData.model_validate(submission.snapshot).answer(3)
    stored = Answer.objects.get(pk=answer.pk)
    assert snapshot is not None and snapshot.work_summary == stored.work_summary
    assert not any(
        isinstance(r, Exception) and not isinstance(r, services.ServiceError) for r in results
    )
    if any(isinstance(r, services.ServiceError) for r in results):  # the save came too late
        assert stored.work_summary != "提交瞬间的修改"
