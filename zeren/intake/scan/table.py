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
from zeren.intake.scan import ocr
from zeren.intake.scan.image import Page

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
    glyph_beside: bool = False  # a glyph-high stroke right of the box (a typed or written √)


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
    typed_conf: float = 0.0
    empty: bool = False  # a cell the form leaves empty (no options printed), left empty


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


def _vertical_rules(ink: np.ndarray) -> tuple[list[int], float] | None:
    """x of the long vertical lines of a page and the strongest line's length in pixels, or
    None when the page has no such line."""
    h, w = ink.shape
    vert = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 40))
    )
    vert = cv2.dilate(vert, np.ones((1, 5), np.uint8))
    profile = vert.sum(axis=0).astype(np.float32)
    top = float(profile.max()) if profile.size else 0.0
    if top < h * 0.08:
        return None
    return _peaks(profile, max(top * 0.45, h * 0.08), max(3, w // 300)), top


def _zeren_columns(xs: list[int], w: int) -> list[int] | None:
    """The 8 of these lines that are the rules of Zeren's own assessment table (its column
    widths, any scale), or None."""
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
    return table_columns(faint) is not None


def row_rules(ink: np.ndarray, x0: int, x1: int) -> list[int]:
    """y of the horizontal rules across a column. A rule may drift a few pixels across the
    column (a photo's perspective, a skew left after deskewing): thickened vertically first."""
    band = cv2.dilate(ink[:, x0:x1], np.ones((7, 1), np.uint8))
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
    most rows agree on numbers the rows not read; a row read otherwise is distrusted (None),
    never renumbered (a missed rule shifts the rows after it, and their own numbers say so)."""
    offsets = [n - i for i, n in enumerate(numbers) if n is not None]
    if not offsets:
        return numbers
    best = max(set(offsets), key=offsets.count)
    if offsets.count(best) * 2 <= len(offsets) and len(offsets) > 1:
        return numbers  # no majority: keep what was read
    # a row read otherwise than most is distrusted; an unread row takes the rows' offset
    return [
        None if (n is not None and n - i != best) or best + i < 1 else best + i
        for i, n in enumerate(numbers)
    ]


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
    out: np.ndarray = ring / ring.sum()
    return out


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


def _four_sides(raw: np.ndarray) -> bool:
    """Whether a square of ink has all four sides drawn (a box, empty, ticked, crossed or
    filled), not just enough ink round its edge (a dense glyph such as 够 or 探)."""
    t = 3  # a thin band at each edge: a glyph has strokes there, a box a whole side
    sides = (
        raw[:t, :].max(axis=0),
        raw[-t:, :].max(axis=0),
        raw[:, :t].max(axis=1),
        raw[:, -t:].max(axis=1),
    )
    return all(float(side.mean()) >= 0.9 for side in sides)


def _boxes_by_line(ink: np.ndarray, em: float, pitch: float) -> list[tuple[int, int, int, int]]:
    """The rightmost □-sized square of each text line in a cell, top to bottom."""
    fink = cv2.dilate(ink, np.ones((3, 3), np.uint8)).astype(np.float32)
    found: list[tuple[float, int, int, int]] = []  # score, x, y, side
    for f in (0.74, 0.8, 0.86):
        side = max(int(round(em * f)), 6)
        if side >= ink.shape[0] or side >= ink.shape[1]:
            continue
        score = cv2.matchTemplate(fink, _ring(side, max(2, int(em * 0.08))), cv2.TM_CCORR)
        peak = (score >= 0.72) & (score >= cv2.dilate(score, np.ones((side, side), np.uint8)))
        for yy, xx in zip(*np.nonzero(peak), strict=True):
            if _four_sides(ink[yy : yy + side, xx : xx + side]):
                found.append((float(score[yy, xx]), int(xx), int(yy), side))
    kept: list[tuple[float, int, int, int]] = []
    for cand in sorted(found, reverse=True):
        if all(abs(cand[1] - k[1]) > em * 0.5 or abs(cand[2] - k[2]) > em * 0.5 for k in kept):
            kept.append(cand)
    lines: list[list[tuple[float, int, int, int]]] = []
    for cand in sorted(kept, key=lambda c: c[2]):
        cy = cand[2] + cand[3] / 2
        if lines and abs(cy - (lines[-1][0][2] + lines[-1][0][3] / 2)) < pitch * 0.4:
            lines[-1].append(cand)
        else:
            lines.append([cand])
    out = []
    for line in lines:
        _s, bx, by, side = max(line, key=lambda c: c[1])
        out.append((bx, by, side, side))
    return out


_TYPED_SKIP = str.maketrans("", "", " \t□☑☒■√✓✔〇○●|")


def _typed_text(
    page: Page,
    rect: tuple[int, int, int, int],
    pad: int,
    bands: list[tuple[int, int]],
    boxes: list[tuple[int, int, int, int]],
) -> tuple[str, float]:
    """OCR of the one or two lines typed into a cell the form leaves empty (a box typed after
    the option, ticked or not, is left out: OCR reads ☑ as a character)."""
    x, y, w, h = rect
    top = max(y + pad + bands[0][0] - pad * 2, 0)
    bottom = y + pad + bands[-1][1] + pad * 2
    grey = page.grey[:, x + pad : x + w - pad].copy()
    for bx, by, bw, bh in boxes:
        m = max(2, bw // 6)
        grey[max(y + pad + by - m, 0) : y + pad + by + bh + m, max(bx - m, 0) : bx + bw + m] = 255
    crop = grey[top:bottom]
    crop = cv2.copyMakeBorder(crop, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    found = ocr.words(crop, psm=6)
    if not found:
        return "", 0.0
    text = "".join(wd.text for wd in found).translate(_TYPED_SKIP)
    return text, float(min(wd.conf for wd in found))


def read_cell(
    page: Page,
    rect: tuple[int, int, int, int],
    labels: list[str],
    em: float,
    chars_per_line: float,
    indicator: int | None,
    *,
    pitch: float | None = None,
    boxes_first: bool = False,
    seam: int | None = None,
) -> Cell:
    """Reads one 企业自评 cell. Where its option lines are comes from the form's layout (how
    many lines each option wraps to, on a regular line grid) or, with `boxes_first` (a form
    whose layout is measured from the scan, or a row joined from two pages), from the box that
    ends each option: exactly one per option, or the layout is not trusted."""
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
        if ch > em * 1.1 or cw > em * 1.9:  # taller than any glyph: a pen stroke
            big.append(i)
        elif ch <= em * 1.1 and cw <= em * 1.4:
            small_mask[labels_img == i + 1] = 1  # a printed glyph (or a mark no larger)
    small_ink = ink.copy()  # without the large strokes (they are counted on their own)
    for i in big:
        sx, sy, sw, sh, _area = stats[i]
        sub = small_ink[sy : sy + sh, sx : sx + sw]
        sub[labels_img[sy : sy + sh, sx : sx + sw] == i + 1] = 0
    bands = _bands(small_mask, em)
    pitch = pitch or em * LINE_PITCH_EM
    centres = [(a + b) / 2 for a, b in bands]
    spans: list[tuple[float, float, float]] = []
    preset: list[tuple[int, int, int, int] | None] = []
    lines_y: list[float] = []
    line_opt: list[int] = []
    line_boxes = _boxes_by_line(ink, em, pitch) if boxes_first else []
    if boxes_first and len(line_boxes) <= 1 and len(bands) <= 2 and len(labels) > 2:
        # no options printed: a cell left empty in the form, answered by typing one option
        cell.empty = not bands
        if bands:
            cell.typed, cell.typed_conf = _typed_text(page, rect, pad, bands, line_boxes)
        return cell
    if len(line_boxes) == len(labels):
        box_ys = [b[1] + b[3] / 2 for b in line_boxes]
        merged = sorted(
            box_ys + [c for c in centres if min(abs(c - b) for b in box_ys) > pitch * 0.4]
        )
        for c in merged:
            j = next((k for k, b in enumerate(box_ys) if b >= c - pitch * 0.4), None)
            if j is not None:
                lines_y.append(c)
                line_opt.append(j)
        for j, b in enumerate(box_ys):
            top = min(ly for ly, o in zip(lines_y, line_opt, strict=True) if o == j)
            spans.append((top - pitch / 2, b + pitch / 2, b))
        preset = list(line_boxes)
    else:
        want = option_lines(labels, chars_per_line)
        first = _grid(centres, sum(want), pitch, 0, ink.shape[0])
        if first is None:
            cell.layout_ok = False
            return cell
        k = 0
        for n in want:
            top = first + k * pitch - pitch / 2
            last = first + (k + n - 1) * pitch
            spans.append((top, last + pitch / 2, last))
            k += n
        lines_y = [first + k * pitch for k in range(sum(want))]
        line_opt = [j for j, n in enumerate(want) for _ in range(n)]
    for level, (_top, _bottom, last) in enumerate(spans, start=1):
        la = max(int(last - em * 0.75), 0)
        lb = min(int(last + em * 0.75), ink.shape[0])
        if preset:
            pb = preset[level - 1]
            found = (pb[0], pb[1] - la, pb[2], pb[3]) if pb else None
        else:
            found = _find_box(ink[la:lb, :], em)
        fill = 0.0
        beside = 0.0
        glyph_beside = False
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
                    if ch0 >= em * 0.45 and area0 >= em * em * 0.05 and cx0 < bx + bw + em:
                        glyph_beside = True
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
        cell.options.append(OptionMark(level, fill, beside, 0, box, halo, glyph_beside))
    # large strokes: a loop (a circle round an option) belongs to the option whose lines it
    # encloses; any other stroke to the line its ink centres on, or to the box it runs through
    cut: list[tuple[int, int, int, int, float]] = []
    for i in big:
        sx, sy, sw, sh, _area = stats[i]
        comp = labels_img[sy : sy + sh, sx : sx + sw] == i + 1
        rows_of = np.nonzero(comp)[0]
        cy = sy + float(np.median(rows_of))  # robust to a glyph the stroke touches
        near = int(np.argmin([abs(cy - ly) for ly in lines_y]))
        at_seam = seam is not None and sy - 3 <= seam - y - pad <= sy + sh + 3
        if not (lines_y[0] - pitch * 1.1 <= cy <= lines_y[-1] + pitch * 1.1):
            continue  # above or below the options: not a mark on any of them
        edges = (sx <= 1, sy <= 1, sx + sw >= ink.shape[1] - 1, sy + sh >= ink.shape[0] - 1)
        if at_seam and seam is not None:  # the cut where Word split the row: an edge too
            local = seam - y - pad
            edges = (
                edges[0],
                edges[1] or sy >= local - 3,
                edges[2],
                edges[3] or sy + sh <= local + 3,
            )
        holes = _holes(comp.astype(np.uint8), em, edges if sw >= em * 3 else (False,) * 4)
        rounded: set[int] = set()  # the options the loops go round, each with its box
        spread = False  # a loop round two options, or round a label without its box
        for hole in holes:
            hx0, hy0, hx1, hy1 = sx + hole[0], sy + hole[1], sx + hole[2], sy + hole[3]
            enclosed = {line_opt[k] for k, ly in enumerate(lines_y) if hy0 <= ly <= hy1}
            boxes = {
                j
                for j, o in enumerate(cell.options)
                if o.box is not None
                and hx0 <= o.box[0] + o.box[2] / 2 <= hx1
                and hy0 <= o.box[1] + o.box[3] / 2 <= hy1
            }
            if len(enclosed) == 1 and enclosed == boxes:
                rounded |= enclosed
            elif len(enclosed) > 1:
                spread = True
        if spread:
            cut.append((sx, sy, sw, sh, cy))
            continue
        if rounded:  # two circles drawn touching are one stroke: both options are marked
            for j in rounded:
                cell.options[j].strokes += 1
            continue
        if at_seam:  # any other stroke the split runs through may go on to another option
            cut.append((sx, sy, sw, sh, cy))
            continue
        j = line_opt[near]
        if _through_its_box_only(cell, j) and _centred_on_box(comp, sx, sy, cell.options[j], em):
            cell.options[j].strokes += 1  # a cross or a tick through this box and no other
            continue
        if abs(cy - lines_y[near]) > em * 0.25:
            cut.append((sx, sy, sw, sh, cy))  # centred between two lines: unsure
            continue
        # a stroke reaching into another option's line (not just the gap between lines) is
        # between two options: unsure, whichever holds most of it
        ys = sy + rows_of
        inside = np.zeros(ys.shape, bool)
        for k, ly in enumerate(lines_y):
            if line_opt[k] != j:
                inside |= np.abs(ys - ly) < em * 0.45
        if ys.size and inside.mean() > 0.2:
            cut.append((sx, sy, sw, sh, cy))
            continue
        cell.options[j].strokes += 1
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


def _holes(mask: np.ndarray, em: float, edges: tuple[bool, ...]) -> list[tuple[int, int, int, int]]:
    """The holes (x0, y0, x1, y1) of a stroke that is one or more loops drawn round something
    (an option's box and more across, most of a line high). A loop cut by the cell's edge
    (left, top, right, bottom in `edges`) is closed along that edge."""
    padded = np.pad(mask, 1)
    for side, touches in enumerate(edges):
        if touches:
            if side == 0:
                padded[:, 0] = padded[:, 1]
            elif side == 1:
                padded[0, :] = padded[1, :]
            elif side == 2:
                padded[:, -1] = padded[:, -2]
            else:
                padded[-1, :] = padded[-2, :]
            line = [padded[:, 0], padded[0, :], padded[:, -1], padded[-1, :]][side]
            hit = np.flatnonzero(line)
            if hit.size:
                line[hit[0] : hit[-1] + 1] = 1
    contours, hierarchy = cv2.findContours(padded, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[int, int, int, int]] = []
    if hierarchy is not None:
        for contour, (_next, _prev, _child, parent) in zip(contours, hierarchy[0], strict=True):
            if parent == -1:
                continue
            x, y, w, h = cv2.boundingRect(contour)
            if w >= em * 1.5 and h >= em * 0.7:
                found.append((x - 1, y - 1, x - 1 + w, y - 1 + h))
    if not found and any(edges) and mask.shape[0] >= em * 0.9:
        # a wide loop cut by two edges at a corner of the cell: what it surrounds is its extent
        return [(0, 0, mask.shape[1], mask.shape[0])]
    return found


def _centred_on_box(comp: np.ndarray, sx: int, sy: int, opt: OptionMark, em: float) -> bool:
    """Whether the part of a stroke over its box's column is centred on the box (a cross or a
    tick drawn on it), not on the line above or below (a tick between two options whose tip
    runs through a box). Glyphs the stroke touches left of the box do not move the centre."""
    if opt.box is None:
        return False
    bx, by, bw, bh = opt.box
    a = max(int(bx - em * 0.3) - sx, 0)
    b = max(int(bx + bw + em * 0.3) - sx, 0)
    rows = np.nonzero(comp[:, a:b])[0]
    if rows.size == 0:
        return False
    return abs(sy + float(np.median(rows)) - (by + bh / 2)) <= em * 0.3


def _through_its_box_only(cell: Cell, index: int) -> bool:
    """Whether a stroke centred on option `index` is explained as a mark on its own box: it
    fills that box and no other box holds any ink (a cross over the box that touches the next
    line's glyphs, and merges with them)."""
    own = cell.options[index]
    if own.fill < FILL_MARK:
        return False
    return all(o.fill < FILL_WEAK for j, o in enumerate(cell.options) if j != index)


FILL_MARK, FILL_WEAK = 0.06, 0.025
BESIDE_MARK, BESIDE_WEAK = 0.12, 0.03


def decide(cell: Cell) -> tuple[list[int], list[int]]:
    """(levels surely marked, levels maybe marked)."""
    sure, maybe = [], []
    for opt in cell.options:
        if (
            opt.strokes
            or opt.fill >= FILL_MARK
            or max(opt.beside, opt.halo) >= BESIDE_MARK
            or opt.glyph_beside
        ):
            sure.append(opt.level)
        elif opt.fill >= FILL_WEAK or max(opt.beside, opt.halo) >= BESIDE_WEAK:
            maybe.append(opt.level)
    return sure, maybe


@dataclass
class Part:
    """The 企业自评 cell of a row that may be split across two pages: the last numbered row of
    a page (`number`), or an unnumbered row at the top of a page (its continuation)."""

    number: int | None
    page: int
    colour: np.ndarray
    grey: np.ndarray
    ink: np.ndarray


@dataclass
class Geometry:
    em: float  # the table text's em, in pixels
    chars_per_line: float  # characters of that em that fit in a 企业自评 line
    pitch: float  # line pitch, in pixels
    measured: bool  # measured from the scan (not Zeren's own layout): boxes locate options


@dataclass
class TablePage:
    cells: list[Cell]
    em: float
    geometry: Geometry | None = None
    first_number: int | None = None  # the first numbered row on the page
    head: Part | None = None  # an unnumbered row right under the header: a continued row
    lead: Part | None = None  # else the first row, numbered (maybe the end of a split row)
    tail: Part | None = None  # the page's last row (maybe the start of a split row)


def table_columns(ink: np.ndarray) -> tuple[list[int], bool] | None:
    """The 8 vertical rules of the assessment table and whether they are Zeren's own layout;
    otherwise a 7-column table whose first column is the narrowest and whose 指标说明 column
    is the widest (the organizer's template as Word lays it out, any column widths)."""
    found = _vertical_rules(ink)
    if found is None:
        return None
    xs, top = found
    h, w = ink.shape
    cols = _zeren_columns(xs, w)
    if cols is not None:
        return cols, False
    if top < h * 0.15 or len(xs) != 8 or xs[-1] - xs[0] < w * 0.5:
        return None
    widths = np.diff(xs)
    if int(np.argmin(widths)) != 0 or int(np.argmax(widths)) != 4 or widths.min() < w * 0.02:
        return None
    return xs, True


def _measure(page: Page, x0: int, x1: int, rows: list[tuple[int, int]]) -> Geometry | None:
    """The table's em, line pitch and usable line width, measured from the printed □ boxes
    of the 企业自评 column (a square outline, hollow, the same size many times over)."""
    width = x1 - x0
    sides: list[int] = []
    per_row: list[list[float]] = []
    lefts: list[int] = []
    for ya, yb in rows:
        ink = page.ink[ya + 3 : yb - 2, x0 + 3 : x1 - 2]
        if ink.size == 0:
            continue
        n, labels_img, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        ys = []
        for i in range(1, n):
            bx, by, bw, bh, area = stats[i]
            if not (width / 30 <= bh <= width / 4 and 0.8 <= bw / bh <= 1.25):
                continue
            if not 0.1 <= area / (bw * bh) <= 0.55:
                continue
            inner = labels_img[by + bh // 4 : by + bh - bh // 4, bx + bw // 4 : bx + bw - bw // 4]
            if np.any(inner == i):
                continue  # not hollow
            sides.append(int(max(bw, bh)))
            ys.append(by + bh / 2)
        per_row.append(sorted(ys))
        cols = np.flatnonzero(ink.sum(axis=0))
        if cols.size:
            lefts.append(int(cols[0]) + 3)
    if len(sides) < 3:
        return None
    side = float(np.median(sides))
    em = side / BOX_EM
    diffs = [b - a for ys in per_row for a, b in zip(ys, ys[1:], strict=False) if b - a > side]
    pitch = em * 1.5
    if diffs:
        least = min(diffs)
        near = [d for d in diffs if d <= least * 1.3]
        pitch = float(np.median(near))
    margin = float(np.median(lefts)) if lefts else em * 0.4
    return Geometry(em, (width - 2 * margin) / em, pitch, True)


def _has_ink(page: Page, ya: int, yb: int, xa: int, xb: int, em: float) -> bool:
    """Whether a cell holds anything but the table's own rules (a rule left slanting by a
    skewed scan runs into the cell's edge)."""
    pad = max(3, int(em * 0.2))
    ink = page.ink[ya + pad : yb - pad, xa + pad : xb - pad]
    if not ink.size:
        return False
    long = max(int(em * 1.5), 5)
    rules = np.maximum(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((long, 1), np.uint8)),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, long), np.uint8)),
    )
    ink = ink & (1 - cv2.dilate(rules, np.ones((3, 3), np.uint8)))
    return int(ink.sum()) > em * em * 0.05


