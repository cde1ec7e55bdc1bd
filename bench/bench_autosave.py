"""Autosave under 50 concurrent users, against a trivial view served by the same gunicorn.

    .venv/bin/python bench/bench_autosave.py                      # SQLite (WAL), the default
    .venv/bin/python bench/bench_autosave.py --database-url postgres://postgres@127.0.0.1:5432/zeren_bench_autosave
    .venv/bin/python bench/bench_autosave.py --redis-url redis://127.0.0.1:6379/0   # sessions in Redis

Starts `zeren serve` (gunicorn, 3 workers x 4 threads, as in production) on a free 127.0.0.1
port with a fresh ZEREN_DATA_DIR; with --database-url the PostgreSQL database is created with
createdb (it must not exist) and dropped at the end. A set-up subprocess migrates and creates
10 enterprises of 5 users (an admin and 4 members), each with its own self-assessment; every
user is assigned 2 indicators of their own, so no two users write the same answer. Every user
logs in through the login form (CSRF token from the page, cookies kept) and then, on one
kept-alive connection like a browser tab, saves answers as zeren.js does: POST version + one of
level / remarks / work_summary (in turn) to /assessments/<pk>/indicators/<n>/save/ with the
X-CSRFToken header, carrying on with the version each answer returns.

Two loads, each first on autosave, then on the trivial view (/bench/ping: "ok" through the
same middleware, CSRF checked, the same request body):

  paced      every user waits 700 ms (zeren.js's autosave debounce) after each answer before
             saving again: someone typing without pause. Goal: autosave p95 < 50 ms.
  saturated  no waiting: as many requests as the server answers. Goal: autosave throughput
             >= 0.5 x the trivial view's. (With 50 users and no pause, latency here is the
             queue: 50 / throughput, by Little's law; it is printed, not judged.)

Afterwards the database must hold exactly the saves the clients saw succeed: one version step
and one audit event each. Exits non-zero when a goal is missed or a request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402

P95_GOAL_MS = 50.0
RATIO_GOAL = 0.5
PASSWORD = "bench-autosave-2026"
FIELDS = ("level", "remarks", "work_summary")
SUMMARY = (
    "本平台建立了用户权益保护制度，设立专门团队处理投诉举报，定期发布社会责任报告并接受社会监督。"
) * 8  # ~300 characters, sent whole with every save as the editor does
REMARKS = "已按要求整理佐证材料，详见附件。"


# Set-up (runs in a subprocess with Django) ---------------------------------------------------


def setup(enterprises: int, per_enterprise: int, indicators_each: int) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise, Membership, Role, User
    from zeren.assessments.models import Answer
    from zeren.assessments.services import create_self_assessment
    from zeren.campaigns.models import Campaign
    from zeren.frameworks.models import Framework, Indicator

    call_command("migrate", interactive=False, verbosity=0)
    framework = Framework.objects.get(key="platform-csr", version=1)
    numbers = list(
        Indicator.objects.filter(framework=framework)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if per_enterprise * indicators_each > len(numbers):
        raise SystemExit(f"only {len(numbers)} indicators for {per_enterprise} users each")
    now = timezone.now()
    campaign = Campaign.objects.create(
        framework=framework,
        title="压测评估",
        year=now.year,
        status=Campaign.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    password = make_password(PASSWORD)  # hashed once: the same hash for every bench user
    users = []
    for e in range(enterprises):
        enterprise = Enterprise.objects.create(
            name=f"压测平台{e + 1}有限公司",
            credit_code=make_credit_code(f"9111010800{e + 1:07d}"),
            contact_name="张三",
            contact_phone="13800000000",
        )
        sa = create_self_assessment(
            campaign=campaign, enterprise=enterprise, business_scope="电商平台", by=None
        )
        for u in range(per_enterprise):
            user = User.objects.create(
                username=f"bench-{e + 1}-{u + 1}",
                email=f"bench-{e + 1}-{u + 1}@example.com",
                display_name=f"压测{e + 1}-{u + 1}",
                password=password,
            )
            role = Role.ENTERPRISE_ADMIN if u == 0 else Role.ENTERPRISE_MEMBER
            Membership.objects.create(user=user, enterprise=enterprise, role=role)
            mine = numbers[u * indicators_each : (u + 1) * indicators_each]
            Answer.objects.filter(self_assessment=sa, indicator__number__in=mine).update(
                assignee=user
            )
            users.append({"username": user.username, "sa": sa.pk, "numbers": mine})
    return {"users": users, "password": PASSWORD}


def verify() -> dict[str, Any]:
    """What the database holds after the run: version steps and audit events of saves."""
    import django

    django.setup()
    from django.db.models import F, Sum

    from zeren.assessments.models import Answer
    from zeren.audit.models import AuditEvent

    steps = Answer.objects.aggregate(s=Sum(F("version") - 1))["s"] or 0
    events = AuditEvent.objects.filter(action="answer.saved").count()
    return {"version_steps": steps, "audit_events": events}


# The simulated users -------------------------------------------------------------------------


@dataclass
class Editor:
    """One user editing their assigned indicators in one browser tab."""

    session: _server.Session
    sa: int
    numbers: list[int]
    versions: dict[int, int] = field(default_factory=dict)
    turn: int = 0
    saved: int = 0
    conflicts: int = 0

    def body(self) -> tuple[int, dict[str, str]]:
        number = self.numbers[self.turn % len(self.numbers)]
        name = FIELDS[(self.turn // len(self.numbers)) % len(FIELDS)]
        value = {
            "level": str(self.turn % 5 + 1),
            "remarks": f"{REMARKS}（第{self.turn}次修改）",
            "work_summary": f"{SUMMARY}（第{self.turn}次修改）",
        }[name]
        self.turn += 1
        return number, {"version": str(self.versions.get(number, 1)), name: value}

    def save(self, phase: str) -> int:
        number, fields = self.body()
        status, data = self.session.post_form(
            f"/assessments/{self.sa}/indicators/{number}/save/?phase={phase}",
            fields,
            **{"X-Zeren-Fetch": "1", "Accept": "application/json"},
        )
        if status in (200, 409):
            reply = json.loads(data)
            self.versions[number] = int(reply["version"])
            if status == 200:
                self.saved += 1
            else:
                self.conflicts += 1
        return status

    def ping(self, phase: str, path: str = "/bench/ping") -> int:
        _number, fields = self.body()
        status, data = self.session.post_form(
            f"{path}?phase={phase}", fields, **{"X-Zeren-Fetch": "1", "Accept": "application/json"}
        )
        assert status != 200 or data == b"ok"
        return status


# The run ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL of a database to create")
    parser.add_argument("--enterprises", type=int, default=10)
    parser.add_argument("--users-per-enterprise", type=int, default=5)
    parser.add_argument("--indicators-each", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20, help="paced load, each target")
    parser.add_argument("--saturated-seconds", type=float, default=15)
    parser.add_argument("--think-ms", type=float, default=700, help="pause after each answer")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (4 threads each)")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="experiment: the database's CONN_MAX_AGE in the server (default: Zeren's settings)",
    )
    parser.add_argument(
        "--sql-timing",
        action="store_true",
        help="diagnosis: time SQL and SQLite's write-lock wait (BEGIN) in every request",
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="ZEREN_REDIS_URL for the server: cache and sessions in Redis (e.g. redis://127.0.0.1:6379/0)",
    )
    parser.add_argument("--child", choices=["setup", "verify"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "setup":
        print(json.dumps(setup(args.enterprises, args.users_per_enterprise, args.indicators_each)))
        return 0
    if args.child == "verify":
        print(json.dumps(verify()))
        return 0

    place = _server.Place(database_url=args.database_url)
    try:
        return run(args, place)
    finally:
        place.cleanup()


def run(args: argparse.Namespace, place: _server.Place) -> int:
    started = time.perf_counter()
    place.create_database()
    child = [
        "--enterprises",
        str(args.enterprises),
        "--users-per-enterprise",
        str(args.users_per_enterprise),
        "--indicators-each",
        str(args.indicators_each),
    ]
    data = _server.run_child(__file__, ["--child", "setup", *child], place.env())
    users = data["users"]
    print(
        f"database: {place.label()}; {len(users)} users in {args.enterprises} enterprises, "
        f"{args.indicators_each} indicators each; gunicorn {args.workers} workers x 4 threads "
        f"(zeren serve); {os.cpu_count()} CPUs"
    )
    experiment = {}
    if args.sql_timing:
        experiment["ZEREN_BENCH_SQL_TIMING"] = "1"
        print("DIAGNOSIS: SQL timed in every request (adds a little time)")
    if args.conn_max_age is not None:
        experiment["ZEREN_BENCH_CONN_MAX_AGE"] = str(args.conn_max_age)
        print(f"EXPERIMENT: CONN_MAX_AGE={args.conn_max_age} (not Zeren's settings)")
    if args.redis_url:
        experiment["ZEREN_REDIS_URL"] = args.redis_url
        experiment["ZEREN_REDIS_PREFIX"] = f"bench{os.getpid()}"
        print(f"cache and sessions in Redis ({args.redis_url})")
    server = _server.Server(place, workers=args.workers, env=experiment)
    with server:
        t0 = time.perf_counter()
        sessions = _server.login_all(
            server.host, [(u["username"], data["password"]) for u in users]
        )
        print(
            f"set-up {t0 - started:.1f} s; {len(sessions)} logins {time.perf_counter() - t0:.1f} s"
        )
        editors = [
            Editor(session=s, sa=u["sa"], numbers=u["numbers"])
            for s, u in zip(sessions, users, strict=True)
        ]
        pids = server.worker_pids

        def load(
            label: str,
            phase: str,
            seconds: float,
            think: float,
            who: list[Editor] = editors,
        ) -> _server.Result:
            """One load; phase names the requests in the access log: kind-target."""
            send = {
                "save": lambda e: e.save(phase),
                "ping": lambda e: e.ping(phase),
                "auth": lambda e: e.ping(phase, "/bench/ping-auth"),
            }[phase.rsplit("-", 1)[1]]
            r = _server.run_load(
                label,
                who,
                send,
                seconds=seconds,
                think=think,
                server_pids=pids,
                db_pids=place.db_pids,
            )
            print(r.line(), flush=True)
            results[f"phase={phase}"] = r
            return r

        results: dict[str, _server.Result] = {}
        think = args.think_ms / 1000
        load("warm-up (not counted)", "warm-save", 3, 0)
        load("warm-up (not counted)", "warm-ping", 2, 0)
        print("-- one user alone, no pause: the floor")
        alone = load("autosave", "alone-save", 4, 0, editors[:1])
        alone_base = load("trivial /bench/ping", "alone-ping", 4, 0, editors[:1])
        print(f"-- paced: {args.think_ms:.0f} ms pause after each answer")
        paced = load("autosave", "paced-save", args.seconds, think)
        paced_base = load("trivial /bench/ping", "paced-ping", args.seconds, think)
        print("-- saturated: no pause")
        sat = load("autosave", "sat-save", args.saturated_seconds, 0)
        sat_base = load("trivial /bench/ping", "sat-ping", args.saturated_seconds, 0)
        sat_auth = load("logged-in /bench/ping-auth", "sat-auth", args.saturated_seconds, 0)
        for s in sessions:
            s.close()
    inside = server.request_times()
    print("-- time inside a gunicorn worker (access log; excludes waiting for a free thread)")
    for tag, r in results.items():
        if tag.startswith("phase=warm"):
            continue
        rows = inside.get(tag, [])
        t = [d for d, _sql in rows]
        line = (
            f"{tag[6:]:<12} median {_server.percentile_ms(t, 50):6.1f} ms  "
            f"p95 {_server.percentile_ms(t, 95):6.1f} ms  (clients saw p95 "
            f"{r.percentile(95):.1f} ms)"
        )
        sql = [x for _d, x in rows if x is not None]
        if sql:
            total = [x[1] for x in sql]
            begin = [x[2] for x in sql]
            waited = sum(b > 0.001 for b in begin) / len(begin)
            line += (
                f"  SQL: {sum(x[0] for x in sql) / len(sql):.1f} statements, median "
                f"{_server.percentile_ms(total, 50):.1f} p95 {_server.percentile_ms(total, 95):.1f}"
                f" ms; BEGIN > 1 ms in {waited:.0%}, p95 {_server.percentile_ms(begin, 95):.1f} "
                f"max {max(begin) * 1000:.0f} ms"
            )
        print(line)
    saved = sum(e.saved for e in editors)
    conflicts = sum(e.conflicts for e in editors)
    check = _server.run_child(__file__, ["--child", "verify"], place.env())

    ratio = sat.throughput / sat_base.throughput
    p95 = paced.percentile(95)
    print("-- results")
    print(
        f"paced autosave: median {paced.percentile(50):.1f} ms, p95 {p95:.1f} ms "
        f"({p95 / paced_base.percentile(95):.1f}x the trivial view's p95 "
        f"{paced_base.percentile(95):.1f} ms), {paced.throughput:.1f} saves/s"
    )
    print(
        f"saturated: autosave {sat.throughput:.0f} req/s, trivial {sat_base.throughput:.0f} req/s; "
        f"ratio autosave/trivial {ratio:.2f}; autosave p95 {sat.percentile(95):.1f} ms "
        f"(trivial {sat_base.percentile(95):.1f} ms)"
    )
    print(
        f"for reference: the trivial view for logged-in users only (session and user loaded) "
        f"{sat_auth.throughput:.0f} req/s; autosave/that {sat.throughput / sat_auth.throughput:.2f}"
    )

    def cpu_ms(r: _server.Result) -> float:
        return (r.server_cpu + r.db_cpu) / r.count * 1000 if r.count else float("nan")

    print(
        f"one user alone: autosave median {alone.percentile(50):.1f} ms, p95 "
        f"{alone.percentile(95):.1f} ms; trivial median {alone_base.percentile(50):.1f} ms"
    )
    print(
        f"server+db CPU per request (saturated): autosave {cpu_ms(sat):.2f} ms, trivial "
        f"{cpu_ms(sat_base):.2f} ms, logged-in trivial {cpu_ms(sat_auth):.2f} ms"
    )
    consistent = check["version_steps"] == saved and check["audit_events"] == saved
    print(
        f"database after the run: {check['version_steps']} version steps, "
        f"{check['audit_events']} audit events for {saved} successful saves; "
        f"{conflicts} conflicts -> {'consistent' if consistent else 'INCONSISTENT'}"
    )
    measured = (alone, alone_base, paced, paced_base, sat, sat_base, sat_auth)
    failed = sum(r.errors for r in measured)
    other = sum(r.rest_cpu for r in measured) / sum(r.seconds for r in measured)
    if other > 0.25:
        print(
            f"WARNING: other processes kept {other:.2f} of the {os.cpu_count()} cores busy on "
            f"average while measuring: the figures are disturbed; run again on a quiet machine"
        )
    ok_p95 = p95 < P95_GOAL_MS
    ok_ratio = ratio >= RATIO_GOAL
    print(f"goal: paced autosave p95 < {P95_GOAL_MS:.0f} ms -> {'OK' if ok_p95 else 'GOAL MISSED'}")
    print(
        f"goal: throughput autosave >= {RATIO_GOAL} x trivial -> "
        f"{'OK' if ok_ratio else 'GOAL MISSED'}"
    )
    if failed or conflicts or not consistent:
        print(f"FAILED: {failed} non-200 answers, {conflicts} conflicts, consistent={consistent}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0 if ok_p95 and ok_ratio and not failed and not conflicts and consistent else 1


if __name__ == "__main__":
    raise SystemExit(main())
