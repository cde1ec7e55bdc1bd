"""Backup and restore: one tar archive with the database, the stored files and a manifest.

The database is copied at one consistent point while Zeren keeps serving (PostgreSQL: pg_dump,
which reads one snapshot; SQLite: its online backup API). The files are copied after it: they
are written before the rows that name them commit, and never changed (content-addressed keys or
random names), so every file the copied database names is in the archive. The manifest,
written last, holds the SHA-256 and size of every other member.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

from zeren.lib.storage import CHUNK, iter_keys, open_stream

FORMAT = "zeren-backup-1"
MANIFEST = "manifest.json"
SKIP_PREFIXES = ("tmp/",)


class BackupError(Exception):
    """Said to the operator as it is (both languages)."""


class _Hashing:
    """Reads a stream once, through SHA-256 (not seekable, so nothing reads it twice)."""

    closed = False

    def __init__(self, fh: IO[bytes]):
        self.fh = fh
        self.sha = hashlib.sha256()
        self.count = 0

    def read(self, n: int | None = -1) -> bytes:
        data = self.fh.read(-1 if n is None else n)
        self.sha.update(data)
        self.count += len(data)
        return data

    def seekable(self) -> bool:
        return False

    def seek(self, *args: Any) -> int:
        raise io.UnsupportedOperation("seek")


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    return info


# --- the database -----------------------------------------------------------------------------


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["-h", str(s.get("HOST") or "127.0.0.1"), "-p", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    return env, args


def dump_database(dest: Path) -> str:
    """Copies the database at one point in time into dest; returns the member name."""
    if connection.vendor == "sqlite":
        src = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        try:
            dst = sqlite3.connect(str(dest))
            with dst:
                # In one step: a read transaction sees one snapshot while writers go on (WAL);
                # a stepwise copy would start again after every write and might never end.
                src.backup(dst, pages=-1)
            dst.close()
        finally:
            src.close()
        return "database/zeren.sqlite3"
    if connection.vendor == "postgresql":
        env, args = _pg_env_args()
        cmd = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(dest)]
        cmd.append(str(connection.settings_dict["NAME"]))
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_dump 失败 / pg_dump failed: {done.stderr.strip()}")
        return "database/zeren.pgdump"
    raise BackupError(f"不支持的数据库 / unsupported database: {connection.vendor}")


def database_tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def load_database(src: Path, member: str) -> None:
    """Fills the empty database from a dump."""
    if member.endswith(".sqlite3"):
        if connection.vendor != "sqlite":
            raise BackupError(
                "备份来自 SQLite，但当前数据库是 PostgreSQL / the backup is of SQLite, "
                "the database configured is PostgreSQL"
            )
        name = Path(str(connection.settings_dict["NAME"]))
        connections.close_all()
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        name.parent.mkdir(parents=True, exist_ok=True)
        tmp = name.with_suffix(".restoring")
        shutil.copyfile(src, tmp)
        os.replace(tmp, name)
        return
    if connection.vendor != "postgresql":
        raise BackupError(
            "备份来自 PostgreSQL，但当前数据库是 SQLite / the backup is of PostgreSQL, "
            "the database configured is SQLite"
        )
    env, args = _pg_env_args()
    connections.close_all()
    cmd = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args]
    cmd += ["-d", str(connection.settings_dict["NAME"]), str(src)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败 / pg_restore failed: {done.stderr.strip()}")


# --- backup -----------------------------------------------------------------------------------


@dataclass
class Manifest:
    created_at: str
    vendor: str
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> sha256, size, key

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "created_at": self.created_at,
                "vendor": self.vendor,
                "members": self.members,
            },
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        ).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise BackupError(
                f"不是 Zeren 备份（格式 {raw.get('format')!r}）/ not a Zeren backup "
                f"(format {raw.get('format')!r})"
            )
        return cls(created_at=raw["created_at"], vendor=raw["vendor"], members=raw["members"])


def backup(out: Path, *, log: Any = None) -> Manifest:
    """Writes the archive to out (through a temporary name, so a half-written one never stays)."""
    manifest = Manifest(created_at=timezone.now().isoformat(), vendor=connection.vendor)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="zeren-backup-") as tmp:
        dump = Path(tmp) / "db"
        member = dump_database(dump)
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                with dump.open("rb") as fh:
                    _add(tar, manifest, member, fh, dump.stat().st_size, key=None)
                dump.unlink()
                if log:
                    log(f"数据库 database: {member}")
                count = 0
                for key in iter_keys():
                    if key.startswith(SKIP_PREFIXES):
                        continue
                    size = default_storage.size(key)
                    with open_stream(key) as fh:
                        _add(tar, manifest, f"files/{key}", fh, size, key=key)
                    count += 1
                if log:
                    log(f"文件 files: {count}")
                data = manifest.to_bytes()
                tar.addfile(_tarinfo(MANIFEST, len(data)), _BytesReader(data))
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else self.pos + n
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        return chunk


def _add(
    tar: tarfile.TarFile,
    manifest: Manifest,
    name: str,
    fh: IO[bytes],
    size: int,
    *,
    key: str | None,
) -> None:
    reader = _Hashing(fh)
    tar.addfile(_tarinfo(name, size), reader)
    if reader.count != size:
        raise BackupError(
            f"{name} 在复制时大小改变 / changed size while being copied ({reader.count} ≠ {size})"
        )
    manifest.members[name] = {"sha256": reader.sha.hexdigest(), "size": size, "key": key}


# --- checking and restoring -------------------------------------------------------------------


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.getmember(MANIFEST)
            fh = tar.extractfile(member)
            assert fh is not None
            return Manifest.from_bytes(fh.read())
    except (KeyError, tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(
            f"无法读取备份清单 / cannot read the backup's manifest: {archive}: {exc}"
        ) from None


def _members(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    for info in tar:
        if info.name == MANIFEST or not info.isfile():
            continue
        fh = tar.extractfile(info)
        if fh is not None:
            yield info, fh


def check_archive(archive: Path) -> list[str]:
    """Every member's hash against the manifest; returns one line per problem."""
    manifest = read_manifest(archive)
    problems: list[str] = []
    seen: set[str] = set()
    with tarfile.open(archive, "r") as tar:
        for info, fh in _members(tar):
            seen.add(info.name)
            expected = manifest.members.get(info.name)
            if expected is None:
                problems.append(f"{info.name}: 不在清单中 not in the manifest")
                continue
            h = hashlib.sha256()
            while chunk := fh.read(CHUNK):
                h.update(chunk)
            if h.hexdigest() != expected["sha256"]:
                problems.append(
                    f"{info.name}: 哈希不符 SHA-256 {h.hexdigest()[:16]}… ≠ manifest "
                    f"{expected['sha256'][:16]}…"
                )
    for name in sorted(set(manifest.members) - seen):
        problems.append(f"{name}: 清单中有但备份中缺少 in the manifest, missing from the archive")
    return problems


