""".docx -> PDF with LibreOffice headless.

`docx_to_pdf(docx)` converts one document; `docx_to_pdfs(docs)` converts many with one
LibreOffice process per batch of `batch_size` files (`soffice --convert-to pdf a b c …`), which
bench/bench_pdf.py measures at a fraction of the per-file cost of a fresh process each time
(LibreOffice's start-up and profile creation dominate a single conversion). Use it whenever
there is more than one document.

Every call runs in its own temporary directory with its own LibreOffice profile
(`-env:UserInstallation=file://…`), so concurrent workers never share a profile, under a
timeout after which the whole process group is killed. FONTCONFIG_FILE points at
`data/fonts.conf`, which maps 仿宋_GB2312 / 宋体 / 方正小标宋简体 to Noto Serif CJK SC and 黑体 to
Noto Sans CJK SC and keeps DejaVu for ☑.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from zeren.documents.render import DATA_DIR

FONTS_CONF = DATA_DIR / "fonts.conf"
PDF_MIMETYPE = "application/pdf"
INSTALL_HINT = (
    "未找到 LibreOffice（soffice），无法生成 PDF。请安装 libreoffice-writer-nogui fonts-noto-cjk "
    "fonts-dejavu-core（或运行 scripts/install-system-packages）。 / "
    "LibreOffice (soffice) was not found, so PDFs cannot be made. Install "
    "libreoffice-writer-nogui fonts-noto-cjk fonts-dejavu-core (or run "
    "scripts/install-system-packages)."
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed."""

    def __init__(self, message: str = INSTALL_HINT):
        super().__init__(message)


class PdfFailed(RuntimeError):
    """LibreOffice ran but did not produce a PDF (timeout, crash, unreadable input)."""


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    # LibreOffice writes under $HOME even with a private profile; keep it in the temp dir.
    env["HOME"] = str(home)
    env.pop("SAL_USE_VCLPLUGIN", None)
    return env


def _convert_batch(soffice: str, docs: list[bytes], timeout: float) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="zeren-pdf-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        src, out, profile = root / "in", root / "out", root / "profile"
        for d in (src, out, profile):
            d.mkdir()
        names = []
        for i, data in enumerate(docs):
            path = src / f"{i:05d}.docx"
            path.write_bytes(data)
            names.append(str(path))
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *names,
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(root),
            cwd=root,
            start_new_session=True,  # its own process group, so a timeout kills soffice.bin too
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfFailed(
                f"LibreOffice 转换超时（{timeout:g} 秒）/ LibreOffice timed out after {timeout:g} s"
            ) from None
        finally:
            # soffice.bin can outlive the wrapper script; nothing of this group may survive.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        results = []
        for i in range(len(docs)):
            pdf = out / f"{i:05d}.pdf"
            if not pdf.exists():
                detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
                raise PdfFailed(
                    f"LibreOffice 未能转换第 {i + 1} 个文件（退出码 {proc.returncode}）/ "
                    f"LibreOffice did not convert file {i + 1} (exit code {proc.returncode}): {detail}"
                )
            results.append(pdf.read_bytes())
        return results


def docx_to_pdfs(
    docs: Iterable[bytes], *, timeout: float = 120, batch_size: int = 50
) -> list[bytes]:
    """Converts many .docx documents, one LibreOffice process per batch; `timeout` is per batch."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable()
    pending = list(docs)
    results: list[bytes] = []
    for start in range(0, len(pending), batch_size):
        results.extend(_convert_batch(soffice, pending[start : start + batch_size], timeout))
    return results


def docx_to_pdf(docx: bytes, *, timeout: float = 120) -> bytes:
    """Converts one .docx document to PDF; raises PdfUnavailable or PdfFailed."""
    return docx_to_pdfs([docx], timeout=timeout)[0]
