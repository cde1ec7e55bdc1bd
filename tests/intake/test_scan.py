"""Scanned forms: rendered by the project, printed to PDF, rasterised and degraded, or printed
blank and marked by pen with a drawn seal. Every level exact, every injected problem reported,
nothing guessed. The corpus is generated here (scangen) and kept small: the table pages, the
cover and the pledge of a handful of forms; the larger sweep is bench/bench_scan.py.
"""

from __future__ import annotations

import io
import json
import random

import cv2
import pytest

from tests.intake import scangen
from zeren.documents.pdf import pdf_available
from zeren.intake.scan import ocr, parse_scan

pytestmark = [
    pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed"),
    pytest.mark.skipif(not ocr.available(), reason="tesseract with chi_sim is not installed"),
]

ACCEPTED = {  # an injected problem may be reported as ...
    "no_choice": {"no_choice"},
    "multiple_choices": {"multiple_choices", "uncertain_choice"},
    "uncertain_choice": {"uncertain_choice"},
}


def _subset(scan: scangen.Scan) -> scangen.Scan:
    return scan.key_only()


def _mild(scan: scangen.Scan, seed: int, *, grey: bool) -> scangen.Scan:
    """Turned by quarter turns, skewed up to 2°, uneven light, noise, JPEG, pages shuffled."""
    rnd = random.Random(seed)
    pages = []
    for i, img in enumerate(scan.pages):
        d = scangen.Degrade(
            rotation=(0, 90, 180, 270)[i % 4],
            skew=rnd.uniform(-2, 2),
            perspective=rnd.uniform(0, 0.002),
            light=rnd.uniform(0.1, 0.35),
            noise=rnd.uniform(2, 6),
            jpeg=rnd.choice((75, 90)),
            grey=grey,
        )
        pages.append(scangen.degrade(img, d, rnd))
    rnd.shuffle(pages)
    return scangen.Scan(pages, scan.dpi, scan.levels, scan.problems, scan.sealed, marks=scan.marks)


