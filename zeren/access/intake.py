"""What comes in on paper and in Word files: import batches (organizers) and paper checks."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from zeren.access.assessments import self_assessments_visible_to
from zeren.access.campaigns import get_campaign_for_user
from zeren.intake.models import ImportBatch, ImportItem, ScanCheck


def get_import_batch_for_user(user: Any, pk: int) -> ImportBatch:
    """An import batch, for the organizer who manages its campaign."""
    batch = ImportBatch.objects.select_related("campaign__framework").filter(pk=pk).first()
    if batch is None:
        raise Http404
    get_campaign_for_user(user, batch.campaign_id, manage=True)
    return batch


def get_import_item_for_user(user: Any, pk: int) -> ImportItem:
    """One file of an import batch, for the organizer who manages its campaign."""
    item = ImportItem.objects.select_related("batch__campaign", "enterprise").filter(pk=pk).first()
    if item is None:
        raise Http404
    get_campaign_for_user(user, item.batch.campaign_id, manage=True)
    return item


def get_scan_check_for_user(user: Any, pk: int) -> ScanCheck:
    """A paper-against-submission check: seen by whoever sees its self-assessment (the
    enterprise, organizers, its assigned reviewers); 404 otherwise."""
    check = (
        ScanCheck.objects.filter(
            pk=pk, self_assessment__in=self_assessments_visible_to(user, reviewing=True)
        )
        .select_related("self_assessment__campaign__framework", "stored_file")
        .first()
    )
    if check is None:
        raise Http404
    return check
