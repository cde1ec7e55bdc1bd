"""Scanned files to page images, within limits: PDF through pdftoppm, JPEG/PNG/TIFF decoded.

Runs inside the reader's own process (see worker.py) under memory and CPU limits; pdfinfo and
pdftoppm are further child processes with their own limits and timeouts, working in the
reader's temporary directory.
"""

from __future__ import annotations

import os
import re
import resource
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

MAX_PAGES = 60
MAX_PIXELS = 40_000_000  # a decoded image (about A3 at 600 dpi)
LONG_SIDE = 2339  # pages are read at about 200 dpi for A4
PAGE_SECONDS = 20.0
CHILD_MEMORY = 512 * 1024 * 1024


class ScanRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def kind(data: bytes) -> str | None:
    if data.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    return None


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (int(PAGE_SECONDS) + 5, int(PAGE_SECONDS) + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024 * 1024, 256 * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run(args: list[str], cwd: str, timeout: float) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": cwd, "LANG": "C.UTF-8"}
    try:
        return subprocess.run(
            args,
            capture_output=True,
            timeout=timeout,
            cwd=cwd,
            env=env,
            preexec_fn=_limits,  # noqa: PLW1509 - the reader runs no threads
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ScanRefused(
            "scan_too_complex", "PDF 文件过于复杂，在限定时间内无法读取（可能是恶意构造的文件）。"
        ) from None
    except FileNotFoundError:
        raise ScanRefused(
            "scan_unavailable", "本机未安装读取扫描件所需的程序（poppler-utils）。"
        ) from None


def _pdf_pages(path: Path, tmp: str) -> Iterator[np.ndarray]:
    info = _run(["pdfinfo", str(path)], tmp, 15)
    text = info.stdout.decode("utf-8", "replace")
    err = info.stderr.decode("utf-8", "replace")
    if info.returncode != 0:
        if "password" in err.lower() or "Incorrect password" in err:
            raise ScanRefused("encrypted_file", "PDF 文件设置了打开密码，请取消密码后再上传。")
        raise ScanRefused("corrupt_pdf", "PDF 文件已损坏，无法读取。")
    m = re.search(r"^Pages:\s+(\d+)", text, re.M)
    pages = int(m.group(1)) if m else 0
    if pages == 0:
        raise ScanRefused("corrupt_pdf", "PDF 文件中没有页面，无法读取。")
    if pages > MAX_PAGES:
        raise ScanRefused(
            "too_many_pages",
            f"PDF 文件有 {pages} 页，超过 {MAX_PAGES} 页的上限，不像一份自评材料的扫描件。",
        )
    for n in range(1, pages + 1):
        out = f"{tmp}/page"
        done = _run(
            [
                "pdftoppm",
                "-f",
                str(n),
                "-l",
                str(n),
                "-scale-to",
                str(LONG_SIDE),
                "-singlefile",
                str(path),
                out,
            ],
            tmp,
            PAGE_SECONDS,
        )
        ppm = Path(out + ".ppm")
        if done.returncode != 0 or not ppm.exists():
            if "password" in done.stderr.decode("utf-8", "replace").lower():
                raise ScanRefused("encrypted_file", "PDF 文件设置了打开密码，请取消密码后再上传。")
            raise ScanRefused("corrupt_pdf", f"PDF 文件第 {n} 页无法读取（文件损坏或过于复杂）。")
        img = cv2.imread(str(ppm), cv2.IMREAD_COLOR)
        ppm.unlink()
        if img is None:
            raise ScanRefused("corrupt_pdf", f"PDF 文件第 {n} 页无法读取。")
        yield img


def _declared_size(data: bytes, what: str) -> tuple[int, int] | None:
    if what == "png" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return w, h
    if what == "jpeg":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (
                0xC0,
                0xC1,
                0xC2,
                0xC3,
                0xC5,
                0xC6,
                0xC7,
                0xC9,
                0xCA,
                0xCB,
                0xCD,
                0xCE,
                0xCF,
            ):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w, h
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            i += 2 + length
    return None


def _fit(img: np.ndarray) -> np.ndarray:
    h, w = img.shape[:2]
    if max(h, w) > LONG_SIDE * 1.05:
        s = LONG_SIDE / max(h, w)
        img = cv2.resize(img, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA)
    return img


def _image_pages(data: bytes, what: str) -> list[np.ndarray]:
    size = _declared_size(data, what)
    if size is not None and size[0] * size[1] > MAX_PIXELS:
        raise ScanRefused(
            "image_too_large",
            f"图片尺寸过大（{size[0]}×{size[1]} 像素），请以 150–300 dpi 扫描后再上传。",
        )
    buf = np.frombuffer(data, np.uint8)
    try:
        if what == "tiff":
            ok, imgs = cv2.imdecodemulti(buf, cv2.IMREAD_COLOR)
            pages = list(imgs) if ok else []
        else:
            img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
            pages = [img] if img is not None else []
    except cv2.error:
        pages = []
    if not pages:
        raise ScanRefused("unreadable_image", "图片无法解码（文件损坏或尺寸过大）。")
    if len(pages) > MAX_PAGES:
        raise ScanRefused("too_many_pages", f"图片超过 {MAX_PAGES} 页的上限。")
    return [_fit(p) for p in pages]


def pages_of(name: str, path: Path, tmp: str) -> Iterator[np.ndarray]:
    """The page images of one file, in its own order."""
    with path.open("rb") as fh:
        data = fh.read()
    what = kind(data)
    if what is None:
        raise ScanRefused(
            "not_a_scan", f"{name} 不是 PDF、JPEG、PNG 或 TIFF 文件，无法作为扫描件读取。"
        )
    if what == "pdf":
        yield from (_fit(p) for p in _pdf_pages(path, tmp))
    else:
        yield from _image_pages(data, what)
