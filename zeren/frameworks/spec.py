"""The framework as plain data: what renderers, parsers and scoring read.

A `FrameworkSpec` is loaded from a YAML file, from an XLSX workbook or from the database, and
validated in one place. Every error names the file, the indicator number and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

DEFAULT_POINTS = (100, 75, 50, 25, 0)
LEVEL_COUNT = 5
SCORING_RULES = ("weighted_mean",)
SEVERITIES = ("error", "warning")
DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA_DIR / "platform-csr-v1.yaml"


@dataclass(frozen=True)
class LevelSpec:
    number: int  # 1 best … 5 worst
    label: str
    points: Decimal


@dataclass(frozen=True)
class IndicatorSpec:
    number: int  # 序号
    name: str
    description: str
    levels: tuple[LevelSpec, ...]
    weight: Decimal = Decimal(1)
    levels_supplied: bool = False

    def label(self, level: int | None) -> str:
        for lv in self.levels:
            if lv.number == level:
                return lv.label
        return ""

    def points(self, level: int) -> Decimal:
        for lv in self.levels:
            if lv.number == level:
                return lv.points
        raise KeyError(level)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class AreaSpec:
    name: str
    topics: tuple[TopicSpec, ...]

    @property
    def indicators(self) -> tuple[IndicatorSpec, ...]:
        return tuple(i for t in self.topics for i in t.indicators)


@dataclass(frozen=True)
class DocumentTexts:
    attachment_label: str = "附件1："
    title_lines: tuple[str, ...] = ("互联网平台企业履行社会责任", "自评材料")
    pledge_title_lines: tuple[str, ...] = ("互联网平台企业履行社会责任自评工作", "诚信承诺书")
    pledge_text: str = ""
    table_title: str = "互联网平台企业履行社会责任自评表"
    evidence_note: str = ""


@dataclass(frozen=True)
class FrameworkSpec:
    id: str
    version: int
    title: str
    areas: tuple[AreaSpec, ...]
    source: str = ""
    scoring_rule: str = "weighted_mean"
    evidence_levels: tuple[int, ...] = (1, 2)
    evidence_severity: str = "error"
    document: DocumentTexts = field(default_factory=DocumentTexts)

    @property
    def indicators(self) -> tuple[IndicatorSpec, ...]:
        return tuple(i for a in self.areas for i in a.indicators)

    def indicator(self, number: int) -> IndicatorSpec:
        for ind in self.indicators:
            if ind.number == number:
                return ind
        raise KeyError(number)

    def area_of(self, number: int) -> AreaSpec:
        for area in self.areas:
            if any(i.number == number for i in area.indicators):
                return area
        raise KeyError(number)


@dataclass(frozen=True)
class SpecError:
    source: str  # file name
    indicator: int | None
    field: str
    message: str  # Chinese first, English after " / "

    def __str__(self) -> str:
        where = self.source
        if self.indicator is not None:
            where += f"，指标 {self.indicator}"
        return f"{where}，字段 {self.field}：{self.message}"


class FrameworkInvalid(Exception):
    """Raised with every error found; nothing is loaded."""

    def __init__(self, errors: list[SpecError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def clean_decimal(value: Decimal | int | str) -> Decimal:
    """100.00 -> 100, 1.5000 -> 1.5: the same number, written the shortest way."""
    d = Decimal(str(value))
    return Decimal(int(d)) if d == d.to_integral_value() else d.normalize()


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        if not Decimal(str(value)).is_finite():
            return None
        return clean_decimal(value)
    except (InvalidOperation, ValueError):
        return None


class _Builder:
    """Turns a loosely typed mapping (from YAML or XLSX) into a validated spec."""

    def __init__(self, source: str):
        self.source = source
        self.errors: list[SpecError] = []

    def err(self, indicator: int | None, field_name: str, message: str) -> None:
        self.errors.append(SpecError(self.source, indicator, field_name, message))

    def text(self, value: Any, indicator: int | None, field_name: str) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.err(indicator, field_name, "不能为空 / must not be empty")
            return ""
        if not isinstance(value, str | int | float):
            self.err(indicator, field_name, "应为文本 / must be text")
            return ""
        return str(value).strip()

    def mapping(self, value: Any, indicator: int | None, field_name: str) -> dict[str, Any]:
        """A nested mapping; a wrongly indented file gives a string or list here instead."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.err(
                indicator,
                field_name,
                f"应为键值结构，实际为 {value!r} / must be a mapping of keys to values; got {value!r}",
            )
            return {}
        return value

    def lines(self, value: Any, default: tuple[str, ...], field_name: str) -> tuple[str, ...]:
        if value is None:
            return default
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            self.err(None, field_name, "应为文本行的列表 / must be a list of lines")
            return default
        return tuple(str(x) for x in value)

    def levels(
        self,
        raw: dict[str, Any],
        number: int,
        scales: dict[str, Any],
        default_points: tuple[Decimal, ...],
    ) -> tuple[LevelSpec, ...]:
        items: Any = raw.get("levels")
        if items is None and "scale" in raw:
            scale = raw["scale"]
            if scale not in scales:
                self.err(number, "scale", f"未定义的选项组 {scale!r} / unknown scale {scale!r}")
                return ()
            items = scales[scale]
        if not isinstance(items, list) or len(items) != LEVEL_COUNT:
            got = len(items) if isinstance(items, list) else 0
            self.err(
                number,
                "levels",
                f"应有 5 个选项（1 最好 … 5 最差），实际 {got} 个 / needs exactly 5 levels, ordered 1 best … 5 worst; got {got}",
            )
            return ()
        levels: list[LevelSpec] = []
        points_ok = True  # a bad value is reported once, not again as out of order
        for idx, item in enumerate(items, start=1):
            if isinstance(item, dict):
                label_raw = item.get("label")
                points_raw = item.get("points", default_points[idx - 1])
                declared = item.get("number", idx)
                if declared != idx:
                    self.err(
                        number,
                        f"levels[{idx}].number",
                        f"选项应按 1 到 5 排列，此处为 {declared} / levels must be numbered 1 to 5 in order; found {declared}",
                    )
            else:
                label_raw, points_raw = item, default_points[idx - 1]
            label = self.text(label_raw, number, f"levels[{idx}].label")
            points = _decimal(points_raw)
            if points is None or points < 0 or points > 100:
                self.err(
                    number,
                    f"levels[{idx}].points",
                    f"分值应为 0 到 100 的数，实际为 {points_raw!r} / points must be a number from 0 to 100; got {points_raw!r}",
                )
                points = Decimal(0)
                points_ok = False
            levels.append(LevelSpec(idx, label, points))
        pts = [lv.points for lv in levels]
        if points_ok and pts != sorted(pts, reverse=True):
            self.err(
                number,
                "levels.points",
                "分值应从 1 到 5 依次不增（1 最好） / points must not increase from level 1 (best) to 5 (worst)",
            )
        labels = [lv.label for lv in levels if lv.label]  # empty ones are reported already
        if len(set(labels)) != len(labels):
            self.err(number, "levels.label", "选项标签重复 / level labels must be distinct")
        return tuple(levels)

    def build(self, data: Any) -> FrameworkSpec:
        if not isinstance(data, dict):
            self.err(
                None, "(file)", "文件内容不是指标体系 / the file does not describe a framework"
            )
            raise FrameworkInvalid(self.errors)
        fid = self.text(data.get("id"), None, "id")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.err(
                None,
                "version",
                f"版本号应为正整数，实际为 {version!r} / version must be a positive integer; got {version!r}",
            )
            version = 0
        title = self.text(data.get("title"), None, "title")
        scoring = self.mapping(data.get("scoring"), None, "scoring")
        rule = scoring.get("rule", "weighted_mean")
        if rule not in SCORING_RULES:
            self.err(
                None, "scoring.rule", f"未知的计分规则 {rule!r} / unknown scoring rule {rule!r}"
            )
        raw_points = scoring.get("default_points", list(DEFAULT_POINTS))
        default_points = tuple(_decimal(p) or Decimal(0) for p in raw_points)
        if len(default_points) != LEVEL_COUNT:
            self.err(None, "scoring.default_points", "应有 5 个分值 / needs 5 values")
            default_points = tuple(Decimal(p) for p in DEFAULT_POINTS)
        ev = self.mapping(data.get("evidence_rule"), None, "evidence_rule")
        raw_ev_levels = ev.get("levels", [1, 2])
        ev_levels = tuple(raw_ev_levels) if isinstance(raw_ev_levels, list) else (raw_ev_levels,)
        if not all(isinstance(x, int) and 1 <= x <= LEVEL_COUNT for x in ev_levels):
            self.err(None, "evidence_rule.levels", "应为 1 到 5 的等级 / must be levels 1 to 5")
        severity = ev.get("severity", "error")
        if severity not in SEVERITIES:
            self.err(
                None, "evidence_rule.severity", "应为 error 或 warning / must be error or warning"
            )
        doc_raw = self.mapping(data.get("document"), None, "document")
        document = DocumentTexts(
            attachment_label=str(doc_raw.get("attachment_label", DocumentTexts.attachment_label)),
            title_lines=self.lines(
                doc_raw.get("title_lines"), DocumentTexts.title_lines, "document.title_lines"
            ),
            pledge_title_lines=self.lines(
                doc_raw.get("pledge_title_lines"),
                DocumentTexts.pledge_title_lines,
                "document.pledge_title_lines",
            ),
            pledge_text=str(doc_raw.get("pledge_text", "")),
            table_title=str(doc_raw.get("table_title", DocumentTexts.table_title)),
            evidence_note=str(doc_raw.get("evidence_note", "")),
        )
        scales = self.mapping(data.get("scales"), None, "scales")
        areas: list[AreaSpec] = []
        seen: set[int] = set()
        raw_areas = data.get("areas")
        if not isinstance(raw_areas, list) or not raw_areas:
            self.err(None, "areas", "至少需要一个一级指标 / needs at least one area")
            raw_areas = []
        for a_idx, raw_area in enumerate(raw_areas, start=1):
            raw_area = self.mapping(raw_area, None, f"areas[{a_idx}]")
            area_name = self.text(raw_area.get("name"), None, f"areas[{a_idx}].name")
            topics: list[TopicSpec] = []
            raw_topics = raw_area.get("topics") or []
            if not raw_topics:
                self.err(
                    None,
                    f"areas[{a_idx}].topics",
                    f"一级指标 {area_name} 没有二级指标 / area {area_name} has no topics",
                )
            for t_idx, raw_topic in enumerate(raw_topics, start=1):
                raw_topic = self.mapping(raw_topic, None, f"areas[{a_idx}].topics[{t_idx}]")
                topic_name = self.text(
                    raw_topic.get("name"), None, f"areas[{a_idx}].topics[{t_idx}].name"
                )
                indicators: list[IndicatorSpec] = []
                raw_inds = raw_topic.get("indicators") or []
                if not raw_inds:
                    self.err(
                        None,
                        f"areas[{a_idx}].topics[{t_idx}].indicators",
                        f"二级指标 {topic_name} 没有三级指标 / topic {topic_name} has no indicators",
                    )
                for i_idx, raw in enumerate(raw_inds, start=1):
                    raw = self.mapping(
                        raw, None, f"areas[{a_idx}].topics[{t_idx}].indicators[{i_idx}]"
                    )
                    number = raw.get("number")
                    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                        self.err(
                            None,
                            "number",
                            f"序号应为正整数，实际为 {number!r} / number must be a positive integer; got {number!r}",
                        )
                        continue
                    if number in seen:
                        self.err(
                            number, "number", f"序号 {number} 重复 / number {number} is used twice"
                        )
                    seen.add(number)
                    weight = _decimal(raw.get("weight", 1))
                    if weight is None or weight <= 0:
                        self.err(
                            number,
                            "weight",
                            f"权重应为正数，实际为 {raw.get('weight')!r} / weight must be a positive number; got {raw.get('weight')!r}",
                        )
                        weight = Decimal(1)
                    indicators.append(
                        IndicatorSpec(
                            number=number,
                            name=self.text(raw.get("name"), number, "name"),
                            description=self.text(raw.get("description"), number, "description"),
                            levels=self.levels(raw, number, scales, default_points),
                            weight=weight,
                            levels_supplied=bool(raw.get("levels_supplied", False)),
                        )
                    )
                topics.append(TopicSpec(topic_name, tuple(indicators)))
            areas.append(AreaSpec(area_name, tuple(topics)))
        numbers = sorted(seen)
        if numbers and numbers != list(range(1, len(numbers) + 1)):
            # Name the first indicator out of sequence, so the error points at a row.
            first = next(n for pos, n in enumerate(numbers, start=1) if n != pos)
            missing = sorted(set(range(1, numbers[-1] + 1)) - seen)
            self.err(
                first,
                "number",
                f"序号应从 1 连续编号，缺少 {missing} / numbers must run 1, 2, 3 … without gaps; missing {missing}",
            )
        if self.errors:
            raise FrameworkInvalid(self.errors)
        return FrameworkSpec(
            id=fid,
            version=int(version),
            title=title,
            areas=tuple(areas),
            source=str(data.get("source", "")),
            scoring_rule=str(rule),
            evidence_levels=tuple(int(x) for x in ev_levels),
            evidence_severity=str(severity),
            document=document,
        )


