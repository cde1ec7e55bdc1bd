"""The `zeren` command: Zeren's own commands, with hyphenated names, over Django's."""

from __future__ import annotations

import os
import sys

# Zeren's commands: the name people type -> the Django management command behind it.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "启动服务（先迁移数据库）/ Start the server (migrates first)"),
    "worker": ("worker", "运行后台任务 / Run background jobs"),
    "jobs": ("jobs", "列出排队、运行中和失败的后台任务 / List queued, running and failed jobs"),
    "backup": ("backup", "备份数据库与文件 / Back up the database and files"),
    "restore": ("restore", "从备份恢复到空库 / Restore a backup into an empty database"),
    "verify": ("verify", "校验提交与文件的哈希 / Verify submission and file hashes"),
    "migrate": ("migrate", "迁移数据库 / Apply database migrations"),
    "createadmin": ("createadmin", "创建主办方管理员 / Create an organizer administrator"),
    "demo": ("demo", "载入演示数据 / Load demo data"),
    "campaigns": ("campaigns", "列出评估工作 / List the campaigns"),
    "enterprises": ("enterprises", "列出企业 / List the enterprises"),
    "load-framework": ("load_framework", "载入指标体系文件 / Load a framework file (YAML or XLSX)"),
    "export-framework": ("export_framework", "导出指标体系为 Excel / Export a framework to XLSX"),
    "load-mapping": ("load_mapping", "载入指标映射 / Load an indicator mapping between versions"),
    "export-mapping": (
        "export_mapping",
        "导出指标映射为 Excel / Export an indicator mapping to XLSX",
    ),
    "report": ("report", "生成评估报告或行业报告 / Make a scorecard or the industry report"),
    "render-form": ("render_form", "生成自评材料 Word/PDF / Render the form as Word/PDF"),
    "parse-form": ("parse_form", "读取 Word 自评材料 / Read filled Word forms"),
    "audit": ("audit", "审计记录校验与清理 / Verify or purge the audit log"),
    "formdata-schema": (
        "formdata_schema",
        "输出 FormData JSON 模式 / Print the FormData JSON schema",
    ),
    "openapi-schema": (
        "openapi_schema",
        "输出接口 OpenAPI 文档 / Print the API's OpenAPI document",
    ),
    "token": ("token", "创建 API 令牌 / Create an API token (token create --user U --scope S)"),
}


def _usage() -> str:
    lines = ["用法 / usage: zeren <命令 command> [选项 options]", "", "命令 / commands:"]
    for name, (_, text) in COMMANDS.items():
        lines.append(f"  {name:<18} {text}")
    lines.append("")
    lines.append("zeren <命令> --help 查看命令说明 / shows a command's help")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return
    name = argv[0]
    if name not in COMMANDS:
        print(f"未知命令 / unknown command: {name}\n", file=sys.stderr)
        print(_usage(), file=sys.stderr)
        raise SystemExit(2)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["zeren", COMMANDS[name][0], *argv[1:]])
    except ImproperlyConfigured as exc:
        # A wrong setting is the operator's to fix: say which, without a stack trace.
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
