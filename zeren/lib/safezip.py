"""Checks for untrusted uploads: what a file is, and whether its zip and XML are safe to read.

Everything here looks at bytes already in memory and decides before anything is decompressed
or parsed: the zip directory's declared sizes, member count and compression ratio, member
names, and whether an XML part declares a DOCTYPE. Nothing is written to disk and no
relationship of the document is ever followed.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
import zlib

from lxml import etree

# Limits. A filled form is a few hundred KB; evidence pasted into it can make a few tens of MB.
MAX_FILE_BYTES = 100 * 1024 * 1024  # the upload itself
MAX_MEMBERS = 5_000  # parts in the zip
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024  # declared, over all parts (pictures are never read)
# Declared size of an XML part that is read: a long filled form's document.xml is well under
# 2 MB; 16 MB keeps the worst case (text-heavy parts) inside 256 MB of memory.
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
# Markup in one XML part: tags plus attributes. lxml keeps a few hundred bytes per node, so
# this bounds the tree's memory (a long filled form has some 50 000).
MAX_MARKUP = 400_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
DOCUMENT_PART = "word/document.xml"


class FileRefused(Exception):
    """An upload that cannot be read, with a stable code and a Chinese message."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def sniff(data: bytes) -> str:
    """What the bytes are, by content: 'zip', 'ole2', or a short description of something else."""
    if not data:
        return "empty"
    if data.startswith(ZIP_MAGICS):
        return "zip"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = head.lower()
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"{\\rtf"):
        return "RTF"
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower[:512]:
        return "HTML"
    if lower.startswith(b"mime-version:"):
        return "MHTML"
    if lower.startswith(b"<?xml") and b"w:wordDocument" in data[:4096]:
        return "Word 2003 XML"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "图片"
    return "unknown"


_KIND_NAMES = {
    "PDF": "PDF 文件",
    "RTF": "RTF 文件",
    "HTML": "网页（HTML）文件",
    "MHTML": "网页（MHTML）文件",
    "Word 2003 XML": "Word 2003 XML 文件",
    "图片": "图片",
}


def refuse_unknown(kind: str) -> FileRefused:
    """The error for bytes that are neither a .docx nor a .doc/.wps."""
    if kind == "empty":
        return FileRefused("empty_file", "文件为空（0 字节），请重新上传。")
    what = _KIND_NAMES.get(kind)
    lead = (
        f"这是{what}，不是 .docx、.doc 或 .wps 格式的 Word 文件"
        if what
        else "无法识别的文件，不是 .docx、.doc 或 .wps 格式的 Word 文件"
    )
    return FileRefused(
        "not_a_word_file",
        f"{lead}。请在 Word 或 WPS 中打开自评材料，另存为 .docx（或 .doc）后再上传。",
    )


def ole2_kind(data: bytes) -> str:
    """For an OLE2 compound file: 'word', 'encrypted', 'excel', 'powerpoint' or 'unknown'.

    Looks for the stream names in the directory (UTF-16LE); cheap and good enough to refuse
    early the files LibreOffice would only fail on later.
    """
    if _utf16("EncryptedPackage") in data:
        return "encrypted"  # an encrypted .docx is an OLE2 container
    if _utf16("WordDocument") in data:
        return "word"
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return "excel"
    if _utf16("PowerPoint Document") in data:
        return "powerpoint"
    return "unknown"


