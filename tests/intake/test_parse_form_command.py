"""zeren parse-form: JSON for machines, a Chinese summary for people, exit 2 on unreadable files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.intake import formgen
from tests.intake.formgen import Fill, Item, Section

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "示例公司自评材料.docx"
    fill = Fill(
        styles={5: "none"}, sections={1: Section("说明。", [Item(1, "章程", files=["章程.pdf"])])}
    )
    path.write_bytes(formgen.build(fill))
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "空文件.docx"
    path.write_bytes(b"")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("parse_form", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_one_json_array_with_an_object_per_file(filled: Path) -> None:
    out, _ = run(str(filled), str(filled), "--json")
    assert "北京示例网络科技有限公司" in out  # ensure_ascii=False
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    first = data[0]
    assert set(first) == {"file", "ok", "error", "form", "problems"}
    assert first["file"] == str(filled) and first["ok"] is True and first["error"] is None
    assert first["form"]["cover"]["enterprise_name"] == "北京示例网络科技有限公司"
    assert first["form"]["answers"][0]["evidence"][0]["files"][0]["name"] == "章程.pdf"
    assert first["problems"] == [
        {
            "indicator": 5,
            "code": "no_choice",
            "message": "指标 5（网络正能量传播）：未勾选任何选项。",
        }
    ]


def test_it_exits_2_when_a_file_cannot_be_read_and_still_reports_every_file(
    filled: Path, empty: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "不存在.docx"
    with pytest.raises(SystemExit) as exit_info:
        out, _ = run(str(filled), str(empty), str(missing), "--json")
    assert exit_info.value.code == 2


def test_it_reports_unreadable_files_in_json(
    filled: Path, empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        call_command("parse_form", str(filled), str(empty), "--json")
    data = json.loads(capsys.readouterr().out)
    assert [d["ok"] for d in data] == [True, False]
    assert data[1]["error"]["code"] == "empty_file" and data[1]["form"] is None
    assert data[1]["problems"] == []


def test_it_summarises_in_chinese_without_json(filled: Path) -> None:
    out, _ = run(str(filled))
    assert "企业名称：北京示例网络科技有限公司" in out
    assert "27/28 项已选" in out
    assert "1. 责任意识建立：2.比较重视" in out
    assert "[no_choice] 指标 5（网络正能量传播）：未勾选任何选项。" in out


def test_it_refuses_a_malformed_framework_option(filled: Path) -> None:
    with pytest.raises(CommandError, match="ID:VERSION"):
        run(str(filled), "--framework", "platform-csr")


@pytest.mark.django_db
def test_it_reads_against_a_stored_framework_version(filled: Path) -> None:
    out, _ = run(str(filled), "--json", "--framework", "platform-csr:1")
    assert json.loads(out)[0]["form"]["framework"] == {"id": "platform-csr", "version": 1}
    with pytest.raises(CommandError, match="不存在"):
        run(str(filled), "--framework", "platform-csr:99")


def test_the_zeren_command_exits_0_or_2(filled: Path, empty: Path, tmp_path: Path) -> None:
    env = {**os.environ, "ZEREN_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "zeren.cli", "parse-form"]
    ok = subprocess.run(
        [*cmd, str(filled), "--json"], capture_output=True, text=True, env=env, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["ok"] is True
    bad = subprocess.run(
        [*cmd, str(filled), str(empty)], capture_output=True, text=True, env=env, check=False
    )
    assert bad.returncode == 2
    assert "无法读取 [empty_file]" in bad.stdout
    assert "could not be read" in bad.stderr
    helped = subprocess.run([*cmd, "--help"], capture_output=True, text=True, env=env, check=False)
    assert "读取" in helped.stdout and "Read filled forms" in helped.stdout


def test_the_summary_says_how_a_scan_s_seals_were_seen() -> None:
    from tests.intake.scangen import filled_form
    from zeren.frameworks.spec import seed_spec
    from zeren.intake.management.commands.parse_form import summary
    from zeren.intake.parse.results import ParseResult

    spec = seed_spec()
    form = filled_form(1)
    scan = {
        "pages": [{"page": 1}, {"page": 2}],
        "cover": {"sealed": True, "position": [0.4, 0.4, 0.2, 0.14], "by": "shape"},
        "pledge": {"sealed": None, "position": None, "by": None},
    }
    text = "\n".join(summary("灰度.pdf", ParseResult(form=form, scan=scan), spec))
    assert "封面 有印章（按形状识别，灰度扫描无法确认颜色）；承诺书 灰度扫描，无法判断" in text
    scan["cover"] = {"sealed": True, "position": [0.4, 0.4, 0.2, 0.14], "by": "colour"}
    scan["pledge"] = {"sealed": False, "position": None, "by": None}
    text = "\n".join(summary("彩色.pdf", ParseResult(form=form, scan=scan), spec))
    assert "封面 有红色印章；承诺书 无印章" in text
