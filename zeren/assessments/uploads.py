"""Uploads: streamed to disk, hashed on the way, typed by content, stored once per content.

A file is never held whole in memory: Django's multipart parser hands chunks to
`HashingUploadHandler`, which writes them to a temporary file, hashes them and stops the
upload as soon as the size limit is passed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zeren.assessments.models import SelfAssessment, StoredFile
from zeren.lib.storage import open_stream, storage_errors

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


def max_upload_bytes() -> int:
    return settings.ZEREN_MAX_UPLOAD_MB * 1024 * 1024


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Streams each file to a temporary file, computing SHA-256 and stopping at the size limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.sha = hashlib.sha256()
        self.size = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size += len(raw_data)
        if self.size > max_upload_bytes():
            self.too_large = True
            # Stop reading the request: the rest of a huge file never touches the disk.
            raise StopUpload(connection_reset=False)
        self.sha.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile | None:
        f = super().file_complete(file_size)
        if f is not None:
            f.sha256 = self.sha.hexdigest()  # type: ignore[attr-defined]
        return f

    def upload_complete(self) -> None:
        if getattr(self, "too_large", False):
            self.request.META["ZEREN_UPLOAD_TOO_LARGE"] = True  # type: ignore[union-attr]


class UploadRejected(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
OFD = FileType("application/ofd", (".ofd",), "OFD")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = FileType("image/png", (".png",), "PNG")
GIF = FileType("image/gif", (".gif",), "GIF")
BMP = FileType("image/bmp", (".bmp",), "BMP")
TIFF = FileType("image/tiff", (".tif", ".tiff"), "TIFF")
WEBP = FileType("image/webp", (".webp",), "WebP")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx", ".wps", ".wpt", ".dotx"),
    "Word",
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx", ".et"),
    "Excel",
)
# Office documents that carry macros (VBA projects, ActiveX): refused whatever their name.
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex")
MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject")
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx", ".dps"),
    "PowerPoint",
)
OLE = FileType(
    "application/x-ole-storage",
    (".doc", ".xls", ".ppt", ".wps", ".et", ".dps", ".dot"),
    "Word/Excel/PowerPoint/WPS",
)
ZIP = FileType("application/zip", (".zip",), "ZIP")
# What a sealed pledge scan may be: a PDF or a picture.
PLEDGE_SCAN_TYPES = frozenset(t.content_type for t in (PDF, JPEG, PNG, GIF, BMP, TIFF, WEBP))
PREVIEWABLE = {
    PDF.content_type,
    JPEG.content_type,
    PNG.content_type,
    GIF.content_type,
    BMP.content_type,
    WEBP.content_type,
}


def _sniff_head(head: bytes) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"BM") and len(head) > 14:
        return BMP
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    return None


def _zip_kind(names: list[str]) -> FileType | None:
    names_set = set(names)
    if any(part in n.lower() for n in names for part in MACRO_PARTS):
        return None
    if "[Content_Types].xml" in names_set:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
        if any(n.startswith("ppt/") for n in names):
            return PPTX
        return None
    if "OFD.xml" in names_set:
        return OFD
    return ZIP


def _has_macro_content_types(zf: zipfile.ZipFile) -> bool:
    try:
        types = zf.read("[Content_Types].xml")
    except KeyError:
        return False
    return any(marker in types for marker in MACRO_CONTENT_TYPES)


def _inner_package_kind(data: bytes) -> FileType | None:
    """An Office document or OFD found inside an evidence ZIP, typed by its own content."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            kind = _zip_kind(inner.namelist())
            if kind is None or kind is ZIP or _has_macro_content_types(inner):
                return None
            return kind
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None


