"""The organizer's progress dashboard on 500 enterprises: SQL queries and time.

    .venv/bin/python bench/bench_dashboard.py [--enterprises 500] [--rounds 5]

Builds a fresh SQLite database in a temporary ZEREN_DATA_DIR: one open campaign on the seed
framework, N enterprises each with a self-assessment (28 answers), a realistic spread of states
(a third untouched, a third partly rated, the rest fully rated and submitted, some returned or
accepted) and 5 to 30 audit events each. Then measures, as the median of --rounds runs:

  queries   reports.queries.campaign_progress (the aggregates alone)
  page      GET /organizer/campaigns/<pk>/ through Django's test client, as the organizer
  export    the same list written to XLSX
  baseline  the naive way, per enterprise: rated answers by area, last audit event and latest
            submission, three queries each (what a loop over self-assessments would do)

and the query count of each, at 5, 50 and N enterprises: it must not grow. Goals: constant
query count; the page under 1.5 s at 500 enterprises. Exits non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-dashboard-")
atexit.register(shutil.rmtree, os.environ["ZEREN_DATA_DIR"], ignore_errors=True)
os.environ.pop("DATABASE_URL", None)
os.environ["ZEREN_ALLOWED_HOSTS"] = "testserver"
os.environ["ZEREN_LOG_LEVEL"] = "WARNING"
# The bench measures the page, not the login: no second-factor step for its session.
os.environ["ZEREN_REQUIRE_OTP"] = "false"

PAGE_GOAL_S = 1.5


def measure(fn: Callable[[], Any], rounds: int) -> tuple[int, float]:
    """(queries of one run, median seconds over rounds)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)  # now: a later request clears the log it slices
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return queries, statistics.median(times)


def populate(campaign: Any, framework: Any, start: int, n: int, by: Any) -> None:
    """n more enterprises with self-assessments in varied states, written in bulk."""
    import datetime as dt

    from django.utils import timezone

    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise
    from zeren.assessments.models import Answer, SelfAssessment, Submission
    from zeren.audit.models import AuditEvent
    from zeren.frameworks.models import Indicator

    indicators = list(Indicator.objects.filter(framework=framework).order_by("number"))
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"企业{i:05d}网络科技有限公司", credit_code=make_credit_code(f"91330100MA{i:07d}")
        )
        for i in range(start, start + n)
    )
    statuses = ["draft", "draft", "draft", "submitted", "returned", "accepted"]
    sas = SelfAssessment.objects.bulk_create(
        SelfAssessment(
            campaign=campaign,
            enterprise=e,
            business_scope="平台业务",
            enterprise_name=e.name,
            status=statuses[(start + k) % len(statuses)],
        )
        for k, e in enumerate(enterprises)
    )
    answers = []
    events = []
    subs = []
    now = timezone.now()
    for k, sa in enumerate(sas):
        i = start + k
        rated = 0 if i % 6 == 0 else (len(indicators) if sa.status != "draft" else (i * 7) % 28)
        for ind in indicators:
            answers.append(
                Answer(self_assessment=sa, indicator=ind, level=2 if ind.number <= rated else None)
            )
        for j in range(5 + i % 26):
            events.append(
                AuditEvent(
                    actor=by,
                    action="answer.saved",
                    object_type="assessments.answer",
                    object_id=str(j),
                    enterprise_id=sa.enterprise_id,
                    self_assessment=sa,
                    at=now - dt.timedelta(minutes=(i * 37 + j * 11) % 10000),
                )
            )
        if sa.status != "draft":
            for number in range(1, 2 + i % 2):
                subs.append(
                    Submission(
                        self_assessment=sa,
                        number=number,
                        snapshot={},
                        sha256="0" * 64,
                        submitted_at=now,
                        submitted_by=by,
                    )
                )
    Answer.objects.bulk_create(answers, batch_size=2000)
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    Submission.objects.bulk_create(subs, batch_size=2000)


def naive_progress(campaign: Any) -> list[tuple[Any, ...]]:
    """The baseline: three queries per self-assessment."""
    from django.db.models import Count

    from zeren.assessments.models import SelfAssessment
    from zeren.audit.models import AuditEvent

    out = []
    for sa in SelfAssessment.objects.filter(campaign=campaign).select_related("enterprise"):
        by_area = dict(
            sa.answers.filter(level__isnull=False)
            .values_list("indicator__topic__area_id")
            .annotate(n=Count("pk"))
        )
        last = AuditEvent.objects.filter(self_assessment=sa).order_by("-at").first()
        latest = sa.submissions.order_by("-number").first()
        out.append((sa.enterprise.name, by_area, last and last.at, latest and latest.pk))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tests.conftest import make_user
    from zeren.accounts.models import Role
    from zeren.campaigns.models import Campaign
    from zeren.frameworks.models import Framework
    from zeren.reports.exports import progress_xlsx
    from zeren.reports.queries import campaign_progress

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    olga = make_user("olga", Role.ORGANIZER)
    framework = Framework.objects.get(key="platform-csr", version=1)
    campaign = Campaign.objects.create(
        framework=framework,
        title="2026年度自评",
        year=2026,
        status=Campaign.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=20),
    )
    # As Django's test runner does: keep the connection across requests, so queries are counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(olga)
    url = reverse("campaigns:detail", args=[campaign.pk])

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    print(f"set-up: migrate and organizer in {time.perf_counter() - t0:.1f} s")
    sizes = sorted({5, 50, args.enterprises})
    have = 0
    results: dict[int, dict[str, tuple[int, float]]] = {}
    for size in sizes:
        t = time.perf_counter()
        populate(campaign, framework, have, size - have, olga)
        have = size
        print(f"set-up: {size} enterprises in {time.perf_counter() - t:.1f} s")
        results[size] = {
            "queries": measure(lambda: campaign_progress(campaign), args.rounds),
            "page": measure(page, args.rounds),
            "export": measure(lambda: progress_xlsx(campaign_progress(campaign)), args.rounds),
            "baseline": measure(lambda: naive_progress(campaign), max(1, args.rounds // 2)),
        }

    print()
    print(f"{'enterprises':>11}  {'what':<9} {'queries':>7} {'median':>10}")
    for size in sizes:
        for what, (q, s) in results[size].items():
            print(f"{size:>11}  {what:<9} {q:>7} {s * 1000:>8.1f} ms")
    n = args.enterprises
    big = results[n]
    ratio = big["baseline"][1] / big["queries"][1]
    print()
    print(
        f"at {n} enterprises: aggregates {big['queries'][0]} queries in "
        f"{big['queries'][1] * 1000:.1f} ms, against the per-enterprise baseline's "
        f"{big['baseline'][0]} queries in {big['baseline'][1] * 1000:.1f} ms ({ratio:.1f}x faster); "
        f"the page {big['page'][0]} queries in {big['page'][1] * 1000:.0f} ms"
    )
    failed = []
    for what in ("queries", "page", "export"):
        counts = {size: results[size][what][0] for size in sizes}
        if len(set(counts.values())) != 1:
            failed.append(f"{what}: query count grows with enterprises {counts}")
    if big["page"][1] > PAGE_GOAL_S:
        failed.append(f"page: {big['page'][1]:.2f} s > goal {PAGE_GOAL_S} s")
    for f in failed:
        print("MISSED", f)
    if not failed:
        print(f"goals met: constant query count; page under {PAGE_GOAL_S} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
