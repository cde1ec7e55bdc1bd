"""The deadline rush: enterprise users on two app servers behind nginx, one server killed midway.

    .venv/bin/python bench/bench_deadline.py               # 20 users: a few minutes on 2 cores
    .venv/bin/python bench/bench_deadline.py --users 500   # the organizer's last hour
    .venv/bin/python bench/bench_deadline.py --no-kill     # the same without the lost node

Everything runs on loopback as deployed: a fresh PostgreSQL database (createdb, dropped at the
end), moto's S3 server, Redis (--redis-url) for cache and sessions; two app servers and two job
workers started with the ExecStart lines of deploy/systemd/zeren-web.service and
zeren-worker@.service and the variables of deploy/systemd/zeren.env (addresses made loopback);
nginx (Debian's package) running deploy/nginx/zeren.conf with the lines marked `# bench:`
pointed at loopback ports and a self-signed certificate, so TLS ends at nginx as in production.

Every user (an enterprise admin whose form is already filled) logs in through the login form,
opens the overview, autosaves answers as the editor does (with a think time), uploads one
evidence file of 1–20 MB (streamed), downloads the Word document and submits. Requests that
fail because a node died (connection dropped, 502/503/504 from nginx) are retried by the client,
as a browser user would. When half the planned requests are done, app server 1 is killed with
SIGKILL (gunicorn's master and workers at once).

Figures: throughput, p50/p95/p99 per action, errors and retries. Goals: page and autosave p95 <
200 ms, submit p95 < 1 s. Afterwards every save a client saw succeed must have its audit event
with the value sent, every submit seen must be in the database, and `zeren verify` must pass
(every submission's snapshot hash and every stored file's hash). Exits non-zero when something
was lost, a request failed after its retries, or verification failed; a missed goal is printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402

REPO = _server.REPO
DEPLOY = REPO / "deploy"
PASSWORD = "bench-deadline-2026"
MIB = 1 << 20
RETRY_STATUS = {502, 503, 504}
GOALS_MS = {"page": 200.0, "autosave": 200.0, "submit": 1000.0}


# Set-up and verification (subprocesses with Django) -----------------------------------------


def setup(users: int) -> dict[str, Any]:
    """N enterprises, each with an admin and a completely filled self-assessment."""
    import django

    django.setup()
    from datetime import date, timedelta

    from django.contrib.auth.hashers import make_password
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise, Membership, Role, User
    from zeren.assessments import services
    from zeren.assessments.models import Answer, StoredFile
    from zeren.assessments.uploads import store_upload
    from zeren.campaigns.models import Campaign
    from zeren.frameworks.models import Framework

    call_command("migrate", interactive=False, verbosity=0)
    framework = Framework.objects.get(key="platform-csr", version=1)
    now = timezone.now()
    campaign = Campaign.objects.create(
        framework=framework,
        title="截止前压测",
        year=now.year,
        status=Campaign.Status.OPEN,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(hours=1),
    )
    password = make_password(PASSWORD)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    out = []
    for i in range(users):
        enterprise = Enterprise.objects.create(
            name=f"截止压测平台{i + 1}有限公司",
            credit_code=make_credit_code(f"9111010801{i + 1:07d}"),
            contact_name="张三",
            contact_phone="13800000000",
        )
        user = User.objects.create(
            username=f"rush-{i + 1}",
            email=f"rush-{i + 1}@example.com",
            display_name=f"压测{i + 1}",
            password=password,
        )
        Membership.objects.create(user=user, enterprise=enterprise, role=Role.ENTERPRISE_ADMIN)
        sa = services.create_self_assessment(
            campaign=campaign, enterprise=enterprise, business_scope="电商平台", by=None
        )
        sa = services.save_cover(
            assessment=sa,
            by=user,
            expected_version=sa.version,
            changes={
                "enterprise_name": enterprise.name,
                "contact_person": "张三",
                "contact_info": "13800000000",
                "pledge_lead": "李四",
                "pledge_date": date(now.year, 1, 1),
            },
        )
        evidence, _ = store_upload(
            assessment=sa, upload=SimpleUploadedFile("制度文件.pdf", pdf), by=user
        )
        numbers = []
        for answer in Answer.objects.filter(self_assessment=sa).select_related("indicator"):
            services.save_answer(
                answer=answer,
                by=user,
                expected_version=answer.version,
                changes={"level": 2, "work_summary": f"指标{answer.indicator.number}的工作情况"},
            )
            services.save_evidence_item(answer=answer, by=user, title="制度文件", files=[evidence])
            numbers.append(answer.indicator.number)
        scan, _ = store_upload(
            assessment=sa,
            upload=SimpleUploadedFile("承诺书.pdf", pdf + b"scan"),
            by=user,
            kind=StoredFile.Kind.PLEDGE_SCAN,
        )
        services.set_pledge_scan(assessment=sa, stored_file=scan, by=user)
        out.append({"username": user.username, "sa": sa.pk, "numbers": sorted(numbers)[:4]})
    return {"users": out}


def verify(acked_path: str) -> dict[str, Any]:
    """Every save and submit a client saw succeed is in the database; zeren verify passes."""
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from zeren.assessments.models import Answer, Submission
    from zeren.audit.models import AuditEvent

    acked = json.loads(Path(acked_path).read_text())
    missing = []
    for save in acked["saves"]:
        answer = Answer.objects.get(self_assessment_id=save["sa"], indicator__number=save["number"])
        found = AuditEvent.objects.filter(
            action="answer.saved", object_id=str(answer.pk), after__work_summary=save["value"]
        ).exists()
        if not found:
            missing.append(save)
    submitted = set(
        Submission.objects.filter(self_assessment_id__in=acked["submits"]).values_list(
            "self_assessment_id", flat=True
        )
    )
    out, err = StringIO(), StringIO()
    try:
        call_command("verify", stdout=out, stderr=err)
        verified = True
    except CommandError as exc:
        verified = False
        err.write(str(exc))
    return {
        "saves": len(acked["saves"]),
        "missing_saves": missing[:20],
        "missing_count": len(missing),
        "submits": len(acked["submits"]),
        "missing_submits": sorted(set(acked["submits"]) - submitted),
        "submissions_in_db": Submission.objects.count(),
        "verified": verified,
        "verify_output": (out.getvalue() + err.getvalue()).strip()[-2000:],
    }


# The installation ------------------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            env[k.strip()] = v.strip()
    return env


def exec_start(unit: Path, **subst: str) -> list[str]:
    """The unit's ExecStart as a command for this machine (zeren from this checkout)."""
    line = next(ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart="))
    for k, v in subst.items():
        words = [w.replace(k, v) for w in words]
    assert words[0].endswith("/zeren"), words
    return [sys.executable, "-m", "zeren.cli", *words[1:]]


def set_option(words: list[str], option: str, value: str) -> list[str]:
    i = words.index(option)
    return [*words[: i + 1], value, *words[i + 2 :]]


def nginx_conf(root: Path, apps: list[int], http_port: int, https_port: int) -> Path:
    """deploy/nginx/zeren.conf with the `# bench:` lines on loopback, inside a minimal nginx.conf."""
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    lines = []
    for line in (DEPLOY / "nginx" / "zeren.conf").read_text().splitlines():
        mark = line.split("# bench:")[1].strip() if "# bench:" in line else ""
        indent = line[: len(line) - len(line.lstrip())]
        if mark in ("app1", "app2"):
            port = apps[int(mark[-1]) - 1]
            rest = line.split("#")[0].strip().split(None, 2)[2]  # after "server ADDR"
            line = f"{indent}server 127.0.0.1:{port} {rest}"
        elif mark == "http":
            line = f"{indent}listen 127.0.0.1:{http_port};"
        elif mark == "https":
            line = f"{indent}listen 127.0.0.1:{https_port} ssl http2;"
        elif mark == "cert":
            line = f"{indent}ssl_certificate {cert};"
        elif mark == "key":
            line = f"{indent}ssl_certificate_key {key};"
        lines.append(line)
    (root / "zeren.conf").write_text("\n".join(lines) + "\n")
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / d).mkdir(exist_ok=True)
        os.chmod(root / d, 0o777)
    main = root / "nginx.conf"
    main.write_text(
        f"""worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {root}/zeren.conf;
}}
"""
    )
    return main


