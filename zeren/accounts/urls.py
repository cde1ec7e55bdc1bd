from django.contrib.auth import views as auth_views
from django.urls import path

from zeren.accounts import views
from zeren.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitation/<str:token>/", views.accept_invitation_view, name="accept_invitation"),
    path("enterprise/<int:enterprise_id>/members/", views.members, name="members"),
]
