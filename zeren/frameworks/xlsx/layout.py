"""The workbook's layout: sheet names, headers, the 说明 rows and the cell styles."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill

META_SHEET = "说明"
INDICATOR_SHEET = "指标"
LEVEL_SHEET = "选项"

META_HEADERS = ("项目", "内容", "填写说明 / note")
INDICATOR_HEADERS = ("序号", "一级指标", "二级指标", "三级指标", "指标说明", "权重", "选项为补充")
LEVEL_HEADERS = ("序号", "等级", "选项标签", "分值")

# 说明 sheet: item -> (field in the YAML mapping, a note for the person editing).
META_ROWS: dict[str, tuple[str, str]] = {
    "标识": ("id", "英文小写与连字符，如 platform-csr / lowercase letters and hyphens"),
    "版本": ("version", "正整数 / a positive integer"),
    "名称": ("title", ""),
    "来源": ("source", ""),
    "计分规则": ("scoring.rule", "weighted_mean：按权重加权平均 / weighted mean"),
    "需佐证等级": (
        "evidence_rule.levels",
        "选择这些等级时须提供佐证材料，如 1,2 / levels that need evidence, e.g. 1,2",
    ),
    "缺少佐证时": (
        "evidence_rule.severity",
        "error：不能提交；warning：仅提示 / error blocks submitting, warning only warns",
    ),
    "附件标注": ("document.attachment_label", ""),
    "标题": ("document.title_lines", "可多行 / may have several lines"),
    "承诺书标题": ("document.pledge_title_lines", "可多行 / may have several lines"),
    "承诺书正文": ("document.pledge_text", ""),
    "自评表标题": ("document.table_title", ""),
    "佐证材料说明": ("document.evidence_note", ""),
}
META_LABELS = {target: label for label, (target, _) in META_ROWS.items()}
# Validation's field names, as the column headers people see.
INDICATOR_FIELDS = {
    "name": "三级指标",
    "description": "指标说明",
    "weight": "权重",
    "number": "序号",
}
LEVEL_FIELDS = {"label": "选项标签", "points": "分值", "number": "等级"}

YES = ("是", "yes", "y", "true", "1")
NO = ("否", "no", "n", "false", "0", "")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
