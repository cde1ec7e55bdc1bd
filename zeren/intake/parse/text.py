"""Text helpers: full-width to half-width, compacting, lines."""

from __future__ import annotations

import re

# Full-width ASCII to half-width, one character for one, so positions stay aligned.
_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_HALF[0x3000] = 0x20
_WS = re.compile(r"\s+")


def _half(text: str) -> str:
    return text.translate(_HALF)


def _compact(text: str) -> str:
    return _WS.sub("", _half(text))


def _clean_lines(lines: list[str]) -> str:
    """Lines stripped; blank lines at either end dropped; joined with \\n."""
    out = [line.strip() for line in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _split_lines(text: str) -> list[str]:
    return text.split("\n")


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
