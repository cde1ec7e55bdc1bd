"""Error pages in the user's language; JSON for fetch/htmx callers. Never a stack trace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _wants_json(request: HttpRequest) -> bool:
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Zeren-Fetch") == "1"
    )


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("页面不存在"), _("您访问的页面不存在，或您没有查看权限。"))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, _("没有权限"), _("您没有执行此操作的权限。如需帮助，请联系本企业的管理员。")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("系统出错了"),
        _("处理请求时出现错误，您的输入没有丢失。请稍后重试；如果问题持续，请联系管理员。"),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request, 403, _("页面已过期"), _("页面已过期或登录状态已变化，请刷新页面后重试。")
    )
