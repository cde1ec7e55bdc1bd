from django.urls import path

from zeren.reviews import views

app_name = "reviews"

urlpatterns = [
    path("campaigns/<int:pk>/reviewers/", views.auto_assign, name="auto_assign"),
    path("campaigns/<int:pk>/release/", views.release, name="release"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/return/", views.return_submission, name="return"),
    path("submissions/<int:pk>/accept/", views.accept, name="accept"),
    path("submissions/<int:pk>/assign/", views.assign, name="assign"),
    path(
        "submissions/<int:pk>/assignments/<int:assignment_id>/remove/",
        views.unassign,
        name="unassign",
    ),
    path("submissions/<int:pk>/settle/", views.settle, name="settle"),
]
