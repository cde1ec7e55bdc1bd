"""Tesseract (Debian's tesseract-ocr with chi_sim), run as a bounded child process."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

OCR_SECONDS = 30.0
OCR_MEMORY = 768 * 1024 * 1024


class OcrUnavailable(RuntimeError):
    """tesseract or its Chinese model is not installed."""


class OcrTimeout(RuntimeError):
    pass


@dataclass(frozen=True)
class Word:
    text: str
    conf: float
    x: int
    y: int
    w: int
    h: int
    line: tuple[int, int, int]  # block, paragraph, line

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def available() -> bool:
    path = tesseract_path()
    if path is None:
        return False
    for base in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"):
        if (Path(base) / "chi_sim.traineddata").exists():
            return True
    return bool(os.environ.get("TESSDATA_PREFIX"))


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (OCR_MEMORY, OCR_MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run(image: np.ndarray, args: list[str], timeout: float) -> str:
    path = tesseract_path()
    if path is None:
        raise OcrUnavailable("tesseract")
    with tempfile.TemporaryDirectory(prefix="zeren-ocr-") as tmp:
        src = os.path.join(tmp, "in.png")
        cv2.imwrite(src, image)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1"}
        if "TESSDATA_PREFIX" in os.environ:
            env["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
        try:
            done = subprocess.run(
                [path, src, "stdout", *args],
                capture_output=True,
                timeout=timeout,
                cwd=tmp,
                env=env,
                preexec_fn=_limits,  # noqa: PLW1509 - no threads run in the reader process
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OcrTimeout("tesseract") from None
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace")
            if "Failed loading language" in err or "Error opening data file" in err:
                raise OcrUnavailable(err.strip()[:200])
            return ""
        return done.stdout.decode("utf-8", "replace")


def words(
    image: np.ndarray,
    *,
    lang: str = "chi_sim",
    psm: int = 6,
    whitelist: str | None = None,
    timeout: float = OCR_SECONDS,
) -> list[Word]:
    args = ["-l", lang, "--psm", str(psm)]
    if whitelist:
        args += ["-c", f"tessedit_char_whitelist={whitelist}"]
    args += ["-c", "preserve_interword_spaces=1", "tsv"]
    out = []
    for row in _run(image, args, timeout).splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            out.append(
                Word(
                    text,
                    float(cols[10]),
                    int(cols[6]),
                    int(cols[7]),
                    int(cols[8]),
                    int(cols[9]),
                    (int(cols[2]), int(cols[3]), int(cols[4])),
                )
            )
        except ValueError:
            continue
    return out


@dataclass(frozen=True)
class Line:
    text: str
    conf: float
    x: int
    y: int
    w: int
    h: int


def lines(found: list[Word]) -> list[Line]:
    """Words joined into lines (Chinese has no spaces; Latin words keep one)."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in found:
        groups.setdefault(w.line, []).append(w)
    out = []
    for group in groups.values():
        group.sort(key=lambda w: w.x)
        text = ""
        for i, w in enumerate(group):
            if i and (text[-1:].isascii() and w.text[:1].isascii()):
                gap = w.x - (group[i - 1].x + group[i - 1].w)
                if gap > group[i - 1].h * 0.3:
                    text += " "
            text += w.text
        x0 = min(w.x for w in group)
        y0 = min(w.y for w in group)
        x1 = max(w.x + w.w for w in group)
        y1 = max(w.y + w.h for w in group)
        conf = float(np.mean([w.conf for w in group]))
        out.append(Line(text, conf, x0, y0, x1 - x0, y1 - y0))
    out.sort(key=lambda ln: (ln.y, ln.x))
    return out


def orientation(image: np.ndarray, timeout: float = OCR_SECONDS) -> tuple[int, float]:
    """Tesseract's orientation and script detection: degrees to rotate clockwise, confidence."""
    out = _run(image, ["--psm", "0", "-l", "osd"], timeout)
    rotate, conf = 0, 0.0
    for row in out.splitlines():
        key, _, value = row.partition(":")
        if key.strip() == "Rotate":
            rotate = int(value.strip() or 0)
        elif key.strip() == "Orientation confidence":
            conf = float(value.strip() or 0)
    return rotate, conf
