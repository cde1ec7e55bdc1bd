"""The organizer's batch import of Word forms: upload, read in the background, review, confirm.

Every file is kept (content-addressed) as the source of what it became, as long as an import
item or an imported self-assessment names it (documents.import_files); a file already imported
into the campaign is recognised by its SHA-256 and not imported twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zeren.accounts.credit_code import credit_code_error
from zeren.accounts.models import Enterprise, User
from zeren.assessments.formdata import FormData
from zeren.assessments.models import SelfAssessment, StoredFile
from zeren.assessments.services import ServiceError, create_self_assessment
from zeren.assessments.snapshot import apply_form, form_from_assessment
from zeren.assessments.submissions import freeze_submission
from zeren.audit.log import record
from zeren.frameworks.loader import spec_from_db
from zeren.intake import import_files
from zeren.intake.models import ImportBatch, ImportItem
from zeren.intake.parse import parse_file
from zeren.intake.scan import is_scan, parse_scan
from zeren.jobs.queue import enqueue
from zeren.lib import safezip
from zeren.lib.storage import open_stream, storage_errors

if TYPE_CHECKING:
    from zeren.campaigns.models import Campaign

logger = logging.getLogger(__name__)

DEFAULT_SCOPE = "平台业务"  # stored data, not screen text: never translated
WORD_EXTENSIONS = (".docx", ".docm", ".doc", ".wps")
SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
MAX_FILES = 500
CHOICE_PROBLEMS = {
    "no_choice",
    "multiple_choices",
    "unknown_label",
    "uncertain_choice",
    "missing_indicator",
}
_CREDIT_CODE = re.compile(
    r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])"
)


class ImportRefused(ServiceError):
    pass


@dataclass(frozen=True)
class _Incoming:
    name: str
    data: bytes


def _word_files(upload: UploadedFile) -> list[_Incoming]:
    """One upload: a Word file, or a ZIP of them (read safely, never unpacked to disk)."""
    name = PurePosixPath((upload.name or "file").replace("\\", "/")).name
    data = upload.read()
    if len(data) > safezip.MAX_FILE_BYTES:
        raise ImportRefused(_("文件“%(name)s”过大") % {"name": name})
    if safezip.sniff(data) != "zip" or name.lower().endswith(WORD_EXTENSIONS):
        return [_Incoming(name, data)]
    try:
        zf = safezip.open_zip(data)
    except safezip.FileRefused as exc:
        raise ImportRefused(
            _("压缩包“%(name)s”无法读取：%(reason)s") % {"name": name, "reason": exc.message}
        ) from None
    if safezip.DOCUMENT_PART in zf.namelist():
        return [_Incoming(name, data)]  # a .docx without its extension
    out = []
    with zf:
        for info in zf.infolist():
            member = PurePosixPath(info.filename.replace("\\", "/"))
            if (
                info.is_dir()
                or not member.name.lower().endswith(WORD_EXTENSIONS + SCAN_EXTENSIONS)
                or member.name.startswith(("~$", "."))
            ):
                continue
            if info.file_size > safezip.MAX_FILE_BYTES:
                raise ImportRefused(_("压缩包中的“%(name)s”过大") % {"name": member.name})
            out.append(_Incoming(_member_name(info), zf.read(info)))
    if not out:
        raise ImportRefused(
            _("压缩包“%(name)s”中没有 Word 文件（.docx、.doc、.wps）") % {"name": name}
        )
    return out


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:
        # Chinese Windows zips store names in GBK without the UTF-8 flag.
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return PurePosixPath(name.replace("\\", "/")).name


def create_batch(*, campaign: Campaign, uploads: list[UploadedFile], by: User) -> ImportBatch:
    """Stores the uploaded files and queues their reading; nothing is stored if one is refused."""
    incoming: list[_Incoming] = []
    for upload in uploads:
        incoming.extend(_word_files(upload))
    if not incoming:
        raise ImportRefused(_("请选择要导入的 Word 文件或压缩包"))
    if len(incoming) > MAX_FILES:
        raise ImportRefused(_("一次最多导入 %(n)d 个文件") % {"n": MAX_FILES})
    with transaction.atomic():
        batch = ImportBatch.objects.create(campaign=campaign, created_by=by)
        shared: dict[str, bytes] = {}  # stored before: another item's, maybe being deleted
        for f in incoming:
            sha = hashlib.sha256(f.data).hexdigest()
            key = f"{import_files.SOURCE_PREFIX}{sha[:2]}/{sha}"
            try:
                if not default_storage.exists(key):
                    default_storage.save(key, ContentFile(f.data))
                else:
                    shared[key] = f.data
            except storage_errors() as exc:  # the batch rolls back: nothing half-imported
                raise ImportRefused(_("文件存储服务暂时不可用，请稍后重试")) from exc
            ImportItem.objects.create(
                batch=batch,
                original_name=f.name[:255],
                sha256=sha,
                size=len(f.data),
                storage_key=key,
            )
        record(by, "import.uploaded", batch, after={"files": [f.name for f in incoming]})
        transaction.on_commit(lambda: _store_again_if_gone(shared))
        enqueue("import_batch", batch_id=batch.pk)
    return batch


def _store_again_if_gone(files: dict[str, bytes]) -> None:
    """A source found stored may have been deleted with the last item naming it while this
    batch was being committed (documents.import_files): it is stored again from the upload."""
    for key, data in files.items():
        try:
            if not default_storage.exists(key):
                default_storage.save(key, ContentFile(data))
        except storage_errors() as exc:  # the item's reading reports the missing file
            logger.warning("could not store the import source %s again: %s", key, exc)


def _normal(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def match_enterprise(form: FormData | None, file_name: str) -> Enterprise | None:
    """By a valid 统一社会信用代码 in the file name or cover, else by the exact enterprise name."""
    texts = [file_name]
    if form is not None:
        texts += [
            form.cover.enterprise_name,
            form.cover.business_scope,
            form.pledge.enterprise_name,
        ]
    for text in texts:
        for code in _CREDIT_CODE.findall(text.upper()):
            if credit_code_error(code) is None:
                e = Enterprise.objects.filter(credit_code=code).first()
                if e is not None:
                    return e
    if form is not None:
        for name in (form.cover.enterprise_name, form.pledge.enterprise_name):
            if name.strip():
                wanted = _normal(name)
                for e in Enterprise.objects.filter(name__icontains=name.strip()[:2]):
                    if _normal(e.name) == wanted:
                        return e
    return None


def run_batch(batch_id: int) -> None:
    """Reads every pending file of a batch, updating the progress as it goes."""
    batch = ImportBatch.objects.select_related("campaign__framework").get(pk=batch_id)
    spec = spec_from_db(batch.campaign.framework)
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    items = list(batch.items.order_by("pk"))
    for i, item in enumerate(items, start=1):
        if item.status == ImportItem.Status.PENDING:
            _read(item, spec, batch.campaign)
        batch.progress = int(100 * i / len(items))
        batch.save(update_fields=["progress"])
    batch.status = ImportBatch.Status.DONE
    batch.save(update_fields=["status"])


def fail_batch(batch_id: int, reason: str) -> None:
    """Ends a batch that the worker gave up on: its unread files say why."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return
    batch.items.filter(status=ImportItem.Status.PENDING).update(
        status=ImportItem.Status.FAILED,
        error_code="job_failed",
        error_message=(_("读取失败：%(reason)s") % {"reason": reason})[:500],
    )
    batch.status, batch.progress = ImportBatch.Status.DONE, 100
    batch.save(update_fields=["status", "progress"])


