"""FormData: the one canonical shape of a filled form.

Every road in and out speaks it: the web editor, the Word import, the REST API, the rendered
documents and the submission snapshots. Its JSON schema is in docs/formdata.schema.json
(regenerate with `zeren formdata-schema`); canonical JSON makes a snapshot's SHA-256 stable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

FORMDATA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


class FrameworkRef(_Model):
    id: str = Field(description="指标体系标识 / framework id, e.g. platform-csr")
    version: int = Field(ge=1, description="指标体系版本 / framework version")


class FileRef(_Model):
    name: str = Field(description="原文件名 / original file name")
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    size: int = Field(default=0, ge=0)
    content_type: str = ""


class Cover(_Model):
    enterprise_name: str = Field(default="", description="企业名称（公章）")
    business_scope: str = Field(default="", description="自评业务版块或产品")
    contact_person: str = Field(default="", description="联系人")
    contact_info: str = Field(default="", description="联系方式")
    submission_date: dt.date | None = Field(default=None, description="提交日期")


class Pledge(_Model):
    enterprise_name: str = Field(default="", description="企业名称（公章）")
    lead: str = Field(default="", description="评估工作负责人")
    date: dt.date | None = Field(default=None, description="日期")
    scan: FileRef | None = Field(default=None, description="盖章承诺书扫描件 / sealed pledge scan")


class Evidence(_Model):
    seq: int = Field(ge=1, description="序号")
    title: str = Field(default="", description="材料名称")
    note: str = Field(default="", description="备注")
    text: str = Field(default="", description="文字佐证内容 / evidence given as text")
    files: list[FileRef] = Field(default_factory=list)


class Answer(_Model):
    indicator: int = Field(ge=1, description="三级指标序号 / the indicator's 序号")
    level: int | None = Field(default=None, ge=1, le=5, description="企业自评: 1 best … 5 worst")
    remarks: str = Field(default="", description="备注")
    work_summary: str = Field(default="", description="相关工作情况介绍")
    evidence: list[Evidence] = Field(default_factory=list, description="佐证材料目录")


class FormData(_Model):
    formdata_version: int = FORMDATA_VERSION
    framework: FrameworkRef
    cover: Cover = Field(default_factory=Cover)
    pledge: Pledge = Field(default_factory=Pledge)
    answers: list[Answer] = Field(default_factory=list)

    @field_validator("answers")
    @classmethod
    def _unique_indicators(cls, answers: list[Answer]) -> list[Answer]:
        numbers = [a.indicator for a in answers]
        if len(numbers) != len(set(numbers)):
            raise ValueError("同一指标出现多次 / an indicator appears more than once")
        return sorted(answers, key=lambda a: a.indicator)

    def answer(self, indicator: int) -> Answer | None:
        for a in self.answers:
            if a.indicator == indicator:
                return a
        return None

    def to_jsonable(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def canonical_json(self) -> bytes:
        return canonical_json(self.to_jsonable())

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json()).hexdigest()


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no insignificant white space, UTF-8: the same data gives the same bytes."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def empty_form(framework_id: str, version: int, indicators: list[int]) -> FormData:
    return FormData(
        framework=FrameworkRef(id=framework_id, version=version),
        answers=[Answer(indicator=n) for n in indicators],
    )


def json_schema() -> dict[str, Any]:
    schema = FormData.model_json_schema()
    schema["$id"] = f"https://zeren.invalid/schema/formdata-v{FORMDATA_VERSION}.json"
    schema["title"] = "FormData"
    return schema