def _check(result, scan: scangen.Scan, *, exact: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    """Nothing guessed (a level read is the true level), every injected problem reported on
    its indicator, and at least `exact` of the levels read."""
    assert result.error is None, result.error
    got = {a.indicator: a.level for a in result.form.answers}
    guessed = {n: (got[n], want) for n, want in scan.levels.items() if got[n] not in (None, want)}
    assert not guessed, f"levels guessed (got, want): {guessed}; drawn: {scan.marks}"
    flagged = {p.indicator: p.code for p in result.problems if p.indicator is not None}
    for n, code in scan.problems:
        assert n in flagged, f"injected {code} on {n} not reported"
        assert flagged[n] in ACCEPTED[code], (n, code, flagged[n])
    for n in flagged:
        assert got[n] is None  # an indicator with a problem has no level
    unread = [n for n, want in scan.levels.items() if want is not None and got[n] is None]
    marked = sum(1 for want in scan.levels.values() if want is not None)
    assert (marked - len(unread)) / marked >= exact, f"unread (reported for a person): {unread}"


@pytest.fixture(scope="module")
def pen_scan() -> scangen.Scan:
    return _subset(scangen.pen_marked(11, 200, problems=3))


def test_it_reads_a_pen_marked_blank_form_with_seals_from_one_pdf(pen_scan: scangen.Scan) -> None:
    scan = _mild(pen_scan, 1, grey=False)
    pdf = scangen.images_to_pdf(scan.pages, scan.dpi)
    read = parse_scan([("扫描件.pdf", pdf)], scangen.spec())
    _check(read.result, scan)
    assert read.result.scan is not None
    assert read.result.scan["cover"]["sealed"] is True
    assert read.result.scan["pledge"]["sealed"] is True
    assert read.result.scan["cover"]["by"] == read.result.scan["pledge"]["by"] == "colour"
    x, y, w, h = read.result.scan["cover"]["position"]
    assert 0.2 < x < 0.8 and 0.2 < y < 0.7 and 0.1 < w < 0.4
    # the organizer sees the cell of every problem row
    for n, _code in scan.problems:
        assert read.crops[n].startswith(b"\x89PNG")


def test_it_reads_a_printed_form_photographed_in_grey_as_separate_jpegs() -> None:
    scan = _subset(scangen.printed(5, 200))
    scan = _mild(scan, 2, grey=True)
    files = [(f"IMG_{i:03}.jpg", scangen.encode(p, ".jpg", 85)) for i, p in enumerate(scan.pages)]
    read = parse_scan(files, scangen.spec())
    _check(read.result, scan)
    form = read.result.form
    assert form.cover.business_scope == "短视频平台"
    assert form.cover.contact_info == "010-12345678"
    fields = read.result.scan["ocr"]
    assert fields["cover.business_scope"]["ocr"] is True
    assert 0 < fields["cover.business_scope"]["confidence"] <= 1
    # a grey scan cannot show red, and this form carries no seal (printed() draws none), so
    # no seal's ring is seen either: the seal is reported unknown, not absent
    assert read.result.scan["cover"]["sealed"] is None
    assert read.result.scan["cover"]["by"] is None


def test_it_reads_every_level_of_a_printed_form_scanned_upside_down_and_turned() -> None:
    scan = _subset(scangen.printed(7, 200))
    codes = [(0, 180, 90, 270)[i % 4] for i in range(len(scan.pages))]
    pages = [
        scangen.degrade(p, scangen.Degrade(rotation=r, skew=0.8), random.Random(1))
        for p, r in zip(scan.pages, codes, strict=True)
    ]
    read = parse_scan(
        [(f"p{i}.png", scangen.encode(p)) for i, p in enumerate(pages)], scangen.spec()
    )
    _check(read.result, scan)
    assert [p for p in read.result.problems if p.indicator is not None] == []


def test_it_reports_no_seal_on_an_unsealed_colour_scan_and_missing_pages() -> None:
    scan = scangen.pen_marked(12, 150, problems=0, seal=False).key_only()
    pages = scan.pages[:3]  # the cover, the pledge and the table's first page
    for page in pages[:2]:  # signed in blue ink: a colour scan, with no red on it
        cv2.line(page, (700, 900), (900, 880), scangen.BLUE, 3)
    read = parse_scan(
        [(f"p{i}.png", scangen.encode(p)) for i, p in enumerate(pages)], scangen.spec()
    )
    assert read.result.error is None
    assert read.result.scan["cover"]["sealed"] is False
    assert read.result.scan["pledge"]["sealed"] is False
    got = {a.indicator: a.level for a in read.result.form.answers}
    flagged = {p.indicator for p in read.result.problems}
    assert all(got[n] == scan.levels[n] or (got[n] is None and n in flagged) for n in (1, 2, 3, 4))
    assert sum(got[n] == scan.levels[n] for n in (1, 2, 3, 4)) >= 3
    # indicators on pages not given are reported missing, never guessed
    missing = {p.indicator for p in read.result.problems if p.code == "missing_indicator"}
    assert set(range(5, 29)) <= missing
    assert all(got[n] is None for n in range(5, 29))


def test_it_reads_scans_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    scan = scangen.pen_marked(13, 200, problems=0).key_only()
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scangen.images_to_pdf(scan.pages[:3], scan.dpi))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"0" * 100)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("parse_form", str(pdf), str(bad), "--json", stdout=out)
    assert exit_.value.code == 2  # one file could not be read
    payload = json.loads(out.getvalue())
    assert payload[0]["ok"] is True
    got = {a["indicator"]: a["level"] for a in payload[0]["form"]["answers"]}
    flagged = {p["indicator"] for p in payload[0]["problems"]}
    for n in (1, 2, 3, 4):  # read exactly, or left to a person and reported
        assert got[n] == scan.levels[n] or (got[n] is None and n in flagged)
    assert sum(got[n] == scan.levels[n] for n in (1, 2, 3, 4)) >= 3
    assert payload[0]["scan"]["cover"]["sealed"] is True
    assert payload[1]["ok"] is False and payload[1]["error"]["code"] == "corrupt_pdf"


def test_it_gives_work_summaries_and_catalog_rows_as_ocr_text_never_as_typed_text() -> None:
    scan = scangen.printed(5, 200)
    last = max(scan.key_pages)
    pages = [scan.pages[0], *scan.pages[last : last + 3]]  # the cover, the evidence of 1 and 2
    read = parse_scan(
        [(f"p{i}.png", scangen.encode(p)) for i, p in enumerate(pages)], scangen.spec()
    )
    text = read.result.scan["ocr"]
    summary = text["answers.1.work_summary"]
    assert summary["text"] == "本年度建立了相关制度并开展专项工作。"
    assert summary["ocr"] is True and 0 < summary["confidence"] <= 1
    assert text["answers.2.evidence"][0]["title"] == "管理制度文件"
    assert text["answers.2.evidence"][0]["ocr"] is True
    # the form itself carries no OCR text as if it had been typed
    assert all(a.work_summary == "" and a.evidence == [] for a in read.result.form.answers)


# Pen marks the reader once left to a person or got wrong, each on the page that holds it:
# (generator seed, indicator, the level it must read, or None when the mark is truly between
# two options and must be reported, never guessed).
PEN_CASES = [
    (100, 8, 4),  # a cross over the box that touches the next line's glyphs
    (103, 21, 2),  # the same, merged with the box below it
    (105, 3, 5),  # a circle round the last option, cut by the cell's bottom rule
    (115, 6, 5),  # the same, cut at the cell's bottom-left corner
    (112, 4, 1),  # a tick a little taller than a glyph over the first box
    (104, 7, None),  # a tick between two options, right of the boxes
    (111, 11, None),  # a tick between two options whose tip runs through the lower box
]


