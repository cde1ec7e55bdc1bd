"""zeren load-framework and zeren export-framework."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from zeren.frameworks.loader import spec_for, spec_from_db
from zeren.frameworks.models import Framework, Indicator
from zeren.frameworks.spec import SEED_FILE, seed_spec, spec_to_mapping
from zeren.frameworks.xlsx import read_xlsx

GROUP_STANDARD = Path(__file__).parent / "data" / "group-standard-2021.yaml"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_a_file_and_says_so() -> None:
    output = run("load_framework", str(GROUP_STANDARD))
    assert "已载入指标体系" in output and "49" in output
    assert Framework.objects.filter(key="group-standard", version=1).exists()


@pytest.mark.django_db
def test_it_says_when_the_file_is_already_loaded() -> None:
    before = Framework.objects.count()
    output = run("load_framework", str(SEED_FILE))
    assert "已载入过" in output and "already loaded" in output
    assert Framework.objects.count() == before


@pytest.mark.django_db
def test_it_loads_changed_content_as_a_new_version(tmp_path: Path) -> None:
    data = spec_to_mapping(seed_spec())
    data["title"] = "互联网平台企业履行社会责任自评指标体系（修订）"
    path = tmp_path / "revised.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="--new-version"):
        run("load_framework", str(path))
    output = run("load_framework", str(path), "--new-version")
    assert "platform-csr version 2" in output
    assert spec_for("platform-csr", 2).title.endswith("（修订）")


@pytest.mark.django_db
def test_it_refuses_a_bad_file_naming_indicator_and_field_and_stores_nothing(
    tmp_path: Path,
) -> None:
    data = spec_to_mapping(replace(seed_spec(), id="bad"))
    data["areas"][1]["topics"][0]["indicators"][1]["weight"] = "abc"  # indicator 5
    data["areas"][1]["topics"][0]["indicators"][2]["name"] = ""  # indicator 6
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = (Framework.objects.count(), Indicator.objects.count())

    with pytest.raises(CommandError) as caught:
        run("load_framework", str(path))

    message = str(caught.value)
    assert "未载入" in message and "nothing was loaded" in message
    assert "bad.yaml，指标 5，字段 weight" in message
    assert "bad.yaml，指标 6，字段 name" in message
    assert len(message.splitlines()) == 3  # a summary, then one error per line
    assert (Framework.objects.count(), Indicator.objects.count()) == before


@pytest.mark.django_db
def test_it_reports_a_missing_file_without_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="文件不存在"):
        run("load_framework", str(tmp_path / "missing.yaml"))
    with pytest.raises(CommandError, match="是目录"):
        run("load_framework", str(tmp_path))


@pytest.mark.django_db
@pytest.mark.parametrize("ident", ["platform-csr:1", "platform-csr", "pk"])
def test_it_exports_a_framework_by_key_version_key_or_pk(tmp_path: Path, ident: str) -> None:
    framework = Framework.objects.get(key="platform-csr", version=1)
    if ident == "pk":
        ident = str(framework.pk)
    out = tmp_path / "framework.xlsx"
    output = run("export_framework", ident, "--xlsx", str(out))
    assert "已导出" in output and str(out) in output
    assert read_xlsx(out) == spec_from_db(framework)


@pytest.mark.django_db
def test_it_exports_the_latest_version_for_a_bare_key(tmp_path: Path) -> None:
    run("load_framework", str(GROUP_STANDARD))
    out = tmp_path / "v1.xlsx"
    run("export_framework", "group-standard", "--xlsx", str(out))
    run("load_framework", str(out), "--new-version")
    run("export_framework", "group-standard", "--xlsx", str(out))
    assert read_xlsx(out).version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ident, text",
    [("nope", "找不到指标体系 nope"), ("platform-csr:9", "platform-csr:1"), ("x:y", "版本号")],
)
def test_it_refuses_an_unknown_framework(tmp_path: Path, ident: str, text: str) -> None:
    with pytest.raises(CommandError, match=text):
        run("export_framework", ident, "--xlsx", str(tmp_path / "out.xlsx"))


@pytest.mark.django_db
def test_it_reports_an_unwritable_output(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法写入"):
        run("export_framework", "platform-csr:1", "--xlsx", str(tmp_path / "no" / "dir.xlsx"))


def zeren_script() -> Path:
    beside = Path(sys.executable).parent / "zeren"
    found = beside if beside.exists() else shutil.which("zeren")
    if not found:
        pytest.skip("the zeren console script is not installed (pip install -e .)")
    return Path(found)


@pytest.mark.parametrize("command", ["load-framework", "export-framework"])
def test_it_shows_chinese_help_from_the_console_script(tmp_path: Path, command: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ZEREN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [str(zeren_script()), command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "指标体系" in result.stdout and "framework" in result.stdout
    assert ("--xlsx" if command == "export-framework" else "--new-version") in result.stdout
