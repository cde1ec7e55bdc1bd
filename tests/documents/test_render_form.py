"""zeren render-form: the official documents from the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from zeren.assessments.formdata import Answer, Cover, FormData, FrameworkRef
from zeren.assessments.models import SelfAssessment, Submission
from zeren.documents.management.commands.render_form import Command
from zeren.documents.pdf import pdf_available
from zeren.frameworks.spec import seed_spec


def seed_form() -> FormData:
    spec = seed_spec()
    return FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(enterprise_name="命令行测试公司", submission_date=dt.date(2026, 11, 28)),
        answers=[Answer(indicator=3, level=2, remarks="见附件")],
    )


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs]


def test_it_renders_the_blank_form(tmp_path: Path) -> None:
    out = tmp_path / "blank.docx"
    stdout = io.StringIO()
    call_command("render_form", "--blank", "-o", str(out), stdout=stdout)
    assert "企业名称（公章）：\t" in paragraphs(out)
    assert str(out) in stdout.getvalue()


@pytest.mark.django_db
def test_it_renders_a_formdata_file_with_the_framework_it_names(tmp_path: Path) -> None:
    source = tmp_path / "form.json"
    source.write_text(json.dumps(seed_form().to_jsonable(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "form.docx"
    call_command("render_form", "--json", str(source), "-o", str(out), "--draft")
    assert "企业名称（公章）：命令行测试公司\t" in paragraphs(out)
    document = docx.Document(str(out))
    assert "草稿" in document.sections[0].header.paragraphs[0].text
    assert document.tables[0].rows[3].cells[5].text.split("\n")[1] == "2.比较完善☑"


@pytest.mark.django_db
def test_it_renders_a_submission(tmp_path: Path, assessment: SelfAssessment) -> None:
    form = seed_form()
    submission = Submission.objects.create(
        self_assessment=assessment,
        number=1,
        snapshot=form.to_jsonable(),
        sha256=form.sha256(),
        submitted_at=timezone.now(),
    )
    out = tmp_path / "submission.docx"
    call_command("render_form", "--submission", str(submission.pk), "-o", str(out))
    assert "企业名称（公章）：命令行测试公司\t" in paragraphs(out)


@pytest.mark.django_db
def test_it_says_when_a_submission_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(
        CommandError, match="提交版本 424242 不存在 / submission 424242 does not exist"
    ):
        call_command("render_form", "--submission", "424242", "-o", str(tmp_path / "x.docx"))


@pytest.mark.django_db
def test_it_says_when_the_framework_is_unknown(tmp_path: Path) -> None:
    source = tmp_path / "form.json"
    form = FormData(framework=FrameworkRef(id="no-such-framework", version=9))
    source.write_text(form.model_dump_json(), encoding="utf-8")
    with pytest.raises(CommandError, match="no-such-framework v9 does not exist"):
        call_command("render_form", "--json", str(source), "-o", str(tmp_path / "x.docx"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "文件不存在"),
        ("{not json", "不是有效的 FormData JSON / form.json is not valid FormData JSON"),
        ('{"framework": {"id": "platform-csr", "version": 0}}', "framework.version"),
        (
            '{"framework": {"id": "platform-csr", "version": 1}, "answers": [{"indicator": 1, "level": 9}]}',
            "answers.0.level",
        ),
    ],
)
def test_it_explains_bad_input_without_a_traceback(
    tmp_path: Path, content: str | None, message: str
) -> None:
    source = tmp_path / "form.json"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("render_form", "--json", str(source), "-o", str(tmp_path / "x.docx"))


def test_it_checks_the_output_path(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="must end in .docx"):
        call_command("render_form", "--blank", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="no such directory"):
        call_command("render_form", "--blank", "-o", str(tmp_path / "missing" / "x.docx"))


def test_it_explains_itself_in_chinese_and_english() -> None:
    parser = Command().create_parser("zeren", "render_form")
    assert parser.prog == "zeren render-form"
    description = parser.description or ""
    assert "生成自评材料" in description and "Render" in description
    ours = [
        a
        for a in parser._actions
        if a.dest in ("submission", "json", "blank", "output", "pdf", "draft")
    ]
    assert len(ours) == 6
    for action in ours:
        chinese, _, english = (action.help or "").partition("/")
        assert re.search("[\u4e00-\u9fff]", chinese) and re.search("[a-z]", english), action.dest


def test_it_runs_as_the_zeren_command(tmp_path: Path) -> None:
    from zeren.cli import main

    out = tmp_path / "cli.docx"
    main(["render-form", "--blank", "-o", str(out)])
    assert out.stat().st_size > 10_000


@pytest.mark.slow
@pytest.mark.skipif(
    not pdf_available(), reason="LibreOffice is not installed (scripts/install-system-packages)"
)
def test_it_writes_the_pdf_beside_the_docx(tmp_path: Path) -> None:
    out = tmp_path / "空白表.docx"
    call_command("render_form", "--blank", "-o", str(out), "--pdf")
    assert out.exists()
    assert (tmp_path / "空白表.pdf").read_bytes().startswith(b"%PDF-")
