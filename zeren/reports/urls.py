from django.urls import path

from zeren.reports import views

app_name = "results"

urlpatterns = [
    path("organizer/campaigns/<int:pk>/results/", views.analysis, name="analysis"),
    path("organizer/campaigns/<int:pk>/results/state/", views.results_action, name="state"),
    path("organizer/campaigns/<int:pk>/results.xlsx", views.workbook, name="workbook"),
    path("organizer/campaigns/<int:pk>/results/report/", views.report, name="report"),
    path("assessments/<int:pk>/result/scorecard/", views.scorecard, name="scorecard"),
    path("assessments/<int:pk>/result/", views.enterprise, name="enterprise"),
    path("assessments/<int:pk>/result/actions/", views.action_create, name="action_create"),
    path(
        "assessments/<int:pk>/result/actions/<int:action_id>/",
        views.action_update,
        name="action_update",
    ),
]
