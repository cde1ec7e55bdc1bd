"""Scanned forms for the scan reader's tests and benchmark, generated at run time.

Forms are rendered by the project itself (render_docx → LibreOffice PDF → pdftoppm), then
either degraded like a scanner or a phone would (rotation, skew, perspective, uneven light,
noise, JPEG, grey), or — for blank forms — marked by a pen drawn with OpenCV around the option
boxes (ticks over and beside the box, circles round the option, crosses), with a red seal drawn
on the cover and the pledge. Where the boxes are is learnt from the PDF's own text positions
(pdftotext -bbox), independently of the reader. `expected` problems are what the reader must
report. Nothing here is committed as a binary.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from zeren.assessments.formdata import Answer, Cover, Evidence, FormData, FrameworkRef, Pledge
from zeren.documents.pdf import docx_to_pdf
from zeren.documents.render import render_docx
from zeren.frameworks.spec import FrameworkSpec, seed_spec

PT_EM = 10.5  # the table's font size in points

BLUE = (150, 60, 20)  # BGR of a ballpoint pen
BLACK = (40, 40, 40)
SEAL_RED = (45, 40, 215)


def spec() -> FrameworkSpec:
    return seed_spec()


def filled_form(seed: int, *, levels: dict[int, int | None] | None = None) -> FormData:
    s = spec()
    rnd = random.Random(seed)
    answers = []
    for ind in s.indicators:
        level = levels.get(ind.number, rnd.randint(1, 5)) if levels else rnd.randint(1, 5)
        answers.append(
            Answer(
                indicator=ind.number,
                level=level,
                work_summary="本年度建立了相关制度并开展专项工作。" if ind.number <= 2 else "",
                evidence=[Evidence(seq=1, title="管理制度文件")] if ind.number <= 2 else [],
            )
        )
    return FormData(
        framework=FrameworkRef(id=s.id, version=s.version),
        cover=Cover(
            enterprise_name="北京示例网络科技有限公司",
            business_scope="短视频平台",
            contact_person="张三",
            contact_info="010-12345678",
            submission_date=dt.date(2026, 11, 28),
        ),
        pledge=Pledge(
            enterprise_name="北京示例网络科技有限公司", lead="李四", date=dt.date(2026, 11, 28)
        ),
        answers=answers,
    )


def blank_form() -> FormData:
    s = spec()
    return FormData(
        framework=FrameworkRef(id=s.id, version=s.version),
        answers=[Answer(indicator=i.number) for i in s.indicators],
    )


@lru_cache(maxsize=16)
def _pdf_cached(key: str) -> bytes:
    form = FormData.model_validate_json(key)
    return docx_to_pdf(render_docx(form, spec()))


def form_pdf(form: FormData) -> bytes:
    return _pdf_cached(form.model_dump_json())


@lru_cache(maxsize=16)
def _raster_cached(pdf: bytes, dpi: int) -> tuple[np.ndarray, ...]:
    with tempfile.TemporaryDirectory(prefix="zeren-scangen-") as tmp:
        src = Path(tmp) / "f.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(src), f"{tmp}/p"], check=True)
        return tuple(cv2.imread(str(p)) for p in sorted(Path(tmp).glob("p-*.png")))


def raster(pdf: bytes, dpi: int) -> list[np.ndarray]:
    return [p.copy() for p in _raster_cached(pdf, dpi)]


# --- where the boxes are (from the PDF's text, in points) ---------------------------------------


@dataclass(frozen=True)
class Box:
    page: int  # 0-based
    indicator: int
    level: int
    x0: float  # points: the box glyph and its label's extent
    y0: float
    x1: float
    y1: float
    label_x0: float
    label_y0: float


@dataclass
class Layout:
    boxes: dict[tuple[int, int], Box]  # (indicator, level) -> box
    seal_spots: dict[str, tuple[int, float, float]]  # cover/pledge -> page, x, y (points)


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@lru_cache(maxsize=8)
def layout(pdf: bytes) -> Layout:
    with tempfile.TemporaryDirectory(prefix="zeren-scangen-") as tmp:
        src = Path(tmp) / "f.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-bbox", str(src), "-"], capture_output=True, check=True, text=True
        ).stdout
    boxes: dict[tuple[int, int], Box] = {}
    seal: dict[str, tuple[int, float, float]] = {}
    for page_no, page in enumerate(out.split("<page ")[1:]):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD.findall(page)
        ]
        numbers = sorted((w[1], int(w[4])) for w in words if w[0] < 100 and w[4].isdigit())
        k = -1
        level = 0
        start: tuple[float, float] = (0.0, 0.0)
        for x0, y0, x1, y1, text in words:
            m = re.match(r"^([1-5])\.", text)
            if m and x0 > 300:
                level = int(m.group(1))
                start = (x0, y0)
                if level == 1:
                    k += 1
            if text.endswith(("□", "☑")) and x0 > 300 and 0 <= k < len(numbers):
                ind = numbers[k][1]
                boxes[(ind, level)] = Box(
                    page_no, ind, level, x1 - PT_EM, y0, x1, y1, start[0], start[1]
                )
            if "企业名称" in text:
                key = "cover" if "cover" not in seal else "pledge"
                seal[key] = (page_no, x0 + 150, y0 + 5)
    return Layout(boxes, seal)


# --- drawing ------------------------------------------------------------------------------------


def _pt(v: float, dpi: int) -> int:
    return int(round(v * dpi / 72))


def draw_mark(
    img: np.ndarray, box: Box, kind: str, dpi: int, rnd: random.Random, em_pt: float = PT_EM
) -> None:
    """A pen mark for one option: tick (over the box), beside (a tick right of it), circle
    (round the option), cross (over the box), faint (a tiny dot: unsure), between (a tick
    centred between this option and the next: unsure)."""
    em = _pt(em_pt, dpi)
    bx0, by0, bx1, by1 = (_pt(v, dpi) for v in (box.x0, box.y0, box.x1, box.y1))
    cx, cy = (bx0 + bx1) // 2, (by0 + by1) // 2
    thick = max(2, int(em * rnd.uniform(0.07, 0.11)))
    colour = rnd.choice((BLUE, BLACK))
    j = lambda: rnd.uniform(-0.12, 0.12) * em  # noqa: E731
    if kind in ("tick", "beside", "between"):
        ox = cx + (int(em * 1.3) if kind == "beside" else 0)
        oy = cy + (int(em * 0.75) if kind == "between" else 0)
        s = rnd.uniform(0.75, 0.95) if kind == "beside" else rnd.uniform(0.85, 1.05)
        pts = np.array(
            [
                (ox - 0.55 * em * s + j(), oy - 0.05 * em + j()),
                (ox - 0.1 * em * s + j(), oy + 0.55 * em * s + j()),
                (ox + 0.75 * em * s + j(), oy - 1.0 * em * s + j()),
            ],
            np.int32,
        )
        cv2.polylines(img, [pts], False, colour, thick, cv2.LINE_AA)
    elif kind == "cross":
        r = em * rnd.uniform(0.75, 0.9)
        cv2.line(
            img,
            (int(cx - r + j()), int(cy - r)),
            (int(cx + r), int(cy + r + j())),
            colour,
            thick,
            cv2.LINE_AA,
        )
        cv2.line(
            img,
            (int(cx - r), int(cy + r + j())),
            (int(cx + r + j()), int(cy - r)),
            colour,
            thick,
            cv2.LINE_AA,
        )
    elif kind == "circle":
        lx = _pt(box.label_x0, dpi) if _pt(box.label_y0, dpi) >= by0 - em // 2 else bx0 - 4 * em
        ccx = (lx + bx1) // 2
        axes = (int((bx1 - lx) / 2 + em * 0.3), int(em * rnd.uniform(0.72, 0.8)))
        cv2.ellipse(img, (ccx, cy), axes, rnd.uniform(-3, 3), 0, 360, colour, thick, cv2.LINE_AA)
    elif kind == "faint":
        cv2.circle(img, (cx + int(em * 1.0), cy), max(2, em // 9), colour, -1, cv2.LINE_AA)
    else:
        raise ValueError(kind)


def draw_seal(
    img: np.ndarray, x: int, y: int, dpi: int, rnd: random.Random
) -> tuple[int, int, int]:
    """A round company seal (42 mm): ring, star and arcs of 'text', multiplied over the page."""
    r = int(21 / 25.4 * dpi)
    layer = np.full(img.shape, 255, np.uint8)
    thick = max(3, int(r * 0.06))
    cv2.circle(layer, (x, y), r, SEAL_RED, thick, cv2.LINE_AA)
    star = []
    for i in range(10):
        rad = r * (0.28 if i % 2 == 0 else 0.11)
        a = -np.pi / 2 + i * np.pi / 5
        star.append((x + rad * np.cos(a), y + rad * np.sin(a)))
    cv2.fillPoly(layer, [np.array(star, np.int32)], SEAL_RED, cv2.LINE_AA)
    for i in range(14):  # the enterprise name round the top
        a = np.pi * (1.1 + i * 0.8 / 13)
        px, py = x + r * 0.75 * np.cos(a), y + r * 0.75 * np.sin(a)
        cv2.rectangle(
            layer,
            (int(px - r * 0.07), int(py - r * 0.07)),
            (int(px + r * 0.07), int(py + r * 0.07)),
            SEAL_RED,
            max(2, thick // 2),
        )
    cv2.line(
        layer,
        (int(x - r * 0.45), int(y + r * 0.5)),
        (int(x + r * 0.45), int(y + r * 0.5)),
        SEAL_RED,
        thick,
    )
    fade = rnd.uniform(0.8, 1.0)
    layer = (255 - (255 - layer.astype(np.float32)) * fade).astype(np.uint8)
    np.copyto(img, (img.astype(np.uint16) * layer // 255).astype(np.uint8))
    return x, y, r


# --- degrading ----------------------------------------------------------------------------------


@dataclass
class Degrade:
    rotation: int = 0  # 0/90/180/270, clockwise
    skew: float = 0.0  # degrees
    perspective: float = 0.0  # fraction of the page a corner moves
    light: float = 0.0  # darkening at the far corner, 0..0.6
    noise: float = 0.0  # grey-level sigma
    jpeg: int | None = None  # quality
    grey: bool = False


def degrade(img: np.ndarray, d: Degrade, rnd: random.Random) -> np.ndarray:
    h, w = img.shape[:2]
    if d.perspective:
        p = d.perspective
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = np.float32([[x + rnd.uniform(-p, p) * w, y + rnd.uniform(-p, p) * h] for x, y in src])
        img = cv2.warpPerspective(
            img, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(255, 255, 255)
        )
    if d.skew:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), d.skew, 1.0)
        img = cv2.warpAffine(img, m, (w, h), borderValue=(255, 255, 255))
    if d.light:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        grad = 1.0 - d.light * ((xx / w) * 0.6 + (yy / h) * 0.4)
        img = np.clip(img.astype(np.float32) * grad[:, :, None], 0, 255).astype(np.uint8)
    if d.noise:
        n = np.random.default_rng(rnd.randint(0, 2**31)).normal(0, d.noise, img.shape)
        img = np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)
    if d.grey:
        img = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    if d.rotation in codes:
        img = cv2.rotate(img, codes[d.rotation])
    if d.jpeg:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg])
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return img


def encode(img: np.ndarray, ext: str = ".png", quality: int = 85) -> bytes:
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if ext == ".jpg" else []
    ok, buf = cv2.imencode(ext, img, params)
    assert ok
    return buf.tobytes()


def images_to_pdf(pages: list[np.ndarray], dpi: int) -> bytes:
    """A scanned PDF (one JPEG per page) through img2pdf-like raw PDF writing."""
    objs: list[bytes] = []
    kids = []
    for img in pages:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
        h, w = img.shape[:2]
        pw, ph = w * 72 / dpi, h * 72 / dpi
        n = len(objs) + 3
        kids.append(n)
        content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
            f"/Resources << /XObject << /Im0 {n + 1} 0 R >> >> /Contents {n + 2} 0 R >>".encode()
        )
        objs.append(
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(buf)} >>\nstream\n".encode()
            + buf.tobytes()
            + b"\nendstream"
        )
        objs.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(head + objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


# --- whole scans --------------------------------------------------------------------------------


@dataclass
class Scan:
    pages: list[np.ndarray]  # in the order they are handed to the reader
    dpi: int
    levels: dict[int, int | None]
    problems: set[tuple[int, str]] = field(default_factory=set)
    sealed: dict[str, bool] = field(default_factory=dict)
    key_pages: list[int] = field(default_factory=list)  # cover, pledge and the table's pages
    marks: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # what was drawn

    def key_only(self) -> Scan:
        """Only the pages that carry marks, fields and seals (the evidence pages carry none):
        keeps the suite's OCR time down."""
        pages = [self.pages[i] for i in self.key_pages]
        return Scan(
            pages,
            self.dpi,
            self.levels,
            self.problems,
            self.sealed,
            list(range(len(pages))),
            self.marks,
        )


