"""Integrity checks: every submission's snapshot hash and every stored file's hash, recomputed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from zeren.assessments.formdata import canonical_json
from zeren.assessments.models import StoredFile, Submission
from zeren.intake.models import ImportItem
from zeren.lib.storage import CHUNK, open_stream, storage_errors


@dataclass(frozen=True)
class Mismatch:
    what: str  # names the record or file
    problem: str

    def __str__(self) -> str:
        return f"{self.what}: {self.problem}"


@dataclass
class Report:
    submissions: int = 0
    files: int = 0
    mismatches: list[Mismatch] | None = None

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _file_hash(key: str) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open_stream(key) as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def check_submissions() -> Iterator[Mismatch]:
    known: dict[int, set[str]] = {}
    for f in StoredFile.objects.values("self_assessment_id", "sha256"):
        known.setdefault(f["self_assessment_id"], set()).add(f["sha256"])
    for s in Submission.objects.select_related("self_assessment__enterprise").order_by("pk"):
        what = (
            f"提交 submission #{s.pk} ({s.self_assessment.enterprise.name}, "
            f"第{s.number}版 version {s.number})"
        )
        actual = hashlib.sha256(canonical_json(s.snapshot)).hexdigest()
        if actual != s.sha256:
            yield Mismatch(
                what, f"快照哈希不符 snapshot hash {actual[:16]}… ≠ recorded {s.sha256[:16]}…"
            )
        refs = {
            ref["sha256"]
            for a in s.snapshot.get("answers", [])
            for e in a.get("evidence", [])
            for ref in e.get("files", [])
        }
        scan = (s.snapshot.get("pledge") or {}).get("scan")
        if scan:
            refs.add(scan["sha256"])
        for missing in sorted(refs - known.get(s.self_assessment_id, set())):
            yield Mismatch(what, f"引用的文件不存在 refers to a missing file {missing}")


def check_files() -> Iterator[tuple[str, Mismatch | None]]:
    rows: list[tuple[str, str, str, int]] = [
        (f"文件 file #{f.pk} {f.original_name} ({f.storage_key})", f.storage_key, f.sha256, f.size)
        for f in StoredFile.objects.order_by("pk")
    ] + [
        (
            f"导入文件 import #{i.pk} {i.original_name} ({i.storage_key})",
            i.storage_key,
            i.sha256,
            i.size,
        )
        for i in ImportItem.objects.order_by("pk")
    ]
    for what, key, sha, size in rows:
        try:
            actual, actual_size = _file_hash(key)
        except storage_errors() as exc:  # includes FileNotFoundError (an OSError)
            yield what, Mismatch(what, f"无法读取 cannot be read: {type(exc).__name__}")
            continue
        if actual != sha:
            yield what, Mismatch(what, f"内容哈希不符 content hash {actual[:16]}… ≠ {sha[:16]}…")
        elif actual_size != size:
            yield what, Mismatch(what, f"大小不符 size {actual_size} ≠ {size}")
        else:
            yield what, None


def verify_all() -> Report:
    """Recomputes every hash the database records; names each mismatch."""
    report = Report(mismatches=[])
    assert report.mismatches is not None
    for m in check_submissions():
        report.mismatches.append(m)
    report.submissions = Submission.objects.count()
    for _what, problem in check_files():
        report.files += 1
        if problem is not None:
            report.mismatches.append(problem)
    return report
