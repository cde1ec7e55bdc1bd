"""Hostile and wrong scans: PDF bombs (thousands of pages, a huge image, deeply nested
objects), a password-protected PDF, a photo of something else, an image whose header claims
giant dimensions. Each ends in a clear code within a time limit, the reader's processes stay
under 512 MiB resident, and nothing is written outside the temporary directory.

Each case runs in a fresh Python process (so that its children's peak memory is its own)
with TMPDIR and the working directory pointed at empty directories that are checked after.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from zeren.intake.scan import ocr

pytestmark = pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")

ROOT = Path(__file__).resolve().parents[2]
MIB = 512
SECONDS = 60.0

RUNNER = textwrap.dedent(
    """
    import json, resource, sys
    from zeren.intake.scan import parse_scan
    from zeren.frameworks.spec import seed_spec
    files = [(name, open(path, "rb").read()) for name, path in json.loads(sys.argv[1])]
    read = parse_scan(files, seed_spec(), timeout=float(sys.argv[2]))
    r = read.result
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(json.dumps({"error": r.error.to_jsonable() if r.error else None, "peak_mib": peak}))
    """
)


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R ".encode() + trailer_extra
    out += f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def thousands_of_pages(n: int = 5000) -> bytes:
    kids = " ".join(f"{i + 3} 0 R" for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return _pdf(objs)


def encrypted() -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    return _pdf(objs, b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ")


def huge_image() -> bytes:
    """A page painting a 60000×60000 image (its flate stream is small: zeros compress)."""
    raw = zlib.compress(b"\x00" * (60000 * 3 * 40), 9)  # 40 rows given, the rest missing
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] "
        b"/Resources << /XObject << /I 4 0 R >> >> /Contents 5 0 R >>",
        f"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB "
        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(raw)} >>\nstream\n".encode()
        + raw
        + b"\nendstream",
        b"<< /Length 31 >>\nstream\nq 14400 0 0 14400 0 0 cm /I Do Q\nendstream",
    ]
    return _pdf(objs)


def deep_objects(depth: int = 200_000) -> bytes:
    deep = b"[" * depth + b"]" * depth
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep " + deep + b" >>",
    ]
    return _pdf(objs)


def giant_png_header() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\x00" * 64
    )


def photo_of_something_else() -> bytes:
    rng = np.random.default_rng(1)
    img = np.zeros((1600, 1200, 3), np.uint8)
    yy, xx = np.mgrid[0:1600, 0:1200]
    img[:, :, 0] = (xx * 255 // 1200).astype(np.uint8)
    img[:, :, 1] = (yy * 255 // 1600).astype(np.uint8)
    img[:, :, 2] = 120
    for _ in range(25):
        c = tuple(int(v) for v in rng.integers(0, 255, 3))
        cv2.circle(
            img, tuple(int(v) for v in rng.integers(0, 1200, 2)), int(rng.integers(20, 200)), c, -1
        )
    ok, buf = cv2.imencode(".jpg", img)
    return buf.tobytes()


CASES = {
    "thousands_of_pages": ("bomb.pdf", thousands_of_pages, {"too_many_pages"}),
    "encrypted": ("locked.pdf", encrypted, {"encrypted_file"}),
    "huge_image": ("huge.pdf", huge_image, {"corrupt_pdf", "scan_too_complex", "not_a_form"}),
    "deep_objects": ("deep.pdf", deep_objects, {"corrupt_pdf", "scan_too_complex", "not_a_form"}),
    "giant_png_header": ("giant.png", giant_png_header, {"image_too_large"}),
    "photo_of_something_else": ("photo.jpg", photo_of_something_else, {"not_a_form"}),
    "text_file": ("notes.pdf", lambda: b"%PDF-1.4\nnot really", {"corrupt_pdf"}),
    "truncated_jpeg": (
        "cut.jpg",
        lambda: photo_of_something_else()[:2000],
        {"unreadable_image", "not_a_form"},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_it_refuses_hostile_scans_within_limits(case: str, tmp_path: Path) -> None:
    name, make, codes = CASES[case]
    src = tmp_path / "src"
    src.mkdir()
    path = src / name
    path.write_bytes(make())
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=str(ROOT))
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps([[name, str(path)]]), str(SECONDS)],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=SECONDS + 30,
        check=False,
    )
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    answer = json.loads(done.stdout)
    assert answer["error"] is not None and answer["error"]["code"] in codes, answer
    assert "Traceback" not in answer["error"]["message"]
    assert elapsed < SECONDS + 10
    assert answer["peak_mib"] < MIB, answer
    assert list(cwd.iterdir()) == [] and list(tmp.iterdir()) == []
