"""The XLSX round trip: export, edit in Excel, load back as a new version."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from zeren.frameworks.loader import load_framework_file, spec_for, spec_from_db
from zeren.frameworks.models import Framework, Indicator, Level
from zeren.frameworks.spec import FrameworkInvalid, FrameworkSpec, load_yaml, seed_spec
from zeren.frameworks.xlsx import read_xlsx, write_xlsx

GROUP_STANDARD = Path(__file__).parent / "data" / "group-standard-2021.yaml"


def saved(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def exported(framework: Framework) -> Workbook:
    return load_workbook(BytesIO(write_xlsx(spec_from_db(framework))))


def row_of(ws, number: int, level: int | None = None) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == number and (level is None or row[1].value == level):
            return row[0].row
    raise KeyError((number, level))


def errors_of(path: Path) -> list[str]:
    with pytest.raises(FrameworkInvalid) as caught:
        read_xlsx(path)
    return [str(e) for e in caught.value.errors]


def test_it_reads_back_what_it_writes() -> None:
    for spec in (seed_spec(), load_yaml(GROUP_STANDARD)):
        assert read_xlsx(write_xlsx(spec), "roundtrip.xlsx") == spec


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["seed", "group-standard"])
def test_it_round_trips_yaml_db_xlsx_db(tmp_path: Path, source: str) -> None:
    if source == "seed":
        framework = Framework.objects.get(key="platform-csr", version=1)
    else:
        framework, _ = load_framework_file(GROUP_STANDARD)
    original: FrameworkSpec = spec_from_db(framework)
    path = tmp_path / f"{framework.key}.xlsx"
    path.write_bytes(write_xlsx(original))

    again, created = load_framework_file(path, new_version=True)

    assert created and again.version == framework.version + 1
    assert spec_from_db(again) == replace(original, version=again.version)
    assert spec_from_db(framework) == original


@pytest.mark.django_db
def test_it_loads_an_edited_workbook_as_a_new_version(tmp_path: Path) -> None:
    wb = exported(Framework.objects.get(key="platform-csr", version=1))
    levels, indicators = wb["选项"], wb["指标"]
    levels.cell(row=row_of(levels, 21, 3), column=3).value = "一般"
    indicators.cell(row=row_of(indicators, 7), column=6).value = 2.5

    framework, created = load_framework_file(saved(wb, tmp_path / "edited.xlsx"), new_version=True)

    assert created and framework.version == 2
    edited = spec_for("platform-csr", 2)
    assert edited.indicator(21).label(3) == "一般"
    assert edited.indicator(7).weight == Decimal("2.5")
    untouched = seed_spec()
    assert spec_for("platform-csr", 1) == untouched
    assert edited.indicator(8) == untouched.indicator(8)


def test_it_formats_the_workbook_for_people() -> None:
    wb = load_workbook(BytesIO(write_xlsx(seed_spec())))
    assert wb.sheetnames == ["说明", "指标", "选项"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1] if cell.value)
    indicators = wb["指标"]
    assert [c.value for c in indicators[1]] == [
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标说明",
        "权重",
        "选项为补充",
    ]
    assert indicators["E2"].alignment.wrap_text
    assert indicators.column_dimensions["E"].width >= 60
    assert indicators["G15"].value == "是"  # indicator 14's levels are supplied
    meta = {row[0].value: row[1].value for row in wb["说明"].iter_rows(min_row=2)}
    assert meta["标识"] == "platform-csr" and meta["版本"] == 1
    assert meta["需佐证等级"] == "1,2" and meta["缺少佐证时"] == "error"
    assert meta["标题"] == "互联网平台企业履行社会责任\n自评材料"


def test_it_reports_a_missing_sheet(tmp_path: Path) -> None:
    wb = load_workbook(BytesIO(write_xlsx(seed_spec())))
    del wb["选项"]
    errors = errors_of(saved(wb, tmp_path / "no-levels.xlsx"))
    assert len(errors) == 1
    assert "no-levels.xlsx" in errors[0] and "缺少工作表「选项」" in errors[0]


def test_it_reports_a_missing_header(tmp_path: Path) -> None:
    wb = load_workbook(BytesIO(write_xlsx(seed_spec())))
    wb["指标"]["F1"] = None
    errors = errors_of(saved(wb, tmp_path / "no-weight.xlsx"))
    assert errors == [
        "no-weight.xlsx，字段 权重：工作表「指标」第 1 行：缺少表头「权重」 / "
        "sheet 指标 row 1: missing header 权重"
    ]


@pytest.mark.django_db
def test_it_reports_every_broken_cell_with_its_row_and_loads_nothing(tmp_path: Path) -> None:
    wb = load_workbook(BytesIO(write_xlsx(replace(seed_spec(), id="broken"))))
    levels, indicators = wb["选项"], wb["指标"]
    bad_level = row_of(levels, 2, 4)
    levels.cell(row=bad_level, column=2).value = 7
    empty_label = row_of(levels, 9, 3)
    levels.cell(row=empty_label, column=3).value = None
    bad_weight = row_of(indicators, 5)
    indicators.cell(row=bad_weight, column=6).value = "abc"
    path = saved(wb, tmp_path / "broken.xlsx")
    before = (Framework.objects.count(), Indicator.objects.count(), Level.objects.count())

    with pytest.raises(FrameworkInvalid) as caught:
        load_framework_file(path)

    errors = {(e.indicator, e.field.split()[0]): str(e) for e in caught.value.errors}
    assert set(errors) == {(2, "等级"), (9, "选项标签"), (5, "权重")}
    assert f"工作表「选项」第 {bad_level} 行" in errors[(2, "等级")]
    assert f"工作表「选项」第 {empty_label} 行" in errors[(9, "选项标签")]
    assert f"工作表「指标」第 {bad_weight} 行" in errors[(5, "权重")]
    assert "'abc'" in errors[(5, "权重")]
    assert all(text.startswith("broken.xlsx，") for text in errors.values())
    assert (Framework.objects.count(), Indicator.objects.count(), Level.objects.count()) == before


def test_it_reports_a_duplicate_number_and_an_unknown_one(tmp_path: Path) -> None:
    wb = load_workbook(BytesIO(write_xlsx(seed_spec())))
    wb["指标"]["A10"] = 3  # indicator 9's row now repeats 3
    errors = errors_of(saved(wb, tmp_path / "dup.xlsx"))
    assert any("第 10 行" in e and "序号 3 重复" in e for e in errors)
    # Indicator 9's levels now belong to no indicator: one error naming all five rows.
    assert any("序号 9" in e and "第 42、43、44、45、46 行" in e for e in errors)


def test_it_reports_settings_errors_on_their_row(tmp_path: Path) -> None:
    wb = load_workbook(BytesIO(write_xlsx(seed_spec())))
    meta = wb["说明"]
    meta["B3"] = "第二版"  # 版本
    meta["B7"] = "1,六"  # 需佐证等级
    meta["B8"] = "maybe"  # 缺少佐证时
    errors = errors_of(saved(wb, tmp_path / "meta.xlsx"))
    assert any("第 3 行" in e and "版本" in e for e in errors)
    assert any("第 7 行" in e and "需佐证等级" in e for e in errors)
    assert any("第 8 行" in e and "缺少佐证时" in e for e in errors)


def test_it_continues_blank_area_and_topic_cells_like_merged_cells(tmp_path: Path) -> None:
    spec = seed_spec()
    wb = load_workbook(BytesIO(write_xlsx(spec)))
    indicators = wb["指标"]
    # Bottom up, so each row is compared with the row above before that one is blanked.
    for row in range(indicators.max_row, 2, -1):
        area, topic = indicators.cell(row=row, column=2), indicators.cell(row=row, column=3)
        above_area = indicators.cell(row=row - 1, column=2).value
        above_topic = indicators.cell(row=row - 1, column=3).value
        if area.value == above_area:
            area.value = None
            if topic.value == above_topic:
                topic.value = None
    assert indicators["B3"].value is None and indicators["C3"].value is None  # 履责文件发布
    assert indicators["B4"].value is None and indicators["C4"].value == "规则治理"
    assert read_xlsx(saved(wb, tmp_path / "merged.xlsx")) == spec


def test_it_refuses_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("id: platform-csr", encoding="utf-8")
    errors = errors_of(path)
    assert len(errors) == 1 and "不是有效的 Excel" in errors[0]
