"""A page image made upright: flat light, no skew, text the right way up."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from zeren.intake.scan import ocr

INK = 160  # grey level below which a pixel of the flattened page is ink


@dataclass
class Page:
    """One upright page: colour (BGR), flattened grey and its ink mask (1 = ink)."""

    number: int  # position in the input, from 1
    source: str
    colour: np.ndarray
    grey: np.ndarray
    ink: np.ndarray
    coloured: bool  # the scan has colour (a grey scan cannot show a red seal as red)
    rotation: int = 0
    skew: float = 0.0


def is_coloured(bgr: np.ndarray) -> bool:
    """Whether the scan shows any colour (a pen stroke, a seal); sampled, not averaged, so
    that a thin line of ink counts."""
    sample = np.ascontiguousarray(bgr[::3, ::3])
    hsv = cv2.cvtColor(sample, cv2.COLOR_BGR2HSV)
    return bool(np.mean((hsv[:, :, 1] > 80) & (hsv[:, :, 2] > 40)) > 0.0001)


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """Pixels of seal red (any of its JPEG-shifted shades)."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    return (((h <= 12) | (h >= 165)) & (s >= 70) & (v >= 70)).astype(np.uint8)


def flatten(grey: np.ndarray) -> np.ndarray:
    """Divides by the page's background so that uneven light (a phone photo) becomes white."""
    h, w = grey.shape
    scale = 400 / max(h, w)
    small = cv2.resize(grey, (max(int(w * scale), 1), max(int(h * scale), 1)))
    bg = cv2.dilate(small, np.ones((7, 7), np.uint8))
    bg = cv2.medianBlur(bg, 15)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(grey, np.maximum(bg, 1), scale=255)
    return flat


def _rotate(img: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    value: tuple[int, ...] | int = (border, border, border) if img.ndim == 3 else border
    return cv2.warpAffine(
        img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=value
    )


def skew_angle(ink: np.ndarray) -> float:
    """Degrees to rotate (counter-clockwise) so that lines of text or table rules lie straight:
    the angle whose row or column profile is sharpest."""
    h, w = ink.shape
    scale = 900 / max(h, w)
    small = cv2.resize(ink * 255, (max(int(w * scale), 1), max(int(h * scale), 1)))
    small = (small > 60).astype(np.float32)

    def score(angle: float) -> float:
        r = _rotate(small, angle, border=0)
        return float(max(np.var(r.sum(axis=1)), np.var(r.sum(axis=0))))

    coarse = max(np.arange(-7.0, 7.01, 0.5), key=score)
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=score)
    return float(round(fine, 2))


def upright(number: int, source: str, bgr: np.ndarray) -> Page:
    """Flatten, deskew and turn one scanned page the right way up."""
    coloured = is_coloured(bgr)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if coloured:  # seal red is not ink for reading text and boxes
        grey = np.where(red_mask(bgr) > 0, 255, grey).astype(np.uint8)
    flat = flatten(grey)
    ink = (flat < INK).astype(np.uint8)
    angle = skew_angle(ink)
    if abs(angle) > 0.05:
        bgr = _rotate(bgr, angle)
        flat = _rotate(flat, angle)
    h, w = flat.shape
    scale = 1100 / max(h, w)
    small = cv2.resize(flat, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    rotate, _conf = ocr.orientation(small)
    rotation = rotate % 360
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    if rotation in codes:
        bgr = cv2.rotate(bgr, codes[rotation])
        flat = cv2.rotate(flat, codes[rotation])
    ink = (flat < INK).astype(np.uint8)
    return Page(number, source, bgr, flat, ink, coloured, rotation, angle)


def turned(page: Page, rotation: int) -> Page:
    """The page turned a further `rotation` degrees clockwise (90, 180 or 270)."""
    code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[
        rotation
    ]
    return Page(
        page.number,
        page.source,
        cv2.rotate(page.colour, code),
        cv2.rotate(page.grey, code),
        cv2.rotate(page.ink, code),
        page.coloured,
        (page.rotation + rotation) % 360,
        page.skew,
    )
