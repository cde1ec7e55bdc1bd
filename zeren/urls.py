from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic.base import RedirectView

from zeren.api.api import api
from zeren.assessments import views as assessment_views

admin.site.site_header = _("Zeren 管理后台")
admin.site.site_title = _("Zeren 管理后台")
admin.site.index_title = _("数据管理")

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("", include("zeren.ops.urls")),
    path("accounts/", include("zeren.accounts.urls")),
    path("assessments/", include("zeren.assessments.urls")),
    path("organizer/campaigns/", include("zeren.campaigns.urls")),
    path("organizer/", include("zeren.reviews.urls")),
    path("review/", include("zeren.reviews.review_urls")),
    path("documents/", include("zeren.documents.urls")),
    path("documents/", include("zeren.intake.urls")),
    path("audit/", include("zeren.security.urls")),
    path("", include("zeren.reports.urls")),
    path("api/v1/", api.urls),
    path("api-tokens/", include("zeren.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("zeren/favicon.ico"), permanent=True)),
]

handler404 = "zeren.lib.errors.not_found"
handler403 = "zeren.lib.errors.forbidden"
handler500 = "zeren.lib.errors.server_error"
