"""The cover and pledge fields, read by their labels, and their dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from zeren.assessments.formdata import Cover, Pledge
from zeren.intake.parse.results import Problem
from zeren.intake.parse.text import _compact, _half, _shorten
from zeren.intake.parse.wordml import _Walker


def _label(chars: str) -> str:
    return r"\s*".join(re.escape(c) for c in chars)


_NAME_LABEL = (
    _label("企业名称") + r"\s*(?:\(\s*(?:" + _label("公章") + "|" + _label("盖章") + r")\s*\))?"
)
_COVER_LABELS = {
    "enterprise_name": _NAME_LABEL,
    "business_scope": _label("自评业务") + r"\s*[版板]\s*块\s*" + _label("或产品"),
    "contact_person": _label("联系人"),
    "contact_info": _label("联系") + r"\s*(?:方\s*式|电\s*话)",
    "submission_date": _label("提交日期"),
}
_PLEDGE_LABELS = {
    "enterprise_name": _NAME_LABEL,
    "lead": r"(?:" + _label("评估工作") + r"\s*)?" + _label("负责人"),
    "date": r"(?<!交)" + _label("日期"),
}
_ALL_LABELS = re.compile(
    r"(?:^|(?<=[\s_]))(?:"
    + "|".join(f"(?P<c_{k}>{v})" for k, v in _COVER_LABELS.items())
    + "|"
    + "|".join(f"(?P<p_{k}>{v})" for k, v in _PLEDGE_LABELS.items() if k != "enterprise_name")
    + r")\s*:?"
)
_FILLER = " \t\u3000\xa0_＿:：\u2002\u2003"


def _fields_in_line(line: str) -> list[tuple[str, str]]:
    """(label key, value) for every label on a line; the value runs to the next label."""
    half = _half(line)
    found = list(_ALL_LABELS.finditer(half))
    out = []
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(line)
        key = m.lastgroup or ""
        out.append((key, line[m.end() : stop].strip(_FILLER)))
    return out


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DATE = re.compile(r"^([0-9]{4})\s*[年.\-/]\s*([0-9]{1,2})\s*[月.\-/]\s*([0-9]{1,2})\s*日?$")
_CN_DATE = re.compile(
    r"^([〇零○一二三四五六七八九Ｏ]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$"
)


def _cn_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def parse_date(text: str) -> dt.date | None:
    """2026年11月28日, 2026-11-28, 2026.11.28, 2026/11/28 and 二〇二六年十一月二十八日; else ValueError."""
    half = _half(text).strip()
    m = _DATE.match(half)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE.match(half.replace(" ", ""))
    if m:
        year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        return dt.date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
    raise ValueError(text)


def _date_field(value: str, where: str, problems: list[Problem]) -> dt.date | None:
    if not value or not re.sub(r"[\s年月日]", "", value):
        return None  # empty, or the "    年  月  日" placeholder
    try:
        return parse_date(value)
    except (ValueError, KeyError):
        problems.append(
            Problem(
                None,
                "invalid_date",
                f"{where}「{_shorten(value)}」不是有效日期（如 2026年11月28日）。",
            )
        )
        return None


def _front_lines(walker: _Walker, blocks: list[tuple[str, Any]]) -> list[str]:
    """Lines before the assessment table; a table row is one line of tab-joined cells."""
    lines: list[str] = []
    for kind, item in blocks:
        lines.extend(walker.block_lines(kind, item))
    return lines


def _read_front(lines: list[str], problems: list[Problem]) -> tuple[Cover, Pledge]:
    cover: dict[str, str] = {}
    pledge: dict[str, str] = {}
    in_pledge = False
    for line in lines:
        compact = _compact(line)
        if "承诺书" in compact and len(compact) <= 30:
            in_pledge = True
            continue
        for key, value in _fields_in_line(line):
            side, name = key.split("_", 1)
            if (
                side == "c"
                and name == "enterprise_name"
                and (in_pledge or "enterprise_name" in cover)
            ):
                target = pledge  # the pledge's own 企业名称（公章）
            elif side == "p":
                target = pledge
            elif in_pledge:
                target = pledge if name == "enterprise_name" else cover
            else:
                target = cover
            if name not in target or not target[name]:
                target[name] = value
    date_c = _date_field(cover.get("submission_date", ""), "封面的提交日期", problems)
    date_p = _date_field(pledge.get("date", ""), "承诺书的日期", problems)
    return (
        Cover(
            enterprise_name=cover.get("enterprise_name", ""),
            business_scope=cover.get("business_scope", ""),
            contact_person=cover.get("contact_person", ""),
            contact_info=cover.get("contact_info", ""),
            submission_date=date_c,
        ),
        Pledge(
            enterprise_name=pledge.get("enterprise_name", ""),
            lead=pledge.get("lead", ""),
            date=date_p,
        ),
    )
