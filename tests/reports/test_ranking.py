"""Ranking: ties share a rank (1, 2, 2, 4), by total and by area, within the filters; and the
analytics figures, each in a number of queries that does not grow with the cohort."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.helpers import result_row
from zeren.reports import analytics
from zeren.reports.analytics import Filters
from zeren.reports.page import analysis_page

pytestmark = pytest.mark.django_db


def test_it_gives_tied_totals_the_same_rank_and_skips_the_next(campaign) -> None:  # type: ignore[no-untyped-def]
    result_row(campaign, "A", level=1)
    result_row(campaign, "C", level=2)
    result_row(campaign, "B", level=2)
    result_row(campaign, "D", level=3)
    rows, n = analytics.ranking(campaign, Filters())
    assert n == 4
    assert [(r.enterprise, r.rank) for r in rows] == [("A", 1), ("B", 2), ("C", 2), ("D", 4)]


def test_it_ranks_by_area_with_ties(campaign, framework) -> None:  # type: ignore[no-untyped-def]
    # Area 1 holds indicators 1-3: 甲 and 乙 tie there though their totals differ.
    result_row(campaign, "B", level={n: 1 if n <= 3 else 3 for n in range(1, 29)})
    result_row(campaign, "A", level={n: 1 if n <= 3 else 4 for n in range(1, 29)})
    result_row(campaign, "C", level=2)
    rows, _ = analytics.ranking(campaign, Filters(), area=1)
    assert [(r.enterprise, r.rank) for r in rows] == [("A", 1), ("B", 1), ("C", 3)]
    totals, _ = analytics.ranking(campaign, Filters())
    assert [r.enterprise for r in totals] == ["C", "B", "A"]


def test_it_ranks_within_the_chosen_segment_and_pages(campaign) -> None:  # type: ignore[no-untyped-def]
    result_row(campaign, "电商一", level=3, segment="电商")
    result_row(campaign, "电商二", level=2, segment="电商")
    result_row(campaign, "社交一", level=1, segment="社交")
    rows, n = analytics.ranking(campaign, Filters(segment="电商"))
    assert n == 2 and [(r.enterprise, r.rank) for r in rows] == [("电商二", 1), ("电商一", 2)]
    page2, n = analytics.ranking(campaign, Filters(), offset=1, limit=1)
    assert n == 3 and [(r.enterprise, r.rank) for r in page2] == [("电商二", 2)]


def test_it_counts_levels_overclaiming_and_segments(campaign) -> None:  # type: ignore[no-untyped-def]
    result_row(campaign, "甲", level=3, self_level=1, segment="电商")
    result_row(campaign, "乙", level=2, segment="电商")
    result_row(campaign, "丙", level=1, segment="社交")
    dist = analytics.level_distribution(campaign, Filters())
    assert dist[1] == {"self": [2, 1, 0, 0, 0], "reviewed": [1, 1, 1, 0, 0]}
    assert analytics.level_distribution(campaign, Filters(segment="社交"))[1]["self"] == [
        1,
        0,
        0,
        0,
        0,
    ]
    stats = analytics.indicator_stats(campaign, Filters())
    assert stats[1]["over"] == pytest.approx(50 / 3, abs=0.01)  # 甲 claims 100, gets 50
    worst = analytics.overclaim_by_enterprise(campaign, Filters())[0]
    assert worst["enterprise"] == "甲" and worst["gap"] == 50.0
    boxes = {b["segment"]: b for b in analytics.totals_by_segment(campaign, Filters())}
    assert boxes["电商"]["n"] == 2 and boxes["社交"]["box"] == [100.0] * 5
    assert sum(d["n"] for d in analytics.submissions_per_day(campaign, Filters())) == 3


def _queries(fn) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_it_reads_the_page_in_a_constant_number_of_queries(campaign) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        result_row(campaign, f"企业{i}", level=1 + i % 5)
    analysis_page(campaign, Filters())  # the framework's spec is cached
    small = _queries(lambda: analysis_page(campaign, Filters(segment="电商")))
    for i in range(3, 25):
        result_row(campaign, f"企业{i}", level=1 + i % 5, segment="电商" if i % 2 else "社交")
    assert _queries(lambda: analysis_page(campaign, Filters(segment="电商"))) == small
