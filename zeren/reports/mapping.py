"""Indicator mapping between framework versions (same, renamed, split, merged, new, dropped)."""

from __future__ import annotations

from zeren.frameworks.models import Framework


def map_numbers(old: Framework, new: Framework, number: int) -> list[int]:
    """The indicators of `new` that indicator `number` of `old` became. Between two versions of
    one framework without a mapping, and within one version, an indicator keeps its number."""
    if old.pk == new.pk:
        return [number]
    return [number]
