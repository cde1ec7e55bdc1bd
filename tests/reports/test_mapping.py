"""Indicator mapping between framework versions: validation names the row and the reason; a
mapping that loses an indicator or points at an unknown one is refused; comparisons, 整改 items
and “start from last year” go through it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tests.assessments.helpers import fill_completely
from zeren.assessments import services, submissions
from zeren.assessments.formdata import Answer, Evidence
from zeren.assessments.services import ServiceError
from zeren.campaigns.models import Campaign
from zeren.frameworks.mapping import (
    MappingInvalid,
    Row,
    carry_answers,
    map_numbers,
    read_mapping_file,
    validate,
)
from zeren.frameworks.models import Framework, MappingEntry
from zeren.reports.cohort import DATA, second_version
from zeren.reports.trajectory import carry_values

pytestmark = pytest.mark.django_db

OLD = {1, 2, 3, 4}
NEW = {1, 2, 3, 4, 5}
GOOD = [
    Row(1, "same", 1, 1),
    Row(2, "split", 2, 2),
    Row(3, "split", 2, 3),
    Row(4, "merged", 3, 4),
    Row(5, "merged", 4, 4),
    Row(6, "new", None, 5),
]


def _messages(rows: list[Row], old: set[int] = OLD, new: set[int] = NEW) -> list[str]:
    return [str(e) for e in validate(rows, old, new)]


def test_a_complete_mapping_is_valid() -> None:
    assert _messages(GOOD) == []
    assert _messages([*GOOD[:-1], Row(6, "dropped", None, None)]) != []


def test_losing_an_indicator_silently_is_refused() -> None:
    msgs = _messages([r for r in GOOD if r.line != 1])
    assert any("原指标 1 未出现在映射中" in m for m in msgs)
    assert any("新指标 1 未出现在映射中" in m for m in msgs)
    msgs = _messages([r for r in GOOD if r.line != 6])
    assert msgs == [
        "新指标 5 未出现在映射中（如是新增请标为 new）/ new indicator 5 is not mapped (mark it new if it is)"
    ]


def test_an_unknown_indicator_is_refused_with_its_row() -> None:
    msgs = _messages([*GOOD, Row(7, "dropped", 9, None)])
    assert msgs == ["第 7 行 / row 7：原版本没有指标 9 / no indicator 9 in the old version"]
    msgs = _messages([*GOOD[:-1], Row(6, "new", None, 8)])
    assert "第 6 行 / row 6：新版本没有指标 8 / no indicator 8 in the new version" in msgs


def test_kinds_must_fit_their_numbers() -> None:
    assert any(
        "第 2 行" in m and "只有拆分" in m
        for m in _messages([Row(1, "same", 1, 1), Row(2, "same", 1, 2)], {1}, {1, 2})
    )
    assert any(
        "只有合并" in m
        for m in _messages([Row(1, "same", 1, 1), Row(2, "same", 2, 1)], {1, 2}, {1})
    )
    assert any("只对应一个新指标" in m for m in _messages([Row(1, "split", 1, 1)], {1}, {1}))
    assert any("需要新序号" in m for m in _messages([Row(1, "renamed", 1, None)], {1}, set()))
    assert any("不应有原序号" in m for m in _messages([Row(1, "new", 1, 1)], {1}, {1}))


def _yaml(tmp_path: Path, rows: list[dict], **head: str) -> Path:  # type: ignore[type-arg]
    p = tmp_path / "m.yaml"
    p.write_text(
        yaml.safe_dump(
            {
                "from": head.get("src", "platform-csr:1"),
                "to": head.get("dst", "platform-csr:2"),
                "rows": rows,
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return p


def test_the_command_loads_the_demo_mapping_and_refuses_a_bad_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    second_version()
    MappingEntry.objects.all().delete()
    out = StringIO()
    call_command("load_mapping", str(DATA / "platform-csr-v1-v2.yaml"), stdout=out)
    assert "30 行" in out.getvalue() and MappingEntry.objects.count() == 30
    data = yaml.safe_load((DATA / "platform-csr-v1-v2.yaml").read_text(encoding="utf-8"))
    rows = [r for r in data["rows"] if r.get("from") != 11]  # drop “dropped 11” silently
    rows.append({"kind": "同名", "from": 1, "to": 1})
    with pytest.raises(CommandError) as exc:
        call_command("load_mapping", str(_yaml(tmp_path, rows)))
    text = str(exc.value)
    assert "第 30 行 / row 30：类型“同名”无效" in text
    assert MappingEntry.objects.count() == 30  # nothing changed
    rows = [r for r in data["rows"] if r.get("from") != 11]
    with pytest.raises(CommandError) as exc:
        call_command("load_mapping", str(_yaml(tmp_path, rows)))
    assert "原指标 11 未出现在映射中" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("load_mapping", str(_yaml(tmp_path, data["rows"], dst="platform-csr:9")))
    assert "找不到新指标体系" in str(exc.value)


def test_xlsx_round_trip_and_row_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    second_version()
    out = tmp_path / "m.xlsx"
    call_command(
        "export_mapping", "platform-csr:1", "platform-csr:2", "--xlsx", str(out), stdout=StringIO()
    )
    mf = read_mapping_file(out)
    assert (mf.source, mf.target, len(mf.rows)) == ("platform-csr:1", "platform-csr:2", 30)
    wb = Workbook()
    ws = wb.active
    ws.append(["原指标体系", "platform-csr:1"])
    ws.append(["新指标体系", "platform-csr:2"])
    ws.append(["类型", "原序号", "新序号", "说明"])
    ws.append(["不变", 1, 1])
    ws.append(["更名", 2, "二"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(MappingInvalid) as exc:
        read_mapping_file(bad)
    assert [str(e) for e in exc.value.errors] == [
        "第 5 行 / row 5：序号“二”不是整数 / '二' is not a number"
    ]


def test_numbers_and_values_go_through_the_mapping() -> None:
    v2 = second_version()
    v1 = Framework.objects.get(key="platform-csr", version=1)
    assert map_numbers(v1, v2, 3) == [3, 4]  # split
    assert map_numbers(v1, v2, 4) == [5]  # renumbered
    assert map_numbers(v1, v2, 11) == []  # dropped
    assert map_numbers(v1, v2, 27) == [28] and map_numbers(v1, v2, 28) == [28]  # merged
    assert map_numbers(v1, v1, 4) == [4]
    values = carry_values({3: 50.0, 4: 75.0, 27: 100.0, 28: 50.0}, v1, v2)
    assert values[3] == values[4] == 50.0 and values[5] == 75.0 and values[28] == 75.0
    assert 16 not in values  # new in version 2


def test_answers_are_carried_through_the_mapping() -> None:
    v2 = second_version()
    v1 = Framework.objects.get(key="platform-csr", version=1)
    answers = [
        Answer(indicator=3, level=2, work_summary="规则"),
        Answer(indicator=27, level=1, work_summary="绿色", evidence=[Evidence(seq=1, title="甲")]),
        Answer(indicator=28, level=3, work_summary="环保", evidence=[Evidence(seq=1, title="乙")]),
        Answer(indicator=11, level=1, work_summary="已删除"),
    ]
    out = {a.indicator: a for a in carry_answers(answers, v1, v2) or []}
    assert set(out) == {3, 4, 28}
    assert out[4].work_summary == "规则" and out[4].level == 2
    assert out[28].level == 3 and out[28].work_summary == "绿色\n\n环保"
    assert [(e.seq, e.title) for e in out[28].evidence] == [(1, "甲"), (2, "乙")]
    other = Framework.objects.create(key="platform-csr", version=7, title="x")
    assert carry_answers(answers, v1, other) is None


def test_start_from_last_year_uses_the_mapping(campaign, assessment, alice, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=2)
    old = submissions.submit_self_assessment(assessment=assessment, by=alice)
    v2 = second_version()
    next_year = Campaign.objects.create(
        framework=v2,
        title="2027年度",
        year=2027,
        status="open",
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at,
    )
    new = services.create_self_assessment(
        campaign=next_year, enterprise=enterprise_a, business_scope="电商平台", by=alice
    )
    n = submissions.start_from_submission(assessment=new, source=old, by=alice)
    assert n == 27  # 28 old: 11 dropped, 27+28 merged, 3 split; 16 is new and stays empty
    assert new.answers.get(indicator__number=5).work_summary == "指标4的工作情况"
    assert new.answers.get(indicator__number=16).level is None
    MappingEntry.objects.all().delete()
    again = services.create_self_assessment(
        campaign=next_year, enterprise=enterprise_a, business_scope="另一业务", by=alice
    )
    with pytest.raises(ServiceError, match="尚未载入指标映射"):
        submissions.start_from_submission(assessment=again, source=old, by=alice)
