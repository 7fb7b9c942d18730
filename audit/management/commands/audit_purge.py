from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from audit.models import RETENTION_DAYS
from audit.services import audit_purge


class Command(BaseCommand):
    help = f"删除超过保存期限的审计记录（至少保存 {RETENTION_DAYS} 天）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, default=365)

    def handle(self, *args, older_than_days: int, **options):
        try:
            deleted = audit_purge(older_than_days=older_than_days)
        except DatabaseError as exc:
            raise CommandError(
                "数据库拒绝删除审计记录：请以数据表所有者的连接运行（DATABASE_URL，"
                f"见 docs/deploy.md）。{exc}"
            ) from exc
        self.stdout.write(
            f"已删除 {deleted} 条审计记录（保留最近 {max(older_than_days, RETENTION_DAYS)} 天）。"
        )
