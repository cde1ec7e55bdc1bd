"""The fixed skeleton of parts and the .docx zip package around a document.xml."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from zeren.documents.render.runs import _INVALID_XML, _esc

# zeren/documents/data, beside this package: the skeleton parts (and fonts.conf for pdf.py).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


_CT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
)
_CT_HEADER = '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'

_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DOC_RELS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFontTable" Type="{_REL}fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooter1" Type="{_REL}footer" Target="footer1.xml"/>'
)
_DOC_RELS_HEADER = f'<Relationship Id="rIdHeader1" Type="{_REL}header" Target="header1.xml"/>'

_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Zeren</Application></Properties>"
)

# A fixed time stamp: the same form gives the same bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _core(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_esc(_INVALID_XML.sub('', title))}</dc:title><dc:language>zh-CN</dc:language>"
        "</cp:coreProperties>"
    )


@cache
def _skeleton(draft: bool) -> tuple[tuple[str, bytes], ...]:
    """The parts that do not depend on the form, in package order (document.xml goes third)."""

    def data(name: str) -> bytes:
        return (DATA_DIR / name).read_bytes()

    parts = [
        ("[Content_Types].xml", (_CT_HEAD + (_CT_HEADER if draft else "") + "</Types>").encode()),
        ("_rels/.rels", _ROOT_RELS.encode()),
        (
            "word/_rels/document.xml.rels",
            (_DOC_RELS_HEAD + (_DOC_RELS_HEADER if draft else "") + "</Relationships>").encode(),
        ),
        ("word/styles.xml", data("docx-styles.xml")),
        ("word/settings.xml", data("docx-settings.xml")),
        ("word/fontTable.xml", data("docx-fontTable.xml")),
        ("word/footer1.xml", data("docx-footer.xml")),
        ("docProps/app.xml", _APP.encode()),
    ]
    if draft:
        parts.append(("word/header1.xml", data("docx-header-draft.xml")))
    return tuple(parts)


def _zipinfo(name: str) -> zipfile.ZipInfo:
    # A new ZipInfo each time: ZipFile.writestr mutates the one it is given.
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def package_docx(document: str | bytes, *, title: str = "", draft: bool = False) -> bytes:
    """Writes a document.xml into the fixed skeleton of parts and returns the .docx bytes."""
    if isinstance(document, str):
        document = document.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        skeleton = _skeleton(draft)
        for name, content in skeleton[:3]:
            zf.writestr(_zipinfo(name), content)
        zf.writestr(_zipinfo("word/document.xml"), document)
        for name, content in skeleton[3:]:
            zf.writestr(_zipinfo(name), content)
        zf.writestr(_zipinfo("docProps/core.xml"), _core(title).encode("utf-8"))
    return buf.getvalue()
