"""An import's files leave storage with the rows that name them: the crops of a scan's unsure
rows when their item goes (its batch or campaign deleted) or the organizer decides the row; the
uploaded source when no import item and no stored file names it any more. Only after commit: a
rolled-back delete keeps them."""

from __future__ import annotations

import hashlib
import secrets

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.intake import scangen
from zeren.accounts.models import User
from zeren.assessments.models import StoredFile
from zeren.campaigns.models import Campaign
from zeren.documents.pdf import pdf_available
from zeren.intake import imports
from zeren.intake.models import ImportBatch, ImportItem
from zeren.intake.scan import ocr

pytestmark = [pytest.mark.django_db]


def _source(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    key = f"imports/{sha[:2]}/{sha}"
    if not default_storage.exists(key):
        default_storage.save(key, ContentFile(data))
    return key


def _crop() -> str:
    return default_storage.save(
        f"import-crops/{secrets.token_hex(16)}.png", ContentFile(b"\x89PNG crop")
    )


def _batch(campaign: Campaign, by: User, data: bytes, crops: int = 2) -> ImportBatch:
    """A read scan with `crops` unsure rows, each with its crop stored (as imports._read)."""
    batch = ImportBatch.objects.create(campaign=campaign, created_by=by)
    problems = [
        {"indicator": n, "code": "uncertain_choice", "message": "…", "crop": _crop()}
        for n in range(1, crops + 1)
    ]
    problems.append({"indicator": None, "code": "ocr", "message": "no crop"})
    ImportItem.objects.create(
        batch=batch,
        original_name="扫描件.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        storage_key=_source(data),
        status=ImportItem.Status.READ,
        problems=problems,
    )
    return batch


def _files(batch: ImportBatch) -> list[str]:
    item = batch.items.get()
    return [item.storage_key] + [p["crop"] for p in item.problems if p.get("crop")]


def _exist(keys: list[str]) -> list[bool]:
    return [default_storage.exists(k) for k in keys]


def test_deleting_a_batch_deletes_its_crops_and_its_source(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    batch = _batch(campaign, olga, secrets.token_bytes(64))
    files = _files(batch)
    assert len(files) == 3 and _exist(files) == [True] * 3
    with django_capture_on_commit_callbacks(execute=True):
        batch.delete()
        assert _exist(files) == [True] * 3  # not before the commit
    assert _exist(files) == [False] * 3


def test_deleting_the_campaign_deletes_the_files_of_all_its_batches(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    files = [f for _ in range(2) for f in _files(_batch(campaign, olga, secrets.token_bytes(64)))]
    assert _exist(files) == [True] * 6
    with django_capture_on_commit_callbacks(execute=True):
        Campaign.objects.filter(pk=campaign.pk).delete()  # cascades to batches and items
    assert not ImportItem.objects.exists()
    assert _exist(files) == [False] * 6


def test_a_rolled_back_delete_keeps_the_files(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    batch = _batch(campaign, olga, secrets.token_bytes(64))
    files = _files(batch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            campaign.delete()
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert ImportItem.objects.filter(batch=batch).exists()
    assert _exist(files) == [True] * 3


def test_a_source_still_named_by_another_item_or_a_confirmed_import_is_kept(
    campaign, olga, assessment, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    data = secrets.token_bytes(64)
    first, second = _batch(campaign, olga, data), _batch(campaign, olga, data)
    source, first_crops = _files(first)[0], _files(first)[1:]
    assert _files(second)[0] == source  # the same bytes are stored once
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert default_storage.exists(source)  # the second batch names it
    assert _exist(first_crops) == [False, False]  # a crop is its item's own
    assert _exist(_files(second)[1:]) == [True, True]
    StoredFile.objects.create(  # as imports.confirm_item keeps the source of an import
        enterprise=assessment.enterprise,
        self_assessment=assessment,
        kind=StoredFile.Kind.IMPORT_SOURCE,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type="application/msword",
        original_name="扫描件.pdf",
        storage_key=source,
    )
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert default_storage.exists(source)


def test_a_crop_outside_the_crops_folder_is_never_deleted(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    other = default_storage.save(f"blobs/{secrets.token_hex(8)}", ContentFile(b"evidence"))
    batch = _batch(campaign, olga, secrets.token_bytes(64), crops=0)
    item = batch.items.get()
    item.problems = [{"indicator": 1, "code": "no_choice", "message": "…", "crop": other}]
    item.save(update_fields=["problems"])
    with django_capture_on_commit_callbacks(execute=True):
        batch.delete()
    assert default_storage.exists(other)
    default_storage.delete(other)


def test_deciding_an_unsure_row_deletes_its_crop_only(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    data = secrets.token_bytes(64)
    batch = _batch(campaign, olga, data, crops=2)
    item = batch.items.get()
    form = scangen.filled_form(1)
    form.answer(1).level = None  # type: ignore[union-attr]
    form.answer(2).level = None  # type: ignore[union-attr]
    item.form = form.to_jsonable()
    item.save(update_fields=["form"])
    one, two = (p["crop"] for p in item.problems if p.get("crop"))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            imports.update_item(
                item=item, by=olga, enterprise=None, business_scope="", levels={1: 3}
            )
            raise RuntimeError("rolled back")
    assert _exist([one, two]) == [True, True]
    item = ImportItem.objects.get(pk=item.pk)
    with django_capture_on_commit_callbacks(execute=True):
        imports.update_item(item=item, by=olga, enterprise=None, business_scope="", levels={1: 3})
    item.refresh_from_db()
    assert [p["indicator"] for p in item.problems if p.get("crop")] == [2]
    assert _exist([one, two]) == [False, True]
    assert default_storage.exists(item.storage_key)


@pytest.mark.usefixtures("immediate_tasks")
def test_a_source_deleted_while_a_batch_with_the_same_file_commits_is_stored_again(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    data = secrets.token_bytes(64)
    old = _batch(campaign, olga, data, crops=0)
    source = _files(old)[0]
    with django_capture_on_commit_callbacks(execute=True):
        batch = imports.create_batch(
            campaign=campaign, uploads=[SimpleUploadedFile("again.docx", data)], by=olga
        )
        # found stored, so not stored again; meanwhile the old batch was deleted, and its
        # deletion, committed first, found no item naming the source and deleted it
        old.delete()
        default_storage.delete(source)
    assert default_storage.exists(source)  # stored again from the upload
    item = batch.items.get()
    assert item.storage_key == source
    assert item.status == ImportItem.Status.FAILED  # read, and refused: not a Word file


@pytest.mark.usefixtures("immediate_tasks")
@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
@pytest.mark.skipif(not ocr.available(), reason="tesseract with chi_sim is not installed")
def test_the_crops_a_scan_import_stores_go_with_its_batch(
    campaign, olga, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    scan = scangen.pen_marked(31, 150, cases={1: "no_choice", 2: "uncertain_choice"})
    table = scan.key_only().pages[2]  # the table's first page: indicators 1–4
    pdf = scangen.images_to_pdf([table], scan.dpi)
    with django_capture_on_commit_callbacks(execute=True):
        batch = imports.create_batch(
            campaign=campaign, uploads=[SimpleUploadedFile("扫描件.pdf", pdf)], by=olga
        )
    item = batch.items.get()
    assert item.status == ImportItem.Status.READ, item.error_message
    crops = {p["indicator"]: p["crop"] for p in item.problems if p.get("crop")}
    assert {1, 2} <= set(crops)
    files = [item.storage_key, *crops.values()]
    assert all(_exist(files))
    with django_capture_on_commit_callbacks(execute=True):
        batch.delete()
    assert not any(_exist(files))


def test_crops_of_an_item_deleted_while_it_was_read_are_not_left(
    campaign, olga, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from django.db import DatabaseError

    from zeren.frameworks.loader import spec_from_db
    from zeren.intake.parse.results import ParseResult, Problem
    from zeren.intake.scan.read import ScanRead

    form = scangen.filled_form(1)
    problem = Problem(1, "no_choice", "…")
    read = ScanRead(ParseResult(form=form, problems=[problem]), crops={1: b"\x89PNG cell"})
    monkeypatch.setattr(imports, "is_scan", lambda data: True)
    monkeypatch.setattr(imports, "parse_scan", lambda files, spec: read)
    batch = _batch(campaign, olga, secrets.token_bytes(64), crops=0)
    item = batch.items.get()
    item.status = ImportItem.Status.PENDING
    ImportItem.objects.filter(pk=item.pk).delete()  # the organizer deleted the batch meanwhile
    before = set(default_storage.listdir("import-crops")[1])
    with pytest.raises(DatabaseError):
        imports._read(item, spec_from_db(campaign.framework), campaign)
    assert set(default_storage.listdir("import-crops")[1]) == before
