"""One way to make file names and ZIP entry names safe, used for every download and archive."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")
_EXT_OK = re.compile(r"^\.[0-9A-Za-z]{1,10}$")
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)


def safe_stem(text: str, limit: int = 120) -> str:
    """A name part usable on Windows and in a ZIP: no separators, <>:"/\\|?*, controls or "..",
    no leading or trailing dot or space, not a reserved device name."""
    text = _UNSAFE.sub("_", _SPACES.sub(" ", text))
    text = _DOTS.sub(".", text).strip(" .")
    text = text[:limit].rstrip(" .")
    if text.upper() in WINDOWS_RESERVED or text.split(".")[0].upper() in WINDOWS_RESERVED:
        text = f"_{text}"
    return text


def safe_filename(name: str, fallback: str = "file", limit: int = 150) -> str:
    """A whole file name (stem and a plain extension) safe as a download or ZIP entry name."""
    base = name
    stem, dot, ext = base.rpartition(".")
    if not dot or not _EXT_OK.match("." + ext):
        stem, ext = base, ""
    stem = safe_stem(stem, limit) or fallback
    return f"{stem}.{ext.lower()}" if ext else stem
