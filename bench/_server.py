"""Shared by the HTTP benches: Zeren under gunicorn on 127.0.0.1, logged-in clients, /proc sampling.

The server is started exactly as in production, with `zeren serve` (gunicorn, ZEREN_WORKERS
workers of 4 threads each, and the background-job worker it runs beside them), in a fresh
ZEREN_DATA_DIR, on a free 127.0.0.1 port. Its DJANGO_SETTINGS_MODULE is this module: there it
imports zeren.settings unchanged and becomes the root URLconf too, adding the trivial views the
benches compare with:

    /bench/ping       "ok", through the whole middleware stack (sessions, CSRF, auth)
    /bench/ping-auth  the same for a logged-in user only (loads the session and the user)

and everything else from zeren.urls. Nothing outside bench/ is changed for the benches. Two
knobs, off by default: ZEREN_BENCH_CONN_MAX_AGE sets the database's CONN_MAX_AGE (an
experiment), and ZEREN_BENCH_SQL_TIMING=1 adds an outermost middleware timing every SQL
statement of a request, and BEGIN separately (where SQLite waits for its write lock), into a
response header that the access log records (a diagnosis; it costs a little time).
Only standard library here: the benches need nothing that is not already installed.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCESS_MARK = "zeren-bench-access"
BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
MIB = 1 << 20

if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__ == "_server":
    # In the server process: Zeren's settings, and this module as the root URLconf.
    from zeren.settings import *  # noqa: F403

    ROOT_URLCONF = __name__
    if os.environ.get("ZEREN_BENCH_CONN_MAX_AGE"):
        DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["ZEREN_BENCH_CONN_MAX_AGE"])  # noqa: F405
    if os.environ.get("ZEREN_BENCH_SQL_TIMING"):
        MIDDLEWARE = ["_server.SqlTiming", *MIDDLEWARE]  # noqa: F405

    def _ping(request: Any) -> Any:
        from django.http import HttpResponse

        return HttpResponse("ok", content_type="text/plain")

    def _ping_auth(request: Any) -> Any:
        from django.http import HttpResponse

        if not request.user.is_authenticated:
            return HttpResponse("login", status=401, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")

    def __getattr__(name: str) -> Any:
        # Resolved lazily: URLconfs import views, which need the app registry ready.
        if name == "urlpatterns":
            from django.urls import include, path

            return [
                path("bench/ping", _ping),
                path("bench/ping-auth", _ping_auth),
                path("", include("zeren.urls")),
            ]
        if name.startswith("handler"):
            import zeren.urls

            return getattr(zeren.urls, name)
        raise AttributeError(name)


class SqlTiming:
    """Bench diagnosis: X-Bench-Sql: statements/ms in SQL/ms in BEGIN (the write-lock wait)."""

    def __init__(self, get_response: Callable[[Any], Any]):
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        from django.db import connection

        spent = [0, 0.0, 0.0]

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                dt = time.perf_counter() - t0
                spent[0] += 1
                spent[1] += dt
                if sql.startswith("BEGIN"):
                    spent[2] += dt

        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        response["X-Bench-Sql"] = f"{spent[0]}/{spent[1] * 1000:.2f}/{spent[2] * 1000:.2f}"
        return response


# Processes and /proc ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers for the master)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def status_kib(pid: int, key: str) -> int:
    """VmRSS or VmHWM (peak RSS) of a process, in KiB; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak(pid: int) -> bool:
    """Resets VmHWM to the current RSS (Linux clear_refs 5); False when not permitted."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU time of processes (own threads included)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """Non-idle CPU time of the whole machine (all cores), from /proc/stat."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


# Data directory and database -------------------------------------------------------------------


@dataclass
class Place:
    """Where one run keeps its data: a temporary ZEREN_DATA_DIR and, optionally, PostgreSQL."""

    database_url: str = ""
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="zeren-bench-")))
    created_db: bool = False

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            ZEREN_DATA_DIR=str(self.data_dir),
            ZEREN_SECRET_KEY="bench-secret-key-not-for-production-" + "x" * 20,
            ZEREN_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="zeren.settings",
            PYTHONPATH=os.pathsep.join(
                p for p in (str(BENCH_DIR), str(REPO), env.get("PYTHONPATH", "")) if p
            ),
        )
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def _pg_args(self) -> tuple[list[str], dict[str, str], str]:
        url = urllib.parse.urlsplit(self.database_url)
        name = url.path.lstrip("/")
        args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
        if url.username:
            args += ["-U", urllib.parse.unquote(url.username)]
        env = dict(os.environ)
        if url.password:
            env["PGPASSWORD"] = urllib.parse.unquote(url.password)
        return args, env, name

    def create_database(self) -> None:
        """createdb for a PostgreSQL URL: the database must not exist (a fresh one per run)."""
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            return
        args, env, name = self._pg_args()
        subprocess.run(["createdb", *args, name], env=env, check=True)
        self.created_db = True

    def cleanup(self) -> None:
        if self.created_db:
            args, env, name = self._pg_args()
            subprocess.run(["dropdb", *args, "--if-exists", name], env=env, check=False)
            self.created_db = False
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def db_pids(self) -> list[int]:
        """PostgreSQL's backend processes serving this run's database (none for SQLite)."""
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            return []
        _args, _env, name = self._pg_args()
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and cmdline(int(entry)).startswith("postgres: "):
                if f" {name} " in cmdline(int(entry)):
                    found.append(int(entry))
        return found

    def label(self) -> str:
        return "PostgreSQL" if self.database_url.startswith("postgres") else "SQLite (WAL)"


