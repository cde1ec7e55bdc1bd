"""The REST API beside the web editor: read a whole self-assessment, save one answer.

    .venv/bin/python bench/bench_api.py [--rounds 200]

Builds a fresh SQLite database in a temporary ZEREN_DATA_DIR with two self-assessments of the
seed framework (28 answers): "small" (one evidence item with one file) and "large" (every answer filled with
5 evidence items of 2 files each: 140 items, 280 file links). Then, through Django's test client
in this process (no network, no gunicorn: the cost of Zeren's own code and its SQL), measures
median and p95 over --rounds requests, and the SQL queries of one request, of:

  web autosave   POST /assessments/<pk>/indicators/<n>/save/ (session), the editor's autosave:
                 the baseline for a save
  API PATCH      PATCH /api/v1/self-assessments/<pk>/answers/<n> (bearer token)
  web overview   GET /assessments/<pk>/ (session), the web's page of the whole form:
                 the baseline for a read
  API GET        GET /api/v1/self-assessments/<pk> (bearer token), FormData with ids

Goals: the API's query counts are the same for the small and the large form (constant in the
number of answers and evidence items); API PATCH median <= 1.5 x the web autosave's; API GET
median <= 1.25 x the web overview's (both read the same rows; the page renders HTML, the API
validates and writes JSON). Exits non-zero when a goal is missed.
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
os.environ["ZEREN_DATA_DIR"] = tempfile.mkdtemp(prefix="zeren-bench-api-")
atexit.register(shutil.rmtree, os.environ["ZEREN_DATA_DIR"], ignore_errors=True)
os.environ.pop("DATABASE_URL", None)
os.environ["ZEREN_ALLOWED_HOSTS"] = "testserver"
os.environ["ZEREN_LOG_LEVEL"] = "WARNING"
os.environ["ZEREN_API_RATE"] = "100000000/m"

PATCH_RATIO_GOAL = 1.5
GET_RATIO_GOAL = 1.25


def timed(fn: Callable[[], Any], rounds: int) -> tuple[int, float, float]:
    """(queries of one call, median ms, p95 ms over rounds)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return queries, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def populate() -> dict[str, Any]:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from zeren.accounts.credit_code import make_credit_code
    from zeren.accounts.models import Enterprise, Membership, Role, User
    from zeren.api.tokens import create_token
    from zeren.assessments import services
    from zeren.assessments.uploads import store_upload
    from zeren.campaigns.models import Campaign
    from zeren.frameworks.models import Framework

    call_command("migrate", interactive=False, verbosity=0)
    framework = Framework.objects.get(key="platform-csr", version=1)
    now = timezone.now()
    campaign = Campaign.objects.create(
        framework=framework,
        title="压测",
        year=now.year,
        status=Campaign.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    enterprise = Enterprise.objects.create(
        name="压测平台有限公司", credit_code=make_credit_code("91110108MA0000009")
    )
    user = User.objects.create_user(username="bench", password="bench-api-2026")
    Membership.objects.create(user=user, enterprise=enterprise, role=Role.ENTERPRISE_ADMIN)
    small = services.create_self_assessment(
        campaign=campaign, enterprise=enterprise, business_scope="小", by=user
    )
    large = services.create_self_assessment(
        campaign=campaign, enterprise=enterprise, business_scope="大", by=user
    )
    files = [
        store_upload(
            assessment=large,
            upload=SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4\n" + str(i).encode() * 100),
            by=user,
        )[0]
        for i in range(10)
    ]
    one, _created = store_upload(
        assessment=small, upload=SimpleUploadedFile("one.pdf", b"%PDF-1.4\none"), by=user
    )
    services.save_evidence_item(
        answer=small.answers.get(indicator__number=1), by=user, title="材料", files=[one]
    )
    for answer in large.answers.select_related("indicator"):
        services.save_answer(
            answer=answer,
            by=user,
            expected_version=answer.version,
            changes={"level": 2, "work_summary": "本平台建立了用户权益保护制度。" * 20},
        )
        for k in range(5):
            services.save_evidence_item(
                answer=answer,
                by=user,
                title=f"材料{k}",
                text="说明" * 50,
                files=[files[(2 * k) % 10], files[(2 * k + 1) % 10]],
            )
    _row, token = create_token(user=user, name="bench", scope="write", expires_days=None, by=user)
    return {"user": user, "small": small.pk, "large": large.pk, "token": token}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    from zeren.assessments.models import Answer

    data = populate()
    web = Client()
    web.force_login(data["user"])
    api = Client(headers={"Authorization": f"Bearer {data['token']}"})

    def versions(pk: int) -> dict[int, int]:
        return dict(
            Answer.objects.filter(self_assessment_id=pk).values_list("indicator__number", "version")
        )

    rows: dict[str, tuple[int, float, float]] = {}
    for size in ("small", "large"):
        pk = data[size]
        v = versions(pk)
        state = {"turn": 0}

        def web_save(pk: int = pk, v: dict[int, int] = v, state: dict[str, int] = state) -> None:
            state["turn"] += 1
            n = 1 + state["turn"] % 2
            r = web.post(
                f"/assessments/{pk}/indicators/{n}/save/",
                {"version": v[n], "remarks": f"第{state['turn']}次"},
                headers={"X-Zeren-Fetch": "1"},
            )
            assert r.status_code == 200, r.content
            v[n] = r.json()["version"]

        def api_patch(pk: int = pk, v: dict[int, int] = v, state: dict[str, int] = state) -> None:
            state["turn"] += 1
            n = 3 + state["turn"] % 2
            r = api.patch(
                f"/api/v1/self-assessments/{pk}/answers/{n}",
                {"version": v[n], "remarks": f"第{state['turn']}次"},
                content_type="application/json",
            )
            assert r.status_code == 200, r.content
            v[n] = r.json()["version"]

        def web_overview(pk: int = pk) -> None:
            assert web.get(f"/assessments/{pk}/").status_code == 200

        def api_get(pk: int = pk) -> None:
            r = api.get(f"/api/v1/self-assessments/{pk}")
            assert r.status_code == 200, r.content

        for name, fn in (
            ("web autosave", web_save),
            ("API PATCH", api_patch),
            ("web overview", web_overview),
            ("API GET", api_get),
        ):
            rows[f"{name} ({size})"] = timed(fn, args.rounds)

    print(
        f"seed framework, 28 answers; large: 140 evidence items, 280 file links; {args.rounds} rounds"
    )
    print(f"{'':<26}{'queries':>8}{'median ms':>11}{'p95 ms':>9}")
    for label, (q, med, p95) in rows.items():
        print(f"{label:<26}{q:>8}{med:>11.2f}{p95:>9.2f}")
    ok = True
    for name in ("API PATCH", "API GET"):
        same = rows[f"{name} (small)"][0] == rows[f"{name} (large)"][0]
        ok &= same
        print(
            f"{name}: queries small {rows[f'{name} (small)'][0]}, large "
            f"{rows[f'{name} (large)'][0]} -> {'constant' if same else 'GROWS: GOAL MISSED'}"
        )
    patch_ratio = rows["API PATCH (large)"][1] / rows["web autosave (large)"][1]
    get_ratio = rows["API GET (large)"][1] / rows["web overview (large)"][1]
    print(
        f"ratio API PATCH / web autosave (median, large): {patch_ratio:.2f} "
        f"(goal <= {PATCH_RATIO_GOAL}) -> {'OK' if patch_ratio <= PATCH_RATIO_GOAL else 'GOAL MISSED'}"
    )
    print(
        f"ratio API GET / web overview (median, large): {get_ratio:.2f} "
        f"(goal <= {GET_RATIO_GOAL}) -> {'OK' if get_ratio <= GET_RATIO_GOAL else 'GOAL MISSED'}"
    )
    ok &= patch_ratio <= PATCH_RATIO_GOAL and get_ratio <= GET_RATIO_GOAL
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
