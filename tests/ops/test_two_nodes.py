"""Two stateless app servers and two workers on one PostgreSQL, one bucket and one Redis."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.ops.procs import ROOT
from tests.ops.test_backup import PG, _pg_available
from tests.servers import free_port, new_bucket, s3_env, wait_for_port

REDIS_URL = os.environ.get("ZEREN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass; makes its own database"
)


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


class Cluster:
    def __init__(self, root: Path, endpoint: str, database_url: str):
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(
            s3_env(endpoint, new_bucket(endpoint)),
            DATABASE_URL=database_url,
            ZEREN_REDIS_URL=REDIS_URL,
            ZEREN_REDIS_PREFIX=f"zt{secrets.token_hex(4)}",
            ZEREN_SECRET_KEY=secrets.token_urlsafe(40),
            ZEREN_JOB_LEASE_SECONDS="5",
            PYTHONUNBUFFERED="1",
        )
        self.ports: list[int] = []

    def node_env(self, name: str) -> dict[str, str]:
        data = self.root / name
        data.mkdir(exist_ok=True)
        return {**self.env, "ZEREN_DATA_DIR": str(data)}

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "zeren.cli", *args],
            cwd=ROOT,
            env=self.node_env("setup"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("ab")
        p = subprocess.Popen(
            [sys.executable, "-m", "zeren.cli", *args],
            cwd=ROOT,
            env=self.node_env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(p)
        return p

    def app(self, name: str) -> str:
        port = free_port()
        p = self.start(
            name, "serve", "--no-worker", "--no-migrate", "--port", str(port), "--workers", "2"
        )
        wait_for_port(port, timeout=60, proc=p)
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not _pg_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg

    name = f"zeren_nodes_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG}/{name}"
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sql(url: str, query: str) -> list[tuple]:  # type: ignore[type-arg]
    import psycopg

    with psycopg.connect(url) as conn:
        return list(conn.execute(query).fetchall())


def _login(base: str, username: str, password: str) -> requests.Session:
    s = requests.Session()
    page = s.get(f"{base}/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    r = s.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302, r.text[:300]
    return s


def test_two_app_servers_and_two_workers_share_everything(
    tmp_path: Path, moto_endpoint: str, database_url: str
) -> None:
    if not _redis_available():
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    cluster = Cluster(tmp_path, moto_endpoint, database_url)
    try:
        cluster.run("migrate")
        cluster.run("demo")
        sa, username = _sql(
            database_url,
            "SELECT sa.id, u.username FROM assessments_selfassessment sa "
            "JOIN accounts_membership m ON m.enterprise_id = sa.enterprise_id "
            "AND m.role = 'enterprise_admin' JOIN accounts_user u ON u.id = m.user_id "
            "WHERE sa.status = 'draft' ORDER BY sa.id LIMIT 1",
        )[0]
        one, two = cluster.app("app1"), cluster.app("app2")
        cluster.start("worker1", "worker", "--interval", "0.2")
        cluster.start("worker2", "worker", "--interval", "0.2")

        # Logged in through one, the session (in Redis) is good on the other.
        s = _login(one, username, "zeren-demo-2026")
        assert s.get(f"{two}/assessments/{sa}/", timeout=30).status_code == 200

        # A save through one is seen through the other.
        text = f"两台服务器共享的工作情况 {secrets.token_hex(4)}"
        r = s.post(
            f"{one}/assessments/{sa}/indicators/3/save/",
            data={"version": "1", "work_summary": text},
            headers={
                "X-CSRFToken": s.cookies["csrftoken"],
                "X-Zeren-Fetch": "1",
                "Accept": "application/json",
            },
            timeout=30,
        )
        assert r.status_code == 200, r.text[:300]
        assert text in s.get(f"{two}/assessments/{sa}/indicators/3/", timeout=30).text

        # A file uploaded through one downloads through the other.
        data = b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024) + b"\n%%EOF\n"
        r = s.post(
            f"{one}/assessments/{sa}/indicators/3/upload/",
            files={"files": ("两节点.pdf", data, "application/pdf")},
            headers={"X-CSRFToken": s.cookies["csrftoken"]},
            timeout=60,
        )
        assert r.status_code == 200, r.text[:300]
        (file_id,) = _sql(
            database_url,
            f"SELECT id FROM assessments_storedfile WHERE self_assessment_id = {sa} "
            "AND original_name = '两节点.pdf'",
        )[0]
        r = s.get(f"{two}/assessments/{sa}/files/{file_id}/", timeout=60)
        assert r.status_code == 200 and r.content == data

        # Jobs queued through one run exactly once, whichever worker takes them.
        jobs = []
        for _ in range(4):
            r = s.post(
                f"{one}/documents/assessments/{sa}/form.pdf",
                headers={"X-CSRFToken": s.cookies["csrftoken"]},
                allow_redirects=False,
                timeout=30,
            )
            assert r.status_code == 302
            jobs.append(int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
        deadline = time.monotonic() + 240
        while True:
            states = _sql(
                database_url,
                f"SELECT status FROM documents_documentjob WHERE id IN ({','.join(map(str, jobs))})",
            )
            if all(st in ("done", "failed") for (st,) in states):
                break
            assert time.monotonic() < deadline, states
            time.sleep(0.5)
        rows = _sql(
            database_url,
            "SELECT status, worker_ids::text FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'zeren.jobs.tasks.run' AND args_kwargs::text LIKE '%\"document\"%'",
        )
        assert len(rows) == 4
        assert all(st == "SUCCESSFUL" and ids.count('"') == 2 for st, ids in rows), rows
        page = s.get(f"{two}/documents/jobs/{jobs[0]}/", timeout=30)
        assert page.status_code == 200
    finally:
        cluster.stop()
