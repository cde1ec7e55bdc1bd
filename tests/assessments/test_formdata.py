from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.assessments.helpers import fill_completely
from zeren.assessments import services
from zeren.assessments.formdata import FormData, canonical_json, json_schema
from zeren.assessments.models import SelfAssessment
from zeren.assessments.snapshot import apply_form, form_from_assessment

ROOT = Path(__file__).resolve().parents[2]


def test_canonical_json_is_stable_whatever_the_key_order() -> None:
    a = canonical_json({"b": 1, "a": ["中", {"y": 2, "x": 1}]})
    b = canonical_json({"a": ["中", {"x": 1, "y": 2}], "b": 1})
    assert a == b == '{"a":["中",{"x":1,"y":2}],"b":1}'.encode()


def test_it_uses_the_names_fixed_in_the_data_model() -> None:
    form = FormData.model_validate(
        {
            "framework": {"id": "platform-csr", "version": 1},
            "cover": {
                "enterprise_name": "甲",
                "business_scope": "电商",
                "contact_person": "张三",
                "contact_info": "13800000000",
                "submission_date": "2026-11-28",
            },
            "pledge": {"enterprise_name": "甲", "lead": "李四", "date": "2026-11-28"},
            "answers": [
                {
                    "indicator": 2,
                    "level": 1,
                    "remarks": "",
                    "work_summary": "x",
                    "evidence": [{"seq": 1, "title": "报告", "note": "", "files": []}],
                }
            ],
        }
    )
    data = json.loads(form.canonical_json())
    assert data["answers"][0]["evidence"][0]["title"] == "报告"
    assert data["cover"]["submission_date"] == "2026-11-28"


def test_it_rejects_a_level_outside_one_to_five_and_duplicate_indicators() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        FormData.model_validate(
            {"framework": {"id": "x", "version": 1}, "answers": [{"indicator": 1, "level": 6}]}
        )
    with pytest.raises(ValidationError):
        FormData.model_validate(
            {
                "framework": {"id": "x", "version": 1},
                "answers": [{"indicator": 1}, {"indicator": 1}],
            }
        )


def test_the_documented_schema_is_current() -> None:
    documented = json.loads((ROOT / "docs" / "formdata.schema.json").read_text(encoding="utf-8"))
    assert documented == json_schema()
    call_command("formdata_schema", check=str(ROOT / "docs" / "formdata.schema.json"))


@pytest.mark.django_db
def test_model_to_formdata_to_model_round_trips(assessment, alice, campaign, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    fill_completely(assessment, alice, level=2)
    answer = assessment.answers.get(indicator__number=9)
    services.save_answer(
        answer=answer,
        by=alice,
        expected_version=answer.version,
        changes={"remarks": "A&B <科技> {{ x }}", "level": 4},
    )
    original = form_from_assessment(SelfAssessment.objects.get(pk=assessment.pk))
    from zeren.campaigns.models import Campaign

    other = Campaign.objects.create(
        framework=campaign.framework,
        title="另一次",
        year=2027,
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at,
    )
    copy = services.create_self_assessment(
        campaign=other, enterprise=enterprise_a, business_scope="另一业务", by=alice
    )
    files = {f.sha256: f for f in assessment.files.all()}
    apply_form(original, copy, files_by_sha=files)
    copy = SelfAssessment.objects.get(pk=copy.pk)
    again = form_from_assessment(copy)
    assert again.model_dump() == original.model_dump()
    assert again.sha256() == original.sha256()
