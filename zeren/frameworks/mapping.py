"""Indicator mapping between framework versions (same, renamed, split, merged, new, dropped).

A mapping file says, row by row, what each indicator of the old version became. It is refused,
with the row and the reason, when it points at an indicator that does not exist, when it loses an
indicator of either version without saying so (every old indicator is mapped or dropped, every
new one is mapped or new), or when a row's kind does not fit its numbers. Comparisons across
years, an enterprise's trajectory, 整改 items shown next year and “start from last year” all go
through it.

File (YAML):  from: platform-csr:1 / to: platform-csr:2 / rows: [{kind, from, to, note}]
File (XLSX):  A1 原指标体系, B1 platform-csr:1; A2 新指标体系, B2 platform-csr:2;
              row 3 headers 类型 原序号 新序号 说明; one row per entry below.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from zeren.frameworks.models import Framework, Indicator

KINDS = ("same", "renamed", "split", "merged", "new", "dropped")
KIND_NAMES = {
    "不变": "same",
    "更名": "renamed",
    "拆分": "split",
    "合并": "merged",
    "新增": "new",
    "删除": "dropped",
}


@dataclass(frozen=True)
class Row:
    line: int  # row in the file (1-based), for error messages
    kind: str
    source: int | None
    target: int | None
    note: str = ""


@dataclass
class MappingFile:
    source: str  # "key:version"
    target: str
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class MappingError:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行 / row {self.line}：{self.message}" if self.line else self.message


class MappingInvalid(Exception):
    def __init__(self, errors: list[MappingError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(str(value)) from None


def _row(
    line: int, kind: Any, source: Any, target: Any, note: Any, errors: list[MappingError]
) -> Row | None:
    k = str(kind or "").strip()
    k = KIND_NAMES.get(k, k.lower())
    if k not in KINDS:
        errors.append(
            MappingError(
                line, f"类型“{kind}”无效，应为 {'、'.join(KIND_NAMES)} / unknown kind {kind!r}"
            )
        )
        return None
    try:
        s, t = _int(source), _int(target)
    except ValueError as exc:
        errors.append(MappingError(line, f"序号“{exc}”不是整数 / {str(exc)!r} is not a number"))
        return None
    return Row(line, k, s, t, str(note or "").strip())


def read_mapping_file(path: str | Path) -> MappingFile:
    """Reads YAML or XLSX; raises MappingInvalid on a malformed file."""
    p = Path(path)
    errors: list[MappingError] = []
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise MappingInvalid(
                [MappingError(None, f"无法读取 YAML / unreadable YAML: {exc}")]
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            raise MappingInvalid(
                [MappingError(None, "缺少 from、to 或 rows / from, to and rows are required")]
            )
        mf = MappingFile(str(data.get("from", "")), str(data.get("to", "")))
        for i, r in enumerate(data["rows"], start=1):
            if not isinstance(r, dict):
                errors.append(MappingError(i, "应为 {kind, from, to} / expected a mapping"))
                continue
            row = _row(i, r.get("kind"), r.get("from"), r.get("to"), r.get("note"), errors)
            if row:
                mf.rows.append(row)
    elif p.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's to fix
            raise MappingInvalid(
                [MappingError(None, f"无法读取 Excel / unreadable workbook: {exc}")]
            ) from None
        ws = wb.worksheets[0]
        cells = list(ws.iter_rows(values_only=True))
        if len(cells) < 3:
            raise MappingInvalid([MappingError(None, "工作表行数不足 / the sheet is too short")])
        mf = MappingFile(str(cells[0][1] or ""), str(cells[1][1] or ""))
        for i, r in enumerate(cells[3:], start=4):
            r = tuple(r) + (None,) * 4
            if all(v in (None, "") for v in r[:4]):
                continue
            row = _row(i, r[0], r[1], r[2], r[3], errors)
            if row:
                mf.rows.append(row)
        wb.close()
    else:
        raise MappingInvalid(
            [MappingError(None, "只支持 .yaml 或 .xlsx / only .yaml and .xlsx are read")]
        )
    if errors:
        raise MappingInvalid(errors)
    return mf


def _framework(ref: str) -> Framework | None:
    key, _, version = ref.partition(":")
    if not version.isdigit():
        return None
    return Framework.objects.filter(key=key, version=int(version)).first()


def validate(rows: list[Row], old: set[int], new: set[int]) -> list[MappingError]:
    """Every error of a mapping between indicator sets `old` and `new` (pure)."""
    errors: list[MappingError] = []
    by_source: dict[int, list[Row]] = defaultdict(list)
    by_target: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        needs_source = r.kind != "new"
        needs_target = r.kind != "dropped"
        if needs_source and r.source is None:
            errors.append(
                MappingError(r.line, f"{r.kind} 需要原序号 / {r.kind} needs the old number")
            )
        if needs_target and r.target is None:
            errors.append(
                MappingError(r.line, f"{r.kind} 需要新序号 / {r.kind} needs the new number")
            )
        if not needs_source and r.source is not None:
            errors.append(
                MappingError(r.line, "新增指标不应有原序号 / a new indicator has no old number")
            )
        if not needs_target and r.target is not None:
            errors.append(
                MappingError(
                    r.line, "删除的指标不应有新序号 / a dropped indicator has no new number"
                )
            )
        if r.source is not None:
            if r.source not in old:
                errors.append(
                    MappingError(
                        r.line,
                        f"原版本没有指标 {r.source} / no indicator {r.source} in the old version",
                    )
                )
            by_source[r.source].append(r)
        if r.target is not None:
            if r.target not in new:
                errors.append(
                    MappingError(
                        r.line,
                        f"新版本没有指标 {r.target} / no indicator {r.target} in the new version",
                    )
                )
            by_target[r.target].append(r)
    for number, rs in by_source.items():
        kinds = Counter(r.kind for r in rs)
        if len(rs) > 1 and set(kinds) != {"split"}:
            errors.append(
                MappingError(
                    rs[1].line,
                    f"原指标 {number} 出现多次，只有拆分（split）可以一对多 / old indicator {number} appears more than once; only split maps one to many",
                )
            )
        if kinds.get("split") == 1 and len(rs) == 1:
            errors.append(
                MappingError(
                    rs[0].line,
                    f"原指标 {number} 标为拆分，但只对应一个新指标 / split into a single indicator",
                )
            )
    for number, rs in by_target.items():
        kinds = Counter(r.kind for r in rs)
        if len(rs) > 1 and set(kinds) != {"merged"}:
            errors.append(
                MappingError(
                    rs[1].line,
                    f"新指标 {number} 出现多次，只有合并（merged）可以多对一 / new indicator {number} appears more than once; only merged maps many to one",
                )
            )
        if kinds.get("merged") == 1 and len(rs) == 1:
            errors.append(
                MappingError(
                    rs[0].line,
                    f"新指标 {number} 标为合并，但只有一个来源 / merged from a single indicator",
                )
            )
    for number in sorted(old - set(by_source)):
        errors.append(
            MappingError(
                None,
                f"原指标 {number} 未出现在映射中（如已删除请标为 dropped）/ old indicator {number} is not mapped (mark it dropped if it was)",
            )
        )
    for number in sorted(new - set(by_target)):
        errors.append(
            MappingError(
                None,
                f"新指标 {number} 未出现在映射中（如是新增请标为 new）/ new indicator {number} is not mapped (mark it new if it is)",
            )
        )
    return errors


def _numbers(fw: Framework) -> set[int]:
    return set(Indicator.objects.filter(framework=fw).values_list("number", flat=True))


def load_mapping(mf: MappingFile) -> tuple[Any, int]:
    """Validates and stores a mapping (replacing an earlier one of the same pair)."""
    from zeren.frameworks.models import FrameworkMapping, MappingEntry

    errors: list[MappingError] = []
    old, new = _framework(mf.source), _framework(mf.target)
    if old is None:
        errors.append(
            MappingError(
                None,
                f"找不到原指标体系 {mf.source!r}（格式 key:版本）/ unknown framework {mf.source!r}",
            )
        )
    if new is None:
        errors.append(
            MappingError(
                None,
                f"找不到新指标体系 {mf.target!r}（格式 key:版本）/ unknown framework {mf.target!r}",
            )
        )
    if errors:
        raise MappingInvalid(errors)
    assert old is not None and new is not None
    errors = validate(mf.rows, _numbers(old), _numbers(new))
    if errors:
        raise MappingInvalid(errors)
    with transaction.atomic():
        mapping, _ = FrameworkMapping.objects.get_or_create(source=old, target=new)
        mapping.entries.all().delete()
        MappingEntry.objects.bulk_create(
            MappingEntry(
                mapping=mapping,
                kind=r.kind,
                source_number=r.source,
                target_number=r.target,
                note=r.note,
            )
            for r in mf.rows
        )
        mapping.save()
    return mapping, len(mf.rows)


def mapping_table(old: Framework, new: Framework) -> dict[int, list[tuple[str, int]]] | None:
    """old number -> [(kind, new number)], or None when no mapping joins the two versions."""
    from zeren.frameworks.models import MappingEntry

    entries = list(
        MappingEntry.objects.filter(mapping__source=old, mapping__target=new).values_list(
            "kind", "source_number", "target_number"
        )
    )
    if not entries:
        return None
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for kind, s, t in entries:
        if s is not None and t is not None:
            out[s].append((kind, t))
    return out


def map_numbers(old: Framework, new: Framework, number: int) -> list[int]:
    """The indicators of `new` that indicator `number` of `old` became. Within one version an
    indicator keeps its number; across versions only a loaded mapping says (nothing without)."""
    if old.pk == new.pk:
        return [number]
    table = mapping_table(old, new)
    if table is None:
        return []
    return [t for _k, t in table.get(number, [])]


def export_mapping_xlsx(old: Framework, new: Framework, path: str | Path) -> int:
    """Writes the stored mapping in the file layout it is loaded from; returns the rows."""
    from openpyxl import Workbook

    from zeren.frameworks.models import MappingEntry

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标映射"
    ws.append(["原指标体系", f"{old.key}:{old.version}"])
    ws.append(["新指标体系", f"{new.key}:{new.version}"])
    ws.append(["类型", "原序号", "新序号", "说明"])
    names = {v: k for k, v in KIND_NAMES.items()}
    n = 0
    for kind, s, t, note in MappingEntry.objects.filter(
        mapping__source=old, mapping__target=new
    ).values_list("kind", "source_number", "target_number", "note"):
        ws.append([names[kind], s, t, note])
        n += 1
    ws.freeze_panes = "A4"
    wb.save(path)
    return n


def carry_answers(answers: list[Any], old: Framework | None, new: Framework) -> list[Any] | None:
    """Last year's FormData answers as answers to `new`'s indicators, through the mapping:
    same/renamed carried over; a split indicator's answer goes to each part; merged ones are
    joined (the worse level, texts and evidence one after another); dropped ones are left out
    and new ones start empty. None when no mapping joins the versions."""
    if old is None:
        return None
    table = mapping_table(old, new) if old.pk != new.pk else None
    if old.pk == new.pk:
        return list(answers)
    if table is None:
        return None
    out: dict[int, Any] = {}
    for a in sorted(answers, key=lambda x: x.indicator):
        for _kind, target in table.get(a.indicator, []):
            if target not in out:
                out[target] = a.model_copy(update={"indicator": target}, deep=True)
                continue
            have = out[target]
            levels = [lv for lv in (have.level, a.level) if lv is not None]
            evidence = list(have.evidence)
            for ev in a.evidence:
                evidence.append(ev.model_copy(update={"seq": len(evidence) + 1}, deep=True))
            out[target] = have.model_copy(
                update={
                    "level": max(levels) if levels else None,
                    "work_summary": "\n\n".join(
                        t for t in (have.work_summary, a.work_summary) if t
                    ),
                    "remarks": "\n".join(t for t in (have.remarks, a.remarks) if t),
                    "evidence": evidence,
                }
            )
    return [out[k] for k in sorted(out)]
