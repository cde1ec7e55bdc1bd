"""Seals on grey scans: red cannot be told from black, so a seal is found by its shape (a round
ring 38–58 mm across) and said to be found so; a grey page without one stays unknown, and a
table, a page's rules or its text are never taken for a seal."""

from __future__ import annotations

import random
import time

import cv2
import numpy as np
import pytest

from tests.intake import scangen
from zeren.documents.pdf import pdf_available
from zeren.intake.scan import ocr, parse_scan
from zeren.intake.scan.image import Page, upright
from zeren.intake.scan.seal import find_seal

pytestmark = [
    pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed"),
    pytest.mark.skipif(not ocr.available(), reason="tesseract with chi_sim is not installed"),
]

DPI = 200


def _grey(img: np.ndarray, seed: int, *, skew: float = 1.5) -> np.ndarray:
    rnd = random.Random(seed)
    d = scangen.Degrade(grey=True, noise=rnd.uniform(3, 8), jpeg=80, skew=skew)
    return scangen.degrade(img, d, rnd)


def _front_pages() -> dict[str, tuple[int, float, float]]:
    """cover/pledge -> page index and the seal spot (points) of the blank form's layout."""
    return scangen.layout(scangen.form_pdf(scangen.blank_form())).seal_spots


def test_a_seal_on_a_grey_cover_and_pledge_is_found_by_its_shape_where_it_is() -> None:
    scan = scangen.pen_marked(21, DPI, problems=0, seal=False)
    for n, (key, (index, x, y)) in enumerate(_front_pages().items()):
        img = scan.pages[index]
        rnd = random.Random(n)
        sx, sy = scangen._pt(x + rnd.uniform(-40, 40), DPI), scangen._pt(y, DPI)
        _x, _y, r = scangen.draw_seal(img, sx, sy, DPI, rnd)
        page = upright(1, key, _grey(img, n, skew=(-1.5, 1.5)[n % 2]))
        assert not page.coloured
        seal = find_seal(page)
        assert seal.found is True and seal.by == "shape", key
        assert seal.to_jsonable()["by"] == "shape"
        assert seal.box is not None
        bx, by, bw, bh = seal.box
        h, w = page.grey.shape
        # the box covers the drawn seal: its centre within a few mm, its size the seal's
        assert abs((bx + bw / 2) * w - sx) < 0.05 * w, (key, seal.box, sx / w)
        assert abs((by + bh / 2) * h - sy) < 0.05 * w, (key, seal.box, sy / h)
        assert 0.8 < bw * w / (2 * r) < 1.2, (key, bw * w, 2 * r)


def test_grey_pages_without_a_seal_are_never_sealed() -> None:
    """Blank and filled covers and pledges, and the table's pages with their rules, corners
    and pen circles: no ring of a seal's size there, so nothing is reported found."""
    blank = scangen.pen_marked(22, DPI, problems=0, seal=False)
    filled = scangen.printed(3, DPI)
    spots = _front_pages()
    pages = [blank.pages[i] for i, _x, _y in spots.values()]
    pages += [filled.pages[i] for i, _x, _y in spots.values()]
    pages += [blank.pages[i] for i in blank.key_pages[2:5]]  # the table: rules, corners, marks
    for n, img in enumerate(pages):
        seal = find_seal(upright(n + 1, f"p{n}", _grey(img, n)))
        assert seal.found is None and seal.box is None and seal.by is None, n


def test_a_grey_ring_is_no_seal_when_it_is_a_table_corner_or_too_small_or_too_big() -> None:
    """Shapes drawn alone on a page: a small circle (a pen's circle round an option), a large
    one, half a ring and a square of a seal's size; then the ring itself, which is found."""
    size = (int(297 / 25.4 * DPI), int(210 / 25.4 * DPI))  # A4 portrait, rows × columns
    mm = DPI / 25.4

    def page_with(draw) -> Page:  # type: ignore[no-untyped-def]
        img = np.full((*size, 3), 255, np.uint8)
        draw(img)
        return upright(1, "drawn", _grey(img, 0, skew=0))

    shapes = {
        "small circle": lambda im: cv2.circle(im, (600, 600), int(8 * mm), (40, 40, 40), 4),
        "large circle": lambda im: cv2.circle(im, (620, 900), int(45 * mm), (40, 40, 40), 6),
        "half ring": lambda im: cv2.ellipse(
            im, (600, 900), (int(21 * mm), int(21 * mm)), 0, 0, 180, (40, 40, 40), 8
        ),
        "box": lambda im: cv2.rectangle(
            im, (400, 700), (400 + int(42 * mm), 700 + int(42 * mm)), (40, 40, 40), 6
        ),
    }
    for name, draw in shapes.items():
        assert find_seal(page_with(draw)).found is None, name
    # the same ring of a seal's size is found: the shapes above were refused for their shape
    ring = page_with(lambda im: cv2.circle(im, (600, 900), int(21 * mm), (40, 40, 40), 8))
    assert find_seal(ring).found is True


def test_seal_detection_on_a_grey_page_is_fast() -> None:
    scan = scangen.pen_marked(21, DPI, problems=0, seal=True)
    index, _x, _y = _front_pages()["pledge"]
    page = upright(1, "pledge", _grey(scan.pages[index], 5))
    start = time.perf_counter()
    for _ in range(5):
        seal = find_seal(page)
    assert (time.perf_counter() - start) / 5 < 0.3
    assert seal.found is True and seal.by == "shape"


def test_the_reader_reports_a_grey_seal_as_found_by_shape() -> None:
    """Through the whole reader: a grey cover with a seal and a grey pledge without one, as two
    photos (no table pages)."""
    scan = scangen.pen_marked(23, DPI, problems=0, seal=False)
    spots = _front_pages()
    cover, x, y = spots["cover"]
    scangen.draw_seal(
        scan.pages[cover], scangen._pt(x, DPI), scangen._pt(y, DPI), DPI, random.Random(3)
    )
    files = [
        (f"IMG_{n}.jpg", scangen.encode(_grey(scan.pages[i], n), ".jpg", 85))
        for n, (i, _x, _y) in enumerate(spots.values())
    ]
    read = parse_scan(files, scangen.spec())
    assert read.result.error is None
    assert read.result.scan is not None
    assert [p["kind"] for p in read.result.scan["pages"]] == ["cover", "pledge"]
    assert read.result.scan["cover"]["sealed"] is True
    assert read.result.scan["cover"]["by"] == "shape"
    assert read.result.scan["cover"]["position"] is not None
    # no ring on the grey pledge: unknown, not absent
    assert read.result.scan["pledge"] == {"sealed": None, "position": None, "by": None}