def spec_from_mapping(data: Any, source: str = "(data)") -> FrameworkSpec:
    """Validates a mapping shaped like the YAML file; raises FrameworkInvalid with every error."""
    return _Builder(source).build(data)


def load_yaml(path: str | Path) -> FrameworkSpec:
    """Reads and validates a framework YAML file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FrameworkInvalid(
            [SpecError(path.name, None, "(file)", "文件不存在 / file not found")]
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f"第 {line + 1} 行" if line is not None else "文件"
        raise FrameworkInvalid(
            [
                SpecError(
                    path.name, None, "(file)", f"{where}不是有效的 YAML / not valid YAML: {exc}"
                )
            ]
        ) from None
    return spec_from_mapping(data, path.name)


def spec_to_mapping(spec: FrameworkSpec) -> dict[str, Any]:
    """The inverse of spec_from_mapping, with every level spelled out."""
    return {
        "id": spec.id,
        "version": spec.version,
        "title": spec.title,
        "source": spec.source,
        "scoring": {"rule": spec.scoring_rule},
        "evidence_rule": {"levels": list(spec.evidence_levels), "severity": spec.evidence_severity},
        "document": {
            "attachment_label": spec.document.attachment_label,
            "title_lines": list(spec.document.title_lines),
            "pledge_title_lines": list(spec.document.pledge_title_lines),
            "pledge_text": spec.document.pledge_text,
            "table_title": spec.document.table_title,
            "evidence_note": spec.document.evidence_note,
        },
        "areas": [
            {
                "name": a.name,
                "topics": [
                    {
                        "name": t.name,
                        "indicators": [
                            {
                                "number": i.number,
                                "name": i.name,
                                "description": i.description,
                                "weight": str(i.weight),
                                "levels_supplied": i.levels_supplied,
                                "levels": [
                                    {"label": lv.label, "points": str(lv.points)} for lv in i.levels
                                ],
                            }
                            for i in t.indicators
                        ],
                    }
                    for t in a.topics
                ],
            }
            for a in spec.areas
        ],
    }


def seed_spec() -> FrameworkSpec:
    """The seed form's framework (platform-csr, version 1)."""
    return load_yaml(SEED_FILE)