@dataclass
class Installation:
    root: Path
    users: int
    redis_url: str
    gunicorn_workers: int
    db_name: str = field(default_factory=lambda: f"zeren_bench_deadline_{os.getpid()}")
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    https_port: int = 0
    app_ports: list[int] = field(default_factory=list)
    lost_cpu: float = 0.0

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:5432/{self.db_name}"

    def node_env(self, name: str) -> dict[str, str]:
        data = self.root / name
        data.mkdir(exist_ok=True)
        return {**self.env, "ZEREN_DATA_DIR": str(data)}

    def start(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.root / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env or self.node_env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own: killed at once, like a lost node
        )

    def up(self) -> dict[str, Any]:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", self.db_name], check=True)
        moto_port = _server.free_port()
        self.start(
            "moto",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
            env=dict(os.environ),
        )
        wait_port(moto_port, self.procs["moto"])
        endpoint = f"http://127.0.0.1:{moto_port}"
        bucket = "zeren-deadline"
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket=bucket)
        self.https_port, http_port = _server.free_port(), _server.free_port()
        self.app_ports = [_server.free_port(), _server.free_port()]
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            **read_env_file(DEPLOY / "systemd" / "zeren.env"),
            "ZEREN_SECRET_KEY": secrets.token_urlsafe(40),
            "ZEREN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ZEREN_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.https_port}",
            "ZEREN_SITE_URL": f"https://127.0.0.1:{self.https_port}",
            "DATABASE_URL": self.database_url,
            "ZEREN_REDIS_URL": self.redis_url,
            "ZEREN_REDIS_PREFIX": f"deadline{os.getpid()}",
            "ZEREN_S3_BUCKET": bucket,
            "ZEREN_S3_ENDPOINT_URL": endpoint,
            "ZEREN_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "ZEREN_METRICS_TOKEN": secrets.token_urlsafe(16),
            "ZEREN_WORKERS": str(self.gunicorn_workers),
            "ZEREN_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "zeren.settings",
            "PYTHONPATH": str(REPO),
        }
        t0 = time.perf_counter()
        data = _server.run_child(
            __file__, ["--child", "setup", "--users", str(self.users)], self.node_env("setup"), 3600
        )
        print(f"set-up: {self.users} filled self-assessments in {time.perf_counter() - t0:.1f} s")
        web = DEPLOY / "systemd" / "zeren-web.service"
        for i, port in enumerate(self.app_ports, start=1):
            cmd = set_option(exec_start(web), "--host", "127.0.0.1")
            self.start(f"app{i}", set_option(cmd, "--port", str(port)))
        worker = DEPLOY / "systemd" / "zeren-worker@.service"
        for i in (1, 2):
            self.start(
                f"worker{i}", exec_start(worker, **{"%H": socket.gethostname(), "%i": str(i)})
            )
        for i, port in enumerate(self.app_ports, start=1):
            wait_port(port, self.procs[f"app{i}"])
        conf = nginx_conf(self.root, self.app_ports, http_port, self.https_port)
        self.start("nginx", ["nginx", "-p", str(self.root), "-c", str(conf), "-g", "daemon off;"])
        wait_port(self.https_port, self.procs["nginx"])
        deadline = time.monotonic() + 60
        while True:  # ready through nginx: database, store and a worker heartbeat
            status, body = Client(self.https_port).request("GET", "/readyz")
            if status == 200:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"not ready: {status} {body[:300]!r}")
            time.sleep(0.5)
        self.warm(data["users"][0])
        return data

    def warm(self, u: dict[str, Any]) -> None:
        """One user's pages through each app server's processes first (their caches, the
        framework read once per process), so the rush measures servers in their steady state."""
        for port in self.app_ports:
            for _ in range(self.gunicorn_workers * 2):
                c = HttpClient(port)
                status, page = c.request("GET", "/accounts/login/")
                token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                assert status == 200 and token
                form = {"username": u["username"], "password": PASSWORD}
                form["csrfmiddlewaretoken"] = token.group(1).decode()
                status, _ = c.request(
                    "POST",
                    "/accounts/login/",
                    urllib.parse.urlencode(form).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"},
                )
                assert status == 302, f"warm-up login: {status}"
                c.request("GET", f"/assessments/{u['sa']}/")
                c.request("GET", f"/assessments/{u['sa']}/indicators/{u['numbers'][0]}/")
                c.close()

    def cpu_seconds(self) -> float:
        """CPU used so far by this installation's processes and their children (still alive)."""
        pids = []
        for p in self.procs.values():
            if p.poll() is None:
                pids.append(p.pid)
                pids += _server.children(p.pid)
        return _server.cpu_seconds(pids)

    def kill_node(self, name: str) -> None:
        pids = [self.procs[name].pid, *_server.children(self.procs[name].pid)]
        self.lost_cpu += _server.cpu_seconds(pids)  # its CPU until now still counts
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait()

    def down(self) -> None:
        for p in reversed(list(self.procs.values())):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", self.db_name],
            check=False,
        )


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing on 127.0.0.1:{port}")


