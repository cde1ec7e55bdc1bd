from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from tests.assessments.helpers import PDF_BYTES, PNG_BYTES, pdf_upload
from zeren.assessments.models import EvidenceItem, StoredFile
from zeren.assessments.uploads import UploadRejected, detect_type, store_upload

pytestmark = pytest.mark.django_db


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF_BYTES, "application/pdf"),
        (PNG_BYTES, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/x-ole-storage"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (_zip({"OFD.xml": b"<ofd/>", "Doc_0/Document.xml": b"<d/>"}), "application/ofd"),
        (_zip({"a.pdf": PDF_BYTES, "b.png": PNG_BYTES}), "application/zip"),
    ],
)
def test_it_detects_allowed_types_by_content(data: bytes, kind: str) -> None:
    found = detect_type(io.BytesIO(data))
    assert found is not None and found.content_type == kind


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 windows executable",
        b"plain text",
        _zip({"evil.exe": b"MZ"}),
        _zip({"../x.pdf": PDF_BYTES}),
        b"PK\x03\x04 truncated",
    ],
)
def test_it_refuses_what_is_not_on_the_allow_list(data: bytes) -> None:
    assert detect_type(io.BytesIO(data)) is None


def test_it_refuses_content_that_does_not_match_the_name(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UploadRejected) as exc:
        store_upload(
            assessment=assessment, upload=SimpleUploadedFile("报告.docx", PDF_BYTES), by=alice
        )
    assert "PDF" in exc.value.message and ".docx" in exc.value.message
    with pytest.raises(UploadRejected):
        store_upload(assessment=assessment, upload=SimpleUploadedFile("空.pdf", b""), by=alice)
    assert not StoredFile.objects.exists()


def test_it_stores_the_same_content_once(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    a, created_a = store_upload(assessment=assessment, upload=pdf_upload("一.pdf"), by=alice)
    b, created_b = store_upload(assessment=assessment, upload=pdf_upload("二.pdf"), by=alice)
    assert created_a and not created_b and a.pk == b.pk
    assert len(a.sha256) == 64 and a.size == len(PDF_BYTES)


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_upload_view_streams_files_into_catalog_rows(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    c = _login(alice)
    r = c.post(
        f"/assessments/{assessment.pk}/indicators/4/upload/",
        {"files": [pdf_upload("正能量作品.pdf"), SimpleUploadedFile("获奖.png", PNG_BYTES)]},
    )
    assert r.status_code == 200
    titles = list(
        EvidenceItem.objects.filter(answer__indicator__number=4)
        .order_by("seq")
        .values_list("title", flat=True)
    )
    assert titles == ["正能量作品", "获奖"]
    assert "正能量作品.pdf" in r.content.decode()


def test_upload_view_refuses_a_disguised_file_with_a_message(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    c = _login(alice)
    r = c.post(
        f"/assessments/{assessment.pk}/indicators/4/upload/",
        {"files": [SimpleUploadedFile("合同.pdf", b"MZ\x90\x00binary")]},
    )
    assert r.status_code == 400
    assert "类型不在允许范围内" in r.content.decode()
    assert not EvidenceItem.objects.exists() and not StoredFile.objects.exists()


@override_settings(ZEREN_MAX_UPLOAD_MB=1)
def test_upload_view_stops_an_oversized_file(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    c = _login(alice)
    big = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024))
    r = c.post(f"/assessments/{assessment.pk}/indicators/4/upload/", {"files": [big]})
    assert r.status_code == 400
    assert "1 MB" in r.content.decode()
    assert not StoredFile.objects.exists()


def test_download_is_an_attachment_with_nosniff_and_inline_only_for_previews(
    assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    f, _ = store_upload(assessment=assessment, upload=pdf_upload("制度.pdf"), by=alice)
    c = _login(alice)
    r = c.get(f"/assessments/{assessment.pk}/files/{f.pk}/")
    assert r.status_code == 200
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment")
    assert b"".join(r.streaming_content) == PDF_BYTES
    r = c.get(f"/assessments/{assessment.pk}/files/{f.pk}/?inline=1")
    assert r["Content-Disposition"].startswith("inline") and r["Content-Type"] == "application/pdf"


def test_images_are_sandboxed_and_pdfs_previewable(assessment, alice) -> None:  # type: ignore[no-untyped-def]
    png, _ = store_upload(
        assessment=assessment, upload=SimpleUploadedFile("图.png", PNG_BYTES), by=alice
    )
    pdf, _ = store_upload(assessment=assessment, upload=pdf_upload("制度.pdf"), by=alice)
    c = _login(alice)
    assert (
        "sandbox"
        in c.get(f"/assessments/{assessment.pk}/files/{png.pk}/?inline=1")[
            "Content-Security-Policy"
        ]
    )
    r = c.get(f"/assessments/{assessment.pk}/files/{pdf.pk}/?inline=1")
    assert "Content-Security-Policy" not in r and r["Content-Type"] == "application/pdf"
