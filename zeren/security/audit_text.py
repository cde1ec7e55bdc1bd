"""Audit events as sentences (Chinese, English through the catalogue) for timelines and the
audit page: never raw action codes or Python dicts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zeren.audit.models import AuditEvent

FIELD_NAMES = {
    "level": gettext_lazy("自评等级"),
    "remarks": gettext_lazy("备注"),
    "work_summary": gettext_lazy("相关工作情况介绍"),
    "sufficiency": gettext_lazy("佐证充分性"),
    "comment": gettext_lazy("评审意见"),
    "business_scope": gettext_lazy("自评业务版块或产品"),
    "enterprise_name": gettext_lazy("企业名称"),
    "contact_person": gettext_lazy("联系人"),
    "contact_info": gettext_lazy("联系方式"),
    "pledge_lead": gettext_lazy("承诺负责人"),
    "pledge_date": gettext_lazy("承诺日期"),
    "title": gettext_lazy("标题"),
    "closes_at": gettext_lazy("截止时间"),
    "opens_at": gettext_lazy("开始时间"),
    "status": gettext_lazy("状态"),
    "instructions": gettext_lazy("填报说明"),
    "is_active": gettext_lazy("启用"),
}

# action -> sentence; %(name)s placeholders come from _values().
SENTENCES: dict[str, Any] = {
    "self_assessment.created": gettext_lazy("创建了自评材料（%(business_scope)s）"),
    "self_assessment.cover_saved": gettext_lazy("修改了封面：%(fields)s"),
    "self_assessment.submitted": gettext_lazy("提交了第 %(submission)s 版"),
    "self_assessment.returned": gettext_lazy("退回修改（指标 %(indicators)s）"),
    "self_assessment.accepted": gettext_lazy("通过了第 %(submission)s 版"),
    "self_assessment.pledge_uploaded": gettext_lazy("上传了盖章的诚信承诺书“%(file)s”"),
    "self_assessment.started_from_submission": gettext_lazy("以已提交的版本为基础开始修改"),
    "self_assessment.imported": gettext_lazy("从 Word 文件导入了自评材料"),
    "answer.saved": gettext_lazy("修改了指标 %(indicator)s 的%(fields)s"),
    "answer.assigned": gettext_lazy("把指标 %(indicators)s 分派给 %(assignee)s"),
    "answer.commented": gettext_lazy("发表了评论"),
    "evidence.added": gettext_lazy("为指标 %(indicator)s 添加了佐证材料“%(title)s”"),
    "evidence.changed": gettext_lazy("修改了指标 %(indicator)s 的佐证材料“%(title)s”"),
    "evidence.deleted": gettext_lazy("删除了一项佐证材料"),
    "evidence.reordered": gettext_lazy("调整了佐证材料的顺序"),
    "evidence.file_removed": gettext_lazy("从佐证材料中移除了文件“%(file)s”"),
    "review.assigned": gettext_lazy("分配给评审专家 %(reviewer)s"),
    "review.unassigned": gettext_lazy("取消了评审专家 %(reviewer)s 的分配"),
    "review.conflict_declared": gettext_lazy("评审专家声明了利益冲突"),
    "review.rated": gettext_lazy("评审了指标 %(indicator)s"),
    "review.settled": gettext_lazy("认定指标 %(indicator)s 为第 %(level)s 级"),
    "campaign.created": gettext_lazy("创建了评估工作"),
    "campaign.changed": gettext_lazy("修改了评估工作：%(fields)s"),
    "campaign.opened": gettext_lazy("开始了评估工作"),
    "campaign.closed": gettext_lazy("结束了评估工作"),
    "campaign.archived": gettext_lazy("归档了评估工作"),
    "campaign.deadline_extended": gettext_lazy("延长了截止时间"),
    "campaign.enterprise_added": gettext_lazy("加入了一家企业"),
    "campaign.enterprises_imported": gettext_lazy("批量导入了企业"),
    "campaign.release_changed": gettext_lazy("修改了向企业公布的评审内容"),
    "campaign.reminded": gettext_lazy("发送了填报提醒"),
    "enterprise.created": gettext_lazy("创建了企业“%(name)s”"),
    "invitation.created": gettext_lazy("邀请了 %(email)s"),
    "invitation.resent": gettext_lazy("重新发送了邀请"),
    "invitation.accepted": gettext_lazy("接受了邀请"),
    "import.uploaded": gettext_lazy("上传了待导入的 Word 文件"),
    "import.corrected": gettext_lazy("修正了导入结果"),
    "auth.login": gettext_lazy("登录了系统"),
    "auth.logout": gettext_lazy("退出了登录"),
    "auth.login_failed": gettext_lazy("登录失败（%(login)s）"),
    "auth.login_refused_locked": gettext_lazy("账号或地址已锁定，登录被拒绝（%(login)s）"),
    "auth.locked_out": gettext_lazy("连续登录失败，账号或地址被锁定"),
    "auth.unlocked": gettext_lazy("解除了 %(username)s 的锁定"),
    "auth.session_expired": gettext_lazy("长时间未操作，已自动退出登录"),
    "auth.password_changed": gettext_lazy("修改了密码"),
    "auth.password_reset": gettext_lazy("通过邮件重设了密码"),
    "otp.enrolled": gettext_lazy("启用了两步验证"),
    "otp.verified": gettext_lazy("通过了两步验证"),
    "otp.failed": gettext_lazy("两步验证码错误"),
    "account.role_granted": gettext_lazy("授予角色“%(role)s”"),
    "account.role_revoked": gettext_lazy("撤销角色“%(role)s”"),
    "account.exported": gettext_lazy("导出了个人信息"),
    "account.erased": gettext_lazy("删除了个人信息（账号已匿名化）"),
    "file.downloaded": gettext_lazy("下载了文件“%(name)s”"),
    "document.downloaded": gettext_lazy("下载了文档“%(name)s”"),
    "bundle.downloaded": gettext_lazy("下载了佐证材料包“%(name)s”"),
    "export.downloaded": gettext_lazy("下载了导出文件“%(name)s”"),
    "audit.exported": gettext_lazy("导出了审计记录"),
    "audit.purged": gettext_lazy("删除了超过保存期限的审计记录"),
    "admin.added": gettext_lazy("在管理后台新增了%(model)s"),
    "admin.changed": gettext_lazy("在管理后台修改了%(model)s：%(fields)s"),
    "admin.deleted": gettext_lazy("在管理后台删除了%(model)s"),
    "api_token.created": gettext_lazy("创建了 API 令牌“%(token)s”"),
    "api_token.revoked": gettext_lazy("撤销了 API 令牌“%(token)s”"),
    "api_token.used_for_write": gettext_lazy(
        "通过 API 令牌“%(token)s”修改了数据（%(method)s %(path)s）"
    ),
    "improvement.created": gettext_lazy("新增了整改事项“%(action)s”"),
    "improvement.updated": gettext_lazy("更新了整改事项“%(action)s”"),
    "results.released": gettext_lazy("向企业公布了评估结果"),
    "results.withdrawn": gettext_lazy("撤回了已公布的评估结果"),
    "results.report_settings_saved": gettext_lazy("修改了行业报告的撰写内容"),
    "scan_check.requested": gettext_lazy("上传了盖章扫描件“%(file)s”，等待与电子版核对"),
    "scan_check.done": gettext_lazy("完成了纸质版与电子版的核对"),
}


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "—"


def _fields(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    return "、".join(str(FIELD_NAMES.get(k, k)) for k in data)


def _values(e: AuditEvent, indicator: int | None) -> _Lenient:
    after = e.after if isinstance(e.after, dict) else {}
    before = e.before if isinstance(e.before, dict) else {}
    values = _Lenient({**before, **after})
    values["fields"] = _fields(after or before) or "—"
    if isinstance(values.get("indicators"), list):
        values["indicators"] = "、".join(str(n) for n in values["indicators"])
    if values.get("assignee") is None:
        values["assignee"] = _("无人")
    if indicator is not None:
        values["indicator"] = indicator
    if "role" in values:
        from zeren.accounts.models import Role

        try:
            values["role"] = Role(values["role"]).label
        except ValueError:
            pass
    try:
        from django.apps import apps

        values["model"] = apps.get_model(e.object_type)._meta.verbose_name
    except (LookupError, ValueError):
        values["model"] = e.object_type
    return values


def describe(e: AuditEvent, indicator: int | None = None) -> str:
    """One sentence for one event, in the active language."""
    template = SENTENCES.get(e.action)
    if template is None:
        sentence = _("操作：%(action)s") % {"action": e.action}
    else:
        sentence = str(template) % _values(e, indicator)
    if e.result == AuditEvent.Result.FAILURE and not e.action.endswith(("failed", "locked")):
        sentence += _("（失败）")
    return sentence