def _key_pages(lay: Layout) -> list[int]:
    return sorted(
        {b.page for b in lay.boxes.values()} | {p for p, _x, _y in lay.seal_spots.values()}
    )


MARKS = ("tick", "beside", "circle", "cross")


def pen_marked(
    seed: int,
    dpi: int = 200,
    *,
    problems: int = 3,
    seal: bool = True,
    cases: dict[int, str] | None = None,
) -> Scan:
    """A blank form printed and filled by pen: one mark per indicator (of the kinds above),
    except `problems` indicators left empty, marked twice, or marked unsurely."""
    pdf = form_pdf(blank_form())
    numbers = [i.number for i in spec().indicators]
    return _filled_by_pen(pdf, layout(pdf), numbers, seed, dpi, problems, seal, cases, PT_EM)


def _filled_by_pen(
    pdf: bytes,
    lay: Layout,
    numbers: list[int],
    seed: int,
    dpi: int,
    problems: int,
    seal: bool,
    cases: dict[int, str] | None,
    em_pt: float,
) -> Scan:
    """`pdf` printed blank and filled by pen at the boxes `lay` says, for `numbers`."""
    rnd = random.Random(seed)
    pages = raster(pdf, dpi)
    levels: dict[int, int | None] = {}
    expected: set[tuple[int, str]] = set()
    drawn: dict[int, list[tuple[int, str]]] = {}

    def mark(n: int, level: int, kind: str) -> None:
        box = lay.boxes[(n, level)]
        draw_mark(pages[box.page], box, kind, dpi, rnd, em_pt)
        drawn.setdefault(n, []).append((level, kind))

    odd = dict(
        zip(
            rnd.sample(numbers, problems),
            itertools_cycle(("no_choice", "multiple_choices", "uncertain_choice")),
            strict=False,
        )
    )
    if cases is not None:
        odd = dict(cases)
    for n in numbers:
        level = rnd.randint(1, 5)
        case = odd.get(n)
        if case is None:
            mark(n, level, rnd.choice(MARKS))
            levels[n] = level
            continue
        levels[n] = None
        expected.add((n, case))
        if case == "multiple_choices":
            other = rnd.choice([lv for lv in range(1, 6) if lv != level])
            for lv in (level, other):
                mark(n, lv, rnd.choice(MARKS))
        elif case == "uncertain_choice":
            mark(n, min(level, 4), rnd.choice(("faint", "between")))
    sealed = {}
    for key, (page, x, y) in lay.seal_spots.items():
        if seal:
            draw_seal(pages[page], _pt(x, dpi), _pt(y, dpi), dpi, rnd)
        sealed[key] = seal
    return Scan(pages, dpi, levels, expected, sealed, _key_pages(lay), drawn)


