"""Hostile and wrong files: each ends in a clear error code and a Chinese message, within
5 seconds and 256 MiB, writes nothing outside its own temporary directory, touches no network
and never shows the content of a local file.

All cases run in one helper process started once for the module; it forks a child per case
(so each child starts from the same warm interpreter) and reports the child's wall time and
peak resident memory (wait4's ru_maxrss: every page the child touched, the interpreter's
included, though pages of shared libraries it never touched are not counted).
"""

from __future__ import annotations

import io
import json
import os
import random
import stat
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.intake import formgen

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 5.0
MIB = 256
SECRET = "root:x:0:0"  # what /etc/passwd starts with; must never appear in any output

HARNESS = textwrap.dedent(
    """
    import json, os, resource, socket, sys, tempfile, time

    from zeren.intake.parse import parse_file
    from zeren.frameworks.spec import seed_spec

    spec = seed_spec()
    cases = json.loads(sys.stdin.read())
    results = {}
    for case in cases:
        work = case["work"]
        cwd, tmp = os.path.join(work, "cwd"), os.path.join(work, "tmp")
        os.makedirs(cwd)
        os.makedirs(tmp)
        read_end, write_end = os.pipe()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            os.chdir(cwd)
            os.environ["TMPDIR"] = tmp
            os.environ.update(case.get("env", {}))
            tempfile.tempdir = None
            # containment only; the assertion is on ru_maxrss below
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
            touched = []

            def no_network(*args, **kwargs):
                touched.append(repr(args)[:80])
                raise OSError("network disabled")

            socket.socket.connect = no_network
            socket.create_connection = no_network
            socket.getaddrinfo = no_network
            try:
                result = parse_file(case["path"], case["name"], spec, timeout=case.get("timeout", 60))
                out = {
                    "error": result.error.code if result.error else None,
                    "message": result.error.message if result.error else "",
                    "form": result.form.model_dump_json() if result.form else None,
                    "problems": [p.code for p in result.problems],
                }
            except BaseException as exc:
                out = {"error": "crash", "message": repr(exc)}
            out["network"] = touched
            data = json.dumps(out, ensure_ascii=False).encode()
            while data:
                data = data[os.write(write_end, data):]
            os._exit(0)
        os.close(write_end)
        chunks = []
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read_end)
        _, status, usage = os.wait4(pid, 0)
        out = json.loads(b"".join(chunks) or b'{"error": "died"}')
        out["seconds"] = time.monotonic() - start
        out["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        out["mib"] = usage.ru_maxrss / 1024
        out["left_behind"] = sorted(os.listdir(cwd) + os.listdir(tmp))
        results[case["id"]] = out
    print(json.dumps(results, ensure_ascii=False))
    """
)


# --- making the files ---------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members:
            zf.writestr(
                zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, compress_type=compression
            )
    return buf.getvalue()


def _form_members(**replace: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(formgen.build(formgen.Fill()))) as zf:
        return [(name, replace.get(name, zf.read(name))) for name in zf.namelist()]


def _patch_sizes(data: bytes, member: str, file_size: int) -> bytes:
    """Rewrites the uncompressed size declared for a member in both headers (a lying zip)."""
    out = bytearray(data)
    name = member.encode()
    # central directory entries: signature PK\x01\x02, uncompressed size at offset 24
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", out, pos + 24, file_size)
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) != -1:
        name_len = struct.unpack_from("<H", out, pos + 26)[0]
        if bytes(out[pos + 30 : pos + 30 + name_len]) == name:
            struct.pack_into("<I", out, pos + 22, file_size)
        pos += 4
    return bytes(out)


def _set_flag(data: bytes, member: str, bit: int) -> bytes:
    out = bytearray(data)
    name = member.encode()
    for sig, flag_at, len_at, name_at in ((b"PK\x01\x02", 8, 28, 46), (b"PK\x03\x04", 6, 26, 30)):
        pos = 0
        while (pos := out.find(sig, pos)) != -1:
            name_len = struct.unpack_from("<H", out, pos + len_at)[0]
            if bytes(out[pos + name_at : pos + name_at + name_len]) == name:
                flags = struct.unpack_from("<H", out, pos + flag_at)[0]
                struct.pack_into("<H", out, pos + flag_at, flags | bit)
            pos += 4
    return bytes(out)


