"""The form's fixed texts and labels, page geometry, column widths and fonts."""

from __future__ import annotations

TICK = "☑"
BOX = "□"
EMPTY_SUMMARY_HINT = "（相关工作情况介绍）"
EVIDENCE_HEADING = "佐证材料："
EVIDENCE_CONTENT_LABEL = "佐证材料具体内容："
TABLE_HEADERS = ("序号", "一级指标", "二级指标", "三级指标", "指标说明", "企业自评", "备注")
CATALOG_HEADERS = ("序号", "材料名称", "备注")
COVER_LABELS = (
    "企业名称（公章）：",
    "自评业务版块或产品：",
    "联系人：",
    "联系方式：",
    "提交日期：",
)
PLEDGE_LABELS = ("企业名称（公章）：", "评估工作负责人：", "日期：")
EMPTY_CATALOG_ROWS = 3
LEVELS = 5
EMPTY_EVIDENCE_LINES = ("1.", "2.", "3.", "……")

# Page geometry in twentieths of a point (twips). GB/T 9704-2012: A4; margins top 37 mm,
# bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 16 pt text per page (28.95 pt pitch).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845
BODY_EM = 320  # 16 pt
# Column widths of the assessment table and of the catalog tables (they sum to TEXT_W - 1).
TABLE_COLS = (567, 1020, 1077, 1134, 2211, 1814, 1021)
CATALOG_COLS = (1020, 5102, 2722)

_FONT_LATIN = "Times New Roman"
_FONT_BODY = "仿宋_GB2312"
_FONT_TITLE = "方正小标宋简体"
_FONT_HEI = "黑体"
_FONT_SYMBOL = "Segoe UI Symbol"


def _rpr(east_asia: str, extra: str = "", latin: str = _FONT_LATIN) -> str:
    return (
        f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
        f'w:cs="{_FONT_LATIN}" w:hint="eastAsia"/>{extra}</w:rPr>'
    )


_R_BODY = _rpr(_FONT_BODY)
_R_BOLD = _rpr(_FONT_BODY, "<w:b/><w:bCs/>")
_R_UNDERLINE = _rpr(_FONT_BODY, '<w:u w:val="single"/>')
_R_TITLE = _rpr(_FONT_TITLE)
_R_HEI = _rpr(_FONT_HEI)
_R_TICK = _rpr(_FONT_SYMBOL, latin=_FONT_SYMBOL)
