from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from zeren.accounts import security_views, views
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
    path("otp/", security_views.second_factor, name="otp"),
    path(
        "password/change/",
        security_views.ZerenPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        security_views.ZerenPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("session/keepalive/", security_views.session_keepalive, name="session_keepalive"),
    path("session/status/", security_views.session_status, name="session_status"),
    path("invitation/<str:token>/", views.accept_invitation_view, name="accept_invitation"),
    path("enterprise/<int:enterprise_id>/members/", views.members, name="members"),
]