_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name:
        return True
    if ".." not in name and "\\" not in name and ":" not in name and name[0] != "/":
        return False  # the usual case, decided without splitting
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE.match(norm):
        return True
    return any(part == ".." for part in norm.split("/"))


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Opens a zip held in memory after checking its directory; raises FileRefused."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused("too_large", f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，无法读取。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise FileRefused(
            "corrupt_zip", "文件已损坏或不完整（压缩结构无法读取），请重新保存后上传。"
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise FileRefused("zip_bomb", f"文件包含 {len(infos)} 个部件，超过上限，拒绝读取。")
    total = 0
    seen: set[str] = set()
    for info in infos:
        if _unsafe_name(info.filename):
            raise FileRefused(
                "unsafe_path", "文件内含不安全的部件路径（如 ../ 或绝对路径），拒绝读取。"
            )
        key = info.filename.lower()
        if key in seen:
            raise FileRefused("corrupt_zip", "文件内有重名部件，结构可疑，拒绝读取。")
        seen.add(key)
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise FileRefused("zip_bomb", "文件解压后过大（疑似压缩炸弹），拒绝读取。")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused("zip_bomb", "文件压缩比异常（疑似压缩炸弹），拒绝读取。")
    return zf


def read_part(zf: zipfile.ZipFile, name: str, *, limit: int = MAX_PART_BYTES) -> bytes | None:
    """A part's bytes, or None when absent. The read is bounded whatever the directory claims."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:
        raise FileRefused("encrypted_file", "文件已加密，请取消密码保护后再上传。")
    if info.file_size > limit:
        raise FileRefused(
            "too_large", f"部件 {name} 解压后超过 {limit // (1024 * 1024)} MB，文件过大，无法读取。"
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        raise FileRefused("corrupt_zip", "文件已损坏（部件无法解压），请重新保存后上传。") from None
    if len(data) > limit:
        raise FileRefused("zip_bomb", f"部件 {name} 解压后过大，拒绝读取。")
    return data


def zip_kind(zf: zipfile.ZipFile) -> str:
    """'word' when the zip holds a WordprocessingML body, else what it seems to be."""
    names = set(zf.namelist())
    if DOCUMENT_PART in names:
        return "word"
    if "xl/workbook.xml" in names:
        return "Excel 文件"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 文件"
    if "content.xml" in names and "mimetype" in names:
        return "OpenDocument 文件（.odt 等）"
    return "压缩包"


# A DOCTYPE or ENTITY declaration anywhere in the part (UTF-8, and UTF-16 of either order).
_DECL = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECL_16 = [
    re.compile(re.escape(_utf16("<!")) + rb"(?:\x00?\s)*" + re.escape(_utf16(w)), re.IGNORECASE)
    for w in ("DOCTYPE", "ENTITY")
] + [
    re.compile(
        re.escape("<!".encode("utf-16-be")) + re.escape(w.encode("utf-16-be")), re.IGNORECASE
    )
    for w in ("DOCTYPE", "ENTITY")
]


_local = threading.local()


def _parser() -> etree.XMLParser:
    # One parser per thread: lxml parsers must not be shared between threads.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser


# A declaration can only come before the root element; a part that hides one behind a long
# prolog is still refused after parsing (docinfo.doctype), and entities are never resolved.
PROLOG_SCAN = 64 * 1024
# Below this size even a part made only of tags and attributes stays far inside the memory
# bound, so counting its markup is skipped.
MARKUP_SCAN_FROM = 2 * 1024 * 1024


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parses one part; refuses DOCTYPE/ENTITY declarations and malformed XML."""
    head = data[:PROLOG_SCAN]
    if _DECL.search(head) or (b"\x00" in head[:200] and any(p.search(head) for p in _DECL_16)):
        raise FileRefused("unsafe_xml", f"部件 {name} 含有 DOCTYPE 或实体声明，拒绝读取。")
    if len(data) > MARKUP_SCAN_FROM and data.count(b"<") + data.count(b"=") > MAX_MARKUP:
        raise FileRefused("unsafe_xml", f"部件 {name} 的元素数量过多，拒绝读取。")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        raise FileRefused("corrupt_xml", f"部件 {name} 不是有效的 XML，文件可能已损坏。") from None
    if root.getroottree().docinfo.doctype:
        raise FileRefused("unsafe_xml", f"部件 {name} 含有 DOCTYPE 声明，拒绝读取。")
    return root