@pytest.mark.parametrize(("seed", "indicator", "level"), PEN_CASES)
def test_pen_marks_near_another_option_are_read_exactly_or_reported(
    seed: int, indicator: int, level: int | None
) -> None:
    scan = scangen.pen_marked(seed, 200, problems=3)
    lay = scangen.layout(scangen.form_pdf(scangen.blank_form()))
    page = scan.pages[lay.boxes[(indicator, 1)].page]
    read = parse_scan([("p.png", scangen.encode(page))], scangen.spec())
    got = {a.indicator: a.level for a in read.result.form.answers}
    flagged = {p.indicator: p.code for p in read.result.problems}
    assert scan.levels[indicator] == level, scan.marks[indicator]  # the case is what it says
    if level is None:
        assert got[indicator] is None
        assert flagged[indicator] == "uncertain_choice"
    else:
        assert got[indicator] == level, (flagged.get(indicator), scan.marks[indicator])
    # nothing on the page is guessed
    for n, want in scan.levels.items():
        assert got[n] in (None, want), (n, got[n], want)


@pytest.mark.parametrize(
    ("style", "typed"),
    [("replace:☑", ("typed", "typed_plain")), ("append:√", ("typed_bare", "typed"))],
)
def test_it_reads_the_organizers_own_template_printed_with_rows_split_across_pages(
    style: str, typed: tuple[str, str]
) -> None:
    """The organizer's Word template has its own column widths and font, leaves the cells of
    14 and 20 empty (the option is typed in: 「4.正在探索☑」, 「2.比较完善」, 「比较完善」) and lets
    Word split rows across pages: every level is read, the split rows joined. Ticked as ☑ in
    place of the box, or as √ typed after it (which wraps the box onto a line of its own)."""
    scan = scangen.template_printed(3, 200, style=style, typed=typed).key_only()
    scan = _mild(scan, 4, grey=False)
    files = [(f"IMG_{i:03}.jpg", scangen.encode(p, ".jpg", 90)) for i, p in enumerate(scan.pages)]
    read = parse_scan(files, scangen.spec())
    _check(read.result, scan)
    assert [p for p in read.result.problems if p.indicator is not None] == []


def test_a_split_row_whose_second_page_is_missing_is_reported_not_guessed() -> None:
    scan = scangen.template_printed(3, 200)
    first_table_page = scan.pages[scan.key_pages[2]]  # after the cover and the pledge
    read = parse_scan([("p.png", scangen.encode(first_table_page))], scangen.spec())
    got = {a.indicator: a.level for a in read.result.form.answers}
    flagged = {p.indicator: p.code for p in read.result.problems}
    whole = [n for n, lv in got.items() if lv is not None]
    assert whole == list(range(1, len(whole) + 1)) and len(whole) >= 3
    assert all(got[n] == scan.levels[n] for n in whole)
    # the page's last row goes on over the missing page: its top half is not read as an answer
    split = len(whole) + 1
    assert got[split] is None and flagged[split] == "uncertain_choice"
    assert all(flagged[n] == "missing_indicator" for n in range(split + 1, 29))


def test_a_heavily_degraded_template_scan_is_read_whole() -> None:
    """Pages shuffled, turned (one table page upside down, which only the table's own column
    widths tell), skewed up to 3°, grey or colour, noisy JPEGs; one row split across two pages
    with its 序号 on the second part."""
    scan = scangen.degraded(scangen.template_printed(402, 200).key_only(), 308)
    files = [(f"p{i}.jpg", scangen.encode(p, ".jpg", 85)) for i, p in enumerate(scan.pages)]
    read = parse_scan(files, scangen.spec())
    _check(read.result, scan)


def test_it_reads_the_organizers_blank_template_filled_by_pen_with_seals() -> None:
    """What enterprises most often print is the organizer's own blank template: filled by pen
    (ticks, ticks beside, circles, crosses), sealed, scanned mildly degraded. Every level is
    read; the injected problems and the two cells the template leaves empty (14 and 20) are
    reported; the seals are found."""
    scan = _mild(scangen.template_pen_marked(1, 200, problems=3).key_only(), 6, grey=False)
    files = [(f"IMG_{i:03}.jpg", scangen.encode(p, ".jpg", 90)) for i, p in enumerate(scan.pages)]
    read = parse_scan(files, scangen.spec())
    _check(read.result, scan)
    flagged = {p.indicator: p.code for p in read.result.problems}
    assert flagged[14] == flagged[20] == "no_choice"
    assert read.result.scan["cover"]["sealed"] is True
    assert read.result.scan["pledge"]["sealed"] is True
