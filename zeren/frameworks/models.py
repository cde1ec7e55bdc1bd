from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """One version of an indicator framework (指标体系); immutable once a campaign uses it."""

    key = models.SlugField(_("标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    scoring_rule = models.CharField(_("计分规则"), max_length=32, default="weighted_mean")
    evidence_levels = models.JSONField(_("需佐证的等级"), default=list)
    evidence_severity = models.CharField(_("缺少佐证时"), max_length=16, default="error")
    document = models.JSONField(_("文档文字"), default=dict)
    created_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="framework_key_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.key} v{self.version}）"

    def is_in_use(self) -> bool:
        return self.campaigns.exists()


class Area(models.Model):
    """一级指标."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveIntegerField(_("顺序"))
    name = models.CharField(_("一级指标"), max_length=200)

    class Meta:
        verbose_name = _("一级指标")
        verbose_name_plural = _("一级指标")
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """二级指标."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveIntegerField(_("顺序"))
    name = models.CharField(_("二级指标"), max_length=200)

    class Meta:
        verbose_name = _("二级指标")
        verbose_name_plural = _("二级指标")
        ordering = ["area", "position"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """三级指标: the rated row, numbered by 序号."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("三级指标"), max_length=200)
    description = models.TextField(_("指标说明"))
    weight = models.DecimalField(_("权重"), max_digits=8, decimal_places=4, default=1)
    levels_supplied = models.BooleanField(
        _("选项为补充"), default=False, help_text=_("原表未给出选项，由系统补充")
    )

    class Meta:
        verbose_name = _("三级指标")
        verbose_name_plural = _("三级指标")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="indicator_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Level(models.Model):
    """One of an indicator's five levels: 1 best … 5 worst, with its own label and points."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("等级"))
    label = models.CharField(_("选项标签"), max_length=100)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["indicator", "number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="level_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}.{self.label}"


class FrameworkMapping(models.Model):
    """How the indicators of one framework version became those of another (年度对比)."""

    source = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="+", verbose_name=_("原版本")
    )
    target = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="+", verbose_name=_("新版本")
    )
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        db_table = "reports_frameworkmapping"  # born in the reports app; the table kept its name
        verbose_name = _("指标映射")
        verbose_name_plural = _("指标映射")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_mapping_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class MappingEntry(models.Model):
    class Kind(models.TextChoices):
        SAME = "same", _("不变")
        RENAMED = "renamed", _("更名")
        SPLIT = "split", _("拆分")
        MERGED = "merged", _("合并")
        NEW = "new", _("新增")
        DROPPED = "dropped", _("删除")

    mapping = models.ForeignKey(FrameworkMapping, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    source_number = models.PositiveIntegerField(_("原序号"), null=True, blank=True)
    target_number = models.PositiveIntegerField(_("新序号"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        db_table = "reports_mappingentry"
        verbose_name = _("映射条目")
        verbose_name_plural = _("映射条目")
        ordering = ["mapping", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.source_number} → {self.target_number}"
