"""zeren formdata-schema: print (or check) the FormData JSON schema."""

from __future__ import annotations

from typing import Any

from zeren.assessments.formdata import json_schema
from zeren.lib.schema_command import SchemaCommand


class Command(SchemaCommand):
    help = "输出 FormData 的 JSON 模式 / Print the FormData JSON schema"
    name = "formdata-schema"

    def schema(self) -> Any:
        return json_schema()
