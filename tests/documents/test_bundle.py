"""stream_bundle: the streamed ZIP of a submission's form and evidence."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Iterator

import pytest

from zeren.documents.bundle import (
    MANIFEST_HEADER,
    BundleError,
    BundleFile,
    EvidenceFile,
    bundle_plan,
    extension,
    safe_title,
    stream_bundle,
)

WHEN = dt.datetime(2026, 11, 28, 9, 30, 0)


class Tracked(io.BytesIO):
    """A file that remembers it was closed."""

    opened: list[Tracked] = []

    def __init__(self, data: bytes):
        super().__init__(data)
        Tracked.opened.append(self)


def evidence(
    indicator: int, seq: int, title: str, name: str, data: bytes, **kw: object
) -> EvidenceFile:
    fields: dict = {
        "indicator": indicator,
        "seq": seq,
        "title": title,
        "name": name,
        "open": lambda: Tracked(data),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    fields.update(kw)
    return EvidenceFile(**fields)


@pytest.fixture
def items() -> list[EvidenceFile]:
    return [
        evidence(7, 2, "材料名称", "原文件.PDF", b"%PDF-7-2"),
        evidence(1, 1, "责任/制度:第1版?", "制度.docx", b"docx-1-1"),
        evidence(12, 1, "公益活动照片", "IMG_0001.jpg", b"jpg-12-1"),
        evidence(1, 1, "责任/制度:第1版?", "附件二.docx", b"docx-1-1-b"),
        evidence(7, 1, "  ", "说明 文本.txt", b"text " * 1000),
        evidence(3, 10, '=HYPERLINK("x")', "a", b"no extension"),
    ]


def build(items: list[EvidenceFile], **kw: object) -> bytes:
    args: dict = {
        "form_docx": b"DOCX",
        "form_pdf": b"%PDF-form",
        "pledge_scan": BundleFile("承诺书扫描.JPG", lambda: io.BytesIO(b"scan")),
        "evidence": items,
        "modified": WHEN,
    }
    args.update(kw)
    return b"".join(stream_bundle(**args))


def test_it_names_the_files_in_catalog_order(items: list[EvidenceFile]) -> None:
    with zipfile.ZipFile(io.BytesIO(build(items))) as zf:
        assert zf.namelist() == [
            "自评材料.docx",
            "自评材料.pdf",
            "诚信承诺书.JPG",
            "指标01-01-责任_制度_第1版_.docx",
            "指标01-01-责任_制度_第1版_ (2).docx",
            "指标03-10-=HYPERLINK(_x_)",
            "指标07-01-说明 文本.txt",
            "指标07-02-材料名称.PDF",
            "指标12-01-公益活动照片.jpg",
            "manifest.csv",
        ]
        assert zf.read("指标07-02-材料名称.PDF") == b"%PDF-7-2"
        assert zf.read("指标01-01-责任_制度_第1版_ (2).docx") == b"docx-1-1-b"
        assert zf.read("指标07-01-说明 文本.txt") == b"text " * 1000
        assert zf.read("自评材料.docx") == b"DOCX"
        assert zf.testzip() is None


def test_it_sets_the_utf8_flag_on_chinese_names(items: list[EvidenceFile]) -> None:
    data = build(items)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            assert bool(info.flag_bits & 0x800) == (not info.filename.isascii()), info.filename
            # The local header says the same as the central directory.
            flags = struct.unpack("<H", data[info.header_offset + 6 : info.header_offset + 8])[0]
            assert flags & 0x800 == info.flag_bits & 0x800
            assert flags & 0x08  # sizes follow in a data descriptor: the output is a stream


def test_it_writes_a_manifest_excel_can_open(items: list[EvidenceFile]) -> None:
    with zipfile.ZipFile(io.BytesIO(build(items))) as zf:
        raw = zf.read("manifest.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == list(MANIFEST_HEADER)
    plan = bundle_plan(items, reserved=["自评材料.docx"])
    assert [r[3] for r in rows[1:]] == [p.arcname for p in plan]
    by_name = {r[3]: r for r in rows[1:]}
    row = by_name["指标07-02-材料名称.PDF"]
    assert row == [
        "7",
        "2",
        "材料名称",
        "指标07-02-材料名称.PDF",
        "原文件.PDF",
        "8",
        hashlib.sha256(b"%PDF-7-2").hexdigest(),
    ]
    # A title Excel would run as a formula stays text.
    formula = next(r for r in rows[1:] if r[1] == "10")
    assert formula[2] == '\'=HYPERLINK("x")'
    assert [(int(r[0]), int(r[1])) for r in rows[1:]] == sorted(
        (int(r[0]), int(r[1])) for r in rows[1:]
    )


def test_it_stores_compressed_formats_and_deflates_the_rest(items: list[EvidenceFile]) -> None:
    with zipfile.ZipFile(io.BytesIO(build(items))) as zf:
        kinds = {i.filename: i.compress_type for i in zf.infolist()}
    assert kinds["指标07-02-材料名称.PDF"] == zipfile.ZIP_STORED
    assert kinds["指标12-01-公益活动照片.jpg"] == zipfile.ZIP_STORED
    assert kinds["指标07-01-说明 文本.txt"] == zipfile.ZIP_DEFLATED
    assert kinds["manifest.csv"] == zipfile.ZIP_DEFLATED


def test_it_streams_in_small_chunks_and_closes_every_file() -> None:
    Tracked.opened = []
    big = bytes(range(256)) * 4096 * 5  # 5 MiB
    items = [evidence(1, s, f"大文件{s}", f"big{s}.pdf", big) for s in (1, 2, 3)]
    chunks: Iterator[bytes] = stream_bundle(form_docx=None, evidence=items, chunk_size=64 * 1024)
    sizes = [len(c) for c in chunks]
    assert max(sizes) <= 64 * 1024 + 1024
    assert all(sizes)
    assert sum(sizes) > 15 * 1024 * 1024
    assert len(Tracked.opened) == 3 and all(f.closed for f in Tracked.opened)


def test_it_refuses_a_file_that_does_not_match_its_record() -> None:
    wrong_size = [evidence(1, 1, "材料", "a.pdf", b"12345", size=4)]
    with pytest.raises(BundleError, match="4"):
        build(wrong_size)
    wrong_hash = [evidence(1, 1, "材料", "a.pdf", b"12345", sha256="0" * 64)]
    with pytest.raises(BundleError, match="SHA-256"):
        build(wrong_hash)


def test_it_leaves_out_what_is_not_given() -> None:
    data = b"".join(stream_bundle(form_docx=b"DOCX", modified=WHEN))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["自评材料.docx", "manifest.csv"]
        assert zf.read("manifest.csv").decode("utf-8-sig").strip() == ",".join(MANIFEST_HEADER)
        assert zf.getinfo("自评材料.docx").date_time == (2026, 11, 28, 9, 30, 0)


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_it_is_read_by_info_zip(items: list[EvidenceFile], tmp_path: object) -> None:
    path = f"{tmp_path}/bundle.zip"
    with open(path, "wb") as fh:
        fh.write(build(items))
    result = subprocess.run(["unzip", "-t", path], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors detected" in result.stdout


def test_it_makes_titles_safe_for_windows() -> None:
    assert safe_title('a<b>c:d"e/f\\g|h?i*j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_title("  多行\n标题\t  ") == "多行 标题"
    assert safe_title("结尾的点...") == "结尾的点"
    assert safe_title("CON") == "_CON"
    assert len(safe_title("长" * 200)) == 60
    assert extension("报告.final.PDF") == ".PDF"
    assert extension("no-extension") == ""
    assert extension(".hidden") == ""
    assert extension("x.p df") == ""
    assert extension("dir\\文件.docx") == ".docx"


def test_it_dedupes_names_as_windows_compares_them() -> None:
    items = [
        evidence(2, 1, "Report", "a.PDF", b"1"),
        evidence(2, 1, "report", "b.pdf", b"2"),
        evidence(2, 1, "REPORT", "c.pdf", b"3"),
    ]
    names = [p.arcname for p in bundle_plan(items)]
    assert names == ["指标02-01-Report.PDF", "指标02-01-report (2).pdf", "指标02-01-REPORT (3).pdf"]
