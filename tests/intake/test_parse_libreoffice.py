"""Forms that went through LibreOffice: re-saved as .docx (same content, different XML) and saved
as .doc (read back through LibreOffice). Both must give the same FormData as the original.

The conversions run once per module (about 1.5 s each).
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.intake import formgen
from tests.intake.formgen import Fill, Item, Section
from zeren.frameworks.spec import seed_spec
from zeren.intake.convert import convert, soffice_path
from zeren.intake.parse import ParseResult, parse_docx, parse_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed"),
]

SPEC = seed_spec()
ENCLOSED = 9  # ticked with 带圈字符, which LibreOffice does not keep (WORD-NOTES.md)

# Every answering style that survives LibreOffice, one per indicator; the rest default to ☑.
STYLES = [s for s in formgen.ANSWERING if s != "eq"]
FILL = Fill(
    styles={**{n: STYLES[(n - 1) % len(STYLES)] for n in range(1, 29)}, ENCLOSED: "eq"},
    levels={n: (n * 3) % 5 + 1 for n in range(1, 29)},
    remarks={3: "第一行\n第二行", 17: "无"},
    sections={
        1: Section(
            "本企业设立社会责任委员会。\n每年发布报告。",
            [Item(1, "章程", "原件", "正文一行", ["章程.pdf"])],
        ),
        5: Section(
            "传播。",
            [Item(1, "数据", files=["数据.xlsx", "截图.png"]), Item(2, "说明", text="甲\n乙")],
        ),
        28: Section("环保。"),
    },
    cover_style="underline",
    layout=("blank_rows", "gridspan"),
)


def expected_after_libreoffice() -> tuple[object, set[tuple[int | None, str]]]:
    want, problems = formgen.expected(FILL)
    answer = want.answer(ENCLOSED)
    assert answer is not None
    answer.level = None  # the enclosed tick is gone; the parser says what it can see
    return want, problems | {(ENCLOSED, "uncertain_choice")}


@pytest.fixture(scope="module")
def original() -> bytes:
    return formgen.build(FILL)


@pytest.fixture(scope="module")
def resaved(original: bytes) -> bytes:
    return convert(original, source_suffix=".docx", target="docx:MS Word 2007 XML")


@pytest.fixture(scope="module")
def as_doc(original: bytes) -> bytes:
    return convert(original, source_suffix=".docx", target="doc:MS Word 97")


def codes(result: ParseResult) -> set[tuple[int | None, str]]:
    return {(p.indicator, p.code) for p in result.problems}


def test_it_reads_the_original(original: bytes) -> None:
    result = parse_docx(original, SPEC)
    assert (result.form, codes(result)) == formgen.expected(FILL)


def test_it_reads_a_form_resaved_by_libreoffice_the_same(original: bytes, resaved: bytes) -> None:
    def document(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read("word/document.xml")

    assert document(resaved) != document(original)  # different XML ...
    result = parse_docx(resaved, SPEC)
    want, problems = expected_after_libreoffice()
    assert codes(result) == problems
    assert result.form == want  # ... same content


def test_it_flags_the_enclosed_tick_libreoffice_drops(resaved: bytes) -> None:
    result = parse_docx(resaved, SPEC)
    (problem,) = [p for p in result.problems if p.indicator == ENCLOSED]
    assert problem.code == "uncertain_choice" and "方框不见了" in problem.message


def test_it_reads_a_doc_through_libreoffice_the_same(as_doc: bytes) -> None:
    assert as_doc[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    result = parse_file(as_doc, "自评材料.doc", SPEC)
    assert result.error is None, result.error
    want, problems = expected_after_libreoffice()
    assert codes(result) == problems
    assert result.form == want


def test_it_reads_a_wps_file_by_content(as_doc: bytes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "自评材料.wps"
    path.write_bytes(as_doc)
    result = parse_file(path, path.name, SPEC)
    assert result.form == expected_after_libreoffice()[0]


def test_it_refuses_a_broken_doc_that_libreoffice_cannot_open() -> None:
    broken = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 504
        + "WordDocument".encode("utf-16-le")
        + b"\x00" * 4000
    )
    start = time.monotonic()
    result = parse_file(broken, "坏文件.doc", SPEC)
    assert result.error is not None and result.error.code == "conversion_failed"
    assert "LibreOffice" in result.error.message
    # LibreOffice's own start-up dominates (1.5-3.5 s on a busy machine); the bound is generous.
    assert time.monotonic() - start < 15


def test_it_never_shows_a_local_file_a_doc_points_at(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-LOCAL-FILE", encoding="utf-8")
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "{secret}" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>placeholder</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    ).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(formgen.build(Fill()))) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + field, 1)
            dst.writestr(name, data)
    as_doc = convert(out.getvalue(), source_suffix=".docx", target="doc:MS Word 97")
    result = parse_file(as_doc, "自评材料.doc", SPEC)
    assert result.error is None and result.form is not None
    assert "TOPSECRET" not in result.form.model_dump_json()
    assert result.form.cover.enterprise_name == "北京示例网络科技有限公司"