def detect_type(fh: IO[bytes]) -> FileType | None:
    """What the bytes are, whatever the name says; None when not on the allow-list."""
    fh.seek(0)
    head = fh.read(16)
    fh.seek(0)
    kind = _sniff_head(head)
    if kind is not None:
        return kind
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
            kind = _zip_kind([i.filename for i in infos])
            if kind is not ZIP:
                if kind is not None and _has_macro_content_types(zf):
                    return None
                return kind
            # A ZIP is allowed when every member is itself an allowed type, typed by its content
            # (one level deep: an Office file or OFD inside is opened and checked in turn).
            for info in infos:
                if info.is_dir():
                    continue
                name = PurePosixPath(info.filename)
                if name.is_absolute() or ".." in name.parts:
                    return None
                if info.file_size > max_upload_bytes():
                    return None
                with zf.open(info) as member:
                    head = member.read(16)
                inner = _sniff_head(head)
                if inner is None:
                    if not head.startswith(b"PK\x03\x04"):
                        return None
                    with zf.open(info) as member:
                        inner = _inner_package_kind(member.read())
                    if inner is None:
                        return None
                if name.suffix.lower() not in inner.extensions:
                    return None
            return ZIP
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    finally:
        fh.seek(0)


def check_upload(upload: UploadedFile) -> FileType:
    """Raises UploadRejected, in the user's language, unless the file may be stored."""
    name = upload.name or ""
    if upload.size is None or upload.size == 0:
        raise UploadRejected(_("文件“%(name)s”是空文件") % {"name": name})
    if upload.size > max_upload_bytes():
        raise UploadRejected(
            _("文件“%(name)s”超过 %(mb)d MB 的大小限制")
            % {"name": name, "mb": settings.ZEREN_MAX_UPLOAD_MB}
        )
    kind = detect_type(upload.file) if upload.file is not None else None
    if kind is None:
        raise UploadRejected(
            _(
                "文件“%(name)s”的类型不在允许范围内（允许 PDF、OFD、图片、Word、Excel、PowerPoint、WPS 及其 ZIP 压缩包）"
            )
            % {"name": name}
        )
    ext = os.path.splitext(name)[1].lower()
    if ext not in kind.extensions:
        raise UploadRejected(
            _("文件“%(name)s”的内容是 %(kind)s，与扩展名“%(ext)s”不符")
            % {"name": name, "kind": kind.label, "ext": ext or "—"}
        )
    return kind


def _sha256_of(upload: UploadedFile) -> str:
    sha = getattr(upload, "sha256", None)
    if sha:
        return str(sha)
    h = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        h.update(chunk)
    upload.seek(0)
    return h.hexdigest()


def storage_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256}"


def store_upload(
    *,
    assessment: SelfAssessment,
    upload: UploadedFile,
    by: Any,
    kind: str = StoredFile.Kind.EVIDENCE,
) -> tuple[StoredFile, bool]:
    """Checks and stores an upload in the self-assessment's library; returns (file, created).

    The same content uploaded again returns the row already there: stored once.
    """
    file_type = check_upload(upload)
    sha = _sha256_of(upload)
    existing = StoredFile.objects.filter(self_assessment=assessment, kind=kind, sha256=sha).first()
    if existing is not None:
        return existing, False
    key = storage_key(sha)
    try:
        if not default_storage.exists(key):
            # From the temporary file; an object store receives it in multipart pieces.
            upload.seek(0)
            saved = default_storage.save(key, upload)
            if saved != key:  # a concurrent writer stored the same content first
                default_storage.delete(saved)
    except storage_errors() as exc:
        # Nothing refers to the key yet, so no half-saved evidence item can exist.
        logger.warning("storage unavailable while saving %s: %s", key, exc)
        raise UploadRejected(
            _("文件存储服务暂时不可用，文件“%(name)s”未保存，请稍后重试")
            % {"name": upload.name or ""}
        ) from exc
    try:
        with transaction.atomic():
            f = StoredFile.objects.create(
                enterprise_id=assessment.enterprise_id,
                self_assessment=assessment,
                kind=kind,
                sha256=sha,
                size=upload.size or 0,
                content_type=file_type.content_type,
                original_name=os.path.basename(upload.name or "file")[:255],
                storage_key=key,
                uploaded_by=by,
            )
    except IntegrityError:
        return StoredFile.objects.get(self_assessment=assessment, kind=kind, sha256=sha), False
    return f, True


def open_stored(f: StoredFile) -> IO[bytes]:
    """The file's bytes as a stream, read from the store piece by piece."""
    return open_stream(f.storage_key)
