from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.privileges import app_role_grant, audit_privileges_of


class Command(BaseCommand):
    help = (
        "PostgreSQL：授予应用数据库角色所需权限，审计日志只可查询和新增"
        "（每次 migrate 后以表的所有者运行）"
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用连接数据库所用的角色，例如 unionplan_app")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 有数据库角色；SQLite 的限制见 docs/security.md。")
        with transaction.atomic():
            app_role_grant(role=role)
        allowed = "、".join(sorted(audit_privileges_of(role=role)))
        self.stdout.write(f"已授权角色 {role}；其对审计日志的权限：{allowed}。")