def _deflated_zeros_member(name: str, size: int) -> bytes:
    """A zip whose one member is `size` bytes of spaces, streamed so the test stays small."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as fh:
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                fh.write(block)
    return buf.getvalue()


DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOC_TAIL = b"</w:body></w:document>"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


def _not_a_form() -> bytes:
    document = docx.Document()
    document.add_paragraph("会议通知")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["序号", "姓名", "单位"], strict=True):
        cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "序号"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _external_relationships() -> bytes:
    """A real form whose relationships point at a local file and at a web address."""
    members = _form_members()
    out = []
    for name, data in members:
        if name == "word/_rels/document.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
                b' Target="file:///etc/passwd" TargetMode="External"/>'
                b'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
                b' Target="http://127.0.0.1:9/template.dotx" TargetMode="External"/>'
                b"</Relationships>",
            )
        if name == "word/document.xml":
            field = (
                b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                b'<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "/etc/passwd" </w:instrText></w:r>'
                b'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>placeholder</w:t></w:r>'
                b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            )
            data = data.replace(b"<w:body>", b"<w:body>" + field, 1)
        out.append((name, data))
    return _zip(out)


def _main_part_external() -> bytes:
    members = _form_members()
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
        b' Target="file:///etc/passwd" TargetMode="External"/></Relationships>'
    )
    return _zip([(n, rels if n == "_rels/.rels" else d) for n, d in members])


def _long_form() -> bytes:
    """A real form with evidence text up to the part-size limit: read, within the bounds."""
    rng = random.Random(7)
    words = "本企业在相关领域开展了大量工作形成制度台账平台用户内容审核机制培训公益数据安全报告治理"
    pool = ["".join(rng.choices(words, k=1000)) for _ in range(300)]
    lines = rng.choices(pool, k=5_000)  # repeats lie far beyond deflate's 32 KB window
    fill = formgen.Fill(sections={1: formgen.Section(summary="@@LONG@@")})
    joint = "</w:t></w:r></w:p><w:p><w:r><w:t>"
    members = _form_members()
    with zipfile.ZipFile(io.BytesIO(formgen.build(fill))) as zf:
        xml = zf.read("word/document.xml").replace(b"@@LONG@@", joint.join(lines).encode())
    assert 14 << 20 < len(xml) < 16 << 20, len(xml)
    return _zip([(n, xml if n == "word/document.xml" else d) for n, d in members])


def _ole(*streams: str) -> bytes:
    head = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    return head + b"".join(s.encode("utf-16-le") + b"\x00" * 40 for s in streams) + b"\x00" * 2048


def _cases(tmp: Path) -> list[dict[str, Any]]:
    form = formgen.build(formgen.Fill())
    stored_form = _zip(_form_members(), zipfile.ZIP_STORED)
    doc_at = stored_form.find(b"<w:body>")
    bad_crc = bytearray(stored_form)
    bad_crc[doc_at + 10] ^= 0x55
    fake_fail = tmp / "fake-soffice-fails"
    fake_fail.write_text("#!/bin/sh\nexit 1\n")
    fake_slow = tmp / "fake-soffice-hangs"
    fake_slow.write_text("#!/bin/sh\nsleep 60\n")
    for fake in (fake_fail, fake_slow):
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    deep = DOC_HEAD + b"<w:tbl><w:tr><w:tc>" * 3000 + DOC_TAIL

    specs: list[tuple[str, str, bytes, dict[str, Any]]] = [
        ("empty", "空.docx", b"", {}),
        ("pdf", "自评材料.docx", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", {}),
        ("text", "自评材料.docx", "企业名称：某公司\n".encode() * 50, {}),
        ("png", "自评材料.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, {}),
        ("rtf", "自评材料.doc", b"{\\rtf1\\ansi Hello}", {}),
        ("html", "自评材料.doc", b"<html><body>Word HTML</body></html>", {}),
        ("xlsx", "自评材料.docx", _xlsx(), {}),
        ("truncated", "自评材料.docx", form[: len(form) // 2], {}),
        ("garbage_zip", "自评材料.docx", b"PK\x03\x04" + os.urandom(3000), {}),
        ("bad_crc", "自评材料.docx", bytes(bad_crc), {}),
        ("lying_size", "自评材料.docx", _patch_sizes(stored_form, "word/document.xml", 1000), {}),
        ("declared_huge", "自评材料.docx", _patch_sizes(form, "word/document.xml", 3 << 30), {}),
        ("ratio_bomb", "自评材料.docx", _deflated_zeros_member("word/document.xml", 48 << 20), {}),
        ("many_members", "自评材料.docx", _zip([(f"word/x{i}.xml", b"") for i in range(6000)]), {}),
        ("dotdot", "自评材料.docx", _zip(_form_members() + [("../../evil.txt", b"x")]), {}),
        ("absolute", "自评材料.docx", _zip(_form_members() + [("/tmp/evil.txt", b"x")]), {}),
        ("windows_drive", "自评材料.docx", _zip(_form_members() + [("C:\\evil.txt", b"x")]), {}),
        (
            "billion_laughs",
            "自评材料.docx",
            _zip(_form_members(**{"word/document.xml": BILLION_LAUGHS})),
            {},
        ),
        ("xxe", "自评材料.docx", _zip(_form_members(**{"word/document.xml": XXE.encode()})), {}),
        (
            "xxe_utf16",
            "自评材料.docx",
            _zip(
                _form_members(
                    **{"word/document.xml": XXE.replace("UTF-8", "UTF-16").encode("utf-16")}
                )
            ),
            {},
        ),
        (
            "rels_doctype",
            "自评材料.docx",
            _zip(
                _form_members(
                    **{
                        "_rels/.rels": b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
                    }
                )
            ),
            {},
        ),
        ("deep_nesting", "自评材料.docx", _zip(_form_members(**{"word/document.xml": deep})), {}),
        (
            "markup_flood",
            "自评材料.docx",
            _zip(
                _form_members(**{"word/document.xml": DOC_HEAD + b"<w:p/>" * 450_000 + DOC_TAIL}),
                zipfile.ZIP_STORED,
            ),
            {},
        ),
        (
            "huge_text_node",
            "自评材料.docx",
            _zip(
                _form_members(
                    **{
                        "word/document.xml": DOC_HEAD
                        + b"<w:p><w:r><w:t>"
                        + b"a" * (12 << 20)
                        + b"</w:t></w:r></w:p>"
                        + DOC_TAIL
                    }
                ),
                zipfile.ZIP_STORED,
            ),
            {},
        ),
        (
            "oversized_part",
            "自评材料.docx",
            _zip(
                _form_members(**{"word/document.xml": DOC_HEAD + b" " * (17 << 20) + DOC_TAIL}),
                zipfile.ZIP_STORED,
            ),
            {},
        ),
        ("long_form", "自评材料.docx", _long_form(), {}),
        ("encrypted_member", "自评材料.docx", _set_flag(stored_form, "word/document.xml", 0x1), {}),
        ("not_a_form", "会议通知.docx", _not_a_form(), {}),
        ("main_part_external", "自评材料.docx", _main_part_external(), {}),
        ("external_relationships", "自评材料.docx", _external_relationships(), {}),
        (
            "encrypted_ole",
            "自评材料.docx",
            _ole("Root Entry", "EncryptedPackage", "EncryptionInfo"),
            {},
        ),
        ("excel_ole", "自评材料.doc", _ole("Root Entry", "Workbook"), {}),
        (
            "conversion_fails",
            "自评材料.doc",
            _ole("Root Entry", "WordDocument"),
            {"env": {"ZEREN_SOFFICE": str(fake_fail)}},
        ),
        (
            "conversion_hangs",
            "自评材料.wps",
            _ole("Root Entry", "WordDocument"),
            {"env": {"ZEREN_SOFFICE": str(fake_slow)}, "timeout": 2},
        ),
    ]
    cases = []
    for case_id, name, data, extra in specs:
        folder = tmp / case_id
        folder.mkdir()
        path = folder / name
        path.write_bytes(data)
        cases.append(
            {
                "id": case_id,
                "path": str(path),
                "name": name,
                "work": str(folder / "sandbox"),
                **extra,
            }
        )
    return cases


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("hostile")
    cases = _cases(tmp)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(tmp)}
    done = subprocess.run(
        [sys.executable, "-c", HARNESS],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, dict[str, Any]] = json.loads(done.stdout)
    if os.environ.get("ZEREN_SHOW_HOSTILE"):
        for case, out in results.items():
            print(
                f"{case:24s} {out['error']!s:18s} {out['seconds']:6.2f} s "
                f"{out['cpu_seconds']:6.2f} s CPU {out['mib']:6.1f} MiB"
            )
    return results


EXPECTED = {
    "empty": ("empty_file", "为空"),
    "pdf": ("not_a_word_file", "PDF"),
    "text": ("not_a_word_file", "无法识别"),
    "png": ("not_a_word_file", "图片"),
    "rtf": ("not_a_word_file", "RTF"),
    "html": ("not_a_word_file", "HTML"),
    "xlsx": ("not_a_word_file", "Excel"),
    "truncated": ("corrupt_zip", "损坏"),
    "garbage_zip": ("corrupt_zip", "损坏"),
    "bad_crc": ("corrupt_zip", "损坏"),
    "lying_size": ("corrupt_zip", "损坏"),
    "declared_huge": ("zip_bomb", "拒绝"),
    "ratio_bomb": ("zip_bomb", "压缩"),
    "many_members": ("zip_bomb", "部件"),
    "dotdot": ("unsafe_path", "路径"),
    "absolute": ("unsafe_path", "路径"),
    "windows_drive": ("unsafe_path", "路径"),
    "billion_laughs": ("unsafe_xml", "DOCTYPE"),
    "xxe": ("unsafe_xml", "DOCTYPE"),
    "xxe_utf16": ("unsafe_xml", "DOCTYPE"),
    "rels_doctype": ("unsafe_xml", "DOCTYPE"),
    "deep_nesting": ("corrupt_xml", "XML"),
    "markup_flood": ("unsafe_xml", "元素"),
    "huge_text_node": ("corrupt_xml", "XML"),
    "encrypted_member": ("encrypted_file", "加密"),
    "oversized_part": ("too_large", "MB"),
    "long_form": (None, ""),
    "not_a_form": ("not_a_form", "自评表"),
    "main_part_external": ("not_a_word_file", "外部"),
    "external_relationships": (None, ""),
    "encrypted_ole": ("encrypted_file", "密码"),
    "excel_ole": ("not_a_word_file", "Excel"),
    "conversion_fails": ("conversion_failed", "LibreOffice"),
    "conversion_hangs": ("conversion_failed", "超时"),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_it_refuses_hostile_files_clearly_quickly_and_in_little_memory(
    case: str, outcomes: dict[str, dict[str, Any]]
) -> None:
    out = outcomes[case]
    code, words = EXPECTED[case]
    assert out["error"] == code, out
    if code is not None:
        assert out["form"] is None
        assert words in out["message"]
        assert any("\u4e00" <= c <= "\u9fff" for c in out["message"])
    # CPU time is the bound; wall time gets room for a busy machine (the worst case, a form at
    # the size limit, takes about 1.5 s on an idle one).
    assert out["cpu_seconds"] < SECONDS, out["cpu_seconds"]
    assert out["seconds"] < 2 * SECONDS, out["seconds"]
    assert out["mib"] < MIB, out["mib"]
    assert out["left_behind"] == []  # nothing written outside its own temporary directory
    assert out["network"] == []
    assert SECRET not in json.dumps(out)


def test_it_reads_a_form_whose_relationships_point_outside_without_following_them(
    outcomes: dict[str, dict[str, Any]],
) -> None:
    out = outcomes["external_relationships"]
    assert out["error"] is None
    assert "placeholder" not in out["form"] or SECRET not in out["form"]
    assert json.loads(out["form"])["cover"]["enterprise_name"] == "北京示例网络科技有限公司"


def test_it_kills_a_hanging_converter(outcomes: dict[str, dict[str, Any]]) -> None:
    out = outcomes["conversion_hangs"]
    assert out["error"] == "conversion_failed"
    assert 1.5 < out["seconds"] < SECONDS
