from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from common.errors import ServiceError
from orgs.access import ADMIN_ROLES
from orgs.models import Unit
from orgs.services import administrator_create


class Command(BaseCommand):
    help = (
        "创建系统管理员、安全管理员或审计管理员账号；账号已存在时重新启用并重置为临时密码。"
        "临时密码只显示一次，首次登录必须修改。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--display-name", default="", help="姓名")
        parser.add_argument(
            "--federation",
            default="",
            help="所属工会的单位代码（如 pds）；数据库中只有一个工会时可省略",
        )

    def handle(
        self, *args, username: str, role: str, display_name: str, federation: str, **options
    ):
        found = None
        if federation:
            found = Unit.objects.filter(code=federation, federation_id=F("pk")).first()
            if found is None:
                raise CommandError(f"没有代码为「{federation}」的工会（发布方案的单位）。")
        try:
            user, password, created = administrator_create(
                username=username, role=role, display_name=display_name, federation=found
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        action = "已创建" if created else "已重置密码并启用"
        self.stdout.write(f"{action}{user.get_role_display()} {user.username}")
        self.stdout.write(f"临时密码（只显示这一次，首次登录必须修改）：{password}")
