from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "zeren.assessments"
    label = "assessments"
    verbose_name = _("自评填报")
