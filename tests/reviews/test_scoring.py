"""Scores against figures computed by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from zeren.frameworks.spec import seed_spec
from zeren.reviews.scoring import consolidate, score_levels


def test_it_scores_the_full_seed_form_by_hand() -> None:
    spec = seed_spec()
    # Levels 1..5 repeating over the 28 indicators: 1,2,3,4,5,1,2,…
    levels = {n: (n - 1) % 5 + 1 for n in range(1, 29)}
    scores = score_levels(spec, levels)
    # Points 100,75,50,25,0 repeating: 5 full cycles (indicators 1–25) = 5×250 = 1250, then
    # 26→100, 27→75, 28→50: total 1475 over 28 equally weighted indicators = 52.678… → 52.68
    assert scores.total.value == Decimal("52.68")
    assert scores.total.rated == 28
    # Area 企业内部治理 = indicators 1–3: (100+75+50)/3 = 75.00
    assert scores.areas["企业内部治理"].value == Decimal("75.00")
    # Area 社会发展促进 = indicators 22–28 → levels 2,3,4,5,1,2,3 → 75+50+25+0+100+75+50 = 375/7 = 53.57
    assert scores.areas["社会发展促进"].value == Decimal("53.57")
    assert scores.indicators[5] == Decimal(0)


def test_it_weights_unequally() -> None:
    spec = seed_spec()
    weights = {1: Decimal(3), 2: Decimal("0.5")}
    areas = tuple(
        replace(
            a,
            topics=tuple(
                replace(
                    t,
                    indicators=tuple(
                        replace(i, weight=weights.get(i.number, i.weight)) for i in t.indicators
                    ),
                )
                for t in a.topics
            ),
        )
        for a in spec.areas
    )
    spec = replace(spec, areas=areas)
    levels = {n: 3 for n in range(1, 29)}
    levels[1] = 1  # 100 × 3
    levels[2] = 5  # 0 × 0.5
    scores = score_levels(spec, levels)
    # (3×100 + 0.5×0 + 26×50) / (3 + 0.5 + 26) = 1600 / 29.5 = 54.237… → 54.24
    assert scores.total.value == Decimal("54.24")
    # 企业内部治理: (300 + 0 + 50) / 4.5 = 77.78
    assert scores.areas["企业内部治理"].value == Decimal("77.78")


def test_unrated_indicators_are_left_out_and_counted() -> None:
    scores = score_levels(seed_spec(), {1: 2, 2: None})
    assert scores.total.value == Decimal("75.00")
    assert (scores.total.rated, scores.total.total) == (1, 28)
    assert score_levels(seed_spec(), {}).total.value is None


def test_consolidation_takes_the_median_and_flags_disagreement() -> None:
    assert consolidate([2, 3, 2]).level == 2
    assert consolidate([1, 3]).level == 3  # even count: the worse middle level
    assert consolidate([1, 3]).disagreement is True
    assert consolidate([2, 3]).disagreement is False
    assert consolidate([None, 4]).level == 4
    assert consolidate([]).level is None
    settled = consolidate([1, 4], settled=2)
    assert (settled.level, settled.settled, settled.disagreement) == (2, True, True)
