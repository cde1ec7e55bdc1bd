"""docx_to_pdf: LibreOffice's PDF of the rendered form, read back with poppler's tools."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from zeren.assessments.formdata import (
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.documents import pdf as pdf_module
from zeren.documents.pdf import PdfFailed, PdfUnavailable, docx_to_pdf, docx_to_pdfs
from zeren.documents.render import render_docx
from zeren.frameworks.spec import FrameworkSpec, seed_spec

needs_soffice = pytest.mark.skipif(
    not pdf_module.pdf_available() or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed (scripts/install-system-packages)",
)


def filled_form(spec: FrameworkSpec) -> FormData:
    return FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(enterprise_name="A&B<科技>有限公司", submission_date=dt.date(2026, 11, 28)),
        pledge=Pledge(enterprise_name="A&B<科技>有限公司", lead="李四", date=dt.date(2026, 11, 28)),
        answers=[
            Answer(
                indicator=ind.number,
                level=ind.number % 5 + 1,
                work_summary="我们做了这些工作。" * 30,
                evidence=[
                    Evidence(seq=1, title="制度文件", files=[FileRef(name="制度.pdf")]),
                    Evidence(seq=2, title="工作总结", text="总结要点"),
                ],
            )
            for ind in spec.indicators
        ],
    )


class Converted:
    def __init__(self, tmp: Path, name: str, data: bytes):
        self.path = tmp / f"{name}.pdf"
        self.path.write_bytes(data)
        self.data = data

    def info(self) -> dict[str, str]:
        out = subprocess.run(
            ["pdfinfo", str(self.path)], capture_output=True, text=True, check=True
        ).stdout
        return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)

    def pages(self) -> int:
        return int(self.info()["Pages"])

    def text(self, page: int | None = None) -> str:
        args = ["pdftotext", "-enc", "UTF-8"]
        if page is not None:
            args += ["-f", str(page), "-l", str(page)]
        return subprocess.run(
            [*args, str(self.path), "-"], capture_output=True, text=True, check=True
        ).stdout


@pytest.fixture(scope="module")
def spec() -> FrameworkSpec:
    return seed_spec()


@pytest.fixture(scope="module")
def pdfs(spec: FrameworkSpec, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """One LibreOffice batch for the whole module: the filled form twice, blank, blank draft."""
    if not pdf_module.pdf_available():
        pytest.skip("LibreOffice is not installed (scripts/install-system-packages)")
    filled = render_docx(filled_form(spec), spec)
    docs = {
        "filled": filled,
        "filled-again": render_docx(filled_form(spec), spec),
        "blank": render_docx(None, spec),
        "draft": render_docx(None, spec, draft=True),
    }
    results = docx_to_pdfs(list(docs.values()))
    tmp = tmp_path_factory.mktemp("pdf")
    return {name: Converted(tmp, name, data) for name, data in zip(docs, results, strict=True)}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_soffice
@pytest.mark.slow
def test_it_prints_every_indicator(spec: FrameworkSpec, pdfs: dict[str, Converted]) -> None:
    for name in ("filled", "blank"):
        text = squeeze(pdfs[name].text())
        for ind in spec.indicators:
            assert ind.name in text, (name, ind.name)
            assert f"三级指标{ind.number}：{ind.name}" in text
        assert spec.document.table_title in text


@needs_soffice
@pytest.mark.slow
def test_it_prints_the_filled_values(pdfs: dict[str, Converted]) -> None:
    text = squeeze(pdfs["filled"].text())
    assert "企业名称（公章）：A&B<科技>有限公司" in text
    assert "日期：2026年11月28日" in text
    assert "☑" in text


@needs_soffice
@pytest.mark.slow
def test_it_gives_the_same_page_count_each_time(pdfs: dict[str, Converted]) -> None:
    assert pdfs["filled"].pages() == pdfs["filled-again"].pages()
    assert pdfs["blank"].pages() == pdfs["draft"].pages()
    assert pdfs["filled"].pages() > pdfs["blank"].pages() > 4


@needs_soffice
@pytest.mark.slow
def test_it_prints_on_a4_with_no_empty_page(pdfs: dict[str, Converted]) -> None:
    for converted in pdfs.values():
        assert "(A4)" in converted.info()["Page size"]
        pages = [squeeze(p) for p in converted.text().split("\f")[: converted.pages()]]
        # Every page carries its number in the footer, as — N —, and something besides it
        # and the draft mark.
        for number, page in enumerate(pages, start=1):
            assert f"—{number}—" in page
            assert page.replace(f"—{number}—", "").replace("草稿", ""), f"page {number} is empty"


@needs_soffice
@pytest.mark.slow
def test_it_prints_the_draft_mark_on_every_page_of_drafts_only(pdfs: dict[str, Converted]) -> None:
    draft_pages = pdfs["draft"].text().split("\f")[: pdfs["draft"].pages()]
    assert all("草稿" in p for p in draft_pages)
    assert "草稿" not in pdfs["blank"].text()


@needs_soffice
@pytest.mark.slow
def test_it_embeds_noto_cjk_for_the_chinese_fonts(pdfs: dict[str, Converted]) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["filled"].path)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSerifCJK" in fonts  # 仿宋_GB2312, 宋体, 方正小标宋简体 through fonts.conf
    assert "NotoSansCJK" in fonts  # 黑体
    assert "DejaVuSans" in fonts  # ☑


@needs_soffice
@pytest.mark.slow
def test_it_converts_one_document(spec: FrameworkSpec, pdfs: dict[str, Converted]) -> None:
    data = docx_to_pdf(render_docx(None, spec))
    assert data.startswith(b"%PDF-")


@needs_soffice
def test_it_gives_up_after_the_timeout(spec: FrameworkSpec) -> None:
    started = time.monotonic()
    with pytest.raises(PdfFailed, match="timed out"):
        docx_to_pdf(render_docx(None, spec), timeout=0.05)
    assert time.monotonic() - started < 10


@needs_soffice
def test_it_reports_a_file_it_cannot_convert(spec: FrameworkSpec) -> None:
    broken = render_docx(None, spec)[:5000]  # a truncated zip
    with pytest.raises(PdfFailed, match="did not convert file 2"):
        docx_to_pdfs([render_docx(None, spec), broken], timeout=60)


def test_it_says_how_to_install_libreoffice_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    with pytest.raises(PdfUnavailable) as caught:
        docx_to_pdf(b"")
    message = str(caught.value)
    for words in (
        "未找到 LibreOffice",
        "was not found",
        "libreoffice-writer-nogui",
        "fonts-noto-cjk",
        "fonts-dejavu-core",
        "scripts/install-system-packages",
    ):
        assert words in message


def test_it_ships_a_fontconfig_that_maps_the_official_fonts() -> None:
    conf = pdf_module.FONTS_CONF.read_text(encoding="utf-8")
    for family in (
        "仿宋_GB2312",
        "仿宋",
        "FangSong",
        "宋体",
        "SimSun",
        "方正小标宋简体",
        "黑体",
        "SimHei",
    ):
        assert f"<string>{family}</string>" in conf or f"<family>{family}</family>" in conf
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in conf
    if shutil.which("fc-match"):
        env = {"FONTCONFIG_FILE": str(pdf_module.FONTS_CONF), "PATH": "/usr/bin:/bin"}
        for family, face in (
            ("仿宋_GB2312", "Noto Serif CJK SC"),
            ("黑体", "Noto Sans CJK SC"),
            ("方正小标宋简体", "Noto Serif CJK SC"),
        ):
            got = subprocess.run(
                ["fc-match", family, "family"], env=env, capture_output=True, text=True
            ).stdout
            if "Noto" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
                assert face in got, (family, got)
