"""Server memory while a 1 GiB evidence file is uploaded, against a tiny upload.

    .venv/bin/python bench/bench_upload.py                        # SQLite, the default
    .venv/bin/python bench/bench_upload.py --database-url postgres://postgres@127.0.0.1:5432/zeren_bench_upload

Starts `zeren serve` (gunicorn, 3 workers x 4 threads) on a free 127.0.0.1 port with a fresh
ZEREN_DATA_DIR and ZEREN_MAX_UPLOAD_MB=2048 (with --database-url the PostgreSQL database is
created with createdb, it must not exist, and dropped at the end). An enterprise admin logs in
through the login form and POSTs multipart (field `files`) to
/assessments/<pk>/indicators/1/upload/ with the X-CSRFToken header, as the page does. The file,
a PDF header, pseudo-random filler and a PDF trailer, is generated while it is sent with a
Content-Length: the client never holds it (its own peak RSS is printed) and hashes it on the way.

While each upload runs, every gunicorn worker's RSS is sampled from /proc every 10 ms, and its
VmHWM (peak RSS, reset with clear_refs before the upload) read afterwards; the figure is the
largest growth of any worker over its RSS just before. Baseline: the same for a 64 KiB upload.
Goal: growth < 64 MiB for the 1 GiB file. The stored file must have the client's SHA-256 (the
stored blob is hashed again from disk) and no temporary file may be left behind.
Exits non-zero when the goal is missed or the check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402

GOAL_MIB = 64
MIB = _server.MIB
PASSWORD = "bench-upload-2026"
BOUNDARY = "----zeren-bench-7c1f0d2a9e"
HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
TAIL = b"\ntrailer<<>>\n%%EOF\n"


# Set-up and verification (subprocesses with Django) -----------------------------------------


def setup() -> dict[str, Any]:
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise, Membership, Role, User
    from zeren.assessments.services import create_self_assessment
    from zeren.campaigns.models import Campaign
    from zeren.frameworks.models import Framework

    call_command("migrate", interactive=False, verbosity=0)
    now = timezone.now()
    campaign = Campaign.objects.create(
        framework=Framework.objects.get(key="platform-csr", version=1),
        title="压测评估",
        year=now.year,
        status=Campaign.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    enterprise = Enterprise.objects.create(
        name="压测平台有限公司", credit_code=make_credit_code("91110108000000001")
    )
    user = User.objects.create_user(
        username="bench-upload", password=PASSWORD, email="bench-upload@example.com"
    )
    Membership.objects.create(user=user, enterprise=enterprise, role=Role.ENTERPRISE_ADMIN)
    sa = create_self_assessment(
        campaign=campaign, enterprise=enterprise, business_scope="电商平台", by=None
    )
    return {"username": user.username, "password": PASSWORD, "sa": sa.pk}


def verify(sha256: str) -> dict[str, Any]:
    """The stored row for that content, its blob hashed again from storage, leftover temp files."""
    import django

    django.setup()
    from django.conf import settings

    from zeren.assessments.models import StoredFile
    from zeren.assessments.uploads import open_stored

    f = StoredFile.objects.filter(sha256=sha256).first()
    tmp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    leftover = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
    if f is None:
        return {"stored": False, "leftover_tmp_bytes": leftover}
    digest = hashlib.sha256()
    with open_stored(f) as fh:
        while block := fh.read(MIB):
            digest.update(block)
    return {
        "stored": True,
        "size": f.size,
        "content_type": f.content_type,
        "evidence_items": f.evidence_items.count(),
        "blob_sha256": digest.hexdigest(),
        "leftover_tmp_bytes": leftover,
    }


# The upload --------------------------------------------------------------------------------------


def pdf_chunks(size: int, digest: Any) -> Iterator[bytes]:
    """`size` bytes of PDF: header, 1 MiB pieces of pseudo-random filler, trailer; hashed."""
    block = random.Random(20261128).randbytes(MIB)
    filler = size - len(HEAD) - len(TAIL)
    assert filler >= 0
    pieces = [HEAD]
    sent = 0
    k = 0
    while sent < filler:
        n = min(MIB, filler - sent)
        start = (k * 4099) % MIB  # a different piece each time, not one block repeated
        piece = (block[start:] + block[:start])[:n]
        pieces.append(piece)
        sent += n
        k += 1
        for p in pieces:
            digest.update(p)
            yield p
        pieces = []
    for p in (*pieces, TAIL):
        digest.update(p)
        yield p


def multipart(name: str, size: int, digest: Any) -> tuple[Iterator[bytes], int]:
    pre = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    post = f"\r\n--{BOUNDARY}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield pre
        yield from pdf_chunks(size, digest)
        yield post

    return body(), len(pre) + size + len(post)


class Sampler:
    """Samples the workers' RSS every 10 ms; peak = max(samples, VmHWM after a reset)."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.before = {p: _server.status_kib(p, "VmRSS") for p in pids}
        self.hwm_reset = all(_server.reset_peak(p) for p in pids)
        self.peak = dict(self.before)
        self.samples = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stopping.is_set():
            for p in self.pids:
                self.peak[p] = max(self.peak[p], _server.status_kib(p, "VmRSS"))
            self.samples += 1
            self.stopping.wait(0.01)

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        self.thread.join()
        if self.hwm_reset:
            for p in self.pids:
                self.peak[p] = max(self.peak[p], _server.status_kib(p, "VmHWM"))

    def growth_mib(self) -> tuple[float, int]:
        """The largest growth of one worker, and that worker."""
        pid = max(self.pids, key=lambda p: self.peak[p] - self.before[p])
        return (self.peak[pid] - self.before[pid]) / 1024, pid