def _read(item: ImportItem, spec: Any, campaign: Campaign) -> None:
    earlier = (
        ImportItem.objects.filter(batch__campaign=campaign, sha256=item.sha256, pk__lt=item.pk)
        .exclude(status__in=[ImportItem.Status.FAILED, ImportItem.Status.DUPLICATE])
        .first()
    )
    if earlier is not None:
        item.status = ImportItem.Status.DUPLICATE
        item.error_message = _("与已上传的“%(name)s”内容相同（%(when)s）") % {
            "name": earlier.original_name,
            "when": timezone.localtime(earlier.batch.created_at).strftime("%Y-%m-%d %H:%M"),
        }
        item.save(update_fields=["status", "error_message"])
        return
    with open_stream(item.storage_key) as fh:
        data = fh.read()  # a Word file or a scan, bounded by the import's size limit
    crops: dict[int, bytes] = {}
    if is_scan(data):  # a scanned PDF or a photo: read by the scan reader
        read = parse_scan([(item.original_name, data)], spec)
        result, crops = read.result, read.crops
    else:
        result = parse_file(data, item.original_name, spec)
    if not result.ok or result.form is None:
        item.status = ImportItem.Status.FAILED
        item.error_code = result.error.code if result.error else "unknown"
        item.error_message = (result.error.message if result.error else _("无法读取"))[:500]
        item.save(update_fields=["status", "error_code", "error_message"])
        return
    earlier_crops = import_files.crop_keys(item.problems)
    item.form = result.form.to_jsonable()
    item.problems = [p.to_jsonable() for p in result.problems]
    for p in item.problems:
        # the organizer decides an unsure row of a scan by looking at it
        crop = crops.get(p["indicator"]) if p["code"] in CHOICE_PROBLEMS else None
        if crop:
            p["crop"] = default_storage.save(
                f"{import_files.CROP_PREFIX}{secrets.token_hex(16)}.png", ContentFile(crop)
            )
    item.enterprise = match_enterprise(result.form, item.original_name)
    item.business_scope = result.form.cover.business_scope.strip()[:200]
    item.status = ImportItem.Status.READ
    try:
        item.save(update_fields=["form", "problems", "enterprise", "business_scope", "status"])
    except BaseException:  # e.g. the item was deleted meanwhile: no row names the new crops
        import_files.delete_now(import_files.crop_keys(item.problems) - earlier_crops)
        raise
    import_files.forget_crops(earlier_crops - import_files.crop_keys(item.problems))


