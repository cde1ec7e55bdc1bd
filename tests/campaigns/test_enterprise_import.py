"""Reading and checking the enterprise list: pure functions, no database."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.campaigns.conftest import HEADERS, code, row, xlsx
from zeren.campaigns.enterprise_import import (
    DEFAULT_SCOPE,
    EnterpriseRow,
    ImportFileError,
    check_rows,
    parse_workbook,
    template_xlsx,
)


def _check(rows, existing=None, taken=None):  # type: ignore[no-untyped-def]
    return check_rows(rows, existing=existing or {}, taken=taken or set())


def test_it_reads_rows_with_excel_row_numbers() -> None:
    rows = parse_workbook(xlsx([row(1), [], row(2, scope=None)]))
    assert [r.row for r in rows] == [2, 4]
    assert rows[0] == EnterpriseRow(
        name="第1网络科技有限公司",
        credit_code=code(1),
        contact_name="联系人1",
        email="contact1@example.com",
        phone="0755-80000001",
        business_scope="平台业务",
        row=2,
    )
    assert rows[1].business_scope == DEFAULT_SCOPE


def test_it_reads_columns_in_any_order_and_without_the_optional_one() -> None:
    headers = ["联系电话", "电子邮箱", "联系人", "统一社会信用代码*", "企业名称（必填）"]
    data = xlsx([["13800000000", "a@example.com", "王五", code(3).lower(), " 丙 公司 "]], headers)
    (r,) = parse_workbook(data)
    assert (r.name, r.credit_code, r.email, r.phone, r.business_scope) == (
        "丙 公司",
        code(3),
        "a@example.com",
        "13800000000",
        DEFAULT_SCOPE,
    )


def test_it_reads_numbers_as_excel_stores_them() -> None:
    (r,) = parse_workbook(xlsx([row(1, phone=13800000000)]))
    assert r.phone == "13800000000"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook", "无法读取该文件"),
        (
            xlsx([row(1)], headers=["名称", "代码"]),
            "缺少列：企业名称、统一社会信用代码、联系人、邮箱、电话",
        ),
        (xlsx([]), "没有企业数据"),
        (b"PK\x03\x04" + b"\x00" * 100, "文件已损坏"),
    ],
)
def test_it_refuses_files_it_cannot_use(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as exc:
        parse_workbook(data)
    assert message in exc.value.message


def test_it_refuses_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zeren.campaigns.enterprise_import.MAX_ROWS", 2)
    with pytest.raises(ImportFileError, match="一次最多导入 2 家企业"):
        parse_workbook(xlsx([row(1), row(2), row(3)]))


def test_it_flags_every_problem_per_row() -> None:
    bad_code = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    rows = parse_workbook(
        xlsx(
            [
                row(1),
                row(2, code=bad_code),
                row(3, email="not-an-email"),
                row(1),  # the same enterprise and business scope as row 2 of the sheet
                row(4, name="", contact="", phone=""),
                row(5, email=""),
                row(1, name="另一个名字", scope="搜索"),
            ]
        )
    )
    preview = _check(rows)
    errors = {r.data.row: r.errors for r in preview.rows}
    assert errors[2] == []
    assert errors[3] == ["统一社会信用代码校验位错误：末位应为 " + code(2)[-1]]
    assert errors[4] == ["邮箱格式不正确：not-an-email"]
    assert errors[5] == ["与第 2 行重复（统一社会信用代码和自评业务版块相同）"]
    assert errors[6] == ["缺少企业名称", "缺少联系人", "缺少电话"]
    assert errors[7] == ["缺少邮箱"]
    assert errors[8] == ["与第 2 行的统一社会信用代码相同，但企业名称不同"]
    assert preview.error_rows == 6 and not preview.can_import


def test_it_allows_two_business_scopes_of_one_enterprise() -> None:
    preview = _check(parse_workbook(xlsx([row(1), row(1, scope="短视频")])))
    assert preview.can_import


def test_it_notes_existing_enterprises_and_refuses_what_the_campaign_has() -> None:
    rows = parse_workbook(xlsx([row(1), row(2)]))
    preview = _check(
        rows,
        existing={code(1): "第1网络科技有限公司", code(2): "乙"},
        taken={(code(2), "平台业务")},
    )
    first, second = preview.rows
    assert first.errors == [] and first.notes == [
        "系统中已有该企业（第1网络科技有限公司），将沿用，不重复创建"
    ]
    assert second.errors == ["该企业在本次评估工作中已有“平台业务”的自评材料"]
    assert preview.reused == 2


def test_it_survives_a_session_round_trip() -> None:
    (r,) = parse_workbook(xlsx([row(1)]))
    assert EnterpriseRow.from_json(r.to_json()) == r


def test_it_writes_a_template_that_reads_back() -> None:
    filename, mimetype, data = template_xlsx()
    assert filename.endswith(".xlsx") and mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["B2"].number_format == "@"
    # The example row is there to be replaced: as it stands it does not pass.
    (example,) = parse_workbook(data)
    assert _check([example]).error_rows == 1


def test_it_asks_for_xlsx_instead_of_an_old_xls() -> None:
    with pytest.raises(ImportFileError, match="另存为 .xlsx"):
        parse_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
