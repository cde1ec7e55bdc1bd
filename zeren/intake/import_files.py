"""The files an import leaves in storage, deleted once nothing refers to them any more.

An ImportItem refers to its uploaded source and to the crops of its unsure rows. A crop
(`import-crops/…png`) belongs to one problem of one item: it goes when the item goes or when
the item's problems no longer name it. A source (`imports/xx/<sha256>`) is content-addressed,
so the same bytes uploaded again, in any batch or campaign, share it, and a confirmed import's
StoredFile refers to it too: it goes only when no ImportItem and no StoredFile names it.

Files are deleted after the transaction commits (a rolled-back delete keeps its files) and only
under these two prefixes, whatever a row says.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, transaction

from zeren.lib.storage import storage_errors

logger = logging.getLogger(__name__)

CROP_PREFIX = "import-crops/"
SOURCE_PREFIX = "imports/"


def crop_keys(problems: Iterable[dict[str, Any]] | None) -> set[str]:
    """The crops a problems list names."""
    return {
        p["crop"]
        for p in problems or []
        if isinstance(p, dict)
        and isinstance(p.get("crop"), str)
        and p["crop"].startswith(CROP_PREFIX)
    }


def delete_now(keys: Iterable[str]) -> None:
    """Deletes stored files; a store that is down leaves them (logged), it does not fail."""
    for key in keys:
        try:
            default_storage.delete(key)
        except storage_errors() as exc:
            logger.warning("could not delete the stored file %s: %s", key, exc)


def forget_crops(keys: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Deletes crops no row names any more, once the transaction that dropped them commits."""
    doomed = sorted(k for k in keys if k.startswith(CROP_PREFIX))
    if doomed:
        transaction.on_commit(lambda: delete_now(doomed), using=using)


def forget_source(key: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Deletes an import's source once the transaction commits, if nothing names it then."""
    if key.startswith(SOURCE_PREFIX):
        transaction.on_commit(lambda: _delete_source_if_unused(key), using=using)


def source_in_use(key: str) -> bool:
    from zeren.assessments.models import StoredFile
    from zeren.intake.models import ImportItem

    return (
        ImportItem.objects.filter(storage_key=key).exists()
        or StoredFile.objects.filter(storage_key=key).exists()
    )


def _delete_source_if_unused(key: str) -> None:
    if not source_in_use(key):
        delete_now([key])
