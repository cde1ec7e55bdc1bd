"""Memory of streaming a 2 GiB evidence bundle, against just reading the same files.

    .venv/bin/python bench/bench_bundle.py [--gib 2]

Each measurement runs in a fresh subprocess; the figure is its peak RSS (ru_maxrss) minus its
RSS just before the work. The files are generated on the fly from a 1 MiB pseudo-random block
(no disk used): 2 GiB in PDFs of 64-512 MiB (stored) plus text files (deflated).
Baseline: reading every file through its opener in 1 MiB pieces and hashing it, with no ZIP.
Goal: the bundle's peak RSS growth stays under 64 MiB. Exits non-zero when missed.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MIB = 64
MIB = 1 << 20


class Generated:
    """A read-only file of `size` bytes cycling through one shared 1 MiB block."""

    block = random.Random(20261128).randbytes(MIB)

    def __init__(self, size: int, offset: int):
        self.size = size
        self.pos = 0
        self.offset = offset % MIB

    def close(self) -> None:
        pass

    def read(self, n: int = -1, /) -> bytes:
        left = self.size - self.pos
        if n < 0 or n > left:
            n = left
        n = min(n, MIB)
        start = (self.offset + self.pos) % MIB
        piece = self.block[start : start + n]
        if len(piece) < n:
            piece += self.block[: n - len(piece)]
        self.pos += n
        return piece


def file_sizes(total: int) -> list[tuple[str, int]]:
    """(extension, size) pairs adding up to `total`."""
    rng = random.Random(7)
    sizes: list[tuple[str, int]] = []
    used = 0
    while used < total:
        if rng.random() < 0.2:
            ext, size = ".txt", rng.randint(1, 16) * MIB
        else:
            ext, size = ".pdf", rng.randint(64, 512) * MIB
        size = min(size, total - used)
        sizes.append((ext, size))
        used += size
    return sizes


def rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def child(mode: str, total: int) -> dict[str, Any]:
    from zeren.documents.bundle import EvidenceFile, stream_bundle

    sizes = file_sizes(total)
    # The records' SHA-256 are computed before measuring, as the upload did.
    records = []
    for k, (ext, size) in enumerate(sizes):
        digest = hashlib.sha256()
        fh = Generated(size, k * 4099)
        while block := fh.read(MIB):
            digest.update(block)
        records.append(
            EvidenceFile(
                indicator=k % 28 + 1,
                seq=k // 28 + 1,
                title=f"佐证材料{k}",
                name=f"原文件{k}{ext}",
                open=functools.partial(Generated, size, k * 4099),
                size=size,
                sha256=digest.hexdigest(),
            )
        )
    before = rss_kib()
    started = time.perf_counter()
    produced = 0
    tail = b""
    if mode == "baseline":
        for rec in records:
            reader = rec.open()
            digest = hashlib.sha256()
            while block := reader.read(MIB):
                digest.update(block)
                produced += len(block)
            assert digest.hexdigest() == rec.sha256
    else:
        for chunk in stream_bundle(form_docx=b"docx" * 5000, evidence=records):
            produced += len(chunk)
            tail = (tail + chunk)[-4096:]
        # A ZIP64 end record and the classic end record close the archive.
        assert b"PK\x06\x06" in tail and b"PK\x05\x06" in tail
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "files": len(records),
        "bytes": produced,
        "seconds": elapsed,
        "growth_kib": max(peak - before, 0),
        "before_kib": before,
    }


def run(mode: str, total: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--bytes", str(total)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gib", type=float, default=2.0)
    parser.add_argument("--child", choices=["baseline", "bundle"])
    parser.add_argument("--bytes", type=int)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.bytes)))
        return 0
    total = int(args.gib * (1 << 30))
    base = run("baseline", total)
    bundle = run("bundle", total)
    base_mib = base["growth_kib"] / 1024
    bundle_mib = bundle["growth_kib"] / 1024
    print(
        f"evidence: {bundle['files']} files, {total / (1 << 30):.2f} GiB; bundle {bundle['bytes'] / (1 << 30):.2f} GiB"
    )
    print(
        f"baseline (read + hash the files): peak RSS growth {base_mib:.1f} MiB, {base['seconds']:.1f} s"
    )
    print(
        f"stream_bundle: peak RSS growth {bundle_mib:.1f} MiB, {bundle['seconds']:.1f} s "
        f"({bundle['bytes'] / bundle['seconds'] / MIB:.0f} MiB/s)"
    )
    ratio = bundle_mib / base_mib if base_mib else float("inf")
    print(
        f"ratio bundle/baseline memory: {ratio:.1f}x; time {bundle['seconds'] / base['seconds']:.1f}x"
    )
    ok = bundle_mib < GOAL_MIB
    print(f"goal: growth < {GOAL_MIB} MiB -> {'OK' if ok else 'GOAL MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
