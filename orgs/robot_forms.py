"""The system administrator's form for a group robot (群机器人)."""

from __future__ import annotations

from django import forms

from orgs.forms import BootstrapMixin
from orgs.models import Department, GroupRobot, Unit, User
from orgs.robot_delivery import webhook_url_problem
from orgs.robot_services import ROBOT_SECRET_WECOM

URL_HELP = (
    "在企业微信或钉钉群的“群机器人”设置中复制 Webhook 地址；只接受 https:// 开头的地址，"
    "也可以是本单位内网中转服务的地址。"
)
SECRET_HELP = "钉钉机器人的安全设置选“加签”时填写（SEC 开头）；企业微信机器人留空。"  # noqa: S105 - a help text
KEEP = "（留空则保持不变）"
TARGET_MISSING = "请选择一个单位或一个部门。"


class GroupRobotForm(BootstrapMixin, forms.Form):
    """Where messages go (a unit or a department of the administrator's federation), the
    robot's kind, address and secret. Editing, an empty address or secret keeps the current
    one: neither is shown back."""

    target = forms.ChoiceField(
        label="发送对象（单位或部门）",
        error_messages={"required": TARGET_MISSING, "invalid_choice": TARGET_MISSING},
    )
    kind = forms.ChoiceField(label="类型", choices=GroupRobot.Kind.choices)
    name = forms.CharField(
        label="名称", max_length=50, required=False, help_text="便于辨认，例如“汝州市填报群”。"
    )
    webhook_url = forms.CharField(label="Webhook 地址", max_length=500, help_text=URL_HELP)
    secret = forms.CharField(
        label="加签密钥",
        max_length=200,
        required=False,
        help_text=SECRET_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret_clear = forms.BooleanField(label="清除已保存的加签密钥", required=False)
    enabled = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, actor: User, robot: GroupRobot | None = None, **kwargs):
        if robot is not None:
            kwargs.setdefault(
                "initial",
                {
                    "target": f"unit:{robot.unit_id}"
                    if robot.unit_id
                    else f"department:{robot.department_id}",
                    "kind": robot.kind,
                    "name": robot.name,
                    "enabled": robot.enabled,
                },
            )
        super().__init__(*args, **kwargs)
        self.robot = robot
        federation = actor.federation_id
        self.units = {u.pk: u for u in Unit.objects.filter(federation_id=federation)}
        self.departments = {d.pk: d for d in Department.objects.filter(federation_id=federation)}
        self.fields["target"].choices = [
            ("", "请选择"),
            ("单位", [(f"unit:{pk}", u.name) for pk, u in self.units.items()]),
            ("部门", [(f"department:{pk}", d.name) for pk, d in self.departments.items()]),
        ]
        self.fields["enabled"].widget.attrs["class"] = "form-check-input"
        self.fields["secret_clear"].widget.attrs["class"] = "form-check-input"
        if robot is None:
            del self.fields["secret_clear"]
        else:
            self.fields["webhook_url"].required = False
            self.fields["webhook_url"].label += KEEP
            self.fields["webhook_url"].help_text = (
                f"当前地址：{robot.host}/…（已隐藏）。" + URL_HELP
            )
            self.fields["secret"].label += KEEP
            if robot.secret:
                self.fields["secret"].help_text = f"当前密钥：{robot.masked_secret}。" + SECRET_HELP

    def clean_target(self) -> tuple[Unit | None, Department | None]:
        kind, _, pk = self.cleaned_data["target"].partition(":")
        found = {"unit": self.units, "department": self.departments}.get(kind, {})
        chosen = found.get(int(pk)) if pk.isdigit() else None
        if chosen is None:
            raise forms.ValidationError(TARGET_MISSING)
        return (chosen, None) if kind == "unit" else (None, chosen)

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data["webhook_url"].strip()
        # Editing, an empty address keeps the current one.
        if (url or self.robot is None) and (problem := webhook_url_problem(url)):
            raise forms.ValidationError(problem)
        return url

    def clean(self):
        data = super().clean()
        if data.get("kind") == GroupRobot.Kind.WECOM and data.get("secret"):
            self.add_error("secret", ROBOT_SECRET_WECOM)
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit"], data["department"] = data.pop("target")
        data["secret"] = data["secret"].strip()
        return data
