"""The options' cell: labels, ticks and emphasis, and the level chosen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zeren.frameworks.spec import FrameworkSpec, IndicatorSpec
from zeren.intake.parse.grid import _Row
from zeren.intake.parse.names import (
    _EMPH_NAMES,
    _GLYPHS,
    _MARKED,
    BOXES,
    CROSSES,
    EMPH_STRIKE,
    PICTURE,
    TICKS,
    UNSURE,
)
from zeren.intake.parse.results import Problem
from zeren.intake.parse.tables import _Assessment, _cell_plain, _fast_text
from zeren.intake.parse.text import _compact, _half, _shorten
from zeren.intake.parse.wordml import _SYMBOLIC, _Walker


@dataclass(frozen=True)
class _Scale:
    indicator: IndicatorSpec
    pattern: re.Pattern[str]  # "digit, optional punctuation, label", one named group per level
    bare: dict[str, int]  # compact label -> level, for cells where the numbers were removed
    # Results for plain cell texts: in a batch the same few texts come back form after form.
    seen: dict[str, tuple[int | None, Problem | None]] = field(default_factory=dict)

    def describe(self) -> str:
        return " / ".join(f"{lv.number}.{lv.label}" for lv in self.indicator.levels)


def _label_regex(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in _compact(label))


_SCALES: dict[int, tuple[FrameworkSpec, dict[int, _Scale]]] = {}


def _scales(spec: FrameworkSpec) -> dict[int, _Scale]:
    # Keyed by identity: hashing a whole FrameworkSpec on every form costs more than reading it.
    cached = _SCALES.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    if len(_SCALES) > 16:
        _SCALES.clear()
    scales = _build_scales(spec)
    _SCALES[id(spec)] = (spec, scales)
    return scales


def _build_scales(spec: FrameworkSpec) -> dict[int, _Scale]:
    scales = {}
    for ind in spec.indicators:
        levels = sorted(ind.levels, key=lambda lv: -len(lv.label))  # longer labels first
        alternatives = "|".join(f"(?P<L{lv.number}>{_label_regex(lv.label)})" for lv in levels)
        pattern = re.compile(r"(?<![0-9])[0-9]{1,2}\s*[.,、:)]?\s*(?:" + alternatives + ")")
        bare = {_compact(lv.label): lv.number for lv in ind.levels}
        scales[ind.number] = _Scale(ind, pattern, bare)
    return scales


@dataclass
class _Option:
    level: int
    start: int  # the match, number included
    label_start: int
    end: int


_ZONE_STRIP = re.compile(r"^[\s0-9.,、:)(]*|[\s.,、:;；。)(]*$")


def _read_choice(
    scale: _Scale, text: str, flags: list[int] | None
) -> tuple[int | None, Problem | None]:
    """The level chosen in an options' cell, or a Problem. `flags` has one entry per character
    (None: not known, so emphasis gives no hint)."""
    ind = scale.indicator
    name = f"指标 {ind.number}（{ind.name}）"
    half = _half(text)
    options = _find_options(scale, half)
    if not options:
        residue = "".join(c for c in half if c not in _GLYPHS and not c.isspace())
        if not residue:
            if any(c in TICKS for c in half) or UNSURE in half:
                return None, Problem(
                    ind.number,
                    "uncertain_choice",
                    f"{name}：单元格中有勾选符号，但没有选项文字，请确认。",
                )
            return None, Problem(ind.number, "no_choice", f"{name}：未勾选任何选项。")
        shown = _shorten(" ".join(text.split()))
        return None, Problem(
            ind.number,
            "unknown_label",
            f"{name}：「{shown}」不是本指标的选项（应为 {scale.describe()}）。",
        )
    # Which characters belong to which option: line by line, ticks before or after the label.
    line_starts = [0] + [i + 1 for i, c in enumerate(half) if c == "\n"]
    ticked: set[int] = set()
    crossed: set[int] = set()
    unsure: set[int] = set()
    pictured: set[int] = set()
    boxed: set[int] = set()
    stray: list[str] = []
    by_line: dict[int, list[_Option]] = {}
    for opt in options:
        line = max(i for i, s in enumerate(line_starts) if s <= opt.start)
        by_line.setdefault(line, []).append(opt)
    for li, start in enumerate(line_starts):
        end = line_starts[li + 1] - 1 if li + 1 < len(line_starts) else len(half)
        opts = by_line.get(li)
        if not opts:
            segment = half[start:end]
            if any(c in TICKS or c == UNSURE for c in segment):
                rest = "".join(c for c in segment if c not in _GLYPHS).strip()
                stray.append(rest or segment.strip())
            continue
        prefix = any(c in _GLYPHS for c in half[start : opts[0].start])
        zones: list[tuple[_Option, str]] = []
        if len(opts) == 1:
            zones.append((opts[0], half[start : opts[0].start] + half[opts[0].end : end]))
        elif prefix:
            prev = start
            for opt in opts:
                zones.append((opt, half[prev : opt.start]))
                prev = opt.end
        else:
            for i, opt in enumerate(opts):
                stop = opts[i + 1].start if i + 1 < len(opts) else end
                zones.append((opt, half[opt.end : stop]))
        for opt, zone in zones:
            if any(c in TICKS for c in zone):
                ticked.add(opt.level)
            if UNSURE in zone:
                unsure.add(opt.level)
            if any(c in CROSSES for c in zone):
                crossed.add(opt.level)
            if PICTURE in zone:
                pictured.add(opt.level)
            if any(c in BOXES for c in zone):
                boxed.add(opt.level)
    label = ind.label

    def named(levels: set[int]) -> str:
        return "、".join(f"{lv}.{label(lv)}" for lv in sorted(levels))

    if stray:
        shown = _shorten(stray[0])
        return None, Problem(
            ind.number,
            "unknown_label",
            f"{name}：勾选的「{shown}」不是本指标的选项（应为 {scale.describe()}）。",
        )
    if unsure:
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：{named(unsure)} 处的勾选框状态与显示不一致或符号无法识别，请人工确认。",
        )
    if len(ticked) == 1:
        return next(iter(ticked)), None
    if len(ticked) > 1:
        return None, Problem(
            ind.number,
            "multiple_choices",
            f"{name}：勾选了多个选项（{named(ticked)}），应只选一项。",
        )
    present = {opt.level for opt in options}
    if len(present) == 1:
        return next(iter(present)), None  # the other options were deleted, or one was typed in
    if len(crossed) == 1:
        lv = next(iter(crossed))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，仅在「{lv}.{label(lv)}」旁画了叉，疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    if len(pictured) == 1:
        lv = next(iter(pictured))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，「{lv}.{label(lv)}」旁有一张图片（可能是勾选符号的图片），疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    unboxed = present - boxed
    if len(present) >= 3 and len(unboxed) == 1:
        lv = next(iter(unboxed))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，只有「{lv}.{label(lv)}」后的方框不见了（勾选符号可能未能保存，如带圈字符），疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    hint = _emphasis_hint(options, flags) if flags is not None else None
    if hint is not None:
        lv, how = hint
        how = how.replace("LABEL", label(lv))
        return None, Problem(
            ind.number,
            "uncertain_choice",
            f"{name}：未打勾，{how}，疑似选择 {lv}.{label(lv)}，请人工确认。",
        )
    return None, Problem(ind.number, "no_choice", f"{name}：未勾选任何选项。")


def _find_options(scale: _Scale, half: str) -> list[_Option]:
    options = []
    for m in scale.pattern.finditer(half):
        group = m.lastgroup or ""
        level = int(group[1:])
        options.append(_Option(level, m.start(), m.start(group), m.end()))
    if options:
        return options
    # No numbered option: a line that is nothing but a label (numbers removed, or typed in).
    pos = 0
    for line in half.split("\n"):
        core = "".join(c for c in line if c not in _GLYPHS)
        key = _compact(_ZONE_STRIP.sub("", core))
        bare_level = scale.bare.get(key)
        if bare_level is not None:
            first = next((i for i, c in enumerate(line) if c not in _GLYPHS and not c.isspace()), 0)
            last = max(
                (i for i, c in enumerate(line) if c not in _GLYPHS and not c.isspace()), default=0
            )
            options.append(_Option(bare_level, pos + first, pos + first, pos + last + 1))
        pos += len(line) + 1
    return options


def _emphasis_hint(options: list[_Option], flags: list[int]) -> tuple[int, str] | None:
    """One option singled out by highlight, shading, bold, colour or underline, or by striking
    out all the others: a suggestion for a person, never an answer."""
    marks: dict[int, int] = {}
    struck: dict[int, bool] = {}
    for opt in options:
        span = flags[opt.label_start : opt.end]
        bits = 0
        for f in span:
            bits |= f
        marks[opt.level] = marks.get(opt.level, 0) | (bits & _MARKED)
        struck[opt.level] = (
            struck.get(opt.level, False) or bool(span) and all(f & EMPH_STRIKE for f in span)
        )
    marked = [lv for lv, bits in marks.items() if bits]
    if len(marked) == 1 and len(marks) > 1:
        lv = marked[0]
        how = "、".join(text for bit, text in _EMPH_NAMES.items() if marks[lv] & bit)
        return lv, f"仅以{how}标出「{lv}.LABEL」"
    kept = [lv for lv, s in struck.items() if not s]
    if len(kept) == 1 and len(struck) > 1:
        lv = kept[0]
        return lv, f"其他选项均被删除线划去，只留下「{lv}.LABEL」"
    return None


def _choice(
    scale: _Scale, rows: list[_Row], col: int, walker: _Walker, options: _Walker, marks: _Walker
) -> tuple[int | None, Problem | None]:
    """The level chosen in the options' cells at grid column `col` of an indicator's rows."""
    text = _options_plain(walker, rows, col)
    if text is None or _SYMBOLIC.search(text):
        text = _options_text(options, rows, col)[0]  # fields, symbols, checkboxes
    known = scale.seen.get(text)
    if known is None:
        known = _read_choice(scale, text, None)
        if len(scale.seen) < 512:
            scale.seen[text] = known
    if known[1] is not None and known[1].code == "no_choice":
        # no tick: look again for highlight, bold, shading, colour or strike-through
        text, flags = _options_text(marks, rows, col)
        return _read_choice(scale, text, flags)
    return known


def _options_elsewhere(
    scale: _Scale, rows: list[_Row], table: _Assessment, walker: _Walker
) -> int | None:
    """The one other column of the row whose text holds this indicator's options, if any."""
    found = set()
    for row in rows:
        for cell in row.cells:
            if cell.col in (table.seq_col, table.self_col) or cell.continued:
                continue
            if scale.pattern.search(_half(_cell_plain(walker, cell))):
                found.add(cell.col)
    return found.pop() if len(found) == 1 else None


def _options_plain(walker: _Walker, rows: list[_Row], col: int) -> str | None:
    parts = []
    for row in rows:
        cell = row.at(col)
        if cell is None or cell.continued:
            continue
        text = _fast_text(walker, cell.el)
        if text is None:
            return None
        parts.append(text)
    return "\n".join(parts)


def _options_text(walker: _Walker, rows: list[_Row], col: int) -> tuple[str, list[int]]:
    """The options' cell(s) of one indicator as text, plus one emphasis entry per character
    when the walker keeps emphasis."""
    parts: list[str] = []
    flags: list[int] = []
    keep = walker.marks
    for row in rows:
        cell = row.at(col)
        if cell is None or cell.continued:
            continue
        for line in walker.container_lines(cell.el):
            if parts:
                parts.append("\n")
                if keep:
                    flags.append(0)
            for text, f in line:
                parts.append(text)
                if keep:
                    flags.extend([f] * len(text))
    return "".join(parts), flags
