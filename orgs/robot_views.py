"""群机器人: the system administrator's pages for 企业微信 / 钉钉 group robots.

Each view: access check (orgs/access.py) → form → one service or selector → render.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import ServiceError
from orgs import access, robot_selectors, robot_services
from orgs.robot_forms import GroupRobotForm


@require_GET
def robot_list(request):
    access.require_robot_manager(request.user)
    robots = robot_selectors.robot_list(actor=request.user)
    return render(request, "orgs/robot_list.html", {"robots": robots})


@require_http_methods(["GET", "POST"])
def robot_create(request):
    access.require_robot_manager(request.user)
    form = GroupRobotForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            robot_services.robot_create(actor=request.user, **form.service_arguments())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已添加群机器人，可点击“发送测试消息”检查是否接通。")
            return redirect("orgs:robot_list")
    return render(request, "orgs/robot_form.html", {"form": form, "title": "添加群机器人"})


@require_http_methods(["GET", "POST"])
def robot_edit(request, pk: int):
    access.require_robot_manager(request.user)
    robot = robot_selectors.robot_get(actor=request.user, pk=pk)
    form = GroupRobotForm(request.POST or None, actor=request.user, robot=robot)
    if request.method == "POST" and form.is_valid():
        try:
            robot_services.robot_update(actor=request.user, robot=robot, **form.service_arguments())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存群机器人设置。")
            return redirect("orgs:robot_list")
    context = {"form": form, "title": "修改群机器人", "robot": robot}
    return render(request, "orgs/robot_form.html", context)


@require_POST
def robot_delete(request, pk: int):
    access.require_robot_manager(request.user)
    robot = robot_selectors.robot_get(actor=request.user, pk=pk)
    robot_services.robot_delete(actor=request.user, robot=robot)
    messages.success(request, "已删除群机器人。")
    return redirect("orgs:robot_list")


@require_POST
def robot_test(request, pk: int):
    """发送测试消息: posted now; the outcome shows on the list."""
    access.require_robot_manager(request.user)
    robot = robot_selectors.robot_get(actor=request.user, pk=pk)
    error = robot_services.robot_test_send(actor=request.user, robot=robot)
    if error:
        messages.error(request, f"测试消息发送失败：{error}")
    else:
        messages.success(request, "测试消息已发送，请在群里查看。")
    return redirect("orgs:robot_list")
