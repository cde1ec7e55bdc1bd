"""The API's shapes. A self-assessment is FormData with ids and versions added."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from ninja import Path, Schema
from pydantic import ConfigDict, Field

from zeren.assessments import formdata

T = TypeVar("T")

MAX_ID = 2**62
# A path id: positive and within the database's integers (a larger one is a 422, not a crash).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# An id in a body: the same bounds.
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Page(Schema, Generic[T]):
    count: int = Field(description="总数 / total number of items")
    limit: int
    offset: int
    items: list[T]


class FrameworkOut(Schema):
    key: str
    version: int
    title: str
    source: str
    indicators: int


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    status: str
    framework: formdata.FrameworkRef
    opens_at: dt.datetime
    closes_at: dt.datetime
    accepting_submissions: bool


# A self-assessment: FormData with ids and versions -----------------------------------------


class FileOut(formdata.FileRef):
    id: int = Field(description="文件编号，用于 GET /files/{id} / the file's id")


class EvidenceOut(formdata.Evidence):
    id: int = Field(description="材料编号 / the evidence item's id")
    files: list[FileOut] = Field(default_factory=list)  # type: ignore[assignment]


class AnswerOut(formdata.Answer):
    version: int = Field(description="乐观锁版本，PATCH 时带上 / send it back with PATCH")
    evidence: list[EvidenceOut] = Field(default_factory=list)  # type: ignore[assignment]


class PledgeOut(formdata.Pledge):
    scan: FileOut | None = None


class SelfAssessmentOut(formdata.FormData):
    """The FormData fields at the top level, plus id, status and version (of cover and pledge)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    status: str
    version: int = Field(description="封面与承诺书的版本 / the cover and pledge version")
    enterprise: str
    campaign: int
    pledge: PledgeOut = Field(default_factory=PledgeOut)
    answers: list[AnswerOut] = Field(default_factory=list)  # type: ignore[assignment]


class SelfAssessmentItem(Schema):
    id: int
    campaign: int
    enterprise: str
    enterprise_credit_code: str
    business_scope: str
    status: str
    updated_at: dt.datetime


class AnswerPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1, description="读取时的版本 / the version you read")
    level: int | None = Field(default=None, ge=1, le=5)
    remarks: str | None = Field(default=None, max_length=100_000)
    work_summary: str | None = Field(default=None, max_length=100_000)


class Saved(Schema):
    version: int
    saved_at: dt.datetime


class CoverIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1)
    enterprise_name: str = Field(max_length=200)
    business_scope: str = Field(max_length=200)
    contact_person: str = Field(default="", max_length=100)
    contact_info: str = Field(default="", max_length=200)


class PledgeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1)
    lead: str = Field(default="", max_length=100)
    date: dt.date | None = None
    scan: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="盖章承诺书扫描件的文件编号（kind=pledge_scan）；null 保留现有的"
        " / the pledge scan's file id (kind=pledge_scan); null keeps the current one",
    )


class EvidenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    note: str = Field(default="", max_length=500)
    text: str = Field(default="", max_length=100_000)
    files: list[BodyId] = Field(
        default_factory=list,
        max_length=200,
        description="本自评材料已上传文件的编号 / ids of files uploaded to this self-assessment",
    )


class EvidenceOrder(Schema):
    model_config = ConfigDict(extra="forbid")

    order: list[BodyId] = Field(max_length=1000, description="材料编号，第一个为 1 号 / item ids")


class StoredFileOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    content_type: str
    kind: str


class FindingOut(Schema):
    severity: Literal["error", "warning"]
    code: str
    message: str
    indicator: int | None
    field: str


class CheckOut(Schema):
    ok: bool = Field(description="没有错误，可以提交 / no errors: may be submitted")
    errors: int
    warnings: int
    findings: list[FindingOut]


class Receipt(Schema):
    submission: int
    number: int
    sha256: str
    submitted_at: dt.datetime
    submitted_by: str
    enterprise: str
    business_scope: str


class SubmissionOut(Receipt):
    self_assessment: int
    snapshot: dict[str, Any] = Field(description="FormData 快照 / the FormData snapshot")


class VerifyOut(Schema):
    ok: bool
    stored_sha256: str
    computed_sha256: str


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int = Field(ge=0, le=100)
    message: str
    result_name: str
    download: str | None = Field(description="完成后的下载地址 / download path when done")


class AssignmentOut(Schema):
    id: int
    self_assessment: int
    submission: int | None
    enterprise: str
    business_scope: str
    status: str
    is_lead: bool


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: int | None = Field(default=None, ge=1, le=5)
    sufficiency: Literal["", "sufficient", "partial", "insufficient"] = ""
    comment: str = Field(default="", max_length=100_000)
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class RatingOut(Schema):
    indicator: int
    level: int | None
    sufficiency: str
    comment: str
    version: int


class AreaProgressOut(Schema):
    name: str
    rated: int
    total: int


class ProgressRow(Schema):
    self_assessment: int
    enterprise: str
    credit_code: str
    business_scope: str
    status: str
    stage: str
    rated: int
    total: int
    percent: int
    areas: list[AreaProgressOut]
    latest_submission: int | None


class ProgressOut(Schema):
    campaign: int
    counts: dict[str, int]
    total: int
    days_left: int | None
    rows: list[ProgressRow]


class ResultRow(Schema):
    self_assessment: int
    submission: int
    number: int
    enterprise: str
    business_scope: str
    status: str
    self_score: str | None
    reviewed_score: str | None


class ImportItemOut(Schema):
    id: int
    name: str
    status: str
    enterprise: str | None
    self_assessment: int | None
    error: str
    problems: list[Any]


class ImportBatchOut(Schema):
    id: int
    campaign: int
    status: str
    progress: int
    items: list[ImportItemOut]
