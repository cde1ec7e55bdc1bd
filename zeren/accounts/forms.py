from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from zeren.accounts.models import Role


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或邮箱"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("用户名（或邮箱）或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用。"),
    }


class AcceptInvitationForm(SetPasswordForm):  # type: ignore[type-arg]
    display_name = forms.CharField(label=_("姓名"), max_length=100)
    username = forms.SlugField(
        label=_("用户名"), max_length=150, help_text=_("登录时使用，可用字母、数字、下划线和连字符")
    )

    field_order = ["display_name", "username", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("设置密码")
        self.fields["new_password2"].label = _("确认密码")

    def clean_username(self) -> str:
        from zeren.accounts.models import User

        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("该用户名已被使用"))
        return str(username)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=100)
    email = forms.EmailField(label=_("邮箱"))
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[
            (Role.ENTERPRISE_MEMBER.value, Role.ENTERPRISE_MEMBER.label),
            (Role.ENTERPRISE_ADMIN.value, Role.ENTERPRISE_ADMIN.label),
        ],
    )
