"""Paper against submission: a sealed scan the enterprise uploads is read in the background
and compared with the electronic form (the latest submission's snapshot once submitted, the
living form before). Per indicator: agree, differ, unreadable (a problem on paper) or absent
(the scan has no table page for it); and whether the cover and the pledge carry a seal (red on
a colour scan; on a grey scan only a seal's round shape can be seen: `*_seal_by` says which).
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.models import User
from zeren.assessments.formdata import FormData
from zeren.assessments.models import SelfAssessment, StoredFile
from zeren.assessments.snapshot import form_from_assessment
from zeren.audit.log import record
from zeren.frameworks.loader import spec_from_db
from zeren.intake.models import ScanCheck
from zeren.intake.parse.results import ParseResult
from zeren.jobs.queue import enqueue

SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff")


def request_check(
    *, assessment: SelfAssessment, stored_file: StoredFile, by: User
) -> ScanCheck | None:
    """Queues the reading of an uploaded sealed scan (PDF or picture); None for other files."""
    if stored_file.content_type not in SCAN_TYPES:
        return None
    with transaction.atomic():
        check = ScanCheck.objects.create(
            self_assessment=assessment, stored_file=stored_file, requested_by=by
        )
        record(
            by,
            "scan_check.requested",
            check,
            after={"file": stored_file.original_name, "sha256": stored_file.sha256},
            self_assessment=assessment,
        )
        enqueue("scan_check", check_id=check.pk)
    return check


def electronic_form(sa: SelfAssessment) -> tuple[FormData, str]:
    """What the paper is compared with, and a label for it."""
    latest = sa.submissions.order_by("-number").first()
    if latest is not None and not sa.is_editable():
        return FormData.model_validate(latest.snapshot), f"submission:{latest.number}"
    return form_from_assessment(sa), "form"


def compare(paper: ParseResult, electronic: FormData) -> dict[str, Any]:
    """Rows per indicator and the seals; `paper` is a successful scan reading."""
    assert paper.form is not None
    problems: dict[int, list[dict[str, Any]]] = {}
    for p in paper.problems:
        if p.indicator is not None:
            problems.setdefault(p.indicator, []).append(p.to_jsonable())
    rows = []
    for answer in electronic.answers:
        n = answer.indicator
        on_paper = paper.form.answer(n)
        level = on_paper.level if on_paper is not None else None
        codes = [p["code"] for p in problems.get(n, [])]
        if level is not None:
            state = "agree" if level == answer.level else "differ"
        elif "missing_indicator" in codes:
            state = "absent"
        else:
            state = "unreadable"
        rows.append(
            {
                "indicator": n,
                "paper": level,
                "electronic": answer.level,
                "state": state,
                "problems": problems.get(n, []),
            }
        )
    scan = paper.scan or {}
    return {
        "rows": rows,
        "has_table": any(r["state"] != "absent" for r in rows),
        "cover_sealed": scan.get("cover", {}).get("sealed"),
        "pledge_sealed": scan.get("pledge", {}).get("sealed"),
        "cover_seal_by": scan.get("cover", {}).get("by"),
        "pledge_seal_by": scan.get("pledge", {}).get("by"),
        "pages": len(scan.get("pages", [])),
    }


def run_check(check_id: int) -> None:
    from zeren.intake.scan import parse_scan

    check = ScanCheck.objects.select_related(
        "self_assessment__campaign__framework", "stored_file"
    ).get(pk=check_id)
    check.status = ScanCheck.Status.RUNNING
    check.save(update_fields=["status"])
    sa = check.self_assessment
    spec = spec_from_db(sa.campaign.framework)
    with default_storage.open(check.stored_file.storage_key, "rb") as fh:
        data = fh.read()
    read = parse_scan([(check.stored_file.original_name, data)], spec)
    electronic, label = electronic_form(sa)
    with transaction.atomic():
        check.finished_at = timezone.now()
        check.compared_with = label
        if read.result.error is not None or read.result.form is None:
            check.status = ScanCheck.Status.FAILED
            err = read.result.error
            check.error_code = err.code if err else "unknown"
            check.error_message = (err.message if err else "")[:500]
            after: dict[str, Any] = {"error": check.error_code}
        else:
            check.status = ScanCheck.Status.DONE
            check.result = compare(read.result, electronic)
            after = {
                "compared_with": label,
                "differ": check.differing,
                "unreadable": check.unreadable,
                "cover_sealed": check.result["cover_sealed"],
                "pledge_sealed": check.result["pledge_sealed"],
                "cover_seal_by": check.result["cover_seal_by"],
                "pledge_seal_by": check.result["pledge_seal_by"],
            }
        check.save()
        record(None, "scan_check.done", check, after=after, self_assessment=sa)


def fail_check(check_id: int, reason: str) -> None:
    """Ends a check the worker gave up on, so the page stops saying 识别中 and says why."""
    with transaction.atomic():
        check = ScanCheck.objects.select_related("self_assessment").filter(pk=check_id).first()
        if check is None or check.is_finished:
            return
        check.status, check.finished_at = ScanCheck.Status.FAILED, timezone.now()
        check.error_code = "job_failed"
        check.error_message = (_("识别失败：%(reason)s") % {"reason": reason})[:500]
        check.save(update_fields=["status", "finished_at", "error_code", "error_message"])
        record(
            None,
            "scan_check.done",
            check,
            after={"error": check.error_code},
            self_assessment=check.self_assessment,
        )


def latest_check(sa: SelfAssessment) -> ScanCheck | None:
    return ScanCheck.objects.filter(self_assessment=sa).select_related("stored_file").first()


def display(check: ScanCheck | None) -> dict[str, Any] | None:
    """What the enterprise and the organizer are shown of a check (rows with labels)."""
    if check is None:
        return None
    spec = spec_from_db(check.self_assessment.campaign.framework)
    rows = []
    for r in check.result.get("rows", []):
        if r["state"] == "absent":
            continue
        ind = spec.indicator(r["indicator"])
        rows.append(
            {
                **r,
                "name": ind.name,
                "paper_label": f"{r['paper']}.{ind.label(r['paper'])}" if r["paper"] else "",
                "electronic_label": (
                    f"{r['electronic']}.{ind.label(r['electronic'])}" if r["electronic"] else ""
                ),
            }
        )
    return {
        "check": check,
        "rows": rows,
        "differing": check.differing,
        "unreadable": check.unreadable,
        "has_table": check.result.get("has_table", False),
        "cover_sealed": check.result.get("cover_sealed"),
        "pledge_sealed": check.result.get("pledge_sealed"),
        "cover_seal_by": check.result.get("cover_seal_by"),  # absent from older checks
        "pledge_seal_by": check.result.get("pledge_seal_by"),
    }
