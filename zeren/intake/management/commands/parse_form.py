"""zeren parse-form: read filled forms (.docx, .doc, .wps, and scans: PDF, JPEG, PNG, TIFF) and
print what was found."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from zeren.frameworks.spec import FrameworkSpec, seed_spec
from zeren.intake.convert import DEFAULT_TIMEOUT
from zeren.intake.parse import ParseResult, parse_file

EXIT_UNREADABLE = 2


def _framework(option: str | None) -> FrameworkSpec:
    if not option:
        return seed_spec()
    framework_id, _, version = option.rpartition(":")
    if not framework_id or not version.isdigit():
        raise CommandError(
            f"--framework 应写成 标识:版本，如 platform-csr:1，实际为 {option!r} / "
            f"--framework must be ID:VERSION such as platform-csr:1, got {option!r}"
        )
    from zeren.frameworks.loader import spec_for

    try:
        return spec_for(framework_id, int(version))
    except ObjectDoesNotExist:
        raise CommandError(
            f"指标体系 {framework_id} v{version} 不存在，请先用 zeren load-framework 载入 / "
            f"framework {framework_id} v{version} does not exist; load it with zeren load-framework"
        ) from None
    except DatabaseError as exc:
        raise CommandError(
            f"数据库错误，请先运行 zeren migrate：{exc} / database error; run zeren migrate first: {exc}"
        ) from None


def _read(path: str, spec: FrameworkSpec, timeout: float) -> ParseResult:
    try:
        return parse_file(path, Path(path).name, spec, timeout=timeout)
    except Exception as exc:  # one odd file must not stop a batch; the error is reported
        return ParseResult.failed(
            "internal_error", f"读取时发生内部错误：{type(exc).__name__}: {exc}"
        )


def as_json(path: str, result: ParseResult) -> dict[str, Any]:
    """One file's outcome in the --json output (a scan adds "scan": pages, seals, OCR)."""
    out = {
        "file": path,
        "ok": result.error is None,
        "error": result.error.to_jsonable() if result.error else None,
        "form": result.form.to_jsonable() if result.form else None,
        "problems": [p.to_jsonable() for p in result.problems],
    }
    if result.scan is not None:
        out["scan"] = result.scan
    return out


def _is_scan(path: str) -> bool:
    from zeren.intake.scan import is_scan

    try:
        with open(path, "rb") as fh:
            return is_scan(fh.read(64))
    except OSError:
        return False


def _groups(paths: list[str], one_form: bool) -> list[list[str]]:
    """Word files one by one; scanned PDFs one form each; images (or, with --one-form, every
    scanned file) together as one form, in the order given."""
    groups: list[list[str]] = []
    images: list[str] = []
    for path in paths:
        if not _is_scan(path):
            groups.append([path])
        elif one_form or not path.lower().endswith(".pdf"):
            if not images:
                groups.append(images)
            images.append(path)
        else:
            groups.append([path])
    return groups


def _read_scan(paths: list[str], spec: FrameworkSpec) -> ParseResult:
    from zeren.intake.scan import parse_scan

    try:
        files = [(Path(p).name, Path(p).read_bytes()) for p in paths]
        return parse_scan(files, spec).result
    except OSError:
        return ParseResult.failed("unreadable_file", "文件无法打开（不存在或没有读取权限）。")
    except Exception as exc:  # reported like any other file
        return ParseResult.failed(
            "internal_error", f"读取时发生内部错误：{type(exc).__name__}: {exc}"
        )