TEMPLATE_EM = 11.0  # the organizer's template's □, in points (its table text is larger)


@lru_cache(maxsize=2)
def template_layout(pdf: bytes) -> Layout:
    """Where the boxes of the organizer's blank template are: its 130 □ in document order are
    indicators 1–28 (not 14 and 20, whose cells are empty), levels 1–5."""
    with tempfile.TemporaryDirectory(prefix="zeren-scangen-") as tmp:
        src = Path(tmp) / "f.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-bbox", str(src), "-"], capture_output=True, check=True, text=True
        ).stdout
    slots = [
        (ind.number, level)
        for ind in spec().indicators
        if ind.number not in (14, 20)
        for level in range(1, 6)
    ]
    seal: dict[str, tuple[int, float, float]] = {}
    found: list[tuple[int, float, float, float, float, tuple[float, float]]] = []
    for page_no, page in enumerate(out.split("<page ")[1:]):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD.findall(page)
        ]
        for x0, y0, x1, y1, text in words:
            if text.endswith("□") and x0 > 300:
                # the label: this word, or for a box wrapped onto its own line the line above
                above = [w for w in words if w[0] > 300 and 0 < y0 - w[1] < 25]
                label = (x0, y0) if text != "□" or not above else (above[-1][0], above[-1][1])
                found.append((page_no, y0, x1, y1, x0, label))
            if "企业名称" in text:
                key = "cover" if "cover" not in seal else "pledge"
                seal[key] = (page_no, x0 + 150, y0 + 5)
    # one 企业自评 column: top to bottom, page by page, is the document's order (pdftotext's
    # own order of the words is not)
    found.sort(key=lambda f: (f[0], f[1]))
    assert len(found) == len(slots), len(found)
    boxes = {
        (ind, level): Box(page, ind, level, x1 - TEMPLATE_EM, y0, x1, y1, *label)
        for (ind, level), (page, y0, x1, y1, _x0, label) in zip(slots, found, strict=True)
    }
    return Layout(boxes, seal)