def upload(
    session: _server.Session, server: _server.Server, sa: int, name: str, size: int
) -> dict[str, Any]:
    digest = hashlib.sha256()
    chunks, length = multipart(name, size, digest)
    time.sleep(0.3)  # let the workers settle after the previous request
    with Sampler(server.worker_pids()) as sampler:
        t0 = time.perf_counter()
        status, body = session.stream(
            f"/assessments/{sa}/indicators/1/upload/",
            chunks,
            length,
            {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "HX-Request": "true"},
        )
        seconds = time.perf_counter() - t0
    growth, pid = sampler.growth_mib()
    return {
        "status": status,
        "body": body,
        "seconds": seconds,
        "sha256": digest.hexdigest(),
        "growth_mib": growth,
        "worker": pid,
        "rss_before_mib": sampler.before[pid] / 1024,
        "samples": sampler.samples,
        "hwm": sampler.hwm_reset,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of a database to create")
    parser.add_argument("--gib", type=float, default=1.0, help="size of the big file")
    parser.add_argument("--max-upload-mb", type=int, default=2048)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--child", choices=["setup", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--sha256", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "setup":
        print(json.dumps(setup()))
        return 0
    if args.child == "verify":
        print(json.dumps(verify(args.sha256)))
        return 0
    place = _server.Place(database_url=args.database_url)
    try:
        return run(args, place)
    finally:
        place.cleanup()


def run(args: argparse.Namespace, place: _server.Place) -> int:
    started = time.perf_counter()
    place.create_database()
    data = _server.run_child(__file__, ["--child", "setup"], place.env())
    size = int(args.gib * (1 << 30))
    server = _server.Server(
        place, workers=args.workers, env={"ZEREN_MAX_UPLOAD_MB": str(args.max_upload_mb)}
    )
    print(
        f"database: {place.label()}; gunicorn {args.workers} workers x 4 threads (zeren serve); "
        f"ZEREN_MAX_UPLOAD_MB={args.max_upload_mb}"
    )
    with server:
        session = _server.Session(server.host)
        session.login(data["username"], data["password"])
        # Warm every worker (imports done on a first upload are not the upload's memory).
        for k in range(3 * args.workers):
            r = upload(session, server, data["sa"], f"预热{k}.pdf", 64 * 1024 + k)
            assert r["status"] == 200, (r["status"], r["body"][:500])
        tiny = upload(session, server, data["sa"], "小文件.pdf", 64 * 1024 + 999)
        big = upload(session, server, data["sa"], "大文件-1GiB.pdf", size)
        client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    check = _server.run_child(
        __file__, ["--child", "verify", "--sha256", big["sha256"]], place.env()
    )

    for label, r, n in (("baseline (64 KiB upload)", tiny, 64 * 1024), ("1 GiB upload", big, size)):
        print(
            f"{label:<26} status {r['status']}  {r['seconds']:6.2f} s "
            f"({n / r['seconds'] / MIB:6.1f} MiB/s)  worker RSS before {r['rss_before_mib']:.1f} MiB, "
            f"peak growth {r['growth_mib']:.1f} MiB  ({r['samples']} samples"
            f"{', VmHWM' if r['hwm'] else ', no VmHWM reset'})"
        )
    ratio = big["growth_mib"] / tiny["growth_mib"] if tiny["growth_mib"] > 0 else float("inf")
    print(
        f"growth 1 GiB - baseline: {big['growth_mib'] - tiny['growth_mib']:.1f} MiB "
        f"(ratio {ratio:.1f}x); client peak RSS {client_peak:.0f} MiB"
    )
    stored = (
        big["status"] == 200
        and check.get("stored")
        and check.get("size") == size
        and check.get("blob_sha256") == big["sha256"]
        and check.get("evidence_items") == 1
    )
    print(
        f"stored: {check.get('stored')}, size {check.get('size')}, {check.get('content_type')}, "
        f"sha256 {'matches the client' if check.get('blob_sha256') == big['sha256'] else 'DIFFERS'} "
        f"({big['sha256'][:16]}…), catalog rows {check.get('evidence_items')}; "
        f"temporary files left {check['leftover_tmp_bytes']} bytes"
    )
    ok = big["growth_mib"] < GOAL_MIB
    print(f"goal: peak growth < {GOAL_MIB} MiB -> {'OK' if ok else 'GOAL MISSED'}")
    if not stored or check["leftover_tmp_bytes"]:
        print("FAILED: the upload was not stored as sent, or temporary files were left")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0 if ok and stored and not check["leftover_tmp_bytes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
