"""The enterprise list an organizer brings into a campaign: read an XLSX, check every row, and
write the template to fill in. Checking is pure; `existing_for` is the one database read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zeren.accounts.credit_code import credit_code_error
from zeren.lib.safezip import OLE2_MAGIC, FileRefused, open_zip

if TYPE_CHECKING:
    from zeren.campaigns.models import Campaign

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_SCOPE = "平台业务"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000  # one transaction: ~6 s on SQLite, during which other writers wait

# Column heading → field. The last column may be left out: every row then gets DEFAULT_SCOPE.
COLUMNS = (
    ("企业名称", "name"),
    ("统一社会信用代码", "credit_code"),
    ("联系人", "contact_name"),
    ("邮箱", "email"),
    ("电话", "phone"),
    ("自评业务版块或产品", "business_scope"),
)
REQUIRED = ("name", "credit_code", "contact_name", "email", "phone")
# Other spellings organizers use for the same column.
ALIASES = {"电子邮箱": "email", "联系邮箱": "email", "联系电话": "phone", "手机": "phone"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class EnterpriseRow:
    """One enterprise to bring in; `row` is its row number in Excel (0 when typed in a form)."""

    name: str
    credit_code: str
    contact_name: str
    email: str
    phone: str = ""
    business_scope: str = DEFAULT_SCOPE
    row: int = 0

    @classmethod
    def clean(cls, row: int = 0, **values: Any) -> EnterpriseRow:
        def text(key: str) -> str:
            return _cell_text(values.get(key))

        return cls(
            name=" ".join(text("name").split()),
            credit_code=text("credit_code").replace(" ", "").upper(),
            contact_name=text("contact_name"),
            email=text("email"),
            phone=text("phone"),
            business_scope=text("business_scope") or DEFAULT_SCOPE,
            row=row,
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EnterpriseRow:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


@dataclass
class RowReport:
    data: EnterpriseRow
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    existing_name: str | None = None


@dataclass
class Preview:
    rows: list[RowReport]

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def reused(self) -> int:
        return sum(1 for r in self.rows if r.existing_name is not None)

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.error_rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _heading(value: Any) -> str:
    # "企业名称*" or "企业名称（必填）" in a hand-made file are the same column.
    text = _cell_text(value).replace("*", "").replace("＊", "")
    for bracket in ("（", "("):
        text = text.split(bracket)[0]
    return "".join(text.split())


def parse_workbook(data: bytes) -> list[EnterpriseRow]:
    """The rows of the first sheet, headed by COLUMNS in any order; raises ImportFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("文件超过 %(n)d MB，请拆分后分批导入") % {"n": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if data.startswith(OLE2_MAGIC):
        raise ImportFileError(_("这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后上传"))
    if not data.startswith(b"PK"):
        raise ImportFileError(_("无法读取该文件，请上传 Excel 工作簿（.xlsx），可先下载导入模板"))
    try:
        open_zip(data).close()
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except FileRefused as exc:
        raise ImportFileError(exc.message) from None
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(
            _("无法读取该文件，请上传 Excel 工作簿（.xlsx），可先下载导入模板")
        ) from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = dict(COLUMNS) | ALIASES
        positions: dict[str, int] = {}
        for i, cell in enumerate(header):
            key = names.get(_heading(cell))
            if key and key not in positions:
                positions[key] = i
        missing = [heading for heading, key in COLUMNS if key in REQUIRED and key not in positions]
        if missing:
            raise ImportFileError(
                _("第 1 行应为表头，缺少列：%(cols)s。请使用导入模板")
                % {"cols": "、".join(missing)}
            )
        out: list[EnterpriseRow] = []
        for number, values in enumerate(rows, start=2):
            if not any(_cell_text(v) for v in values):
                continue
            if len(out) >= MAX_ROWS:
                raise ImportFileError(
                    _("一次最多导入 %(n)d 家企业，请拆分后分批导入") % {"n": MAX_ROWS}
                )
            cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
            out.append(EnterpriseRow.clean(row=number, **cells))
    finally:
        wb.close()
    if not out:
        raise ImportFileError(_("文件中没有企业数据（表头下方为空）"))
    return out


def row_errors(row: EnterpriseRow) -> list[str]:
    """What is wrong with one row on its own."""
    errors = []
    if not row.name:
        errors.append(_("缺少企业名称"))
    elif len(row.name) > 200:
        errors.append(_("企业名称过长（最多 200 字）"))
    if not row.credit_code:
        errors.append(_("缺少统一社会信用代码"))
    else:
        problem = credit_code_error(row.credit_code)
        if problem:
            errors.append(problem.split(" / ")[0])
    if not row.contact_name:
        errors.append(_("缺少联系人"))
    elif len(row.contact_name) > 100:
        errors.append(_("联系人过长（最多 100 字）"))
    if not row.email:
        errors.append(_("缺少邮箱"))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(_("邮箱格式不正确：%(email)s") % {"email": row.email})
    if not row.phone:
        errors.append(_("缺少电话"))
    elif len(row.phone) > 50:
        errors.append(_("电话过长（最多 50 个字符）"))
    if len(row.business_scope) > 200:
        errors.append(_("自评业务版块或产品过长（最多 200 字）"))
    return errors


def check_rows(
    rows: Iterable[EnterpriseRow],
    *,
    existing: dict[str, str],
    taken: set[tuple[str, str]],
) -> Preview:
    """Every row's errors and notes: on its own, against the other rows, and against what is
    stored (existing: credit code → enterprise name; taken: (credit code, business scope)
    already in the campaign)."""
    reports = []
    first_by_key: dict[tuple[str, str], int] = {}
    first_name: dict[str, tuple[int, str]] = {}
    for row in rows:
        report = RowReport(data=row, errors=row_errors(row))
        code, where = row.credit_code, row.row
        if code:
            key = (code, row.business_scope)
            if key in first_by_key:
                report.errors.append(
                    _("与第 %(row)d 行重复（统一社会信用代码和自评业务版块相同）")
                    % {"row": first_by_key[key]}
                )
            else:
                first_by_key[key] = where
            if code in first_name and first_name[code][1] != row.name:
                report.errors.append(
                    _("与第 %(row)d 行的统一社会信用代码相同，但企业名称不同")
                    % {"row": first_name[code][0]}
                )
            first_name.setdefault(code, (where, row.name))
            if key in taken:
                report.errors.append(
                    _("该企业在本次评估工作中已有“%(scope)s”的自评材料")
                    % {"scope": row.business_scope}
                )
            if code in existing:
                report.existing_name = existing[code]
                report.notes.append(
                    _("系统中已有该企业（%(name)s），将沿用，不重复创建") % {"name": existing[code]}
                )
        reports.append(report)
    return Preview(rows=reports)


def existing_for(campaign: Campaign, rows: Iterable[EnterpriseRow]) -> dict[str, Any]:
    """What check_rows needs to know from the database, in two queries."""
    from zeren.accounts.models import Enterprise
    from zeren.assessments.models import SelfAssessment

    codes = {r.credit_code for r in rows if r.credit_code}
    existing = dict(
        Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "name")
    )
    taken = set(
        SelfAssessment.objects.filter(
            campaign=campaign, enterprise__credit_code__in=codes
        ).values_list("enterprise__credit_code", "business_scope")
    )
    return {"existing": existing, "taken": taken}


