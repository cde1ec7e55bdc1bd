"""The evidence sections (佐证材料): summaries, catalogs and items per indicator."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from zeren.assessments.formdata import Evidence, FileRef
from zeren.frameworks.spec import FrameworkSpec
from zeren.intake.parse.grid import _table_rows
from zeren.intake.parse.names import T
from zeren.intake.parse.results import Problem
from zeren.intake.parse.tables import _cell_plain, _header, _seq_number
from zeren.intake.parse.text import _clean_lines, _compact, _split_lines
from zeren.intake.parse.wordml import _text, _Walker

# Full-width digits and punctuation are accepted as they are, so lines need no conversion.
_HEADING = re.compile(r"^\s*(?:[三四]\s*级\s*)?指\s*标\s*([0-9０-９]{1,3})\s*[:：]")
_CATALOG_TITLE = re.compile(
    r"^\s*指\s*标\s*([0-9０-９]{1,3})\s*佐\s*证\s*材\s*料\s*目\s*录\s*[:：]?\s*$"
)
_CONTENT_TITLE = re.compile(r"^\s*佐\s*证\s*材\s*料\s*具\s*体\s*内\s*容\s*[:：]?\s*$")
_HINT = re.compile(r"^\s*[(（]\s*相关工作情况介绍\s*[)）]\s*")
_ITEM = re.compile(r"^\s*([0-9０-９]{1,3})\s*[.．、]\s*(.*)$")
_ATTACHMENT = re.compile(r"^\s*附\s*件\s*[0-9０-９]*\s*[:：]\s*(.*)$")
_ELLIPSIS = re.compile(r"^[\s.．…。·]*$")
_AREA_FIRST = frozenset("一二三四五六七八九十 \t\u3000")
_AREA_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(.+?)\s*$")


@dataclass
class _Item:
    seq: int
    title: str = ""
    note: str = ""
    text: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    in_catalog: bool = False


@dataclass
class _Section:
    number: int
    phase: str = "summary"  # summary -> catalog -> content
    summary: list[str] = field(default_factory=list)
    earlier: list[str] = field(default_factory=list)  # summaries of a section given twice
    items: dict[int, _Item] = field(default_factory=dict)
    current: _Item | None = None
    pictures: int = 0

    def item(self, seq: int) -> _Item:
        if seq not in self.items:
            self.items[seq] = _Item(seq)
        return self.items[seq]

    def next_seq(self) -> int:
        return max(self.items, default=0) + 1


def _catalog_rows(walker: _Walker, tbl: Any, section: _Section) -> bool:
    """Reads a 序号 / 材料名称 / 备注 table into the section; False if it is another table."""
    rows = _table_rows(walker.doc, tbl)
    found = _header(walker, rows)
    if found is None or "title" not in found[1]:
        return False
    header_row, cols = found
    seq_col, title_col, note_col = cols["seq"], cols["title"], cols.get("remarks")
    for row in rows[header_row + 1 :]:
        if next(row.tr.iter(T), None) is None:
            continue  # no text at all: an empty row of the template
        seq_text = _cell_plain(walker, row.at(seq_col))
        title_text = _cell_plain(walker, row.at(title_col))
        note_text = _cell_plain(walker, row.at(note_col)) if note_col is not None else ""
        if not (seq_text.strip() or title_text.strip() or note_text.strip()):
            continue  # an empty row of the template
        title = " ".join(x.strip() for x in _split_lines(title_text) if x.strip())
        note = _clean_lines(_split_lines(note_text))
        seq = _seq_number(seq_text)
        if seq is None or seq < 1 or (seq in section.items and section.items[seq].in_catalog):
            seq = section.next_seq()
        item = section.item(seq)
        item.title, item.note, item.in_catalog = title, note, True
    return True


def _evidence_line(section: _Section, line: str, half: str) -> None:
    # The `in` tests only spare regular expressions on the many lines that cannot match.
    if section.phase == "summary":
        if "录" in half and _CATALOG_TITLE.match(half):
            section.phase = "catalog"
            return
        if "容" in half and _CONTENT_TITLE.match(half):
            section.phase = "content"
            return
        hint = _HINT.match(half) if "相关工作" in half else None
        if hint:
            line = line[hint.end() :]
            if not line.strip():
                return
        section.summary.append(line)
        return
    if "容" in half and _CONTENT_TITLE.match(half):
        section.phase = "content"
        section.current = None
        return
    if section.phase != "content":
        if _ITEM.match(half) and section.items:
            section.phase = "content"  # the 佐证材料具体内容 line was left out
        else:
            return  # between the catalog's title and its table
    stripped = line.strip()
    if not stripped or _ELLIPSIS.match(stripped):
        if section.current is not None and section.current.text:
            section.current.text.append("")
        return
    attachment = _ATTACHMENT.match(half) if "附" in half else None
    if attachment and section.current is not None:
        name = line[attachment.start(1) :].strip()
        if name:
            section.current.files.append(name)
        return
    item = _ITEM.match(half)
    if item:
        seq = int(item.group(1))
        title = line[item.start(2) :].strip()
        expected = section.current.seq + 1 if section.current is not None else 1
        if seq in section.items or seq == expected or not section.items:
            section.current = section.item(seq)
            if title and not section.current.title:
                section.current.title = title
            return
    if section.current is None:
        section.current = section.item(section.next_seq())
    section.current.text.append(line)


def _read_evidence(
    walker: _Walker, blocks: list[tuple[str, Any]], spec: FrameworkSpec, problems: list[Problem]
) -> dict[int, _Section]:
    known = {ind.number for ind in spec.indicators}
    areas = {_compact(a.name) for a in spec.areas}
    sections: dict[int, _Section] = {}
    section: _Section | None = None
    for kind, item in blocks:
        if kind == "t":
            if section is None:
                continue
            if section.phase in ("summary", "catalog") and _catalog_rows(walker, item, section):
                section.phase = "after_catalog"
                continue
            before = walker.pictures
            for line in walker.block_lines(kind, item):
                _evidence_line(section, line, line)
            section.pictures += walker.pictures - before
            continue
        text = walker.plain.get(item)
        if text is None:
            before = walker.pictures
            text = _text(walker.paragraph(item)[0])
            if section is not None:
                section.pictures += walker.pictures - before
        if not text:  # most paragraphs here are the template's blank lines
            if section is not None:
                _evidence_line(section, "", "")
            continue
        for line in _split_lines(text):
            half = line  # the patterns accept full-width forms
            heading = _HEADING.match(half) if "指" in half else None
            if heading:
                number = int(heading.group(1))
                if number not in known:
                    problems.append(
                        Problem(
                            number,
                            "unknown_indicator",
                            f"佐证材料中的「指标{number}」不在本指标体系中，已忽略。",
                        )
                    )
                    section = None
                    continue
                if number in sections:
                    problems.append(
                        Problem(
                            number,
                            "duplicate_section",
                            f"指标 {number}：佐证材料出现了两次，已合并读取。",
                        )
                    )
                    section = sections[number]
                    section.phase = "summary"
                    section.current = None
                    section.earlier.append(_clean_lines(section.summary))
                    section.summary = []
                else:
                    section = sections[number] = _Section(number)
                continue
            area = _AREA_HEADING.match(half) if half[:1] in _AREA_FIRST else None
            if area and _compact(area.group(1)) in areas:
                continue
            if section is not None:
                _evidence_line(section, line, half)
    return sections


def _evidence_list(section: _Section) -> list[Evidence]:
    out = []
    for seq in sorted(section.items):
        item = section.items[seq]
        text = _clean_lines(item.text)
        if not (item.title or item.note or text or item.files):
            continue  # the template's 1. 2. 3. placeholders
        out.append(
            Evidence(
                seq=seq,
                title=item.title,
                note=item.note,
                text=text,
                files=[FileRef(name=name) for name in item.files],
            )
        )
    return out
