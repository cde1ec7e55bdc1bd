"""LibreOffice headless conversion of old binary Word files (.doc, Kingsoft .wps) to .docx.

Each conversion runs in its own temporary directory with its own LibreOffice profile
(-env:UserInstallation), so concurrent jobs never share state, and is killed after a timeout.
The profile turns off macros and the updating of links and fields on load: a document must not
make the converter read a local file or fetch a URL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 60.0

# Writer/Content/Update/Link: 0 = never (sw/inc/linkenum.hxx). Field/Chart: no update on load.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Field" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Chart" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="ShowTipOfTheDay" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ConversionFailed(Exception):
    """LibreOffice is missing, timed out, or could not read the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def soffice_path() -> str | None:
    """The LibreOffice binary: $ZEREN_SOFFICE, else soffice / libreoffice on PATH."""
    given = os.environ.get("ZEREN_SOFFICE")
    if given:
        return given
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    data: bytes,
    *,
    source_suffix: str = ".doc",
    target: str = "docx:MS Word 2007 XML",
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """Converts one document held in memory; returns the converted bytes."""
    binary = soffice_path()
    if binary is None:
        raise ConversionFailed(
            "服务器未安装 LibreOffice，无法读取 .doc/.wps 文件，请另存为 .docx 后上传。"
        )
    target_ext = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="zeren-convert-") as tmp:
        root = Path(tmp)
        profile = root / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(
            _PROFILE_SETTINGS, encoding="utf-8"
        )
        src_dir, out_dir = root / "in", root / "out"
        src_dir.mkdir()
        out_dir.mkdir()
        source = src_dir / f"form{source_suffix}"
        source.write_bytes(data)
        cmd = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "TMPDIR": str(root),
            "LANG": "C.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp",
        }
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=root,
            start_new_session=True,  # its own process group, so a timeout kills all of it
        )
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)  # the launcher and soffice.bin alike
            raise ConversionFailed(
                f"LibreOffice 转换超时（{timeout:.0f} 秒），文件可能过大或已损坏。"
            ) from None
        except BaseException:
            _kill_group(proc)
            raise
        result = out_dir / f"form.{target_ext}"
        if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            raise ConversionFailed(
                "LibreOffice 无法读取该文件（可能已损坏或设置了密码），请在 Word/WPS 中另存为 .docx 后上传。"
            )
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def convert_to_docx(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """A .doc or .wps (binary Word family) as .docx bytes."""
    return convert(data, source_suffix=".doc", target="docx:MS Word 2007 XML", timeout=timeout)
