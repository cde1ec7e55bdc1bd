from django.urls import path

from zeren.reviews import views

app_name = "reviews"

urlpatterns = [
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/return/", views.return_submission, name="return"),
    path("submissions/<int:pk>/accept/", views.accept, name="accept"),
]
