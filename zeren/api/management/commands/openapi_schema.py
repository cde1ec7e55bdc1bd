"""zeren openapi-schema: print (or check) the API's OpenAPI 3.1 document."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from zeren.lib.schema_command import SchemaCommand


class Command(SchemaCommand):
    help = "输出接口的 OpenAPI 文档 / Print the API's OpenAPI document"
    name = "openapi-schema"

    def schema(self) -> Any:
        from zeren.api.api import api

        # Always in the default language, so the committed file does not depend on the caller's.
        with translation.override("zh-hans"):
            return api.get_openapi_schema(path_prefix="/api/v1/")
