"""The results' documents as background jobs (DocumentJob, run by the worker) with progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from zeren.campaigns.models import Campaign
from zeren.documents.models import DocumentJob
from zeren.reports.models import AssessmentResult

Kind = DocumentJob.Kind


def request_scorecard(*, by: Any, result: AssessmentResult) -> DocumentJob:
    return _queue(
        DocumentJob.objects.create(
            kind=Kind.SCORECARD,
            requested_by=by,
            self_assessment=result.self_assessment,
            campaign_id=result.campaign_id,
        )
    )


def request_scorecards(*, by: Any, campaign: Campaign) -> DocumentJob:
    return _queue(
        DocumentJob.objects.create(kind=Kind.SCORECARDS, requested_by=by, campaign=campaign)
    )


def request_industry_report(*, by: Any, campaign: Campaign) -> DocumentJob:
    return _queue(
        DocumentJob.objects.create(kind=Kind.INDUSTRY_REPORT, requested_by=by, campaign=campaign)
    )


def _queue(job: DocumentJob) -> DocumentJob:
    from zeren.documents.jobs import _enqueue

    _enqueue(job)
    return job


def run_report_job(
    job: DocumentJob,
    *,
    progress: Callable[[DocumentJob, int, str], None],
    store: Callable[[DocumentJob, str, bytes], None],
) -> None:
    # Documents draw with matplotlib: imported by the worker that runs a job, not by every
    # web process at start-up (half a second, and a font cache).
    from zeren.reports.documents import industry_report, scorecard, scorecards_zip

    if job.kind == Kind.SCORECARD:
        result = (
            AssessmentResult.objects.select_related(
                "enterprise", "campaign__framework", "self_assessment"
            )
            .filter(self_assessment_id=job.self_assessment_id)
            .first()
        )
        if result is None:
            raise ValueError("no result for this self-assessment")
        progress(job, 20, _("正在生成评估报告"))
        name, data = scorecard(result)
    elif job.kind == Kind.SCORECARDS:
        assert job.campaign is not None
        name, data = scorecards_zip(
            job.campaign,
            progress=lambda i, n: progress(
                job,
                int(95 * i / max(n, 1)),
                _("正在生成评估报告（%(i)d/%(n)d）") % {"i": i, "n": n},
            ),
        )
    elif job.kind == Kind.INDUSTRY_REPORT:
        assert job.campaign is not None
        progress(job, 20, _("正在生成行业报告"))
        name, data = industry_report(job.campaign)
    else:
        raise ValueError(f"unknown job kind {job.kind}")
    store(job, name, data)
