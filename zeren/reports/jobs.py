"""The results' documents as background jobs (DocumentJob, job kind "report") with progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zeren.campaigns.models import Campaign
from zeren.documents.jobs import make_document, progress, store_result
from zeren.documents.models import DocumentJob
from zeren.jobs.queue import enqueue
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
    enqueue("report", job_id=job.pk)
    return job


def run_report_job(job_id: int) -> None:
    """The job kind "report": a scorecard, all scorecards, or the industry report."""
    make_document(
        job_id,
        {
            Kind.SCORECARD: _scorecard,
            Kind.SCORECARDS: _scorecards,
            Kind.INDUSTRY_REPORT: _industry_report,
        },
    )


# Documents draw with matplotlib: imported by the worker that runs a job, not by every web
# process at start-up (half a second, and a font cache).


def _scorecard(job: DocumentJob) -> None:
    from zeren.reports.documents import scorecard

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
    store_result(job, *scorecard(result))


def _scorecards(job: DocumentJob) -> None:
    from zeren.reports.documents import scorecards_zip

    assert job.campaign is not None
    name, data = scorecards_zip(
        job.campaign,
        progress=lambda i, n: progress(
            job,
            int(95 * i / max(n, 1)),
            _("正在生成评估报告（%(i)d/%(n)d）") % {"i": i, "n": n},
        ),
    )
    store_result(job, name, data)


def _industry_report(job: DocumentJob) -> None:
    from zeren.reports.documents import industry_report

    assert job.campaign is not None
    progress(job, 20, _("正在生成行业报告"))
    store_result(job, *industry_report(job.campaign))