def template_xlsx() -> tuple[str, str, bytes]:
    """The blank enterprise list to fill in: headings, one example row, text-formatted codes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "企业名单"
    headings = [h for h, _k in COLUMNS]
    ws.append(headings)
    ws.append(
        [
            "示例网络科技有限公司（请删除此行）",
            "91110108MA01XXXXXX",
            "张三",
            "zhangsan@example.com",
            "010-12345678",
            DEFAULT_SCOPE,
        ]
    )
    fill = PatternFill("solid", fgColor="F3F5F8")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    for letter, width in zip("ABCDEF", (36, 24, 12, 28, 18, 24), strict=True):
        ws.column_dimensions[letter].width = width
        # Text format, so Excel keeps leading zeros and long digit runs of codes and phones.
        for row in range(2, 502):
            ws[f"{letter}{row}"].number_format = "@"
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    for line in (
        "每行一家企业（或一家企业的一个自评业务版块）。",
        "必填：企业名称、统一社会信用代码（18 位）、联系人、邮箱、电话。",
        f"自评业务版块或产品可不填，默认为“{DEFAULT_SCOPE}”。",
        "系统中已有的企业按统一社会信用代码识别，沿用原有企业，不重复创建。",
        "联系人将收到邀请邮件，成为该企业的企业管理员。",
        "文件中只要有一行有错误，就不会导入任何数据；请按预览页的提示修改后重新上传。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    out = BytesIO()
    wb.save(out)
    return "企业名单导入模板.xlsx", XLSX_MIMETYPE, out.getvalue()
