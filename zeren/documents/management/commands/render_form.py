"""zeren render-form: write the official .docx (and PDF) of a submission, a FormData file or the blank form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from pydantic import ValidationError

from zeren.assessments.formdata import FormData
from zeren.documents.pdf import PdfFailed, PdfUnavailable, docx_to_pdf
from zeren.documents.render import render_docx
from zeren.frameworks.spec import FrameworkSpec, seed_spec


def framework_spec(framework_id: str, version: int) -> FrameworkSpec:
    """The framework a form names: from the database, else the seed file for the seed's id."""
    seed = seed_spec()
    try:
        from zeren.frameworks.loader import spec_for

        return spec_for(framework_id, version)
    except (ImportError, ObjectDoesNotExist, DatabaseError) as exc:
        # Without a database (or before `zeren migrate`) the seed framework still renders.
        if (framework_id, version) == (seed.id, seed.version):
            return seed
        if isinstance(exc, DatabaseError):
            raise CommandError(
                f"数据库错误，请先运行 zeren migrate：{exc} / database error; run zeren migrate first: {exc}"
            ) from None
        raise CommandError(
            f"指标体系 {framework_id} v{version} 不存在，请先用 zeren load-framework 载入 / "
            f"framework {framework_id} v{version} does not exist; load it with zeren load-framework"
        ) from None


def _validation_message(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors()[:10]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "生成自评材料 Word 文档（可同时生成 PDF）：来自提交版本、FormData JSON 文件或空白表 / "
        "Render the self-assessment form as Word (and PDF): from a submission, a FormData JSON "
        "file or the blank form"
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(prog_name, "render-form", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--submission",
            type=int,
            metavar="ID",
            help="提交版本的编号 / the id of a submission",
        )
        source.add_argument(
            "--json",
            metavar="FORMDATA.json",
            help="FormData JSON 文件，按其中的指标体系生成 / a FormData JSON file; rendered with the framework it names",
        )
        source.add_argument(
            "--blank",
            action="store_true",
            help="空白表（种子指标体系）/ the blank form of the seed framework",
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="OUT.docx",
            help="输出的 .docx 文件 / the .docx file to write",
        )
        parser.add_argument(
            "--pdf",
            action="store_true",
            help="同时生成同名 PDF（需要 LibreOffice）/ also write OUT.pdf (needs LibreOffice)",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="加“草稿”水印 / add the 草稿 (draft) watermark",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["output"])
        if out.suffix.lower() != ".docx":
            raise CommandError(
                f"输出文件应以 .docx 结尾：{out} / the output must end in .docx: {out}"
            )
        if not out.parent.is_dir():
            raise CommandError(f"目录不存在：{out.parent} / no such directory: {out.parent}")

        form, spec = self._source(opts)
        try:
            data = render_docx(form, spec, draft=opts["draft"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self._write(out, data)
        self.stdout.write(f"已生成 / written: {out} ({len(data) // 1024 + 1} KiB)")

        if opts["pdf"]:
            pdf_path = out.with_suffix(".pdf")
            try:
                pdf = docx_to_pdf(data)
            except (PdfUnavailable, PdfFailed) as exc:
                raise CommandError(str(exc)) from None
            self._write(pdf_path, pdf)
            self.stdout.write(f"已生成 / written: {pdf_path} ({len(pdf) // 1024 + 1} KiB)")

    def _source(self, opts: dict[str, Any]) -> tuple[FormData | None, FrameworkSpec]:
        if opts["blank"]:
            return None, seed_spec()
        if opts["json"]:
            form = self._read_json(Path(opts["json"]))
        else:
            form = self._read_submission(opts["submission"])
        return form, framework_spec(form.framework.id, form.framework.version)

    def _read_json(self, path: Path) -> FormData:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{path} / file not found: {path}") from None
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc} / cannot read {path}: {exc}") from None
        try:
            return FormData.model_validate_json(raw)
        except ValidationError as exc:
            raise CommandError(
                f"{path.name} 不是有效的 FormData JSON / {path.name} is not valid FormData JSON:\n"
                + _validation_message(exc)
            ) from None

    def _read_submission(self, pk: int) -> FormData:
        try:
            from zeren.assessments.models import Submission
        except ImportError:
            raise CommandError(
                "此版本尚不支持提交版本（缺少 Submission 模型）/ submissions are not available in this version"
            ) from None
        try:
            submission = Submission.objects.get(pk=pk)
        except Submission.DoesNotExist:
            raise CommandError(f"提交版本 {pk} 不存在 / submission {pk} does not exist") from None
        except DatabaseError as exc:
            raise CommandError(
                f"数据库错误，请先运行 zeren migrate：{exc} / database error; run zeren migrate first: {exc}"
            ) from None
        snapshot = submission.snapshot
        try:
            if isinstance(snapshot, str | bytes):
                return FormData.model_validate_json(snapshot)
            return FormData.model_validate(snapshot)
        except (ValidationError, json.JSONDecodeError) as exc:
            detail = _validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(
                f"提交版本 {pk} 的快照无效 / the snapshot of submission {pk} is not valid FormData:\n{detail}"
            ) from None

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc} / cannot write {path}: {exc}") from None