def run_child(script: str, args: list[str], env: dict[str, str], timeout: float = 300) -> Any:
    """Runs `python script args` (a bench's Django set-up) and returns the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, script, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{script} {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# The server --------------------------------------------------------------------------------------


class Server:
    """`zeren serve` with this module as settings; stopped (with its workers) by stop()."""

    def __init__(self, place: Place, *, workers: int = 3, env: dict[str, str] | None = None):
        self.place = place
        self.workers = workers
        self.port = free_port()
        self.extra_env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = place.data_dir / "server.log"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        env = self.place.env(
            DJANGO_SETTINGS_MODULE="_server",
            ZEREN_WORKERS=str(self.workers),
            # gunicorn reads extra settings from the environment: the access log also gives
            # each request's time inside the worker (from parsed request to response sent).
            GUNICORN_CMD_ARGS=(
                f"--access-logformat '{ACCESS_MARK} %(m)s %(U)s %(q)s %(s)s %(D)s "
                "%({x-bench-sql}o)s'"
            ),
            **self.extra_env,
        )
        # The command and arguments production uses (migrations were applied by the set-up).
        cmd = [sys.executable, "-m", "zeren.cli", "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--no-migrate"]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                cmd, env=env, cwd=REPO, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bench/ping")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok and len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def master_pid(self) -> int | None:
        """gunicorn's master: `zeren serve` itself once it exec'd gunicorn, else its child."""
        if self.proc is None:
            return None
        for pid in [self.proc.pid, *children(self.proc.pid)]:
            if "gunicorn" in cmdline(pid):
                return pid
        return None

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (not `zeren serve`'s background-job worker)."""
        master = self.master_pid()
        return children(master) if master else []

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)  # zeren serve stops gunicorn and the job worker
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the session started for this server only
            proc.wait(timeout=10)

    def request_times(self) -> dict[str, list[tuple[float, tuple[int, float, float] | None]]]:
        """By query string: each request's seconds inside a worker (access log), and with
        ZEREN_BENCH_SQL_TIMING its (statements, seconds in SQL, seconds in BEGIN)."""
        times: dict[str, list[tuple[float, tuple[int, float, float] | None]]] = {}
        with open(self.log_path, errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) != 7 or parts[0] != ACCESS_MARK:
                    continue
                sql = None
                if parts[6].count("/") == 2:
                    n, total, begin = parts[6].split("/")
                    sql = (int(n), float(total) / 1000, float(begin) / 1000)
                times.setdefault(parts[3], []).append((int(parts[5]) / 1e6, sql))
        return times

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# A browser-like HTTP client ----------------------------------------------------------------------


class Session:
    """One user's keep-alive connection and cookies (session, CSRF), like one browser tab."""

    def __init__(self, host: str, timeout: float = 30):
        self.host = host
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            hostname, port = self.host.rsplit(":", 1)
            self.conn = http.client.HTTPConnection(hostname, int(port), timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"Host": self.host, "Origin": f"http://{self.host}"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            h["X-CSRFToken"] = self.cookies["csrftoken"]
        h.update(extra or {})
        return h

    def remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """Sends one request on the kept-alive connection; reconnects once if it was closed."""
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=self.headers(headers))
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            self.remember(response)
            if response.will_close:
                self.close()
            return response.status, data
        raise AssertionError("unreachable")

    def stream(
        self,
        path: str,
        chunks: Iterable[bytes],
        length: int,
        headers: dict[str, str],
        timeout: float = 600,
    ) -> tuple[int, bytes]:
        """POSTs a body of `length` bytes from an iterable, never holding it whole."""
        self.close()
        hostname, port = self.host.rsplit(":", 1)
        conn = http.client.HTTPConnection(hostname, int(port), timeout=timeout)
        try:
            conn.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
            for k, v in self.headers({**headers, "Content-Length": str(length)}).items():
                conn.putheader(k, v)
            conn.endheaders()
            for chunk in chunks:
                conn.send(chunk)
            response = conn.getresponse()
            data = response.read()
            self.remember(response)
            return response.status, data
        finally:
            conn.close()

    def post_form(self, path: str, fields: dict[str, str], **headers: str) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(fields).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        return self.request("POST", path, body, h)

    def login(self, username: str, password: str) -> None:
        """GET the login page for the CSRF token, POST the form; the session cookie is kept."""
        status, page = self.request("GET", "/accounts/login/")
        assert status == 200, f"login page: {status}"
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert m, "no csrfmiddlewaretoken on the login page"
        status, body = self.post_form(
            "/accounts/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": m.group(1).decode(),
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {status} {body[:300]!r}")


def login_all(host: str, logins: list[tuple[str, str]], parallel: int = 8) -> list[Session]:
    """Logs every user in (in parallel: password hashing is deliberately slow)."""
    sessions: list[Session | None] = [None] * len(logins)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            s = Session(host)
            s.login(*logins[i])
            sessions[i] = s
        except BaseException as exc:  # reported below
            errors.append(exc)

    pending = list(range(len(logins)))
    while pending:
        batch, pending = pending[:parallel], pending[parallel:]
        threads = [threading.Thread(target=work, args=(i,)) for i in batch]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    return [s for s in sessions if s is not None]


# Load ------------------------------------------------------------------------------------------------


def percentile_ms(seconds: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not seconds:
        return math.nan
    ordered = sorted(seconds)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))] * 1000