def summary(path: str, result: ParseResult, spec: FrameworkSpec) -> list[str]:
    """One file's outcome as a few lines of Chinese for people."""
    lines = [path]
    if result.error is not None or result.form is None:
        code = result.error.code if result.error else "internal_error"
        message = result.error.message if result.error else ""
        return [*lines, f"  无法读取 [{code}]：{message}"]
    form = result.form
    cover, pledge = form.cover, form.pledge
    lines.append(f"  企业名称：{cover.enterprise_name or '（空）'}")
    lines.append(f"  自评业务版块或产品：{cover.business_scope or '（空）'}")
    contact = "，".join(x for x in (cover.contact_person, cover.contact_info) if x) or "（空）"
    lines.append(f"  联系人：{contact}；提交日期：{cover.submission_date or '（空）'}")
    lines.append(
        f"  承诺书：{pledge.enterprise_name or '（空）'}；评估工作负责人：{pledge.lead or '（空）'}；"
        f"日期：{pledge.date or '（空）'}"
    )
    chosen = [a for a in form.answers if a.level is not None]
    lines.append(f"  自评：{len(chosen)}/{len(form.answers)} 项已选")
    for answer in form.answers:
        if answer.level is None:
            continue
        ind = spec.indicator(answer.indicator)
        lines.append(
            f"    {answer.indicator:>2}. {ind.name}：{answer.level}.{ind.label(answer.level)}"
        )
    if result.scan is not None:
        seal = {True: "有红色印章", False: "无印章", None: "灰度扫描，无法判断"}

        def sealed(found: dict[str, Any]) -> str:
            if found["sealed"] and found.get("by") == "shape":
                return "有印章（按形状识别，灰度扫描无法确认颜色）"
            return seal[found["sealed"]]

        lines.append(
            f"  扫描件：{len(result.scan.get('pages', []))} 页；封面 {sealed(result.scan['cover'])}；"
            f"承诺书 {sealed(result.scan['pledge'])}（文字为识别结果，请核对）"
        )
    summaries = sum(1 for a in form.answers if a.work_summary)
    items = sum(len(a.evidence) for a in form.answers)
    lines.append(f"  佐证材料：{summaries} 个指标有工作情况介绍，目录共 {items} 项")
    if result.problems:
        lines.append(f"  需要核对的问题（{len(result.problems)}）：")
        lines += [f"    - [{p.code}] {p.message}" for p in result.problems]
    else:
        lines.append("  没有发现问题。")
    return lines


class Command(BaseCommand):
    help = (
        "读取填好的自评材料 Word 文件（.docx；.doc/.wps 经 LibreOffice 转换），输出读到的内容和需要核对的问题；"
        "全部读出时退出码为 0，有文件无法读取时为 2 / "
        "Read filled forms (.docx; .doc/.wps through LibreOffice) and print what was found and the "
        "problems to check; exits 0 when every file was read, 2 when any could not be read"
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, "parse-form", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help="Word 文件或扫描件 / Word files (.docx, .doc, .wps) or scans (PDF, JPEG, PNG, TIFF)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=(
                "输出一个 JSON 数组，每个文件一个对象：file, ok, error, form, problems / "
                "print one JSON array, an object per file: file, ok, error, form, problems"
            ),
        )
        parser.add_argument(
            "--framework",
            metavar="ID:VERSION",
            help=(
                "按数据库中的指标体系版本读取（默认：种子表 platform-csr:1）/ "
                "read against a framework version stored in the database (default: the seed's)"
            ),
        )
        parser.add_argument(
            "--one-form",
            action="store_true",
            help=(
                "所有扫描件（PDF 与图片）合为一份表格读取（默认：每个 PDF 一份，图片合为一份）/ "
                "read every scanned file (PDF and images) as the pages of one form "
                "(default: each PDF is a form, the images together are one)"
            ),
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help=(
                f"LibreOffice 转换 .doc/.wps 的超时秒数（默认 {DEFAULT_TIMEOUT:.0f}）/ "
                f"seconds allowed to convert a .doc/.wps with LibreOffice (default {DEFAULT_TIMEOUT:.0f})"
            ),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        spec = _framework(opts["framework"])
        results = []
        for group in _groups(opts["files"], opts["one_form"]):
            if len(group) == 1 and not _is_scan(group[0]):
                results.append((group[0], _read(group[0], spec, opts["timeout"])))
            else:
                results.append((" + ".join(group), _read_scan(group, spec)))
        if opts["json"]:
            payload = [as_json(path, result) for path, result in results]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for i, (path, result) in enumerate(results):
                if i:
                    self.stdout.write("")
                self.stdout.write("\n".join(summary(path, result, spec)))
        unreadable = sum(1 for _, result in results if result.error is not None)
        if unreadable:
            self.stderr.write(
                f"{unreadable} 个文件无法读取 / {unreadable} file(s) could not be read"
            )
            sys.exit(EXIT_UNREADABLE)
