"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """None when valid; otherwise what is wrong, in Chinese and English."""
    code = code.strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际为 {len(code)} 位 / the unified social credit code has 18 characters; this one has {len(code)}"
    bad = [c for c in code if c not in CHARSET]
    if bad:
        return f"统一社会信用代码含有无效字符 {''.join(bad)}（不使用 I、O、S、V、Z）/ invalid characters {''.join(bad)} (I, O, S, V, Z are not used)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：末位应为 {expected} / wrong check character: the last character should be {expected}"
    return None


def make_credit_code(first17: str) -> str:
    return first17 + check_character(first17)
