"""The scan reader's own process: `python -m zeren.intake.scan.worker` reads a JSON request
on stdin ({"files": [[name, path], ...], "spec": mapping}) and writes one JSON answer on stdout.

It limits itself (address space, CPU time, file size) before touching the files, works only
in the temporary directory it is started in, and never raises: every failure is an error code.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MEMORY = 1536 * 1024 * 1024  # address space (libraries map far more than they touch)


def _limit(cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024 * 1024, 256 * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(request: dict[str, Any]) -> dict[str, Any]:
    os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(40_000_000))
    import cv2

    cv2.setNumThreads(1)
    from zeren.frameworks.spec import spec_from_mapping
    from zeren.intake.scan import load, ocr
    from zeren.intake.scan.read import read_pages

    spec = spec_from_mapping(request["spec"])
    tmp = os.getcwd()
    files = [(str(name), Path(path)) for name, path in request["files"]]

    def images() -> Iterator[tuple[str, Any]]:
        for name, path in files:
            for n, img in enumerate(load.pages_of(name, path, tmp), start=1):
                yield f"{name}#{n}", img

    try:
        if not ocr.available():
            raise load.ScanRefused(
                "scan_unavailable",
                "本机未安装文字识别程序（tesseract-ocr 与 tesseract-ocr-chi-sim）。",
            )
        read = read_pages(images(), spec)
    except load.ScanRefused as exc:
        return {"error": {"code": exc.code, "message": exc.message}}
    except ocr.OcrTimeout:
        return {"error": {"code": "scan_too_complex", "message": "扫描件在限定时间内无法识别。"}}
    except MemoryError:
        return {
            "error": {"code": "scan_too_large", "message": "扫描件过大，超出内存上限，无法读取。"}
        }
    result = read.result
    if result.error is not None:
        return {"error": result.error.to_jsonable()}
    assert result.form is not None
    return {
        "error": None,
        "form": result.form.to_jsonable(),
        "problems": [p.to_jsonable() for p in result.problems],
        "scan": result.scan,
        "crops": {str(k): base64.b64encode(v).decode() for k, v in read.crops.items()},
    }


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    _limit(int(request.get("cpu_seconds", 600)))
    answer = run(request)
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    main()