def template_pen_marked(seed: int, dpi: int = 200, *, problems: int = 3) -> Scan:
    """The organizer's blank template printed and filled by pen, with drawn seals: one mark per
    indicator, `problems` of them left empty, marked twice or marked unsurely; cells 14 and
    20 (empty in the template) left empty, which the reader must report."""
    pdf = _template_blank_pdf()
    numbers = [i.number for i in spec().indicators if i.number not in (14, 20)]
    scan = _filled_by_pen(
        pdf, template_layout(pdf), numbers, seed, dpi, problems, True, None, TEMPLATE_EM
    )
    for n in (14, 20):
        scan.levels[n] = None
        scan.problems.add((n, "no_choice"))
    return scan


@lru_cache(maxsize=1)
def _template_blank_pdf() -> bytes:
    from tests.intake import formgen

    return docx_to_pdf(formgen.template_docx())


def itertools_cycle(values: tuple[str, ...]):  # type: ignore[no-untyped-def]
    while True:
        yield from values


def printed(seed: int, dpi: int = 200, form: FormData | None = None) -> Scan:
    """A filled form rendered by the project (☑ printed), scanned clean."""
    form = form or filled_form(seed)
    pdf = form_pdf(form)
    return Scan(
        raster(pdf, dpi),
        dpi,
        {a.indicator: a.level for a in form.answers},
        key_pages=_key_pages(layout(pdf)),
    )


