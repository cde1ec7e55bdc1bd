"""Stored files: the enterprise's library, and for a reviewer only what a submitted snapshot names."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from zeren.access.assessments import self_assessments_visible_to
from zeren.accounts.roles import enterprise_ids, is_organizer
from zeren.assessments.models import StoredFile, Submission


def stored_files_visible_to(user: Any) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(
        self_assessment__in=self_assessments_visible_to(user, reviewing=True)
    )


def _snapshot_hashes(snapshot: dict[str, Any]) -> set[str]:
    hashes: set[str] = set()
    for answer in snapshot.get("answers", []):
        for item in answer.get("evidence", []):
            hashes.update(ref.get("sha256", "") for ref in item.get("files", []))
    scan = (snapshot.get("pledge") or {}).get("scan") or {}
    hashes.add(scan.get("sha256", ""))
    hashes.discard("")
    return hashes


def get_stored_file_for_user(user: Any, pk: int) -> StoredFile:
    """A reviewer reaches only files of a submitted snapshot assigned to them (not a file
    uploaded since); the enterprise and the organizer reach the whole library."""
    f = stored_files_visible_to(user).select_related("self_assessment").filter(pk=pk).first()
    if f is None:
        raise Http404
    own = f.self_assessment is not None and f.self_assessment.enterprise_id in enterprise_ids(user)
    if not is_organizer(user) and not own:
        snapshots = Submission.objects.filter(self_assessment_id=f.self_assessment_id)
        if not any(
            f.sha256 in _snapshot_hashes(s) for s in snapshots.values_list("snapshot", flat=True)
        ):
            raise Http404
    return f