def _editable(item: ImportItem) -> None:
    if item.status != ImportItem.Status.READ:
        raise ServiceError(
            _("该文件当前不能修改（%(status)s）") % {"status": item.get_status_display()}
        )


def update_item(
    *,
    item: ImportItem,
    by: User,
    enterprise: Enterprise | None,
    business_scope: str,
    levels: dict[int, int | None],
) -> None:
    """The organizer's corrections: the matched enterprise, the business, chosen levels."""
    _editable(item)
    form = FormData.model_validate(item.form)
    changed: dict[str, Any] = {}
    for number, level in levels.items():
        answer = form.answer(number)
        if answer is None or answer.level == level:
            continue
        answer.level = level
        changed[str(number)] = level
    with transaction.atomic():
        item.form = form.to_jsonable()
        if changed:
            fixed = {int(n) for n, lv in changed.items() if lv is not None}
            before = import_files.crop_keys(item.problems)
            item.problems = [
                p
                for p in item.problems
                if not (p["indicator"] in fixed and p["code"] in CHOICE_PROBLEMS)
            ]
            # a row the organizer decided needs its crop no more
            import_files.forget_crops(before - import_files.crop_keys(item.problems))
        item.enterprise = enterprise
        item.business_scope = business_scope.strip()[:200]
        item.save(update_fields=["form", "problems", "enterprise", "business_scope"])
        record(
            by,
            "import.corrected",
            item,
            after={
                "enterprise": enterprise.name if enterprise else None,
                "business_scope": item.business_scope,
                "levels": changed,
            },
        )


def confirm_item(*, item: ImportItem, by: User) -> SelfAssessment:
    """Makes the read form the enterprise's submitted self-assessment in the campaign."""
    _editable(item)
    if item.enterprise is None:
        raise ServiceError(_("请先选择该文件对应的企业"))
    form = FormData.model_validate(item.form)
    missing = [a.indicator for a in form.answers if a.level is None]
    if missing:
        raise ServiceError(
            _("以下指标尚无自评等级，请先确认：%(list)s")
            % {"list": "、".join(str(n) for n in missing)}
        )
    scope = item.business_scope.strip() or form.cover.business_scope.strip() or DEFAULT_SCOPE
    form.cover.business_scope = scope
    campaign = item.batch.campaign
    with transaction.atomic():
        sa = (
            SelfAssessment.objects.select_for_update()
            .filter(campaign=campaign, enterprise=item.enterprise, business_scope=scope)
            .first()
        )
        if sa is None:
            sa = create_self_assessment(
                campaign=campaign, enterprise=item.enterprise, business_scope=scope, by=by
            )
        elif not sa.is_editable():
            raise ServiceError(
                _("%(name)s 的“%(scope)s”已提交，不能用导入覆盖")
                % {"name": item.enterprise.name, "scope": scope}
            )
        if form.cover.submission_date is None:
            form.cover.submission_date = timezone.localdate()
        apply_form(form, sa)
        source, _created = StoredFile.objects.get_or_create(
            self_assessment=sa,
            kind=StoredFile.Kind.IMPORT_SOURCE,
            sha256=item.sha256,
            defaults={
                "enterprise_id": sa.enterprise_id,
                "size": item.size,
                "content_type": "application/msword",
                "original_name": item.original_name,
                "storage_key": item.storage_key,
                "uploaded_by": by,
            },
        )
        sa.source_file = source
        sa.save(update_fields=["source_file", "updated_at"])
        # The snapshot is read back from the rows, so it carries the file references they hold.
        submission = freeze_submission(sa, form_from_assessment(sa), by=by)
        item.status = ImportItem.Status.CONFIRMED
        item.self_assessment = sa
        item.save(update_fields=["status", "self_assessment"])
        record(
            by,
            "self_assessment.imported",
            sa,
            after={
                "file": item.original_name,
                "sha256": item.sha256,
                "submission": submission.number,
            },
            self_assessment=sa,
        )
    return sa


def confirm_ready(*, batch: ImportBatch, by: User) -> tuple[int, list[str]]:
    """Confirms every read file that has an enterprise and no open problem; returns (count, errors)."""
    done, errors = 0, []
    for item in batch.items.filter(status=ImportItem.Status.READ).select_related(
        "enterprise", "batch__campaign"
    ):
        if item.enterprise is None or any(p["code"] in CHOICE_PROBLEMS for p in item.problems):
            continue
        try:
            confirm_item(item=item, by=by)
            done += 1
        except ServiceError as exc:
            errors.append(f"{item.original_name}：{exc.message}")
    return done, errors
