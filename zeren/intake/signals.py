"""An import's files go with its rows (see documents.import_files)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from zeren.intake.import_files import crop_keys, forget_crops, forget_source
from zeren.intake.models import ImportItem


@receiver(post_delete, sender=ImportItem)
def _import_item_deleted(sender: Any, instance: ImportItem, using: str, **kwargs: Any) -> None:
    # Also sent for every item of a deleted batch or campaign (the cascade).
    forget_crops(crop_keys(instance.problems), using=using)
    forget_source(instance.storage_key, using=using)