def _pdf_pages_with(pdf: bytes, words: tuple[str, ...]) -> list[int]:
    with tempfile.TemporaryDirectory(prefix="zeren-scangen-") as tmp:
        src = Path(tmp) / "f.pdf"
        src.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(src), "-"], capture_output=True, check=True, text=True
        ).stdout
    return [
        i
        for i, page in enumerate(text.split("\f"))
        if any(w in page.replace(" ", "") for w in words)
    ]


@lru_cache(maxsize=8)
def _template_pdf(key: str) -> bytes:
    from tests.intake import formgen

    style, typed14, typed20, seed = key.split("|")
    rnd = random.Random(int(seed))
    levels = {ind.number: rnd.randint(1, 5) for ind in spec().indicators}
    fill = formgen.Fill(default_style=style, levels=levels, styles={14: typed14, 20: typed20})
    return docx_to_pdf(formgen.build(fill))


def template_printed(
    seed: int,
    dpi: int = 200,
    *,
    style: str = "replace:☑",
    typed: tuple[str, str] = ("typed", "typed_plain"),
) -> Scan:
    """The organizer's own Word template (附件1, as tests/intake/formgen builds it: its own
    column widths and font, rows that Word splits across pages, cells 14 and 20 empty), filled
    in Word with `style` and the option of 14 and 20 typed in, printed to PDF and scanned."""
    pdf = _template_pdf(f"{style}|{typed[0]}|{typed[1]}|{seed}")
    rnd = random.Random(seed)
    levels: dict[int, int | None] = {ind.number: rnd.randint(1, 5) for ind in spec().indicators}
    key = _pdf_pages_with(pdf, ("企业自评", "承诺书", "联系方式"))
    return Scan(raster(pdf, dpi), dpi, levels, key_pages=key)


def degraded(scan: Scan, seed: int, *, shuffle: bool = True, grey: bool | None = None) -> Scan:
    """The same scan turned, skewed, lit unevenly, noisy, JPEG'd, maybe grey, pages shuffled."""
    rnd = random.Random(seed)
    grey = rnd.random() < 0.4 if grey is None else grey
    out = []
    for img in scan.pages:
        d = Degrade(
            rotation=rnd.choice((0, 0, 90, 180, 270)),
            skew=rnd.uniform(-3, 3),
            perspective=rnd.uniform(0, 0.006),
            light=rnd.uniform(0, 0.45),
            noise=rnd.uniform(0, 10),
            jpeg=rnd.choice((None, 60, 80)),
            grey=grey,
        )
        out.append(degrade(img, d, rnd))
    if shuffle:
        rnd.shuffle(out)
    sealed = (
        {k: v for k, v in scan.sealed.items()}
        if not grey
        else {k: v for k, v in scan.sealed.items()}
    )
    return Scan(out, scan.dpi, dict(scan.levels), set(scan.problems), sealed, marks=scan.marks)
