"""Text as escaped WordprocessingML runs and paragraphs; date and number formats."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from zeren.documents.render.layout import _R_BODY, BODY_EM

# Characters XML 1.0 cannot carry; tab and line feed are handled before escaping.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_WORK = re.compile("[&<>\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, rpr: str = _R_BODY) -> str:
    """One run of literal text; tabs become w:tab, anything XML cannot carry is dropped."""
    if not text:
        return ""
    if _NEEDS_WORK.search(text) is None:
        return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
    text = _esc(_INVALID_XML.sub("", text))
    if "\t" in text:
        inner = "<w:tab/>".join(
            f'<w:t xml:space="preserve">{piece}</w:t>' if piece else ""
            for piece in text.split("\t")
        )
        return f"<w:r>{rpr}{inner}</w:r>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _lines(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _run_lines(text: str, rpr: str = _R_BODY) -> str:
    """Runs for text whose line breaks stay inside one paragraph (w:br)."""
    lines = _lines(text)
    if len(lines) == 1:
        return _run(text, rpr)
    br = f"<w:r>{rpr}<w:br/></w:r>"
    return br.join(_run(line, rpr) for line in lines)


def _p(style: str, runs: str = "", ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p>'


_PAGE_BREAK_BEFORE = "<w:pageBreakBefore/>"
_KEEP_NEXT = "<w:keepNext/>"


def _paragraphs(style: str, text: str, rpr: str = _R_BODY) -> str:
    """One paragraph per line of text."""
    return "".join(_p(style, _run(line, rpr)) for line in _lines(text))


def format_date(value: dt.date | None) -> str:
    """2026年11月28日 (no leading zeros), or '' for no date."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (for area headings 一、二、…)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        if rest < 20:
            return head + "一" + chinese_number(rest)
        return head + chinese_number(rest)
    return str(n)


def _text_width(text: str) -> int:
    """Generous width in twips at 16 pt: wide characters one em, others 0.6 em (serif Latin)."""
    tenths = 0
    for ch in text:
        tenths += 10 if unicodedata.east_asian_width(ch) in "WFA" else 6
    return tenths * BODY_EM // 10