@dataclass
class Result:
    label: str
    seconds: float
    latencies: list[float]  # seconds, of the requests completed within the measured window
    statuses: dict[int, int]
    client_cpu: float
    server_cpu: float
    db_cpu: float
    machine_busy: float

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies seen by the clients, in milliseconds."""
        return percentile_ms(self.latencies, p)

    @property
    def rest_cpu(self) -> float:
        """CPU the machine spent on anything else: other people's processes, the job worker."""
        return max(0.0, self.machine_busy - self.server_cpu - self.client_cpu - self.db_cpu)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    def line(self) -> str:
        per_req = (self.server_cpu + self.db_cpu) / self.count * 1000 if self.count else math.nan
        return (
            f"{self.label:<28} {self.count:>6} req {self.throughput:>7.1f} req/s  "
            f"median {self.percentile(50):>6.1f} ms  p95 {self.percentile(95):>6.1f} ms  "
            f"p99 {self.percentile(99):>6.1f} ms  server+db CPU {per_req:.2f} ms/req  "
            f"cores busy: server {self.server_cpu / self.seconds:.2f} "
            f"db {self.db_cpu / self.seconds:.2f} client {self.client_cpu / self.seconds:.2f} "
            f"other {self.rest_cpu / self.seconds:.2f}  non-200 {self.errors}"
        )


class DbCpu:
    """CPU of database backends over a window, also of those that start or end inside it."""

    def __init__(self, pids: Callable[[], list[int]]):
        self.pids = pids
        self.base = {p: cpu_seconds([p]) for p in pids()}
        self.last = dict(self.base)

    def sample(self) -> None:
        for p in self.pids():
            self.base.setdefault(p, 0.0)  # started inside the window: all its CPU counts
            self.last[p] = max(self.last.get(p, 0.0), cpu_seconds([p]))  # 0 once gone

    def used(self) -> float:
        self.sample()
        return sum(max(0.0, self.last[p] - self.base[p]) for p in self.last)


def run_load(
    label: str,
    users: list[Any],
    send: Callable[[Any], int],
    *,
    seconds: float,
    think: float,
    server_pids: Callable[[], list[int]],
    db_pids: Callable[[], list[int]] = list,
) -> Result:
    """Closed loop: every user sends, waits for the answer, thinks `think` s, sends again.

    `send(user)` makes one request and returns its status. Only requests completed inside the
    measured window count; the users start staggered over one think time so they do not beat
    in step. The load stops by itself after `seconds`.
    """
    start_barrier = threading.Barrier(len(users) + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    window: list[float] = [0.0, 0.0]
    failures: list[BaseException] = []

    def loop(i: int, user: Any) -> None:
        start_barrier.wait()
        if think:
            time.sleep(think * i / len(users))
        mine: list[float] = []
        seen: dict[int, int] = {}
        try:
            while True:
                t0 = time.perf_counter()
                if t0 >= window[1]:
                    break
                status = send(user)
                t1 = time.perf_counter()
                if t1 <= window[1]:
                    mine.append(t1 - t0)
                    seen[status] = seen.get(status, 0) + 1
                if think:
                    time.sleep(think)
        except BaseException as exc:  # reported by the caller
            failures.append(exc)
        with lock:
            latencies.extend(mine)
            for k, v in seen.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=loop, args=(i, u), daemon=True) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    pids = server_pids()
    db = DbCpu(db_pids)
    cpu0, busy0, client0 = cpu_seconds(pids), machine_busy_seconds(), time.process_time()
    window[0] = time.perf_counter()
    window[1] = window[0] + seconds
    start_barrier.wait()
    while (left := window[1] - time.perf_counter()) > 0:
        time.sleep(min(left, 0.25))
        db.sample()
    # CPU over the measured window; the requests still in flight finish after it.
    client_cpu = time.process_time() - client0
    server_cpu = cpu_seconds(pids) - cpu0
    db_cpu = db.used()
    machine_busy = machine_busy_seconds() - busy0
    for t in threads:
        t.join(timeout=think + 60)
    result = Result(
        label=label,
        seconds=seconds,
        latencies=latencies,
        statuses=statuses,
        client_cpu=client_cpu,
        server_cpu=server_cpu,
        db_cpu=db_cpu,
        machine_busy=machine_busy,
    )
    if failures:
        raise RuntimeError(f"{label}: {len(failures)} simulated users failed") from failures[0]
    return result
