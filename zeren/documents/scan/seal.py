"""Whether a page carries a red seal (公章): presence and position, never authenticity."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from zeren.documents.scan.image import Page, red_mask


@dataclass(frozen=True)
class Seal:
    found: bool | None  # None: a grey scan, where red cannot be told from black
    box: tuple[float, float, float, float] | None = None  # x, y, w, h as fractions of the page

    def to_jsonable(self) -> dict[str, object]:
        return {
            "sealed": self.found,
            "position": [round(v, 3) for v in self.box] if self.box else None,
        }


def find_seal(page: Page) -> Seal:
    if not page.coloured:
        return Seal(None)
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
    return Seal(True, (x / w, y / h, bw / w, bh / h))