# The client ------------------------------------------------------------------------------------

TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


class Client:
    """One browser tab over HTTPS through nginx: keep-alive, cookies, CSRF header."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPSConnection | None = None

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"Host": f"127.0.0.1:{self.port}", "Origin": f"https://127.0.0.1:{self.port}"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            h["X-CSRFToken"] = self.cookies["csrftoken"]
        h.update(extra or {})
        return h

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | Iterator[bytes] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=120, context=TLS
            )
        try:
            self.conn.request(method, path, body=body, headers=self.headers(headers))  # type: ignore[arg-type]
            response = self.conn.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        self._remember(response)
        if response.will_close:
            self.close()
        return response.status, data


class HttpClient(Client):
    """The same, in plain HTTP straight to one app server (for warming it up)."""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | Iterator[bytes] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)  # type: ignore[assignment]
        # As nginx passes requests on: the site is https, so say the request came that way.
        here = {
            "Host": f"127.0.0.1:{self.port}",
            "Origin": f"https://127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
        }
        return super().request(method, path, body, {**(headers or {}), **here})


@dataclass
class Stat:
    action: str
    seconds: float
    status: int
    retries: int
    ok: bool


class Rush:
    def __init__(self, port: int, users: list[dict[str, Any]], seconds: float, seed: int):
        self.port = port
        self.users = users
        self.until = time.monotonic() + seconds
        self.stats: list[Stat] = []
        self.lock = threading.Lock()
        self.saves: list[dict[str, Any]] = []
        self.submits: list[int] = []
        self.errors: list[str] = []
        self.done_requests = 0
        self.planned = 0
        self.seed = seed
        self.block = random.Random(seed).randbytes(MIB)

    def call(
        self,
        c: Client,
        action: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
        again: Any = None,
    ) -> tuple[int, bytes]:
        """One user action; retried (a new connection) when the node behind nginx went away."""
        retries = 0
        began = time.perf_counter()
        while True:
            try:
                payload = again() if again is not None and retries else body
                status, data = c.request(method, path, payload, headers)
            except (OSError, http.client.HTTPException) as exc:
                status, data = 0, str(exc).encode()
            if status in expect:
                break
            if (status == 0 or status in RETRY_STATUS) and retries < 5:
                retries += 1
                time.sleep(0.2 * retries)
                continue
            break
        ok = status in expect
        with self.lock:
            self.stats.append(Stat(action, time.perf_counter() - began, status, retries, ok))
            self.done_requests += 1
            if not ok:
                self.errors.append(f"{action} {method} {path}: {status} {data[:200]!r}")
        return status, data

    def user(self, i: int, u: dict[str, Any]) -> None:
        rnd = random.Random(self.seed * 1000 + i)
        c = Client(self.port)
        status, page = self.call(c, "page", "GET", "/accounts/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not m:
            return
        form = {"username": u["username"], "password": PASSWORD}
        form["csrfmiddlewaretoken"] = m.group(1).decode()
        status, _ = self.call(
            c,
            "login",
            "POST",
            "/accounts/login/",
            body=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            expect=(302,),
        )
        if status != 302:
            return
        sa = u["sa"]
        self.call(c, "page", "GET", f"/assessments/{sa}/")
        versions = {n: 2 for n in u["numbers"]}  # the set-up saved each answer once
        for k in range(self.autosaves):
            if time.monotonic() > self.until:
                return
            time.sleep(rnd.uniform(0.2, 1.0) * self.think)
            number = u["numbers"][k % len(u["numbers"])]
            value = f"第{k + 1}次自动保存：{u['username']} {secrets.token_hex(4)}"
            body = urllib.parse.urlencode(
                {"version": str(versions[number]), "work_summary": value}
            ).encode()
            status, data = self.call(
                c,
                "autosave",
                "POST",
                f"/assessments/{sa}/indicators/{number}/save/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Zeren-Fetch": "1",
                    "Accept": "application/json",
                },
                expect=(200, 409),
            )
            if status in (200, 409):
                versions[number] = int(json.loads(data)["version"])
            if status == 200:
                with self.lock:
                    self.saves.append({"sa": sa, "number": number, "value": value})
        if time.monotonic() > self.until:
            return
        self.call(c, "page", "GET", f"/assessments/{sa}/indicators/{u['numbers'][0]}/")
        size = rnd.randint(1, 20) * MIB - rnd.randint(0, 4096)

        boundary = f"zeren-{self.seed}-{i}"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="佐证材料-{i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        unique = f"%PDF-1.4\n% {u['username']} {self.seed}\n".encode()

        def chunks() -> Iterator[bytes]:
            """The multipart body, made as it is sent (never whole in memory)."""
            yield head + unique
            left = size - len(unique)
            while left > 0:
                piece = self.block[: min(left, MIB)]
                left -= len(piece)
                yield piece
            yield tail

        self.call(
            c,
            "upload",
            "POST",
            f"/assessments/{sa}/indicators/{u['numbers'][0]}/upload/",
            body=chunks(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail)),
            },
            again=chunks,
        )
        with self.lock:
            self.uploaded += size
        self.call(c, "docx", "GET", f"/documents/assessments/{sa}/form.docx")
        status, _ = self.call(c, "submit", "POST", f"/assessments/{sa}/submit/", expect=(302,))
        if status == 302:
            with self.lock:
                self.submits.append(sa)
        c.close()

    def run(self, autosaves: int, think: float, ramp: float, kill: Any) -> float:
        self.autosaves, self.think, self.uploaded = autosaves, think, 0
        per_user = 3 + autosaves + 1 + 1 + 1 + 1
        self.planned = per_user * len(self.users)
        threads = [
            threading.Thread(target=self.user, args=(i, u), daemon=True)
            for i, u in enumerate(self.users)
        ]
        began = time.perf_counter()
        killed = False

        def kill_at_half() -> None:
            # Checked while users are still arriving too: the node goes when half the planned
            # requests are done, whether or not the ramp is over.
            nonlocal killed
            if kill is not None and not killed and self.done_requests >= self.planned / 2:
                kill()
                killed = True

        step = ramp / max(1, len(threads))
        for t in threads:
            t.start()
            until = time.perf_counter() + step  # users arrive over the ramp
            while time.perf_counter() < until:
                kill_at_half()
                time.sleep(min(0.05, step))
        while any(t.is_alive() for t in threads):
            kill_at_half()
            time.sleep(0.05)
        return time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    return _server.percentile_ms(values, p)


def report(rush: Rush, wall: float) -> bool:
    print(
        f"\n{len(rush.stats)} requests in {wall:.1f} s: {len(rush.stats) / wall:.1f} req/s; "
        f"uploaded {rush.uploaded / MIB:.0f} MiB ({rush.uploaded / MIB / wall:.1f} MiB/s)"
    )
    print(
        f"{'action':<9} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'retried':>8} {'errors':>7}"
    )
    goals_met = True
    for action in ("login", "page", "autosave", "upload", "docx", "submit"):
        rows = [s for s in rush.stats if s.action == action]
        if not rows:
            continue
        times = [s.seconds for s in rows if s.ok]
        p95 = percentile(times, 95) if times else float("nan")
        goal = GOALS_MS.get(action)
        verdict = ""
        if goal is not None:
            verdict = f"  goal p95 < {goal:.0f} ms: {'met' if p95 < goal else 'MISSED'}"
            goals_met = goals_met and p95 < goal
        print(
            f"{action:<9} {len(rows):>5} {percentile(times, 50):>8.1f} {p95:>8.1f} "
            f"{percentile(times, 99):>8.1f} {sum(1 for s in rows if s.retries):>8} "
            f"{sum(1 for s in rows if not s.ok):>7}{verdict}"
        )
    return goals_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20, help="enterprise users (500: the rush)")
    parser.add_argument("--autosaves", type=int, default=8, help="autosaves per user")
    parser.add_argument("--think", type=float, default=1.0, help="think time scale, seconds")
    parser.add_argument("--seconds", type=float, default=600, help="bound on the load phase")
    parser.add_argument(
        "--ramp", type=float, help="seconds over which the users arrive (0.5 s a user)"
    )
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="per app server")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--no-kill", action="store_true", help="keep both app servers alive")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", choices=["setup", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--acked", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "setup":
        print(json.dumps(setup(args.users)))
        return 0
    if args.child == "verify":
        print(json.dumps(verify(args.acked)))
        return 0

    root = Path(tempfile.mkdtemp(prefix="zeren-deadline-"))
    inst = Installation(root, args.users, args.redis_url, args.gunicorn_workers)
    try:
        data = inst.up()
        print(
            f"two app servers (gunicorn {args.gunicorn_workers} workers x 4 threads each) and two "
            f"job workers behind nginx (TLS) on PostgreSQL, moto S3 and Redis; {os.cpu_count()} CPUs"
        )
        rush = Rush(inst.https_port, data["users"], args.seconds, args.seed)
        killed_at: list[float] = []

        def kill() -> None:
            killed_at.append(time.perf_counter())
            inst.kill_node("app1")
            print(f"killed app server 1 (SIGKILL) after {rush.done_requests} requests")

        ramp = args.ramp if args.ramp is not None else 0.5 * args.users
        print(f"{args.users} users arriving over {ramp:.0f} s")
        busy0, ours0 = _server.machine_busy_seconds(), inst.cpu_seconds()
        client0 = sum(os.times()[:2])
        wall = rush.run(args.autosaves, args.think, ramp, None if args.no_kill else kill)
        busy, ours = _server.machine_busy_seconds() - busy0, inst.cpu_seconds() - ours0
        ours += inst.lost_cpu
        client = sum(os.times()[:2]) - client0
        goals_met = report(rush, wall)
        print(
            f"CPU (cores busy on average): the machine {busy / wall:.2f}; this installation "
            f"{ours / wall:.2f} (nginx, app servers, job workers, moto; not PostgreSQL); the "
            f"clients (TLS, bodies) {client / wall:.2f}; everything else, PostgreSQL and other "
            f"people's work included, {max(0.0, busy - ours - client) / wall:.2f}"
        )
        acked = root / "acked.json"
        acked.write_text(json.dumps({"saves": rush.saves, "submits": rush.submits}))
        result = _server.run_child(
            __file__, ["--child", "verify", "--acked", str(acked)], inst.node_env("verify"), 3600
        )
        print(
            f"\nafterwards: {result['saves']} saves seen to succeed, {result['missing_count']} "
            f"missing; {result['submits']} submits seen, {len(result['missing_submits'])} missing "
            f"({result['submissions_in_db']} submissions in the database)"
        )
        print(
            f"zeren verify: {result['verify_output'].splitlines()[-1] if result['verify_output'] else ''}"
        )
        retried = sum(1 for s in rush.stats if s.retries)
        print(
            f"errors after retries: {len(rush.errors)}; requests retried by their client: {retried}"
        )
        for e in rush.errors[:10]:
            print("  ", e)
        lost = result["missing_count"] or result["missing_submits"] or not result["verified"]
        print(
            "RESULT: "
            + ("nothing lost" if not lost else "SOMETHING WAS LOST")
            + ("; no error" if not rush.errors else "; ERRORS")
            + ("; goals met" if goals_met else "; a goal was missed")
        )
        return 1 if lost or rush.errors else 0
    finally:
        inst.down()
        if not os.environ.get("ZEREN_BENCH_KEEP"):
            import shutil

            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
