"""What reading a form gives: ParseResult, its Problems, or a ParseError."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zeren.assessments.formdata import FormData


@dataclass(frozen=True)
class Problem:
    """Something a person should look at; the form was still read."""

    indicator: int | None
    code: str
    message: str

    def to_jsonable(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ParseError:
    """The file could not be read at all."""

    code: str
    message: str

    def to_jsonable(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class ParseResult:
    form: FormData | None
    problems: list[Problem] = field(default_factory=list)
    error: ParseError | None = None
    # what a scan adds (pages, seals, OCR confidences, mark measures); None for Word files
    scan: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failed(cls, code: str, message: str) -> ParseResult:
        return cls(form=None, problems=[], error=ParseError(code, message))
