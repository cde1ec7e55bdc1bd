"""Results at growing cohort sizes: 结果分析 and the progress dashboard (server time, queries),
each beside a raw-SQL floor of the same figures measured in the same run; the cohort workbook
(time, memory growth); scorecards per second.

    .venv/bin/python bench/bench_results.py [--sizes 60,500,2000] [--rounds 3]
    .venv/bin/python bench/bench_results.py --postgres postgres://postgres@127.0.0.1:5432/zeren_bench_results --sizes 1000,10000

Builds the cohort with `zeren demo --cohort N` in a fresh database (SQLite in a temporary data
dir, or a fresh PostgreSQL database that is dropped afterwards), growing N step by step, and at
each size measures, as the median of --rounds:

  analysis    GET 结果分析 of last year's campaign (organizer, Django test client in-process)
  dashboard   GET the progress dashboard of this year's campaign (first page)
  floor       the same figures as raw SQL (one statement per figure, no ORM, no template)

and prints the ratio page / floor. Then, at the largest size: the cohort XLSX (seconds and peak
RSS growth of this process) and scorecards per second (20 of them, charts included).
Goals (issue 12, on PostgreSQL at 10,000): pages < 1 s with query counts that do not grow,
≤ 3 × the floor; XLSX < 20 s and < 256 MiB growth; scorecards ≥ 5/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from _server import Place, reset_peak, status_kib  # noqa: E402


def measure(fn: Callable[[], Any], rounds: int) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return queries, statistics.median(times)


ANALYSIS_SQL = [
    # level distributions, self and reviewed
    "SELECT indicator, self_level, COUNT(*) FROM reports_indicatorresult WHERE campaign_id=%s AND self_level IS NOT NULL GROUP BY indicator, self_level",
    "SELECT indicator, reviewed_level, COUNT(*) FROM reports_indicatorresult WHERE campaign_id=%s AND reviewed_level IS NOT NULL GROUP BY indicator, reviewed_level",
    # per-indicator means, over-claiming, disagreement
    "SELECT indicator, AVG(self_points), AVG(reviewed_points), AVG(self_points - reviewed_points), SUM(CASE WHEN disagreement THEN 1 ELSE 0 END) FROM reports_indicatorresult WHERE campaign_id=%s GROUP BY indicator",
    # summary
    "SELECT COUNT(*), AVG(self_total), AVG(reviewed_total) FROM reports_assessmentresult WHERE campaign_id=%s",
    # ranking, first page
    "SELECT r.id, RANK() OVER (ORDER BY reviewed_total DESC), e.name FROM reports_assessmentresult r JOIN accounts_enterprise e ON e.id = r.enterprise_id WHERE r.campaign_id=%s AND reviewed_total IS NOT NULL ORDER BY 2, 3 LIMIT 50",
    # totals by segment (for the box plot)
    "SELECT segment, reviewed_total FROM reports_assessmentresult WHERE campaign_id=%s AND reviewed_total IS NOT NULL",
    # heatmap: top 30 and their indicators
    "SELECT i.result_id, i.indicator, i.reviewed_points FROM reports_indicatorresult i WHERE i.result_id IN (SELECT id FROM reports_assessmentresult WHERE campaign_id=%s AND reviewed_total IS NOT NULL ORDER BY reviewed_total DESC LIMIT 30)",
    # over-claiming by enterprise
    "SELECT enterprise_id, self_total - reviewed_total AS gap FROM reports_assessmentresult WHERE campaign_id=%s AND self_total IS NOT NULL AND reviewed_total IS NOT NULL ORDER BY gap DESC LIMIT 20",
]

DASHBOARD_SQL = [
    "SELECT s.status, (SELECT COUNT(*) FROM assessments_answer a WHERE a.self_assessment_id = s.id AND a.level IS NOT NULL) > 0, COUNT(*) FROM assessments_selfassessment s WHERE s.campaign_id=%s GROUP BY 1, 2",
    "SELECT s.id, e.name, (SELECT COUNT(*) FROM assessments_answer a WHERE a.self_assessment_id = s.id AND a.level IS NOT NULL) FROM assessments_selfassessment s JOIN accounts_enterprise e ON e.id = s.enterprise_id WHERE s.campaign_id=%s ORDER BY e.name, s.business_scope, s.id LIMIT 100",
]


def floor(statements: list[str], campaign_id: int) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql, [campaign_id])
                cur.fetchall()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="60,500,2000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--postgres", default="", help="a PostgreSQL URL whose database is created and dropped"
    )
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]

    place = Place(database_url=args.postgres)
    place.create_database()
    try:
        # The bench measures the pages, not the login: no second-factor step for its session.
        os.environ.update(place.env(ZEREN_ALLOWED_HOSTS="testserver", ZEREN_REQUIRE_OTP="false"))
        import django

        django.setup()
        return run(place, sizes, args.rounds)
    finally:
        from django.db import connections

        connections.close_all()
        place.cleanup()


def run(place: Place, sizes: list[int], rounds: int) -> int:
    from django.core.management import call_command
    from django.test import Client

    from zeren.accounts.models import User
    from zeren.campaigns.models import Campaign
    from zeren.reports.analytics import Filters
    from zeren.reports.documents import scorecard
    from zeren.reports.models import AssessmentResult
    from zeren.reports.peers import cohort_stats
    from zeren.reports.workbook import write_workbook

    call_command("migrate", verbosity=0)
    print(f"database: {place.label()}")
    print(
        f"{'N':>6} {'analysis s':>10} {'q':>4} {'floor s':>8} {'ratio':>6}   {'dashboard s':>11} {'q':>4} {'floor s':>8} {'ratio':>6}"
    )
    failures = []
    counts: list[tuple[int, int]] = []
    for n in sizes:
        t = time.perf_counter()
        call_command("demo", "--cohort", str(n), "--json", stdout=open(os.devnull, "w"))  # noqa: SIM115
        built = time.perf_counter() - t
        last = Campaign.objects.get(status="closed")
        current = Campaign.objects.get(framework__version=2)
        client = Client()
        client.force_login(User.objects.get(username="organizer"))
        analysis_url = f"/organizer/campaigns/{last.pk}/results/"
        dashboard_url = f"/organizer/campaigns/{current.pk}/"
        for url in (
            analysis_url,
            dashboard_url,
        ):  # caches settle; and it is the page, not a redirect
            got = client.get(url)
            assert got.status_code == 200, f"{url}: {got.status_code} {got.get('Location', '')}"
        aq, at = measure(lambda c=client, u=analysis_url: c.get(u), rounds)
        dq, dt = measure(lambda c=client, u=dashboard_url: c.get(u), rounds)
        _q, af = measure(floor(ANALYSIS_SQL, last.pk), rounds)
        _q, df = measure(floor(DASHBOARD_SQL, current.pk), rounds)
        counts.append((aq, dq))
        print(
            f"{n:>6} {at:>10.3f} {aq:>4} {af:>8.3f} {at / af:>6.1f}   {dt:>11.3f} {dq:>4} {df:>8.3f} {dt / df:>6.1f}"
            f"   (cohort built in {built:.1f} s)"
        )
        if n >= 10000 and (at > 1 or dt > 1):
            failures.append(f"page over 1 s at {n}")
    if len({c for c in counts}) > 1:
        failures.append(f"query counts grew with N: {counts}")

    n = sizes[-1]
    last = Campaign.objects.get(status="closed")
    me = os.getpid()
    rss0 = status_kib(me, "VmRSS")
    peak_ok = reset_peak(me)
    t = time.perf_counter()
    out = place.data_dir / "cohort.xlsx"
    write_workbook(last, Filters(), str(out))
    xt = time.perf_counter() - t
    growth = (status_kib(me, "VmHWM") - rss0) / 1024 if peak_ok else float("nan")
    rows = AssessmentResult.objects.filter(campaign=last).count()
    print(
        f"cohort XLSX: {rows} results in {xt:.2f} s, {out.stat().st_size / 1e6:.1f} MB, peak RSS growth {growth:.0f} MiB"
    )
    if n >= 10000 and (xt > 20 or growth > 256):
        failures.append("cohort XLSX over 20 s or 256 MiB")

    stats = cohort_stats(last)
    results = list(
        AssessmentResult.objects.filter(campaign=last)
        .select_related("enterprise", "self_assessment", "campaign__framework")
        .order_by("pk")[:21]
    )
    scorecard(results[0], stats)  # fonts and templates load once
    t = time.perf_counter()
    for r in results[1:]:
        scorecard(r, stats)
    per_s = (len(results) - 1) / (time.perf_counter() - t)
    print(f"scorecards: {per_s:.1f}/s (charts included, cohort figures read once)")
    if per_s < 5:
        failures.append(f"scorecards {per_s:.1f}/s < 5/s")
    for f in failures:
        print("GOAL MISSED:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
