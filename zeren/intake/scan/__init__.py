"""Reading scanned forms (PDF, JPEG, PNG, TIFF) into the same ParseResult as Word files.

`parse_scan(files, spec)` runs the reader in its own process (worker.py) with a memory and
CPU limit and a wall-clock timeout, inside a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from zeren.assessments.formdata import FormData
from zeren.frameworks.spec import FrameworkSpec, spec_to_mapping
from zeren.intake.parse.results import ParseResult, Problem
from zeren.intake.scan.load import MAX_PAGES, PAGE_SECONDS, kind

SCAN_KINDS = ("pdf", "jpeg", "png", "tiff")
MAX_SCAN_BYTES = 100 * 1024 * 1024


@dataclass
class ScanResult:
    result: ParseResult
    crops: dict[int, bytes] = field(default_factory=dict)  # indicator -> PNG of its 企业自评 cell


def is_scan(data: bytes) -> bool:
    return kind(data[:64]) is not None


def parse_scan(
    files: list[tuple[str, bytes]], spec: FrameworkSpec, *, timeout: float | None = None
) -> ScanResult:
    """Reads one form from one or more scanned files (their pages in any order)."""
    total = sum(len(data) for _, data in files)
    if not files or total == 0:
        return ScanResult(ParseResult.failed("empty_file", "文件为空（0 字节），请重新上传。"))
    if total > MAX_SCAN_BYTES:
        return ScanResult(
            ParseResult.failed(
                "too_large", f"扫描件超过 {MAX_SCAN_BYTES // (1024 * 1024)} MB，无法读取。"
            )
        )
    limit = timeout if timeout is not None else PAGE_SECONDS * MAX_PAGES / 4 + 30
    with tempfile.TemporaryDirectory(prefix="zeren-scan-") as tmp:
        paths = []
        for i, (name, data) in enumerate(files):
            path = Path(tmp) / f"in-{i}"
            path.write_bytes(data)
            paths.append([name, str(path)])
        work = Path(tmp) / "work"
        work.mkdir()
        request = {"files": paths, "spec": spec_to_mapping(spec), "cpu_seconds": int(limit) + 5}
        env = dict(os.environ, TMPDIR=str(work), OMP_THREAD_LIMIT="1", OPENBLAS_NUM_THREADS="1")
        try:
            done = subprocess.run(
                [sys.executable, "-m", "zeren.intake.scan.worker"],
                input=json.dumps(request).encode(),
                capture_output=True,
                timeout=limit,
                cwd=work,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return ScanResult(
                ParseResult.failed("scan_timeout", f"扫描件在 {limit:.0f} 秒内未能读完，已停止。")
            )
        try:
            answer = json.loads(done.stdout or b"null")
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            return ScanResult(
                ParseResult.failed("scan_too_large", "扫描件超出读取时的内存或时间上限，无法读取。")
            )
    if answer.get("error"):
        return ScanResult(ParseResult.failed(answer["error"]["code"], answer["error"]["message"]))
    result = ParseResult(
        form=FormData.model_validate(answer["form"]),
        problems=[Problem(p["indicator"], p["code"], p["message"]) for p in answer["problems"]],
        error=None,
        scan=answer["scan"],
    )
    crops = {int(k): base64.b64decode(v) for k, v in answer.get("crops", {}).items()}
    return ScanResult(result, crops)
