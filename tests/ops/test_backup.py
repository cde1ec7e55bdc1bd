"""Backup → restore → verify, on SQLite and on PostgreSQL, with the files in S3 (moto)."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.ops.procs import ROOT
from tests.servers import S3_KEYS, S3_REGION, new_bucket, s3_env

PG = "postgres://postgres@127.0.0.1:5432"

# These tests make their own databases of both kinds; CI's second run (DATABASE_URL set, the
# suite on PostgreSQL) would only repeat them.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass; makes its own databases"
)


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG}/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


class Site:
    """One Zeren installation: a data directory, a database and a bucket."""

    def __init__(self, root: Path, endpoint: str, database_url: str | None):
        root.mkdir()
        self.root = root
        self.bucket = new_bucket(endpoint)
        self.endpoint = endpoint
        self.database_url = database_url
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(s3_env(endpoint, self.bucket), ZEREN_DATA_DIR=str(root))
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def zeren(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zeren.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Several commands in one process."""
        return subprocess.run(
            [sys.executable, "-m", "tests.ops.commands", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def sql(self, statement: str) -> None:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute(statement)
        else:
            with sqlite3.connect(self.root / "zeren.sqlite3") as conn:
                conn.execute(statement)

    def s3(self):  # type: ignore[no-untyped-def]
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=S3_REGION,
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path: Path) -> Iterator[list[str | None]]:  # type: ignore[no-untyped-def]
    """Three databases of one kind: a source, a restore target, and a spare."""
    if request.param == "sqlite":
        yield [None, None, None]
        return
    if not _pg_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg

    names = [f"zeren_bk_{os.getpid()}_{tmp_path.name[-8:]}_{i}".lower() for i in range(3)]
    names = [re.sub(r"[^a-z0-9_]", "_", n) for n in names]
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        for n in names:
            conn.execute(f'CREATE DATABASE "{n}"')
    try:
        yield [f"{PG}/{n}" for n in names]
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            for n in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')


def _tampered(archive: Path, out: Path, prefix: str) -> str:
    """A copy of the archive with one byte changed in the first member under prefix."""
    changed = ""
    with tarfile.open(archive) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for info in src:
            fh = src.extractfile(info)
            data = fh.read() if fh else b""
            if not changed and info.name.startswith(prefix):
                data = data[:-1] + bytes([data[-1] ^ 1])
                changed = info.name
            dst.addfile(info, io.BytesIO(data))
    return changed


def test_it_round_trips_backup_restore_verify_and_names_what_was_changed(
    tmp_path: Path, moto_endpoint: str, databases: list[str | None]
) -> None:
    source = Site(tmp_path / "source", moto_endpoint, databases[0])
    archive = tmp_path / "zeren.tar"
    done = source.run("migrate", "--", "demo", "--", "verify", "--", "backup", str(archive))
    assert done.returncode == 0, done.stderr
    counts = re.search(r"(\d+) 份提交 submissions, (\d+) 个文件 files", done.stdout)
    assert counts and int(counts[1]) >= 1 and int(counts[2]) >= 2
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and names[0].startswith("database/")
    assert sum(n.startswith("files/blobs/") for n in names) == int(counts[2])

    target = Site(tmp_path / "target", moto_endpoint, databases[1])
    done = target.zeren("restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert f"{counts[1]} 份提交 submissions, {counts[2]} 个文件 files" in done.stdout
    after = target.zeren("verify")
    assert after.returncode == 0, after.stderr
    assert counts[0] in after.stdout

    again = target.zeren("restore", str(archive))
    assert again.returncode != 0 and "数据库不是空的" in again.stderr
    assert "the database is not empty" in again.stderr

    # A store that holds anything is refused too (the database here is empty).
    spare = Site(tmp_path / "spare", moto_endpoint, databases[2])
    spare.s3().put_object(Bucket=spare.bucket, Key="blobs/00/left-over", Body=b"x")
    done = spare.zeren("restore", str(archive))
    assert done.returncode != 0 and "文件存储不是空的" in done.stderr, done.stderr
    assert "blobs/00/left-over" in done.stderr
    spare.s3().delete_object(Bucket=spare.bucket, Key="blobs/00/left-over")

    # A changed archive is refused, and the changed member is named.
    bad = tmp_path / "changed.tar"
    member = _tampered(archive, bad, "files/")
    done = spare.zeren("restore", str(bad))
    assert done.returncode != 0 and member in done.stderr and "哈希不符" in done.stderr
    assert not list(spare.s3().list_objects_v2(Bucket=spare.bucket).get("Contents", []))
    done = spare.zeren("verify", "--archive", str(bad))
    assert done.returncode != 0 and member in done.stderr

    # A changed file and a changed snapshot in the restored site are named by zeren verify.
    key = member.removeprefix("files/")
    target.s3().put_object(Bucket=target.bucket, Key=key, Body=b"not what was uploaded")
    target.sql(
        "UPDATE assessments_submission SET snapshot = "
        + (
            "jsonb_set(snapshot, '{cover,contact_person}', '\"某人\"')"
            if databases[1]
            else "json_set(snapshot, '$.cover.contact_person', '某人')"
        )
    )
    done = target.zeren("verify")
    assert done.returncode != 0
    assert key in done.stderr and "内容哈希不符" in done.stderr
    assert "提交 submission #" in done.stderr and "快照哈希不符" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_copy_is_taken_at_one_point_while_writes_go_on(tmp_path: Path) -> None:
    import threading

    from django.db import connection

    from zeren.ops.backup import dump_database

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup")
    name = connection.settings_dict["NAME"]
    stop, written = threading.Event(), [0]

    def writer() -> None:
        conn = sqlite3.connect(name, timeout=30)
        while not stop.is_set():
            conn.execute(
                "INSERT INTO ops_workerheartbeat (worker_id, hostname, pid, started_at, seen_at) "
                "VALUES (?, 'h', 1, '2026-01-01', '2026-01-01')",
                (f"w{written[0]}",),
            )
            conn.commit()
            written[0] += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 50:
            time.sleep(0.01)
        member = dump_database(tmp_path / "copy")
        during = written[0]
        time.sleep(0.1)
    finally:
        stop.set()
        thread.join()
    assert member == "database/zeren.sqlite3" and written[0] > during
    copy = sqlite3.connect(tmp_path / "copy")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (rows,) = copy.execute("SELECT count(*) FROM ops_workerheartbeat").fetchone()
    assert 50 <= rows <= during


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_files_in_the_data_directory_holds_each_with_its_hash(
    tmp_path: Path, assessment, alice
) -> None:  # type: ignore[no-untyped-def]
    from tests.assessments.helpers import pdf_upload
    from zeren.assessments.uploads import store_upload
    from zeren.ops.backup import backup, check_archive

    f, _ = store_upload(assessment=assessment, upload=pdf_upload("制度.pdf"), by=alice)
    manifest = backup(tmp_path / "b.tar")
    entry = manifest.members[f"files/{f.storage_key}"]
    assert entry["sha256"] == f.sha256 and entry["size"] == f.size
    assert check_archive(tmp_path / "b.tar") == []
