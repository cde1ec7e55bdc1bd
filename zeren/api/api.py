"""The REST API (django-ninja, OpenAPI 3.1) under /api/v1/."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from zeren.api import errors
from zeren.api.auth import TokenAuth, TokenThrottle, audit_writes

DESCRIPTION = """Zeren 责任 — 互联网平台企业履行社会责任自评 / self-assessment API.

认证 / authentication: `Authorization: Bearer <token>`（在“API 令牌”页面或用 `zeren token create` 创建）.
错误 / errors: RFC 9457 `application/problem+json`, in the language of `Accept-Language` (Chinese by
default). Another enterprise's id answers 404. See docs/api.md.
"""

# Error statuses documented on every operation; writes may also meet 409, 413 and 415.
READ_ERRORS = (400, 401, 403, 404, 422, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422, 429)
ERROR_TEXT = {
    400: "请求无法解析 / malformed request",
    401: "缺少或无效的令牌 / missing or invalid token",
    403: "没有权限（含只读令牌写入）/ not allowed (a read-only token writing, too)",
    404: "不存在或不可见 / not found or not visible",
    409: "格式正确，但当前状态不允许（版本冲突、已提交、未完成、文件不属于本材料、联系方式无效）"
    " / well-formed, but refused in the current state (version conflict, submitted, incomplete,"
    " unknown file, invalid contact)",
    413: "内容过大 / too large",
    415: "不支持的内容类型 / unsupported media type",
    422: "不符合接口模式（含字段详情）/ does not match the schema, with field details",
    429: "请求过于频繁（见 Retry-After）/ too many requests (see Retry-After)",
}


class LocalSwagger(DocsBase):
    """Swagger UI from static/vendor (no CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "dom_id": "#swagger-ui",
            "deepLinking": True,
            "persistAuthorization": False,
        }
        return render(
            request, "api/docs.html", {"api": api, "swagger_settings": json.dumps(settings)}
        )


class ZerenAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # The function's name: short, stable names for generated clients (unique: tested).
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        return document_errors(schema)


def document_errors(schema: Any) -> Any:
    """Adds the problem responses to every operation and the Problem schema to the components."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = errors.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in problem_schema.pop("$defs", {}).items():
        components[name] = sub
    components["Problem"] = problem_schema
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in schema.get("paths", {}).values():
        for method, op in path.items():
            codes = READ_ERRORS if method == "get" else WRITE_ERRORS
            responses = {str(k): v for k, v in op.get("responses", {}).items()}
            op["responses"] = responses
            for code in codes:
                entry = responses.setdefault(str(code), {"description": ERROR_TEXT[code]})
                entry["content"] = {errors.PROBLEM_TYPE: {"schema": ref}}
                if code == 429:
                    entry["headers"] = {
                        "Retry-After": {
                            "description": "秒 / seconds",
                            "schema": {"type": "integer"},
                        }
                    }
    return schema


api = ZerenAPI(
    title="Zeren API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs=LocalSwagger(),
    parser=errors.JsonOnly(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_decorator(audit_writes, mode="view")


def _register() -> None:
    from zeren.api.routes import frameworks, organizer, reviews, self_assessments, submissions

    api.add_router("/", frameworks.router)
    api.add_router("/", self_assessments.router)
    api.add_router("/", submissions.router)
    api.add_router("/", reviews.router)
    api.add_router("/", organizer.router)


_register()
