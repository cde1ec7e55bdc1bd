"""Reading a file: the main part of the package, the form, .doc through LibreOffice."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from zeren.assessments.formdata import Answer, Evidence, FormData, FrameworkRef
from zeren.frameworks.spec import FrameworkSpec
from zeren.intake.parse.evidence import _CATALOG_TITLE, _HEADING, _evidence_list, _read_evidence
from zeren.intake.parse.front import _front_lines, _read_front
from zeren.intake.parse.grid import _table_rows
from zeren.intake.parse.index import _index
from zeren.intake.parse.names import _REL_NS, _STRICT_W, _TRANSITIONAL_W, _W, BODY
from zeren.intake.parse.options import _choice, _options_elsewhere, _scales
from zeren.intake.parse.results import ParseResult, Problem
from zeren.intake.parse.tables import (
    _Assessment,
    _cell_plain,
    _collect_rows,
    _find_assessment,
    _header,
)
from zeren.intake.parse.text import _clean_lines, _half, _split_lines
from zeren.intake.parse.wordml import _block_items, _text, _Walker
from zeren.lib import safezip
from zeren.lib.safezip import FileRefused

# --- putting it together ------------------------------------------------------------------------


def _main_part(zf: Any) -> str:
    """The main document part named by _rels/.rels (usually word/document.xml)."""
    rels = safezip.read_part(zf, "_rels/.rels", limit=1024 * 1024)
    if rels is not None:
        root = safezip.parse_xml(rels, "_rels/.rels")
        for rel in root.iter(_REL_NS + "Relationship"):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                if rel.get("TargetMode") == "External":
                    raise FileRefused("not_a_word_file", "文件的正文指向外部链接，拒绝读取。")
                target = (rel.get("Target") or "").lstrip("/")
                if target:
                    return target
    return safezip.DOCUMENT_PART


def _not_word(kind: str) -> FileRefused:
    if kind == "word":
        return FileRefused("not_a_word_file", "文件中没有 Word 正文，不是 Word 文件。")
    return FileRefused(
        "not_a_word_file",
        f"这是{kind}，不是 Word 文件。请在 Word 或 WPS 中打开自评材料，另存为 .docx 后再上传。",
    )


def _body(data: bytes) -> tuple[Any, bytes]:
    zf = safezip.open_zip(data)
    kind = safezip.zip_kind(zf)
    name = _main_part(zf)
    if name not in zf.NameToInfo:
        if kind != "word":
            raise _not_word(kind)
        name = safezip.DOCUMENT_PART
    elif not name.startswith("word/") and kind != "word":
        raise _not_word(kind)  # an Excel or PowerPoint package
    xml = safezip.read_part(zf, name)
    if xml is None:
        raise _not_word(kind)
    if _STRICT_W in xml[:4096]:
        xml = xml.replace(_STRICT_W, _TRANSITIONAL_W)  # "Strict Open XML" uses other names
    root = safezip.parse_xml(xml, name)
    body = root.find(BODY)
    if root.tag != _W + "document" or body is None:
        raise _not_word(kind)
    return body, xml


def parse_docx(data: bytes, spec: FrameworkSpec) -> ParseResult:
    """Reads a filled form from .docx bytes; errors and problems are returned, never raised."""
    try:
        body, xml = _body(data)
    except FileRefused as exc:
        return ParseResult.failed(exc.code, exc.message)
    try:
        return _parse_body(body, xml, spec)
    except RecursionError:
        return ParseResult.failed("unsafe_xml", "文件结构嵌套过深，拒绝读取。")


def _parse_body(body: Any, xml: bytes, spec: FrameworkSpec) -> ParseResult:
    doc = _index(body)
    walker = _Walker(doc)
    blocks = list(_block_items(body))
    found = _find_assessment(walker, blocks)
    if found is None:
        return ParseResult.failed(
            "not_a_form",
            "文件中找不到自评表（表头含“序号”“企业自评”的表格），不是互联网平台企业履行社会责任自评材料。",
        )
    index, table = found
    problems: list[Problem] = list(table.problems)
    cover, pledge = _read_front(_front_lines(walker, blocks[:index]), problems)
    rest = _continuations(walker, blocks[index + 1 :], table, len(spec.indicators))
    sections = _read_evidence(walker, rest, spec, problems)
    scales = _scales(spec)
    options = _Walker(doc, options=True)
    marks = _Walker(doc, marks=True)
    answers = []
    for ind in spec.indicators:
        rows = table.rows.get(ind.number)
        section = sections.get(ind.number)
        level = None
        remarks = ""
        if rows is None:
            problems.append(
                Problem(
                    ind.number,
                    "missing_indicator",
                    f"指标 {ind.number}（{ind.name}）：自评表中找不到这一行（序号 {ind.number}）。",
                )
            )
        else:
            scale = scales[ind.number]
            level, problem = _choice(scale, rows, table.self_col, walker, options, marks)
            if problem is not None and problem.code in ("no_choice", "unknown_label"):
                # a row whose cells do not line up with the header (a cell deleted or added)
                col = _options_elsewhere(scale, rows, table, walker)
                if col is not None:
                    level, problem = _choice(scale, rows, col, walker, options, marks)
            if problem is not None:
                problems.append(problem)
            remark_lines: list[str] = []
            if table.remarks_col is not None:
                for row in rows:
                    remark_lines.extend(
                        _split_lines(_cell_plain(walker, row.at(table.remarks_col)))
                    )
            remarks = _clean_lines(remark_lines)
        summary = ""
        evidence: list[Evidence] = []
        if section is not None:
            summary = "\n".join(x for x in [*section.earlier, _clean_lines(section.summary)] if x)
            evidence = _evidence_list(section)
            if section.pictures:
                problems.append(
                    Problem(
                        ind.number,
                        "embedded_picture",
                        f"指标 {ind.number}：佐证材料中有 {section.pictures} 张嵌入图片，未导入，请作为附件另行上传。",
                    )
                )
        answers.append(
            Answer(
                indicator=ind.number,
                level=level,
                remarks=remarks,
                work_summary=summary,
                evidence=evidence,
            )
        )
    extra = sorted(set(table.rows) - {ind.number for ind in spec.indicators})
    for number in extra:
        problems.append(
            Problem(
                number, "unknown_indicator", f"自评表中序号 {number} 不在本指标体系中，已忽略。"
            )
        )
    form = FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=cover,
        pledge=pledge,
        answers=answers,
    )
    problems.sort(key=lambda p: (p.indicator is not None, p.indicator or 0))
    return ParseResult(form=form, problems=problems, error=None)


def _continuations(
    walker: _Walker, blocks: list[tuple[str, Any]], table: _Assessment, expected: int
) -> list[tuple[str, Any]]:
    """Reads the rest of a table split in two (with or without a repeated header) and returns
    the blocks left for the evidence sections."""
    consumed: set[int] = set()
    for i, (kind, item) in enumerate(blocks):
        if len(table.rows) >= expected:
            break
        if kind == "p":
            text = _half(_text(walker.paragraph(item)[0]))
            if _HEADING.match(text) or _CATALOG_TITLE.match(text) or "佐证材料" in text:
                break
            continue
        rows = _table_rows(walker.doc, item)
        found = _header(walker, rows)
        if found is None:
            _collect_rows(walker, rows, table.seq_col, table.self_col, table)
        elif "self" in found[1]:
            _collect_rows(walker, rows, found[1]["seq"], found[1]["self"], table)
        else:
            break
        consumed.add(i)
    return [b for i, b in enumerate(blocks) if i not in consumed]


# --- files of any kind --------------------------------------------------------------------------


def parse_file(
    source: str | os.PathLike[str] | bytes,
    name: str | None,
    spec: FrameworkSpec,
    *,
    timeout: float = 60.0,
) -> ParseResult:
    """Reads a .docx, or a .doc/.wps after converting it with LibreOffice; decided by content."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return ParseResult.failed("unreadable_file", "不是普通文件，无法读取。")
            with path.open("rb") as fh:  # bounded: the size may change while reading
                data = fh.read(safezip.MAX_FILE_BYTES + 1)
        except OSError:
            return ParseResult.failed("unreadable_file", "文件无法打开（不存在或没有读取权限）。")
    if len(data) > safezip.MAX_FILE_BYTES:
        return ParseResult.failed(
            "too_large", f"文件超过 {safezip.MAX_FILE_BYTES // (1024 * 1024)} MB，无法读取。"
        )
    kind = safezip.sniff(data)
    if kind == "zip":
        return parse_docx(data, spec)
    if kind != "ole2":
        exc = safezip.refuse_unknown(kind)
        return ParseResult.failed(exc.code, exc.message)
    ole = safezip.ole2_kind(data)
    if ole == "encrypted":
        return ParseResult.failed(
            "encrypted_file", "文件已加密（设置了打开密码），请取消密码后另存为 .docx 再上传。"
        )
    if ole in ("excel", "powerpoint"):
        what = "Excel" if ole == "excel" else "PowerPoint"
        return ParseResult.failed(
            "not_a_word_file",
            f"这是 {what} 文件，不是 Word 文件。请上传 Word 或 WPS 填写的自评材料。",
        )
    from zeren.intake.convert import ConversionFailed, convert_to_docx

    try:
        docx = convert_to_docx(data, timeout=timeout)
    except ConversionFailed as exc:
        return ParseResult.failed("conversion_failed", exc.message)
    return parse_docx(docx, spec)
