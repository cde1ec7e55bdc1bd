"""Errors as RFC 9457 problem details (application/problem+json), in the caller's language.

The language comes from Accept-Language (Django's LocaleMiddleware), Chinese by default.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from pydantic import Field

from zeren.assessments.services import Conflict, Incomplete, ServiceError

PROBLEM_TYPE = "application/problem+json"


class FieldError(Schema):
    field: str = Field(description="出错的字段（点分路径）/ the field, as a dotted path")
    message: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="422/409: 各字段的错误 / the error of each field"
    )
    version: int | None = Field(default=None, description="409: 当前版本 / the current version")
    theirs: dict[str, Any] | None = Field(
        default=None, description="409: 已保存的内容 / what is saved now"
    )
    mine: dict[str, Any] | None = Field(default=None, description="409: 您提交的内容 / yours")
    findings: list[dict[str, Any]] | None = Field(
        default=None, description="409 on submit: 完整性检查结果 / the completeness findings"
    )


class ApiProblem(Exception):
    """Raised by API code for a problem response."""

    def __init__(self, status: int, detail: str, **extra: Any):
        self.status = status
        self.detail = detail
        self.extra = extra
        super().__init__(detail)


def _titles() -> dict[int, str]:
    return {
        400: _("请求有误"),
        401: _("未认证"),
        403: _("没有权限"),
        404: _("不存在"),
        405: _("不支持的方法"),
        409: _("冲突"),
        413: _("内容过大"),
        415: _("不支持的内容类型"),
        422: _("内容无法处理"),
        429: _("请求过于频繁"),
        500: _("系统出错了"),
    }


def problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _titles().get(status, str(status)),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return JsonResponse(
        body, status=status, content_type=PROBLEM_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        out.append({"field": ".".join(loc) or "body", "message": str(e.get("msg", ""))})
    return out


class JsonOnly(Parser):
    """JSON bodies only: another media type is a 415 (ninja reports a parse failure as 400,
    with this problem as its cause)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if "json" not in (request.content_type or ""):
            raise ApiProblem(415, _("请以 %(type)s 发送请求内容") % {"type": "application/json"})
        body: dict[str, Any] = _storable(super().parse_body(request))
        return body


def _storable(value: Any) -> Any:
    """Text as it can be stored: PostgreSQL refuses NUL (U+0000), which no one types and
    nothing shows, so it is dropped; a lone surrogate (\ud800 written alone in JSON) is not a
    character at all and becomes U+FFFD. Everything else is kept as sent."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = "".join(c if not 0xD800 <= ord(c) <= 0xDFFF else "\ufffd" for c in value)
        return value
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def install(api: Any) -> None:
    """Every error the API gives, as problem details."""

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(
            request, 422, _("请求内容有误，请按字段说明修改"), errors=_field_errors(exc.errors)
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            response = problem(request, 401, _("请在 Authorization 头中提供有效的 API 令牌"))
            response["WWW-Authenticate"] = 'Bearer realm="zeren"'
            return response
        if isinstance(exc, Throttled):
            return problem(request, 429, _("请求过于频繁，请稍后重试"))
        if exc.status_code == 400:
            if isinstance(exc.__cause__, ApiProblem):
                return on_api_problem(request, exc.__cause__)
            return problem(request, 400, _("请求内容无法解析（JSON 格式有误？）"))
        return problem(request, exc.status_code, str(exc))

    def on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem(request, exc.status, exc.detail, **exc.extra)

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 404, _("不存在，或您没有查看权限"))

    def on_403(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 403, _("您没有执行此操作的权限"))

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return problem(request, 409, exc.message, version=exc.version, theirs=exc.current)

    def on_incomplete(request: HttpRequest, exc: Incomplete) -> HttpResponse:
        findings = [
            {
                "severity": f.severity,
                "indicator": f.indicator,
                "field": f.field,
                "message": f.message,
            }
            for f in exc.findings
        ]
        return problem(request, 409, exc.message, findings=findings)

    def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return problem(request, 409, exc.message)

    def on_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            request,
            413,
            _("请求内容超过 %(mb)d MB 的大小限制")
            % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
        )

    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ApiProblem, on_api_problem)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(ServiceError, on_service_error)
    api.add_exception_handler(Conflict, on_conflict)
    api.add_exception_handler(Incomplete, on_incomplete)
