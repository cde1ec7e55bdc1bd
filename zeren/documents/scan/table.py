"""The assessment table on a page: its rules, its rows by 序号, and the marks in each 企业自评 cell.

The table's columns are found by its vertical rules and matched against the widths the form is
laid out with (zeren.documents.render.layout.TABLE_COLS). In a 企业自评 cell the option lines
are the bands of glyph-sized ink; the box (□) ends each option. A mark is what is found by image
analysis around the box and the option: ink inside the box (a printed ☑ ■ ☒, a small pen tick),
ink right of the box (√ ✔ typed or written beside it), and pen strokes larger than any printed
glyph (a tick over the box, a circle round the option, a cross) assigned to the option they
centre on. Anything weak or between two options is reported as uncertain, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from zeren.documents.render.layout import TABLE_COLS
from zeren.documents.scan import ocr
from zeren.documents.scan.image import Page

SELF_COL = 5
RULE_INK = 215
TABLE_EM_TWIPS = 210
CELL_MARGIN_TWIPS = 57


@dataclass
class OptionMark:
    level: int
    fill: float  # ink inside the box, 0..1
    beside: float  # ink right of the box, in em²
    strokes: int  # large pen strokes centred on this option
    box: tuple[int, int, int, int] | None
    halo: float = 0.0  # ink just round the box (right half, above, below, right), in em²


@dataclass
class Cell:
    """One row's 企业自评 cell as read from a page."""

    indicator: int | None
    page: int
    rect: tuple[int, int, int, int]  # x, y, w, h on the upright page
    options: list[OptionMark] = field(default_factory=list)
    ambiguous_strokes: int = 0
    weak: list[int] = field(default_factory=list)  # levels with a faint or unsure mark
    layout_ok: bool = True
    typed: str = ""  # OCR text when the cell holds a typed option instead of five


def _peaks(profile: np.ndarray, threshold: float, min_gap: int) -> list[int]:
    idx = np.flatnonzero(profile >= threshold)
    if idx.size == 0:
        return []
    groups: list[list[int]] = [[int(idx[0])]]
    for i in idx[1:]:
        if i - groups[-1][-1] <= min_gap:
            groups[-1].append(int(i))
        else:
            groups.append([int(i)])
    return [int(round(np.mean(g))) for g in groups]


