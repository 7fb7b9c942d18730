"""Forms for accounts: password change, the administrators' user and role forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from orgs import services
from orgs.access import ADMIN_ROLES
from orgs.models import Department, Unit, User

ORDINARY_ROLES = [(value, label) for value, label in User.Role.choices if value not in ADMIN_ROLES]


class BootstrapMixin:
    """Bootstrap's classes on every widget, so templates can loop over fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    """Django's form (old password, new password twice, the policy's validators) saved through
    the audited service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "当前密码不正确，请重新输入。",
            "password_mismatch": "两次输入的新密码不一致。",
        }

    def save(self, commit: bool = True) -> User:
        return services.user_password_change(
            user=self.user, new_password=self.cleaned_data["new_password1"]
        )


class ScopeFieldsMixin(BootstrapMixin, forms.Form):
    """Role with the unit (unit roles) or department (department staff) it needs."""

    role = forms.ChoiceField(label="角色", choices=ORDINARY_ROLES)
    unit = forms.ModelChoiceField(
        label="所属单位（单位填报员、单位负责人）", queryset=Unit.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label="所属部门（部门工作人员）", queryset=Department.objects.all(), required=False
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The administrator's own federation's units and departments, by full name: two
        # federations may each have a 建设工会 or a 劳动和经济工作部.
        federation = actor.federation_id
        self.fields["unit"].queryset = Unit.objects.filter(federation_id=federation)
        self.fields["unit"].label_from_instance = lambda unit: unit.name
        self.fields["department"].queryset = Department.objects.filter(federation_id=federation)

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (User.Role.UNIT_REPORTER, User.Role.UNIT_HEAD) and not data.get("unit"):
            self.add_error("unit", services.USER_ROLE_NEEDS_UNIT)
        if role == User.Role.DEPARTMENT_STAFF and not data.get("department"):
            self.add_error("department", services.USER_ROLE_NEEDS_DEPARTMENT)
        return data


class UserCreateForm(ScopeFieldsMixin):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="汉字、字母、数字和 @ . + - _，最多 150 个字符；不区分大小写。",
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)

    field_order = ["username", "display_name", "email", "role", "unit", "department"]


class UserEditForm(BootstrapMixin, forms.Form):
    display_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)


class RoleChangeForm(ScopeFieldsMixin):
    pass


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label="用户名或姓名", required=False, max_length=150)
    role = forms.ChoiceField(
        label="角色", choices=[("", "全部角色"), *User.Role.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    active = forms.ChoiceField(
        label="状态",
        choices=[("", "全部"), ("1", "启用"), ("0", "停用")],
        required=False,
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(federation_id=actor.federation_id)
        self.fields["unit"].label_from_instance = lambda unit: unit.name

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"1": True, "0": False}.get(data["active"])
        unit = data["unit"]
        return {
            "q": data["q"],
            "role": data["role"],
            "unit_id": unit.pk if unit else None,
            "active": active,
        }


class AccountUnlockForm(forms.Form):
    """Which lock to end (orgs.selectors.locked_account_list): a username (from every
    address, or from one), or an address (for every username)."""

    username = forms.CharField(required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("username") and not data.get("ip_address"):
            raise forms.ValidationError(services.ACCOUNT_UNLOCK_NOTHING_NAMED)
        data["ip_address"] = data.get("ip_address") or None
        return data

    def done_message(self) -> str:
        username, ip = self.cleaned_data["username"], self.cleaned_data["ip_address"]
        if not username:
            return f"已解除地址 {ip} 的锁定。"
        if not ip:
            return f"已解除账号 {username} 的锁定。"
        return f"已解除账号 {username}（来源地址 {ip}）的锁定。"


class SecondFactorCodeForm(BootstrapMixin, forms.Form):
    """A code of the authenticator app (6 digits) or, where `label` says so, a recovery code."""

    code = forms.CharField(label="验证码", max_length=32)

    def __init__(self, *args, label: str = "验证码", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", autofocus=True)


class UnitAccountsConfirmForm(forms.Form):
    """The confirmation of the bulk creation of unit accounts: the preview it confirms."""

    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)
