"""A submission's files as one ZIP, streamed: memory stays flat whatever the size.

    chunks = stream_bundle(
        form_docx=docx_bytes,                  # 自评材料.docx
        form_pdf=pdf_bytes,                    # 自评材料.pdf (optional)
        pledge_scan=BundleFile("承诺书.jpg", opener, size),          # optional
        evidence=[EvidenceFile(indicator=7, seq=2, title="制度文件", name="规定.pdf",
                               open=opener, size=1234, sha256="…"), …],
    )
    return StreamingHttpResponse(chunks, content_type=ZIP_MIMETYPE)

`stream_bundle` is a generator of bytes chunks. Pure: no database, no storage; callers pass
openers (`open()` returns a binary file object, read in 1 MiB pieces and closed after).

Inside the ZIP, in this order: `自评材料.docx`, `自评材料.pdf`, `诚信承诺书.<ext>`, the evidence in
catalog order (indicator, then seq) named `指标07-02-材料名称.pdf` (indicator and seq as two
digits, the title made safe for Windows file names, the original extension; clashes get
` (2)`, ` (3)` …), and `manifest.csv` (UTF-8 with BOM so that Excel reads it; indicator, seq,
title, name in the bundle, original name, size, SHA-256). `bundle_plan` gives the names without
reading any file.

Entries are written with data descriptors (the output is not seekable), in ZIP64 when an entry
or the archive passes 4 GiB, and with the UTF-8 flag (bit 11) on every non-ASCII name. Already
compressed formats (PDF, images, Office files, archives) are stored, the rest deflated. The size
and SHA-256 of every evidence file are checked while streaming; a mismatch raises BundleError
(the file changed or the record is wrong), which ends the stream rather than ship wrong data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from zeren.lib.names import safe_stem

ZIP_MIMETYPE = "application/zip"
CHUNK_SIZE = 1 << 20
TITLE_MAX = 60
FORM_NAME = "自评材料"
PLEDGE_NAME = "诚信承诺书"
MANIFEST_NAME = "manifest.csv"
MANIFEST_HEADER = ("指标", "序号", "材料名称", "文件名", "原文件名", "大小（字节）", "SHA-256")

# Formats that are compressed already: deflating them again costs time and saves nothing.
STORED_EXTENSIONS = frozenset(
    ".pdf .ofd .jpg .jpeg .png .gif .webp .heic .tif .tiff .zip .rar .7z .gz .bz2 .xz "
    ".docx .xlsx .pptx .wps .et .dps .mp3 .mp4 .m4a .mov .avi .wmv".split()
)


class Readable(Protocol):
    """What an opener returns: a binary file (open(), Django's File, a storage stream)."""

    def read(self, size: int, /) -> bytes: ...

    def close(self) -> None: ...


Opener = Callable[[], Readable]


class BundleError(Exception):
    """An evidence file does not match its record (size or SHA-256)."""


@dataclass(frozen=True)
class BundleFile:
    """A file to include: its original name and how to open it."""

    name: str
    open: Opener
    size: int | None = None
    sha256: str = ""


@dataclass(frozen=True)
class EvidenceFile:
    """One file of one evidence item (佐证材料) of one indicator."""

    indicator: int
    seq: int
    title: str
    name: str  # the original file name
    open: Opener
    size: int
    sha256: str


@dataclass(frozen=True)
class PlannedEntry:
    arcname: str
    evidence: EvidenceFile


_EXT_OK = re.compile(r"^\.[0-9A-Za-z]{1,10}$")


def safe_title(title: str, limit: int = TITLE_MAX) -> str:
    """A title usable in a Windows file name (zeren.lib.names.safe_stem)."""
    return safe_stem(title, limit)


def extension(name: str) -> str:
    """The original extension ('.pdf'), or '' when there is none or it is not plain."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    ext = "." + base.rsplit(".", 1)[1]
    return ext if _EXT_OK.match(ext) else ""


class _Names:
    """Hands out unique names, comparing as Windows does (case-insensitively)."""

    def __init__(self, taken: Iterable[str] = ()):
        self._taken = {n.casefold() for n in taken}

    def unique(self, stem: str, ext: str) -> str:
        name = stem + ext
        n = 2
        while name.casefold() in self._taken:
            name = f"{stem} ({n}){ext}"
            n += 1
        self._taken.add(name.casefold())
        return name


def _evidence_stem(ev: EvidenceFile) -> str:
    title = safe_title(ev.title) or safe_title(ev.name.rsplit(".", 1)[0]) or "材料"
    return f"指标{ev.indicator:02d}-{ev.seq:02d}-{title}"


def bundle_plan(
    evidence: Iterable[EvidenceFile], *, reserved: Iterable[str] = ()
) -> list[PlannedEntry]:
    """The evidence in catalog order with its names in the bundle (no file is opened)."""
    names = _Names(reserved)
    ordered = sorted(evidence, key=lambda e: (e.indicator, e.seq))
    return [PlannedEntry(names.unique(_evidence_stem(e), extension(e.name)), e) for e in ordered]


def _csv_cell(value: Any) -> str:
    # Excel runs a cell that starts with = + - @ as a formula; a leading apostrophe keeps it text.
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def manifest_csv(plan: Sequence[PlannedEntry]) -> bytes:
    """manifest.csv: UTF-8 with BOM, CRLF, one row per evidence file in catalog order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADER)
    for entry in plan:
        ev = entry.evidence
        writer.writerow(
            [
                ev.indicator,
                ev.seq,
                _csv_cell(ev.title),
                _csv_cell(entry.arcname),
                _csv_cell(ev.name),
                ev.size,
                ev.sha256,
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that zipfile writes into and the generator drains."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._pos = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: Any) -> int:
        b = bytes(data)
        self._chunks.append(b)
        self._pos += len(b)
        return len(b)

    def tell(self) -> int:
        return self._pos

    def seek(self, *args: Any) -> int:
        raise io.UnsupportedOperation("unseekable")

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _zipinfo(
    name: str, when: tuple[int, int, int, int, int, int], size: int | None
) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    stored = extension(name).lower() in STORED_EXTENSIONS
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    if size is not None:
        info.file_size = size  # lets zipfile choose ZIP64 up front for entries over 4 GiB
    return info


def stream_bundle(
    *,
    form_docx: bytes | None,
    form_pdf: bytes | None = None,
    pledge_scan: BundleFile | None = None,
    evidence: Iterable[EvidenceFile] = (),
    form_name: str = FORM_NAME,
    modified: dt.datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[bytes]:
    """Yields the bundle ZIP in chunks; see the module docstring for its contents."""
    for chunk in _stream(
        form_docx=form_docx,
        form_pdf=form_pdf,
        pledge_scan=pledge_scan,
        evidence=evidence,
        form_name=form_name,
        modified=modified,
        chunk_size=chunk_size,
    ):
        if chunk:
            yield chunk


def _stream(
    *,
    form_docx: bytes | None,
    form_pdf: bytes | None,
    pledge_scan: BundleFile | None,
    evidence: Iterable[EvidenceFile],
    form_name: str,
    modified: dt.datetime | None,
    chunk_size: int,
) -> Iterator[bytes]:
    moment = modified or dt.datetime.now()
    when = (
        max(moment.year, 1980),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )
    fixed = []
    if form_docx is not None:
        fixed.append(f"{form_name}.docx")
    if form_pdf is not None:
        fixed.append(f"{form_name}.pdf")
    pledge_name = ""
    if pledge_scan is not None:
        pledge_name = PLEDGE_NAME + extension(pledge_scan.name)
        fixed.append(pledge_name)
    plan = bundle_plan(evidence, reserved=[*fixed, MANIFEST_NAME])

    sink = _Sink()
    with zipfile.ZipFile(sink, "w", allowZip64=True) as zf:

        def copy(name: str, opener: Opener, size: int | None, sha256: str) -> Iterator[bytes]:
            digest = hashlib.sha256()
            written = 0
            fh = opener()
            try:
                with zf.open(_zipinfo(name, when, size), "w") as dest:
                    while True:
                        block = fh.read(chunk_size)
                        if not block:
                            break
                        digest.update(block)
                        written += len(block)
                        dest.write(block)
                        yield sink.drain()
            finally:
                fh.close()
            if size is not None and written != size:
                raise BundleError(
                    f"{name}：文件大小为 {written} 字节，记录为 {size} 字节 / "
                    f"{name}: the file has {written} bytes, the record says {size}"
                )
            if sha256 and digest.hexdigest() != sha256.lower():
                raise BundleError(
                    f"{name}：SHA-256 与记录不符 / {name}: the SHA-256 does not match the record"
                )
            yield sink.drain()

        if form_docx is not None:
            zf.writestr(_zipinfo(f"{form_name}.docx", when, None), form_docx)
            yield sink.drain()
        if form_pdf is not None:
            zf.writestr(_zipinfo(f"{form_name}.pdf", when, None), form_pdf)
            yield sink.drain()
        if pledge_scan is not None:
            yield from copy(pledge_name, pledge_scan.open, pledge_scan.size, pledge_scan.sha256)
        for entry in plan:
            ev = entry.evidence
            yield from copy(entry.arcname, ev.open, ev.size, ev.sha256)
        zf.writestr(_zipinfo(MANIFEST_NAME, when, None), manifest_csv(plan))
        yield sink.drain()
    yield sink.drain()  # the central directory, written on close