def column_rules(ink: np.ndarray) -> list[int] | None:
    """x of the 8 vertical rules of the assessment table, or None when the page has none."""
    h, w = ink.shape
    vert = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 40))
    )
    vert = cv2.dilate(vert, np.ones((1, 5), np.uint8))
    profile = vert.sum(axis=0).astype(np.float32)
    top = float(profile.max()) if profile.size else 0.0
    if top < h * 0.08:
        return None
    xs = _peaks(profile, max(top * 0.45, h * 0.08), max(3, w // 300))
    if len(xs) < 8:
        return None
    total = sum(TABLE_COLS)
    want = np.cumsum((0, *TABLE_COLS)) / total
    best: tuple[float, list[int]] | None = None
    for i in range(len(xs) - 7):
        for j in range(i + 7, len(xs)):
            span = xs[j] - xs[i]
            if span < w * 0.5:
                continue
            pick = []
            err = 0.0
            for frac in want:
                target = xs[i] + frac * span
                near = min(xs[i : j + 1], key=lambda x, t=target: abs(x - t))  # type: ignore[misc]
                err = max(err, abs(near - target) / span)
                pick.append(near)
            if err < 0.02 and (best is None or err < best[0]):
                best = (err, pick)
    return best[1] if best else None


def page_is_flipped_table(page: Page) -> bool:
    """Whether the page holds the assessment table upside down (its columns in reverse)."""
    faint = (page.grey[::-1, ::-1] < RULE_INK).astype(np.uint8)
    return column_rules(faint) is not None


def row_rules(ink: np.ndarray, x0: int, x1: int) -> list[int]:
    band = ink[:, x0:x1]
    width = x1 - x0
    hor = cv2.morphologyEx(
        band,
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(width * 4 // 5, 10), 1)),
    )
    return _peaks(hor.sum(axis=1).astype(np.float32), width * 0.8, 4)


_DIGITS = re.compile(r"\d{1,3}")


def _numbers(page: Page, rows: list[tuple[int, int]], x0: int, x1: int) -> list[int | None]:
    """The 序号 of each row, read together in one OCR call: the digits of each cell cut out
    tightly and stacked with white gaps."""
    pad = 4
    crops = []
    for ya, yb in rows:
        cell = page.ink[ya + pad : yb - pad, x0 + pad : x1 - pad]
        ys, xs = np.nonzero(cell)
        if ys.size == 0:
            crops.append(np.full((20, 20), 255, np.uint8))
            continue
        cy0, cy1, cx0, cx1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        crops.append(page.grey[ya + pad + cy0 : ya + pad + cy1, x0 + pad + cx0 : x0 + pad + cx1])
    width = max(c.shape[1] for c in crops) + 60
    gap = 30
    strips = [np.full((gap, width), 255, np.uint8)]
    offsets = []
    y = gap
    for c in crops:
        strip = np.full((c.shape[0], width), 255, np.uint8)
        strip[:, 30 : 30 + c.shape[1]] = c
        offsets.append((y, y + c.shape[0]))
        strips += [strip, np.full((gap, width), 255, np.uint8)]
        y += c.shape[0] + gap
    found = ocr.words(np.vstack(strips), lang="eng", psm=6, whitelist="0123456789")
    out: list[int | None] = [None] * len(rows)
    for w in found:
        if not _DIGITS.fullmatch(w.text) or w.conf < 30:
            continue
        for i, (a, b) in enumerate(offsets):
            if a - 8 <= w.cy <= b + 8 and out[i] is None:
                out[i] = int(w.text)
                break
    return out


def _fill_gaps(numbers: list[int | None]) -> list[int | None]:
    """Rows of the table on a page are consecutive indicators: the offset (number − row)
    most rows agree on numbers every row; rows read otherwise are distrusted (None)."""
    offsets = [n - i for i, n in enumerate(numbers) if n is not None]
    if not offsets:
        return numbers
    best = max(set(offsets), key=offsets.count)
    if offsets.count(best) * 2 <= len(offsets) and len(offsets) > 1:
        return numbers  # no majority: keep what was read
    return [best + i if best + i >= 1 else None for i in range(len(numbers))]


def _components(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return labels, stats[1:]  # drop the background


def _bands(mask: np.ndarray, em: float) -> list[tuple[int, int]]:
    profile = mask.sum(axis=1)
    rows = np.flatnonzero(profile > 0)
    if rows.size == 0:
        return []
    bands: list[list[int]] = [[int(rows[0]), int(rows[0])]]
    for r in rows[1:]:
        if r - bands[-1][1] <= max(2, em * 0.12):
            bands[-1][1] = int(r)
        else:
            bands.append([int(r), int(r)])
    return [(a, b + 1) for a, b in bands if (b - a) >= em * 0.35]


def option_lines(labels: list[str], chars_per_line: float) -> list[int]:
    """How many lines each option takes in the cell: N.label then the box, wrapped."""
    out = []
    for i, label in enumerate(labels, start=1):
        width = len(str(i)) * 0.55 + 0.5 + len(label) + 1.0
        out.append(max(1, int(np.ceil(width / chars_per_line - 1e-6))))
    return out


LINE_PITCH_EM = 15 / 10.5  # the table's line pitch (exactly 15 pt for 10.5 pt text)
BOX_EM = 0.8  # the □ glyph's side


def _grid(
    centres: list[float], lines: int, pitch: float, top: float, bottom: float
) -> float | None:
    """The first line's centre of `lines` evenly spaced lines that best fit the observed
    band centres (pen marks may hide or add a band)."""
    best: tuple[int, float, float] | None = None
    for c in centres:
        for k in range(lines):
            start = c - k * pitch
            if start < top - pitch * 0.3 or start + (lines - 1) * pitch > bottom + pitch * 0.3:
                continue
            hits = 0
            err = 0.0
            for o in centres:
                j = round((o - start) / pitch)
                d = abs(o - (start + j * pitch))
                if 0 <= j < lines and d < pitch * 0.25:
                    hits += 1
                    err += d
            if best is None or (hits, -err) > (best[0], -best[1]):
                best = (hits, err, start)
    # every band must sit on a line of the grid (a grid one line off would shift every level)
    if best is None or best[0] < max(1, lines - 1, len(centres) - 0):
        return None
    return best[2]


def _ring(side: int, thick: int) -> np.ndarray:
    ring = np.ones((side, side), np.float32)
    ring[thick:-thick, thick:-thick] = 0
    return ring / ring.sum()


def _find_box(ink: np.ndarray, em: float) -> tuple[int, int, int, int] | None:
    """The rightmost hollow square of about the □'s size in a line's strip."""
    best = None
    fink = cv2.dilate(ink, np.ones((3, 3), np.uint8)).astype(np.float32)
    for f in (0.74, 0.8, 0.86):
        side = max(int(round(em * f)), 6)
        if side >= ink.shape[0] or side >= ink.shape[1]:
            continue
        score = cv2.matchTemplate(fink, _ring(side, max(2, int(em * 0.08))), cv2.TM_CCORR)
        ys, xs = np.nonzero(score >= 0.72)
        if xs.size == 0:
            continue
        i = int(np.argmax(xs + score[ys, xs]))
        x, y = int(xs[i]), int(ys[i])
        # the best score near the rightmost hit
        window = score[max(y - 3, 0) : y + 4, max(x - 3, 0) : x + 4]
        dy, dx = np.unravel_index(int(np.argmax(window)), window.shape)
        x, y = max(x - 3, 0) + int(dx), max(y - 3, 0) + int(dy)
        if best is None or x > best[0] + em * 0.3:
            best = (x, y, side, side)
    return best


def read_cell(
    page: Page,
    rect: tuple[int, int, int, int],
    labels: list[str],
    em: float,
    chars_per_line: float,
    indicator: int | None,
) -> Cell:
    x, y, w, h = rect
    cell = Cell(indicator, page.number, rect)
    pad = max(3, int(em * 0.15))
    ink = page.ink[y + pad : y + h - pad, x + pad : x + w - pad].copy()
    if ink.size == 0:
        cell.layout_ok = False
        return cell
    long = max(int(em * 3), 10)
    rules = np.maximum(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((long, 1), np.uint8)),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, long * 2), np.uint8)),
    )
    ink = ink & (1 - cv2.dilate(rules, np.ones((3, 3), np.uint8)))  # table rules, not marks
    labels_img, stats = _components(ink)
    small_mask = np.zeros_like(ink)
    big: list[int] = []
    for i, (_cx, _cy, cw, ch, area) in enumerate(stats):
        if area < max(4, em * em * 0.004):
            ink[labels_img == i + 1] = 0  # speck of noise
            continue
        if (max(ch, cw) > em * 3 and min(ch, cw) < em * 0.25) or area < 0:
            ink[labels_img == i + 1] = 0  # a table rule caught at the cell's edge
            continue
        if ch > em * 1.4 or cw > em * 1.9:
            big.append(i)
        elif ch <= em * 1.1 and cw <= em * 1.4:
            small_mask[labels_img == i + 1] = 1  # a printed glyph (or a mark no larger)
    small_ink = ink.copy()  # without the large strokes (they are counted on their own)
    for i in big:
        sx, sy, sw, sh, _area = stats[i]
        sub = small_ink[sy : sy + sh, sx : sx + sw]
        sub[labels_img[sy : sy + sh, sx : sx + sw] == i + 1] = 0
    bands = _bands(small_mask, em)
    want = option_lines(labels, chars_per_line)
    pitch = em * LINE_PITCH_EM
    centres = [(a + b) / 2 for a, b in bands]
    first = _grid(centres, sum(want), pitch, 0, ink.shape[0])
    if first is None:
        cell.layout_ok = False
        return cell
    spans = []
    k = 0
    for n in want:
        top = first + k * pitch - pitch / 2
        last = first + (k + n - 1) * pitch
        spans.append((top, last + pitch / 2, last))
        k += n
    for level, (_top, _bottom, last) in enumerate(spans, start=1):
        la = max(int(last - em * 0.75), 0)
        lb = min(int(last + em * 0.75), ink.shape[0])
        found = _find_box(ink[la:lb, :], em)
        fill = 0.0
        beside = 0.0
        box = None
        if found is not None:
            bx, by, bw, bh = found
            box = (bx, la + by, bw, bh)
            bx, by = box[0], box[1]
            ix, iy = int(bw * 0.22), int(bh * 0.22)
            inner = ink[by + iy : by + bh - iy, bx + ix : bx + bw - ix]
            fill = float(inner.mean()) if inner.size else 0.0
            mid = by + bh / 2
            for cx0, cy0, cw0, ch0, area0 in stats:
                ccx, ccy = cx0 + cw0 / 2, cy0 + ch0 / 2
                if (
                    area0 >= max(4, em * em * 0.004)
                    and ccx > bx + bw + 1
                    and abs(ccy - mid) < pitch * 0.5
                ):
                    beside += float(area0) / (em * em)
        else:
            cell.layout_ok = False
        halo = 0.0
        if box is not None:
            bx, by, bw, bh = box
            m = int(em * 0.35)
            area = small_ink[
                max(by - m, 0) : by + bh + m, bx + bw // 2 : bx + bw + int(em * 0.6)
            ].copy()
            # the box's own outline (and a pixel round it) is not a mark
            oy = by - max(by - m, 0)
            area[max(oy - 2, 0) : oy + bh + 2, : bw - bw // 2 + 2] = 0
            halo = float(area.sum()) / (em * em)
        cell.options.append(OptionMark(level, fill, beside, 0, box, halo))
    # large strokes: assigned to the option whose lines hold their centre
    cut: list[tuple[int, int, int, int, float]] = []
    for i in big:
        sx, sy, sw, sh, _area = stats[i]
        rows_of = np.nonzero(labels_img[sy : sy + sh, sx : sx + sw] == i + 1)[0]
        cy = sy + float(np.median(rows_of))  # robust to a glyph the stroke touches
        hit = None
        for j, (top, bottom, _last) in enumerate(spans):
            if top <= cy <= bottom:
                hit = (j, min(cy - top, bottom - cy))
                break
        if hit is None:
            if spans[0][0] - pitch * 0.6 <= cy <= spans[-1][1] + pitch * 0.6:
                cut.append((sx, sy, sw, sh, cy))  # next to the options, on none of them
            continue
        if hit[1] < pitch * 0.12:
            cut.append((sx, sy, sw, sh, cy))
            continue
        # a stroke reaching into another option's line (not just the gap between lines) is
        # between two options: unsure, whichever holds most of it
        own = set(range(sum(want[: hit[0]]), sum(want[: hit[0] + 1])))
        others = [first + k * pitch for k in range(sum(want)) if k not in own]
        ys = sy + rows_of
        inside = np.zeros(ys.shape, bool)
        for c in others:
            inside |= np.abs(ys - c) < em * 0.45
        if ys.size and inside.mean() > 0.2:
            cut.append((sx, sy, sw, sh, cy))
            continue
        cell.options[hit[0]].strokes += 1
    # A stroke cut by the cell's edge (a circle drawn over the rule) is a piece of the one
    # mark next to it when there is exactly one; anything else stays unsure.
    sure, _maybe = decide(cell)
    for sx, sy, sw, sh, _cy in cut:
        at_edge = sx <= 1 or sy <= 1 or sx + sw >= ink.shape[1] - 1 or sy + sh >= ink.shape[0] - 1
        if at_edge and len(sure) == 1:
            top, bottom, _last = spans[sure[0] - 1]
            if top - pitch * 0.6 <= sy and sy + sh <= bottom + pitch * 0.6:
                continue  # wholly beside that option: no part reaches another option's line
        cell.ambiguous_strokes += 1
    return cell


FILL_MARK, FILL_WEAK = 0.06, 0.025
BESIDE_MARK, BESIDE_WEAK = 0.12, 0.03


def decide(cell: Cell) -> tuple[list[int], list[int]]:
    """(levels surely marked, levels maybe marked)."""
    sure, maybe = [], []
    for opt in cell.options:
        if opt.strokes or opt.fill >= FILL_MARK or max(opt.beside, opt.halo) >= BESIDE_MARK:
            sure.append(opt.level)
        elif opt.fill >= FILL_WEAK or max(opt.beside, opt.halo) >= BESIDE_WEAK:
            maybe.append(opt.level)
    return sure, maybe


@dataclass
class TablePage:
    cells: list[Cell]
    em: float


def read_table_page(page: Page, scale_labels: dict[int, list[str]]) -> TablePage | None:
    faint = (page.grey < RULE_INK).astype(np.uint8)  # hairline rules fade in a JPEG
    cols = column_rules(faint)
    if cols is None:
        return None
    px_per_twip = (cols[-1] - cols[0]) / sum(TABLE_COLS)
    em = TABLE_EM_TWIPS * px_per_twip
    x0, x1 = cols[SELF_COL], cols[SELF_COL + 1]
    ys = row_rules(faint, x0 + 2, x1 - 2)
    rows = [(a, b) for a, b in zip(ys, ys[1:], strict=False) if b - a > em * 5]
    if not rows:
        return TablePage([], em)
    numbers = _fill_gaps(_numbers(page, rows, cols[0], cols[1]))
    inner_w = (TABLE_COLS[SELF_COL] - 2 * CELL_MARGIN_TWIPS) / TABLE_EM_TWIPS
    cells = []
    for (ya, yb), number in zip(rows, numbers, strict=True):
        if number is None or number not in scale_labels:
            continue
        rect = (x0 + 2, ya + 2, x1 - x0 - 4, yb - ya - 4)
        cells.append(read_cell(page, rect, scale_labels[number], em, inner_w, number))
    return TablePage(cells, em)
