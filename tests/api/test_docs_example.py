"""The Python example of docs/api.md, run as written against a live server: it fills a whole
self-assessment from a FormData file, attaches evidence, checks and submits; then the receipt
verifies and the web shows the same form."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.api.conftest import token_for
from tests.assessments.helpers import PDF_BYTES
from zeren.assessments.formdata import (
    Answer,
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.assessments.models import SelfAssessment, Submission
from zeren.frameworks.loader import spec_from_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _example() -> str:
    return re.search(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S).group(1)  # type: ignore[union-attr]


def _form(sa: SelfAssessment) -> FormData:
    spec = spec_from_db(sa.campaign.framework)
    return FormData(
        framework=FrameworkRef(id=spec.id, version=spec.version),
        cover=Cover(
            enterprise_name="甲平台有限公司",
            business_scope="电商平台",
            contact_person="王五",
            contact_info="010-12345678",
        ),
        pledge=Pledge(
            enterprise_name="甲平台有限公司",
            lead="赵六",
            date=dt.date(2026, 11, 20),
            scan=FileRef(name="承诺书.pdf"),
        ),
        answers=[
            Answer(
                indicator=ind.number,
                level=1 + ind.number % 3,
                remarks=f"备注{ind.number}",
                work_summary=f"指标{ind.number}：我们的做法",
                evidence=[
                    Evidence(
                        seq=1,
                        title=f"制度{ind.number}",
                        note="",
                        text="",
                        files=[FileRef(name=f"制度{ind.number % 4}.pdf")],
                    )
                ],
            )
            for ind in spec.indicators
        ],
    )


@pytest.mark.django_db(transaction=True)
def test_the_docs_example_fills_checks_and_submits(
    live_server, assessment, alice, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ZEREN_API_RATE = "100000/m"
    form = _form(assessment)
    (tmp_path / "form.json").write_text(json.dumps(form.to_jsonable(), ensure_ascii=False))
    files = tmp_path / "evidence"
    files.mkdir()
    for i in range(4):
        (files / f"制度{i}.pdf").write_bytes(PDF_BYTES + f"{i}".encode())
    (files / "承诺书.pdf").write_bytes(PDF_BYTES + b"sealed")
    code = _example()
    for name, value in (
        ("BASE", repr(live_server.url + "/api/v1")),
        ("TOKEN", repr(token_for(alice))),
        ("SA", str(assessment.pk)),
        ("FORM", f"pathlib.Path({str(tmp_path / 'form.json')!r})"),
        ("FILES", f"pathlib.Path({str(files)!r})"),
    ):
        code, n = re.subn(rf"^{name} = .*$", f"{name} = {value}", code, flags=re.M)
        assert n == 1, name
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {"__name__": "docs_example"})
    assert "submitted:" in out.getvalue(), out.getvalue()

    submission = Submission.objects.get(self_assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    # The receipt verifies: the stored hash is the snapshot's.
    saved = FormData.model_validate(submission.snapshot)
    assert saved.sha256() == submission.sha256
    # The form submitted is the file's form (the date is the submission's; files gained hashes).
    expected = form.model_copy(deep=True)
    expected.cover.submission_date = saved.cover.submission_date
    for a in saved.answers:
        for e in a.evidence:
            for f in e.files:
                assert len(f.sha256) == 64 and f.size > 0
                f.sha256, f.size, f.content_type = "", 0, ""
    assert saved.pledge.scan is not None and len(saved.pledge.scan.sha256) == 64
    saved.pledge.scan = FileRef(name=saved.pledge.scan.name)
    assert saved == expected
    # And the web shows the same form.
    web = Client()
    web.force_login(alice)
    page = web.get(f"/assessments/{assessment.pk}/indicators/3/").content.decode()
    assert "指标3：我们的做法" in page and "制度3" in page and "备注3" in page
    overview = web.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "已提交" in overview
    receipt = web.get(f"/assessments/submissions/{submission.pk}/receipt/").content.decode()
    assert submission.sha256 in receipt
