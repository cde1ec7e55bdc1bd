"""Model rows to the API's shapes, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from zeren.assessments.models import SelfAssessment, StoredFile, Submission
from zeren.assessments.snapshot import answers_with_evidence, form_from_assessment


def _file(f: StoredFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "name": f.original_name,
        "sha256": f.sha256,
        "size": f.size,
        "content_type": f.content_type,
    }


def self_assessment_out(sa: SelfAssessment) -> dict[str, Any]:
    """FormData (as the snapshot would be) with ids and versions; 4 queries whatever its size."""
    answers = list(answers_with_evidence(sa))
    form = form_from_assessment(sa, answers).to_jsonable()
    by_number = {a.indicator.number: a for a in answers}
    for data in form["answers"]:
        row = by_number[data["indicator"]]
        data["version"] = row.version
        items = list(row.evidence.all())
        for ev, item in zip(data["evidence"], items, strict=True):
            ev["id"] = item.pk
            ev["files"] = [_file(f) for f in item.files.all()]
    if sa.pledge_scan_id and form["pledge"]["scan"] is not None:
        form["pledge"]["scan"]["id"] = sa.pledge_scan_id
    form.update(
        id=sa.pk,
        status=sa.status,
        version=sa.version,
        enterprise=sa.enterprise.name,
        campaign=sa.campaign_id,
    )
    return form


def receipt_out(s: Submission) -> dict[str, Any]:
    sa = s.self_assessment
    return {
        "submission": s.pk,
        "number": s.number,
        "sha256": s.sha256,
        "submitted_at": s.submitted_at,
        "submitted_by": str(s.submitted_by) if s.submitted_by_id else "",
        "enterprise": sa.enterprise.name,
        "business_scope": sa.business_scope,
    }
