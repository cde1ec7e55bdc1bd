"""Whether a page carries a seal (公章): presence and position, never authenticity.

A colour scan shows the seal as red. A grey scan cannot, so there the seal is looked for by its
shape: a round ring 38–58 mm across whose whole circumference carries ink, with little ink just
inside and outside it (text under a seal, a table's rules or corners do not make such a ring).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from zeren.intake.scan.image import Page, red_mask

A4_WIDTH_MM = 210.0  # the page's shorter side
PX_PER_MM = 2.0  # the grey page is looked at this small: a ring of 38 mm is 76 px across
RING_MM = (19.0, 29.0)  # a company seal's radius
RING_INK = 200  # below this grey level (of the flattened page) a pixel carries ink
RING_COVERED = 0.8  # of the ring's circumference inked, at least
QUARTER_COVERED = 0.6  # in each quarter of the ring: a rule or a corner inks one side only
RING_CONTRAST = 0.35  # the ring inked this much more than circles just inside and outside it


@dataclass(frozen=True)
class Seal:
    # True: seen; False: a colour scan without red seal; None: a grey scan where no ring was
    # seen (an unsealed page and a seal too faint to see cannot be told apart)
    found: bool | None
    box: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions of the page
    by: str | None = None  # "colour" (red seen) or "shape" (a ring on a grey scan)

    def to_jsonable(self) -> dict[str, object]:
        return {
            "sealed": self.found,
            "position": [round(v, 3) for v in self.box] if self.box else None,
            "by": self.by,
        }


def find_seal(page: Page) -> Seal:
    if not page.coloured:
        return _ring(page.grey)
    h, w = page.colour.shape[:2]
    mask = red_mask(page.colour)
    k = max(3, int(min(h, w) / 150))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    best = None
    for x, y, bw, bh, area in stats[1:]:
        side = max(bw, bh)
        # a seal is 38–58 mm across: between a tenth and a half of an A4 page's width
        if side < w * 0.1 or side > w * 0.6 or min(bw, bh) < side * 0.6:
            continue
        if area < side * side * 0.05:
            continue
        if best is None or area > best[4]:
            best = (x, y, bw, bh, area)
    if best is None:
        return Seal(False)
    x, y, bw, bh, _ = best
    return Seal(True, (x / w, y / h, bw / w, bh / h), "colour")


def _inked(mask: np.ndarray, cx: float, cy: float, r: float, spread: float) -> np.ndarray:
    """For 120 directions round (cx, cy): whether the circle of radius r ± spread has ink."""
    angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    radii = r + np.arange(-spread, spread + 0.01, 0.5)
    xs = np.rint(cx + np.outer(radii, np.cos(angles))).astype(int)
    ys = np.rint(cy + np.outer(radii, np.sin(angles))).astype(int)
    h, w = mask.shape
    inside = (xs >= 0) & (ys >= 0) & (xs < w) & (ys < h)
    hits = np.zeros(xs.shape, bool)
    hits[inside] = mask[ys[inside], xs[inside]] > 0
    return np.asarray(hits.any(axis=0))


def _ring(grey: np.ndarray) -> Seal:
    """A seal's ring on a grey (flattened, upright) page, found by its shape."""
    h, w = grey.shape
    scale = PX_PER_MM / (min(h, w) / A4_WIDTH_MM)
    small = cv2.resize(
        grey, (max(int(w * scale), 1), max(int(h * scale), 1)), interpolation=cv2.INTER_AREA
    )
    r_min, r_max = (mm * PX_PER_MM for mm in RING_MM)
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small, (5, 5), 1.2),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=r_min,
        param1=100,
        param2=20,
        minRadius=int(r_min * 0.95),
        maxRadius=int(r_max * 1.05),
    )
    if circles is None:
        return Seal(None)
    mask = (small < RING_INK).astype(np.uint8)
    best = None
    for cx, cy, r in circles[0][:30]:  # the likeliest first
        ring = _inked(mask, cx, cy, r, 1.5)
        if ring.mean() < RING_COVERED or ring.reshape(4, -1).mean(axis=1).min() < QUARTER_COVERED:
            continue
        around = max(_inked(mask, cx, cy, r * f, 0.5).mean() for f in (0.88, 1.12))
        contrast = ring.mean() - around
        if contrast >= RING_CONTRAST and (best is None or contrast > best[0]):
            best = (contrast, cx, cy, r)
    if best is None:
        return Seal(None)
    _c, cx, cy, r = best
    sh, sw = small.shape
    box = (float((cx - r) / sw), float((cy - r) / sh), float(2 * r / sw), float(2 * r / sh))
    return Seal(True, box, "shape")