def _part(page: Page, rect: tuple[int, int, int, int], number: int | None) -> Part:
    x, y, w, h = rect
    return Part(
        number,
        page.number,
        page.colour[y : y + h, x : x + w].copy(),
        page.grey[y : y + h, x : x + w].copy(),
        page.ink[y : y + h, x : x + w].copy(),
    )


def joined(first: Part, then: Part) -> tuple[Page, tuple[int, int, int, int], int]:
    """The two parts of a row split across pages, one above the other, as one page."""
    width = max(first.ink.shape[1], then.ink.shape[1])

    def widen(a: np.ndarray, value: int) -> np.ndarray:
        extra = width - a.shape[1]
        if not extra:
            return a
        spec = ((0, 0), (0, extra)) + (((0, 0),) if a.ndim == 3 else ())
        return np.pad(a, spec, constant_values=value)

    colour = np.vstack([widen(first.colour, 255), widen(then.colour, 255)])
    grey = np.vstack([widen(first.grey, 255), widen(then.grey, 255)])
    ink = np.vstack([widen(first.ink, 0), widen(then.ink, 0)])
    page = Page(first.page, "", colour, grey, ink, coloured=False)
    return page, (0, 0, width, ink.shape[0]), first.ink.shape[0]


def read_table_page(page: Page, scale_labels: dict[int, list[str]]) -> TablePage | None:
    faint = (page.grey < RULE_INK).astype(np.uint8)  # hairline rules fade in a JPEG
    found = table_columns(faint)
    if found is None:
        return None
    cols, measured = found
    x0, x1 = cols[SELF_COL], cols[SELF_COL + 1]
    # a rule runs across the whole row: one in the 企业自评 column only is a pen stroke (the top
    # of a circle round an option), so each is looked for in the 备注 column too
    remarks = row_rules(faint, cols[6] + 2, cols[7] - 2)
    ys = [y for y in row_rules(faint, x0 + 2, x1 - 2) if any(abs(y - r) <= 6 for r in remarks)]
    pairs = list(zip(ys, ys[1:], strict=False))
    if measured:
        geo = _measure(page, x0, x1, pairs)
        if geo is None:
            return TablePage([], 0.0)
    else:
        px_per_twip = (cols[-1] - cols[0]) / sum(TABLE_COLS)
        em = TABLE_EM_TWIPS * px_per_twip
        inner_w = (TABLE_COLS[SELF_COL] - 2 * CELL_MARGIN_TWIPS) / TABLE_EM_TWIPS
        geo = Geometry(em, inner_w, em * LINE_PITCH_EM, False)
    em = geo.em
    rows = [(a, b) for a, b in pairs if b - a > em * 1.2]
    data: list[tuple[int, int]] = []
    head_row: tuple[int, int] | None = None
    tail_row: tuple[int, int] | None = None
    for a, b in rows:
        inked = [_has_ink(page, a, b, cols[c], cols[c + 1], em) for c in range(7)]
        if all(inked) and b - a < em * 4.5:
            continue  # the header row (repeated on every page)
        if not inked[0]:
            if not data and head_row is None and inked[SELF_COL]:
                head_row = (a, b)  # a row continued from the page before
            elif data and (a, b) == rows[-1] and inked[SELF_COL]:
                tail_row = (a, b)  # a split row whose 序号 Word centred into its second part
            continue  # a blank row
        data.append((a, b))
    table = TablePage([], em, geo)

    def inner(row: tuple[int, int]) -> tuple[int, int, int, int]:
        return (x0 + 2, row[0] + 2, x1 - x0 - 4, row[1] - row[0] - 4)

    if head_row is not None:
        table.head = _part(page, inner(head_row), None)
    if not data:
        return table
    numbers = _fill_gaps(_numbers(page, data, cols[0], cols[1]))
    table.first_number = numbers[0]
    if head_row is None and numbers[0] is not None:
        table.lead = _part(page, inner(data[0]), numbers[0])
    if tail_row is not None and numbers[-1] is not None and numbers[-1] + 1 in scale_labels:
        table.tail = _part(page, inner(tail_row), numbers[-1] + 1)
    for (ya, yb), number in zip(data, numbers, strict=True):
        if number is None or number not in scale_labels:
            continue
        rect = (x0 + 2, ya + 2, x1 - x0 - 4, yb - ya - 4)
        table.cells.append(
            read_cell(
                page,
                rect,
                scale_labels[number],
                em,
                geo.chars_per_line,
                number,
                pitch=geo.pitch,
                boxes_first=geo.measured,
            )
        )
        if (ya, yb) == rows[-1]:
            table.tail = _part(page, rect, number)
    return table
