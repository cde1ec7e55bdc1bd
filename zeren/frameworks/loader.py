"""Framework files in and out of the database: load, look up, compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from zeren.frameworks.models import Area, Framework, Indicator, Level, Topic
from zeren.frameworks.spec import (
    AreaSpec,
    DocumentTexts,
    FrameworkInvalid,
    FrameworkSpec,
    IndicatorSpec,
    LevelSpec,
    SpecError,
    TopicSpec,
    clean_decimal,
    load_yaml,
    seed_spec,
    spec_to_mapping,
)


class FrameworkExists(Exception):
    """The version is already stored with different content."""


def read_framework_file(path: str | Path) -> FrameworkSpec:
    """Reads a YAML or XLSX framework file; raises FrameworkInvalid listing every error."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from zeren.frameworks.xlsx import read_xlsx

        return read_xlsx(path)
    return load_yaml(path)


_SPECS: dict[tuple[int, object], FrameworkSpec] = {}


def spec_from_db(framework: Framework) -> FrameworkSpec:
    """The stored framework as a FrameworkSpec: 3 queries the first time, then from memory.

    A stored version never changes (new content is a new version; the admin is read-only), so
    the spec is kept per process, keyed by the row and its creation time.
    """
    key = (framework.pk, framework.created_at)
    spec = _SPECS.get(key)
    if spec is None:
        if len(_SPECS) > 64:
            _SPECS.clear()
        spec = _SPECS[key] = _read_spec(framework)
    return spec


def _read_spec(framework: Framework) -> FrameworkSpec:
    indicators_by_topic: dict[int, list[IndicatorSpec]] = {}
    indicators = (
        Indicator.objects.filter(framework=framework).prefetch_related("levels").order_by("number")
    )
    for ind in indicators:
        indicators_by_topic.setdefault(ind.topic_id, []).append(
            IndicatorSpec(
                number=ind.number,
                name=ind.name,
                description=ind.description,
                levels=tuple(
                    LevelSpec(lv.number, lv.label, clean_decimal(lv.points))
                    for lv in sorted(ind.levels.all(), key=lambda x: x.number)
                ),
                weight=clean_decimal(ind.weight),
                levels_supplied=ind.levels_supplied,
            )
        )
    areas: list[AreaSpec] = []
    for area in (
        Area.objects.filter(framework=framework).prefetch_related("topics").order_by("position")
    ):
        topics = tuple(
            TopicSpec(t.name, tuple(indicators_by_topic.get(t.pk, [])))
            for t in sorted(area.topics.all(), key=lambda t: t.position)
        )
        areas.append(AreaSpec(area.name, topics))
    doc = framework.document or {}
    return FrameworkSpec(
        id=framework.key,
        version=framework.version,
        title=framework.title,
        areas=tuple(areas),
        source=framework.source,
        scoring_rule=framework.scoring_rule,
        evidence_levels=tuple(framework.evidence_levels),
        evidence_severity=framework.evidence_severity,
        document=DocumentTexts(
            attachment_label=doc.get("attachment_label", DocumentTexts.attachment_label),
            title_lines=tuple(doc.get("title_lines", DocumentTexts.title_lines)),
            pledge_title_lines=tuple(
                doc.get("pledge_title_lines", DocumentTexts.pledge_title_lines)
            ),
            pledge_text=doc.get("pledge_text", ""),
            table_title=doc.get("table_title", DocumentTexts.table_title),
            evidence_note=doc.get("evidence_note", ""),
        ),
    )


def spec_for(framework_id: str, version: int) -> FrameworkSpec:
    """The FrameworkSpec of a stored framework version; raises Framework.DoesNotExist."""
    return spec_from_db(Framework.objects.get(key=framework_id, version=version))


def specs_equal(a: FrameworkSpec, b: FrameworkSpec) -> bool:
    # Dataclass equality; Decimals compare by value (1 == 1.0000).
    return spec_to_mapping(a) == spec_to_mapping(b)


@transaction.atomic
def save_framework(spec: FrameworkSpec, *, new_version: bool = False) -> tuple[Framework, bool]:
    """Stores a validated spec in one transaction; returns (framework, created).

    The same content again is a no-op; different content under an existing version is refused
    unless new_version, which stores it as the next version of that key.
    """
    existing = Framework.objects.filter(key=spec.id, version=spec.version).first()
    if existing is not None:
        if specs_equal(spec_from_db(existing), spec) and not new_version:
            return existing, False
        if not new_version:
            raise FrameworkExists(
                f"指标体系 {spec.id} 第 {spec.version} 版已存在且内容不同；"
                f"请改用新的版本号，或加 --new-version 另存为新版本 / "
                f"framework {spec.id} version {spec.version} already exists with other content; "
                f"use a new version number or --new-version"
            )
    if new_version:
        latest = Framework.objects.filter(key=spec.id).order_by("-version").first()
        if latest is not None:
            from dataclasses import replace

            spec = replace(spec, version=max(latest.version + 1, spec.version))
    doc = spec.document
    framework = Framework.objects.create(
        key=spec.id,
        version=spec.version,
        title=spec.title,
        source=spec.source,
        scoring_rule=spec.scoring_rule,
        evidence_levels=list(spec.evidence_levels),
        evidence_severity=spec.evidence_severity,
        document={
            "attachment_label": doc.attachment_label,
            "title_lines": list(doc.title_lines),
            "pledge_title_lines": list(doc.pledge_title_lines),
            "pledge_text": doc.pledge_text,
            "table_title": doc.table_title,
            "evidence_note": doc.evidence_note,
        },
    )
    levels: list[Level] = []
    for a_pos, area_spec in enumerate(spec.areas, start=1):
        area = Area.objects.create(framework=framework, position=a_pos, name=area_spec.name)
        for t_pos, topic_spec in enumerate(area_spec.topics, start=1):
            topic = Topic.objects.create(area=area, position=t_pos, name=topic_spec.name)
            for ind_spec in topic_spec.indicators:
                ind = Indicator.objects.create(
                    framework=framework,
                    topic=topic,
                    number=ind_spec.number,
                    name=ind_spec.name,
                    description=ind_spec.description,
                    weight=ind_spec.weight,
                    levels_supplied=ind_spec.levels_supplied,
                )
                levels.extend(
                    Level(indicator=ind, number=lv.number, label=lv.label, points=lv.points)
                    for lv in ind_spec.levels
                )
    Level.objects.bulk_create(levels)
    return framework, True


def load_framework_file(path: str | Path, *, new_version: bool = False) -> tuple[Framework, bool]:
    """Validates and stores a framework file; nothing is stored when it has any error."""
    spec = read_framework_file(path)
    try:
        return save_framework(spec, new_version=new_version)
    except FrameworkExists as exc:
        raise FrameworkInvalid([SpecError(Path(path).name, None, "version", str(exc))]) from None


def ensure_seed_framework(**kwargs: Any) -> None:
    """post_migrate: a new installation gets the seed framework (idempotent)."""
    using = kwargs.get("using", "default")
    if using != "default":
        return
    spec = seed_spec()
    if not Framework.objects.filter(key=spec.id, version=spec.version).exists():
        save_framework(spec)