def refuse_unless_empty() -> None:
    tables = database_tables()
    if tables:
        raise BackupError(
            f"数据库不是空的（已有 {len(tables)} 张表），恢复只写入新建的空数据库 / the database "
            f"is not empty ({len(tables)} tables): restore only fills a new, empty database"
        )
    for key in iter_keys():
        raise BackupError(
            f"文件存储不是空的（例如 {key}），恢复只写入空的存储 / the file store is not empty "
            f"(e.g. {key}): restore only fills an empty store"
        )


def restore(archive: Path, *, log: Any = None) -> Manifest:
    """Fills an empty database and store from the archive, after checking every hash."""
    manifest = read_manifest(archive)
    refuse_unless_empty()
    problems = check_archive(archive)
    if problems:
        raise BackupError(
            "备份已被改动或损坏，未恢复 / the archive was changed or is damaged, nothing "
            "restored:\n" + "\n".join(problems)
        )
    with tempfile.TemporaryDirectory(prefix="zeren-restore-") as tmp, tarfile.open(archive) as tar:
        for info, fh in _members(tar):
            entry = manifest.members[info.name]
            if info.name.startswith("database/"):
                dump = Path(tmp) / "db"
                with dump.open("wb") as out:
                    shutil.copyfileobj(fh, out, CHUNK)
                load_database(dump, info.name)
                dump.unlink()
                if log:
                    log(f"数据库 database: {info.name}")
                continue
            key = entry["key"]
            reader = _Hashing(fh)
            saved = default_storage.save(key, File(reader, name=key))  # type: ignore[arg-type]
            if saved != key or reader.sha.hexdigest() != entry["sha256"]:
                raise BackupError(f"{info.name}: 写入存储时出错 / not stored intact")
    if log:
        log(f"文件 files: {sum(1 for m in manifest.members.values() if m['key'])}")
    return manifest
